"""Unpack a submission (a .zip or a folder) into a private work dir, safely.

Why so careful: a submission is untrusted input handled by a process that may run as
root. A zip member named ``../../etc/cron.d/x`` or ``/root/.ssh/authorized_keys``, a
symlink member pointing at ``/etc/passwd``, a folder holding a link to a system file,
or a 40 KB zip that expands to 40 GB must not write, read or fill anything outside
the work dir. So:

* member paths are normalised (``\\`` → ``/``) and refused when absolute or with ``..``;
* symlinks and special files are never created nor followed (zip: by their Unix mode;
  folders: ``lstat``, and files are opened with ``O_NOFOLLOW``);
* every file is written with ``O_CREAT | O_EXCL`` under a folder we just made, so a
  duplicate name can't overwrite or redirect anything;
* caps on the number of files, each file's size, the total size and the compression
  ratio; sizes are counted while streaming, never trusted from the zip header;
* junk folders (``.git``, ``__pycache__``, virtual environments, ``node_modules`` …)
  are skipped, so that a student who zipped their venv is still graded.

Whatever goes wrong becomes a :class:`Problem` with a sentence from the catalogue.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..messages import msg
from .limits import MiB, format_size


@dataclass(frozen=True)
class Problem:
    """Something wrong with a submission: a stable ``code``, the ``path`` it concerns, a sentence.

    Codes: ``missing``, ``syntax``, ``encoding``, ``shadows_stdlib``, ``ignored``,
    ``unsafe_member``, ``bad_name``, ``too_large``, ``bad_archive``, ``not_found``.
    """

    code: str
    path: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "path": self.path, "message": self.message}


def problem(code: str, key: str, path: str, **values: object) -> Problem:
    """``Problem(code, path, msg(key, path=path, **values))``: the catalogue sentence for it."""
    return Problem(code, path, msg(key, path=path, **values))


FATAL_CODES = frozenset({"too_large", "bad_archive", "not_found"})
"""Codes after which the submission has no clean root (nothing can be graded)."""


@dataclass(frozen=True)
class ExtractLimits:
    """Caps against zip bombs and accidental monsters; generous for real coursework."""

    max_files: int = 2000
    max_total_bytes: int = 50 * MiB
    max_file_bytes: int = 10 * MiB
    max_ratio: int = 100
    """A member expanding more than this many times its compressed size is a bomb …"""
    ratio_min_bytes: int = 1 * MiB
    """… once it expands beyond this (small, very compressible text files are fine)."""
    max_entries: int = 50_000
    """Zip entries looked at at all, skipped junk included (the central directory is read into memory)."""


SKIPPED_DIRS = frozenset({
    ".git", ".hg", ".svn", "__pycache__", ".venv", "venv", "node_modules", ".idea", ".vscode",
    ".pytest_cache", ".mypy_cache", ".ruff_cache", ".tox", ".nox", "__MACOSX", ".ipynb_checkpoints",
    "site-packages", ".eggs",
})
SKIPPED_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
_CHUNK = 64 * 1024


@dataclass
class Extraction:
    """What unpacking produced: ``ok`` is False after a fatal problem (and ``dest`` is removed)."""

    ok: bool = True
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    bytes: int = 0


class _Abort(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _is_junk(parts: tuple[str, ...] | list[str]) -> bool:
    return any(p in SKIPPED_DIRS for p in parts[:-1]) or parts[-1] in SKIPPED_FILES


class _Budget:
    """Counts files and bytes across one submission and aborts at the caps."""

    def __init__(self, limits: ExtractLimits) -> None:
        self.limits = limits
        self.files = 0
        self.bytes = 0

    def add_file(self) -> None:
        self.files += 1
        if self.files > self.limits.max_files:
            raise _Abort(Problem("too_large", "", msg("problem_too_many_files", limit=self.limits.max_files)))

    def add_bytes(self, n: int) -> None:
        self.bytes += n
        if self.bytes > self.limits.max_total_bytes:
            raise _Abort(Problem("too_large", "", msg("problem_too_large_total",
                                                      limit=format_size(self.limits.max_total_bytes))))


def _make_parents(dest: Path, parts: tuple[str, ...]) -> Path:
    """Create the folders for ``parts`` under ``dest``; each must be a real folder of ours."""
    folder = dest
    for part in parts[:-1]:
        folder = folder / part
        try:
            os.mkdir(folder, 0o755)
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                raise NotADirectoryError(str(folder)) from None
    return folder / parts[-1]


def _write_stream(chunks: Iterator[bytes], target: Path, budget: _Budget, display: str,
                  declared: int | None = None, compressed: int = 1) -> bool:
    """Write ``chunks`` to a new file; False (and no file) if it grew past the per-file cap.

    ``O_EXCL | O_NOFOLLOW``: never through an existing name or link. A member that
    yields more than its header declared is a lie, and counts as a bomb.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(target, flags, 0o644)
    written = 0
    ok = True
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                written += len(chunk)
                if declared is not None and written > declared:
                    raise _Abort(Problem("too_large", display, msg(
                        "problem_zip_bomb", path=display, ratio=written // max(compressed, 1),
                        size=f"> {format_size(written)}")))
                if written > budget.limits.max_file_bytes:
                    ok = False
                    break
                budget.add_bytes(len(chunk))
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    if not ok:
        target.unlink(missing_ok=True)
    return ok


# -- zip archives ----------------------------------------------------------------------------


def _declared_entries(archive: Path) -> int | None:
    """The entry count from the end-of-central-directory record, read before zipfile parses it all."""
    try:
        with open(archive, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 65536 - 22))
            tail = f.read()
    except OSError:
        return None
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 12 > len(tail):
        return None
    return int.from_bytes(tail[at + 10:at + 12], "little")


def _member_name(info: zipfile.ZipInfo) -> str | None:
    """The member's real name: UTF-8 if flagged or valid, else GBK (Chinese Windows zips), else None."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.orig_filename.encode("cp437")  # zipfile decoded the raw bytes as cp437
    except UnicodeEncodeError:
        return info.filename
    if raw.isascii():
        return info.filename
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


_DRIVE = re.compile(r"^[A-Za-z]:")


def member_parts(name: str) -> tuple[str, ...] | None:
    """``"a\\\\b/./c.py"`` → ``("a", "b", "c.py")``; None for absolute paths and any ``..``."""
    name = name.replace("\\", "/")
    if name.startswith("/") or _DRIVE.match(name):
        return None
    parts = tuple(p for p in name.split("/") if p not in ("", "."))
    if ".." in parts or any("\x00" in p for p in parts):
        return None
    return parts


def _venv_prefixes(names: list[tuple[str, ...]]) -> set[tuple[str, ...]]:
    return {parts[:-1] for parts in names if parts and parts[-1] == "pyvenv.cfg"}


def extract_zip(archive: Path, dest: Path, limits: ExtractLimits | None = None) -> Extraction:
    """Unpack ``archive`` into ``dest`` (created; must not exist yet). See the module docstring."""
    limits = limits or ExtractLimits()
    display = archive.name
    result = Extraction()
    declared = _declared_entries(archive)
    if declared is not None and declared > limits.max_entries:
        result.ok = False
        result.problems.append(problem("too_large", "problem_too_many_files", display,
                                       limit=limits.max_files))
        return result
    dest.mkdir(parents=True)
    budget = _Budget(limits)
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            if len(infos) > limits.max_entries:
                raise _Abort(problem("too_large", "problem_too_many_files", display, limit=limits.max_files))
            named: list[tuple[zipfile.ZipInfo, str | None, tuple[str, ...] | None]] = []
            for info in infos:
                name = _member_name(info)
                named.append((info, name, None if name is None else member_parts(name)))
            venvs = _venv_prefixes([parts for _, _, parts in named if parts])
            for info, name, parts in named:
                _extract_member(zf, info, name, parts, venvs, dest, budget, result)
    except _Abort as abort:
        return _aborted(result, dest, abort.problem)
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError,
            OSError) as exc:  # corrupt, encrypted, unsupported compression, unreadable
        return _aborted(result, dest, Problem("bad_archive", display, msg(
            "problem_bad_archive", path=display, error=f"{type(exc).__name__}: {exc}")))
    result.files, result.bytes = budget.files, budget.bytes
    return result


def _aborted(result: Extraction, dest: Path, problem: Problem) -> Extraction:
    shutil.rmtree(dest, ignore_errors=True)
    result.ok = False
    result.problems.append(problem)
    return result


def _extract_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str | None,
                    parts: tuple[str, ...] | None, venvs: set[tuple[str, ...]], dest: Path,
                    budget: _Budget, result: Extraction) -> None:
    limits = budget.limits
    if name is None:
        shown = info.orig_filename.encode("cp437", "replace").decode("utf-8", "backslashreplace")
        result.problems.append(Problem("bad_name", shown, msg("problem_bad_name", path=shown)))
        return
    if parts is None:
        result.problems.append(Problem("unsafe_member", name, msg("problem_unsafe_path", path=name)))
        return
    if not parts or _is_junk(parts) or any(parts[:len(v)] == v for v in venvs):
        return
    display = "/".join(parts)
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        result.problems.append(Problem("unsafe_member", display, msg("problem_symlink", path=display)))
        return
    if info.is_dir() or stat.S_ISDIR(mode):
        return
    if stat.S_IFMT(mode) and not stat.S_ISREG(mode):
        result.problems.append(Problem("unsafe_member", display, msg("problem_special_file", path=display)))
        return
    budget.add_file()
    if info.file_size > limits.max_file_bytes:
        result.problems.append(Problem("too_large", display, msg(
            "problem_file_too_large", path=display, limit=format_size(limits.max_file_bytes))))
        return
    ratio = info.file_size // max(info.compress_size, 1)
    if info.file_size > limits.ratio_min_bytes and ratio > limits.max_ratio:
        raise _Abort(Problem("too_large", display, msg(
            "problem_zip_bomb", path=display, ratio=ratio, size=format_size(info.file_size))))
    if budget.bytes + info.file_size > limits.max_total_bytes:
        raise _Abort(Problem("too_large", "", msg("problem_too_large_total",
                                                  limit=format_size(limits.max_total_bytes))))
    try:
        target = _make_parents(dest, parts)
        with zf.open(info) as member:
            ok = _write_stream(iter(lambda: member.read(_CHUNK), b""), target, budget, display,
                               info.file_size, info.compress_size)
    except (FileExistsError, NotADirectoryError, IsADirectoryError):
        result.problems.append(Problem("unsafe_member", display, msg("problem_duplicate", path=display)))
        return
    except OSError as exc:
        result.problems.append(Problem("unsafe_member", display, msg("problem_unwritable", path=display,
                                                                     error=exc.strerror or exc)))
        return
    if not ok:
        result.problems.append(Problem("too_large", display, msg(
            "problem_file_too_large", path=display, limit=format_size(limits.max_file_bytes))))


# -- folders ----------------------------------------------------------------------------------


def copy_folder(source: Path, dest: Path, limits: ExtractLimits | None = None) -> Extraction:
    """Copy ``source`` into ``dest`` (created) without following any link, with the same caps."""
    limits = limits or ExtractLimits()
    result = Extraction()
    dest.mkdir(parents=True)
    budget = _Budget(limits)
    try:
        _copy_dir(Path(source), (), dest, budget, result)
    except _Abort as abort:
        return _aborted(result, dest, abort.problem)
    result.files, result.bytes = budget.files, budget.bytes
    return result


def _copy_dir(source: Path, rel: tuple[str, ...], dest: Path, budget: _Budget, result: Extraction) -> None:
    try:
        entries = sorted(os.scandir(source.joinpath(*rel)), key=lambda e: e.name)
    except OSError:
        return  # unreadable folder: as if empty
    if any(e.name == "pyvenv.cfg" for e in entries) and rel:
        return  # a virtual environment, whatever its name
    for entry in entries:
        parts = (*rel, entry.name)
        display = "/".join(parts)
        is_junction = getattr(entry, "is_junction", lambda: False)()
        if entry.is_symlink() or is_junction:
            result.problems.append(Problem("unsafe_member", display, msg("problem_symlink", path=display)))
        elif entry.is_dir(follow_symlinks=False):
            if entry.name not in SKIPPED_DIRS:
                _copy_dir(source, parts, dest, budget, result)
        elif entry.is_file(follow_symlinks=False):
            if entry.name not in SKIPPED_FILES:
                _copy_file(Path(entry.path), parts, dest, budget, result)
        else:
            result.problems.append(problem("unsafe_member", "problem_special_file", display))


def _copy_file(path: Path, parts: tuple[str, ...], dest: Path, budget: _Budget, result: Extraction) -> None:
    display = "/".join(parts)
    limits = budget.limits
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        result.problems.append(Problem("unsafe_member", display, msg("problem_symlink", path=display)))
        return
    with os.fdopen(fd, "rb") as src:
        info = os.fstat(src.fileno())
        if not stat.S_ISREG(info.st_mode):  # swapped for a fifo or device since scandir
            result.problems.append(problem("unsafe_member", "problem_special_file", display))
            return
        budget.add_file()
        if info.st_size > limits.max_file_bytes:
            result.problems.append(Problem("too_large", display, msg(
                "problem_file_too_large", path=display, limit=format_size(limits.max_file_bytes))))
            return
        try:
            target = _make_parents(dest, parts)
            ok = _write_stream(iter(lambda: src.read(_CHUNK), b""), target, budget, display)
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            result.problems.append(Problem("unsafe_member", display, msg("problem_duplicate", path=display)))
            return
        except OSError as exc:
            result.problems.append(Problem("unsafe_member", display, msg("problem_unwritable", path=display,
                                                                         error=exc.strerror or exc)))
            return
    if not ok:
        result.problems.append(Problem("too_large", display, msg(
            "problem_file_too_large", path=display, limit=format_size(limits.max_file_bytes))))
