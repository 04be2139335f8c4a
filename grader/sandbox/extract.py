"""Unpack a submission (a .zip or a folder) into a private work dir, safely.

Why so careful: a submission is untrusted input handled by a process that may run as
root. A zip member named ``../../etc/cron.d/x`` or ``/root/.ssh/authorized_keys``, a
symlink member pointing at ``/etc/passwd``, a folder holding a link to a system file,
or a 40 KB zip that expands to 40 GB must not write, read or fill anything outside
the work dir. So:

* member paths are normalised (``\\`` → ``/``) and refused when absolute, with ``..``
  or more than ``max_depth`` folders deep (a 1,000-deep path broke every recursive
  walk and ``shutil.rmtree`` after it); folders are walked iteratively;
* symlinks and special files are never created nor followed (zip: by their Unix mode;
  folders: ``lstat``, and files are opened with ``O_NOFOLLOW``);
* every file is written with ``O_CREAT | O_EXCL`` under a folder we just made, so a
  duplicate name can't overwrite or redirect anything;
* caps on the number of files, each file's size, the total size and the compression
  ratio; sizes are counted while streaming, never trusted from the zip header;
* the zip's central directory is measured before :mod:`zipfile` reads it into memory:
  its size in bytes from the end record (zip64 too), and its entries counted as
  zipfile would parse them, because the entry count the end record claims can lie
  ("1 entry" over a million);
* a member's compression ratio is taken against the bytes really there (up to the
  next member or the central directory), not against a compressed size the header
  may inflate; and only stored or Deflate members are unpacked: bzip2 and LZMA are
  decompressed by :mod:`zipfile` without an output bound (785 bytes of bzip2 become
  1 GiB in memory in one call), whatever size the header claims, 0 included;
* at most ``max_problems`` problems are listed; the rest are counted in one more;
* junk folders (``.git``, ``__pycache__``, virtual environments, ``node_modules`` …)
  are skipped, so that a student who zipped their venv is still graded.

Whatever goes wrong becomes a :class:`Problem` with a sentence from the catalogue.
"""

from __future__ import annotations

import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..messages import msg
from .cleanup import remove_tree
from .limits import MiB, format_size


@dataclass(frozen=True)
class Problem:
    """Something wrong with a submission: a stable ``code``, the ``path`` it concerns, a sentence.

    Codes: ``missing``, ``syntax``, ``encoding``, ``shadows_stdlib``, ``ignored``,
    ``unsafe_member``, ``bad_name``, ``too_large``, ``bad_archive``, ``not_found``,
    ``more_problems`` (a count of the problems not listed), ``internal`` (the grader failed).
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


MAX_DEPTH = 32
"""Default :attr:`ExtractLimits.max_depth`; also where walks of an unpacked tree stop."""


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
    max_central_directory_bytes: int = 32 * MiB
    """The zip's central directory, read whole into memory by :mod:`zipfile` (>= 46 bytes an entry)."""
    max_depth: int = MAX_DEPTH
    """Folders a file may lie in, counted from the submission's top."""
    max_problems: int = 100
    """Problems listed one by one; a zip of 50,000 bad members gets one more line, not 50,000."""


SKIPPED_DIRS = frozenset({
    ".git", ".hg", ".svn", "__pycache__", ".venv", "venv", "node_modules", ".idea", ".vscode",
    ".pytest_cache", ".mypy_cache", ".ruff_cache", ".tox", ".nox", "__MACOSX", ".ipynb_checkpoints",
    "site-packages", ".eggs",
})
SKIPPED_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
_CHUNK = 64 * 1024


def walk_tree(tree: Path) -> Iterator[tuple[tuple[str, ...], list[str], list[str]]]:
    """``(relative folder parts, sub-folders, files)`` of an unpacked tree, as ``os.walk`` gives
    them: junk folders skipped, folders sorted, links not followed, and no deeper than
    :data:`MAX_DEPTH` (``os.walk`` recurses per level up to Python 3.11; unpacking never
    makes a deeper tree anyway). The one walk discover and preflight share."""
    for folder, dirs, files in os.walk(tree):
        rel = Path(folder).relative_to(tree).parts
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS) if len(rel) < MAX_DEPTH else []
        yield rel, dirs, files


@dataclass
class Extraction:
    """What unpacking produced: ``ok`` is False after a fatal problem (and ``dest`` is removed)."""

    ok: bool = True
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    bytes: int = 0
    max_problems: int = 100
    unlisted: int = 0

    def add(self, item: Problem) -> None:
        """List ``item``, or only count it once ``max_problems`` are listed."""
        if len(self.problems) < self.max_problems:
            self.problems.append(item)
        else:
            self.unlisted += 1

    def close(self) -> Extraction:
        """Add the one problem that counts the unlisted ones, if any."""
        if self.unlisted:
            self.problems.append(Problem("more_problems", "", msg(
                "problem_more_skipped", count=self.unlisted, shown=self.max_problems)))
            self.unlisted = 0
        return self


def _new_result(limits: ExtractLimits) -> Extraction:
    return Extraction(max_problems=limits.max_problems)


def shorten(path: str, limit: int = 160) -> str:
    """A member path short enough for a sentence: a hostile one can be thousands of characters."""
    return path if len(path) <= limit else f"{path[:60]}…{path[-(limit - 61):]}"


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

_EOCD = struct.Struct("<4s4H2LH")
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_MAX_COMMENT = 1 << 16

STORED_OR_DEFLATED = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
_METHOD_NAMES = {9: "Deflate64", 12: "bzip2", 14: "LZMA", 93: "Zstandard", 95: "XZ", 98: "PPMd"}


@dataclass(frozen=True)
class _Directory:
    """Where the central directory is (as :mod:`zipfile` will look for it) and what it holds."""

    start: int
    size: int
    entries: int


def _end_record(f: BinaryIO) -> tuple[int, int, int] | None:
    """``(central directory start, its size, its offset as recorded)``, or None without an end record.

    Found exactly as :mod:`zipfile` finds it (CPython 3.10 to 3.13, ``_EndRecData``): the
    last 22 bytes when the archive has no comment, else the last ``PK\\5\\6`` in the
    last 64 KiB + 22 bytes; then the zip64 locator and record right before it. The
    start is where zipfile will read from (data prepended to the zip shifts it).
    """
    f.seek(0, os.SEEK_END)
    filesize = f.tell()
    if filesize < _EOCD.size:
        return None
    f.seek(filesize - _EOCD.size)
    data = f.read()
    if data[:4] == b"PK\x05\x06" and data[-2:] == b"\0\0":
        at = filesize - _EOCD.size
    else:
        window = max(filesize - _MAX_COMMENT - _EOCD.size, 0)
        f.seek(window)
        data = f.read()
        found = data.rfind(b"PK\x05\x06")
        if found < 0 or len(data) - found < _EOCD.size:
            return None
        at = window + found
        data = data[found:found + _EOCD.size]
    _sig, _disk, _disk_cd, _here, _total, size, offset, _comment = _EOCD.unpack(data)
    record_at = at - _EOCD64_LOCATOR.size - _EOCD64.size
    if record_at < 0:
        return at - size, size, offset
    f.seek(at - _EOCD64_LOCATOR.size)
    sig, disk, zip64_at, disks = _EOCD64_LOCATOR.unpack(f.read(_EOCD64_LOCATOR.size))
    if sig != b"PK\x06\x07":
        return at - size, size, offset
    if disk != 0 or disks > 1:
        raise zipfile.BadZipFile("zipfiles that span multiple disks are not supported")
    f.seek(record_at)
    record = f.read(_EOCD64.size)
    if record[:4] != b"PK\x06\x06":
        return at - size, size, offset
    *_, size, offset = _EOCD64.unpack(record)
    start = record_at - size
    if zip64_at + (start - offset) != record_at:
        # A zipfile that believed the locator would read another directory than the one measured.
        raise zipfile.BadZipFile("the zip64 end record is not where its locator says")
    return start, size, offset


def read_directory(archive: Path, limits: ExtractLimits) -> _Directory | Problem | None:
    """Measure the central directory before :class:`zipfile.ZipFile` parses it all; a Problem if too big.

    ``ZipFile()`` reads the whole directory into memory and makes a ``ZipInfo`` of every
    entry, however many the end record claims (the claim is never used). So: its size
    in bytes (from the end record, zip64 included) is bounded first, then its entries
    are counted the way zipfile walks them (46 bytes and three lengths each), stopping
    at ``max_entries``. None when there is no end record (zipfile will say so).
    """
    display = archive.name
    with open(archive, "rb") as f:
        end = _end_record(f)
        if end is None:
            return None
        start, size, _offset = end
        if start < 0:
            raise zipfile.BadZipFile("Bad offset for central directory")
        if size > limits.max_central_directory_bytes:
            return Problem("too_large", display, msg(
                "problem_zip_directory_too_large", path=display, size=format_size(size),
                limit=format_size(limits.max_central_directory_bytes)))
        f.seek(start)
        data = f.read(size)
    entries = 0
    total = 0
    while total < size:
        if len(data) - total < _CENTRAL.size:
            raise zipfile.BadZipFile("Truncated central directory")
        fields = _CENTRAL.unpack_from(data, total)
        if fields[0] != b"PK\x01\x02":
            raise zipfile.BadZipFile("Bad magic number for central directory")
        total += _CENTRAL.size + fields[12] + fields[13] + fields[14]
        entries += 1
        if entries > limits.max_entries:
            return Problem("too_large", display, msg("problem_too_many_files", path=display,
                                                     limit=limits.max_files))
    return _Directory(start, size, entries)


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
    result = _new_result(limits)
    try:
        directory = read_directory(archive, limits)
    except (zipfile.BadZipFile, OSError, struct.error) as exc:
        return _refused(result, _bad_archive(display, exc))
    if isinstance(directory, Problem):
        return _refused(result, directory)
    dest.mkdir(parents=True)
    budget = _Budget(limits)
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            if len(infos) > limits.max_entries:  # read_directory counted them: only if zipfile changed
                raise _Abort(problem("too_large", "problem_too_many_files", display, limit=limits.max_files))
            spans = _spans(infos, directory.start if directory is not None else zf.start_dir)
            named: list[tuple[zipfile.ZipInfo, str | None, tuple[str, ...] | None]] = []
            for info in infos:
                name = _member_name(info)
                named.append((info, name, None if name is None else member_parts(name)))
            venvs = _venv_prefixes([parts for _, _, parts in named if parts])
            for info, name, parts in named:
                _extract_member(zf, info, name, parts, venvs, dest, budget, result, spans)
    except _Abort as abort:
        return _aborted(result, dest, abort.problem)
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError,
            OSError) as exc:  # corrupt, encrypted, unsupported compression, unreadable
        return _aborted(result, dest, _bad_archive(display, exc))
    result.files, result.bytes = budget.files, budget.bytes
    return result.close()


def _bad_archive(display: str, exc: BaseException) -> Problem:
    return Problem("bad_archive", display, msg("problem_bad_archive", path=display,
                                               error=f"{type(exc).__name__}: {exc}"))


def _refused(result: Extraction, problem: Problem) -> Extraction:
    result.ok = False
    result.problems.append(problem)
    return result.close()


def _aborted(result: Extraction, dest: Path, problem: Problem) -> Extraction:
    remove_tree(dest)  # what is left (if anything) goes with the submission's work dir
    return _refused(result, problem)


def _spans(infos: list[zipfile.ZipInfo], directory_start: int) -> dict[int, int]:
    """Bytes really available to a member at each header offset: up to the next member or the directory.

    A member's output can only come from those bytes, so its compression ratio is
    measured against them, whatever compressed size its header claims.
    """
    offsets = sorted({info.header_offset for info in infos} | {directory_start})
    return {here: max(after - here, 1) for here, after in zip(offsets, offsets[1:], strict=False)}


def _extract_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str | None,
                    parts: tuple[str, ...] | None, venvs: set[tuple[str, ...]], dest: Path,
                    budget: _Budget, result: Extraction, spans: dict[int, int]) -> None:
    limits = budget.limits
    if name is None:
        shown = shorten(info.orig_filename.encode("cp437", "replace").decode("utf-8", "backslashreplace"))
        result.add(Problem("bad_name", shown, msg("problem_bad_name", path=shown)))
        return
    if parts is None:
        shown = shorten(name)
        result.add(Problem("unsafe_member", shown, msg("problem_unsafe_path", path=shown)))
        return
    if not parts or _is_junk(parts) or any(parts[:len(v)] == v for v in venvs):
        return
    display = shorten("/".join(parts))
    mode = info.external_attr >> 16
    if info.is_dir() or stat.S_ISDIR(mode):
        return  # folders are made for the files in them (and only as deep as those may be)
    if len(parts) - 1 > limits.max_depth:
        result.add(problem("unsafe_member", "problem_too_deep", display, depth=len(parts) - 1,
                           limit=limits.max_depth))
        return
    if stat.S_ISLNK(mode):
        result.add(Problem("unsafe_member", display, msg("problem_symlink", path=display)))
        return
    if stat.S_IFMT(mode) and not stat.S_ISREG(mode):
        result.add(Problem("unsafe_member", display, msg("problem_special_file", path=display)))
        return
    if info.compress_type not in STORED_OR_DEFLATED:
        method = _METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
        result.add(problem("unsafe_member", "problem_unsupported_compression", display, method=method))
        return
    budget.add_file()
    if info.file_size > limits.max_file_bytes:
        result.add(Problem("too_large", display, msg(
            "problem_file_too_large", path=display, limit=format_size(limits.max_file_bytes))))
        return
    compressed = min(info.compress_size, spans.get(info.header_offset, info.compress_size))
    ratio = info.file_size // max(compressed, 1)
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
                               info.file_size, compressed)
    except (FileExistsError, NotADirectoryError, IsADirectoryError):
        result.add(Problem("unsafe_member", display, msg("problem_duplicate", path=display)))
        return
    except OSError as exc:
        result.add(Problem("unsafe_member", display, msg("problem_unwritable", path=display,
                                                         error=exc.strerror or exc)))
        return
    if not ok:
        result.add(Problem("too_large", display, msg(
            "problem_file_too_large", path=display, limit=format_size(limits.max_file_bytes))))


# -- folders ----------------------------------------------------------------------------------


def copy_folder(source: Path, dest: Path, limits: ExtractLimits | None = None) -> Extraction:
    """Copy ``source`` into ``dest`` (created) without following any link, with the same caps.

    The walk is iterative (a stack of folder listings, in sorted order) and goes no
    deeper than ``max_depth``: a folder nested 1,000 deep is one problem, not a crash.
    """
    limits = limits or ExtractLimits()
    result = _new_result(limits)
    dest.mkdir(parents=True)
    budget = _Budget(limits)
    source = Path(source)
    try:
        stack: list[Iterator[os.DirEntry[str]]] = [iter(_listing(source, ()))]
        rels: list[tuple[str, ...]] = [()]
        while stack:
            entry = next(stack[-1], None)
            if entry is None:
                stack.pop()
                rels.pop()
                continue
            parts = (*rels[-1], entry.name)
            folder = _copy_entry(source, entry, parts, dest, budget, result)
            if folder is not None:
                stack.append(iter(folder))
                rels.append(parts)
    except _Abort as abort:
        return _aborted(result, dest, abort.problem)
    result.files, result.bytes = budget.files, budget.bytes
    return result.close()


def _listing(source: Path, rel: tuple[str, ...]) -> list[os.DirEntry[str]]:
    """A folder's entries, sorted by name; none if unreadable, or if it is a virtual environment."""
    try:
        with os.scandir(source.joinpath(*rel)) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return []  # unreadable folder: as if empty
    if rel and any(e.name == "pyvenv.cfg" for e in entries):
        return []  # a virtual environment, whatever its name
    return entries


def _copy_entry(source: Path, entry: os.DirEntry[str], parts: tuple[str, ...], dest: Path, budget: _Budget,
                result: Extraction) -> list[os.DirEntry[str]] | None:
    """Copy one entry; for a folder to walk into, its listing (else None)."""
    display = shorten("/".join(parts))
    is_junction = getattr(entry, "is_junction", lambda: False)()
    if entry.is_symlink() or is_junction:
        result.add(Problem("unsafe_member", display, msg("problem_symlink", path=display)))
    elif entry.is_dir(follow_symlinks=False):
        if entry.name in SKIPPED_DIRS:
            return None
        if len(parts) > budget.limits.max_depth:
            result.add(problem("unsafe_member", "problem_folder_too_deep", display,
                               limit=budget.limits.max_depth))
            return None
        return _listing(source, parts)
    elif entry.is_file(follow_symlinks=False):
        if entry.name not in SKIPPED_FILES:
            _copy_file(Path(entry.path), parts, dest, budget, result)
    else:
        result.add(problem("unsafe_member", "problem_special_file", display))
    return None


def _copy_file(path: Path, parts: tuple[str, ...], dest: Path, budget: _Budget, result: Extraction) -> None:
    display = shorten("/".join(parts))
    limits = budget.limits
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        result.add(Problem("unsafe_member", display, msg("problem_symlink", path=display)))
        return
    with os.fdopen(fd, "rb") as src:
        info = os.fstat(src.fileno())
        if not stat.S_ISREG(info.st_mode):  # swapped for a fifo or device since scandir
            result.add(problem("unsafe_member", "problem_special_file", display))
            return
        budget.add_file()
        if info.st_size > limits.max_file_bytes:
            result.add(Problem("too_large", display, msg(
                "problem_file_too_large", path=display, limit=format_size(limits.max_file_bytes))))
            return
        try:
            target = _make_parents(dest, parts)
            ok = _write_stream(iter(lambda: src.read(_CHUNK), b""), target, budget, display)
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            result.add(Problem("unsafe_member", display, msg("problem_duplicate", path=display)))
            return
        except OSError as exc:
            result.add(Problem("unsafe_member", display, msg("problem_unwritable", path=display,
                                                             error=exc.strerror or exc)))
            return
    if not ok:
        result.add(Problem("too_large", display, msg(
            "problem_file_too_large", path=display, limit=format_size(limits.max_file_bytes))))
