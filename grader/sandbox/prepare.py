"""Prepare one submission for grading: unpack safely, find the exercises, check, copy clean.

Why a *clean root*: the hidden suite must run against the student's contract modules
and nothing else of theirs: not their ``conftest.py`` (which pytest would import),
not a ``socket.py`` that shadows the standard library, not their copies of the tests.
So after the checks, only ``<unit>/<module>.py`` files of the contract are copied to
``WORKDIR/root``, each from wherever discovery found it (:func:`~.discover.locate_modules`:
unit folders, a repository copy, or flat at the top), to its contract path; that folder
is what ``--netlings-root`` points at.

A submission with no Python file at all gets the one problem ``empty`` (the batch lists
it instead of grading it); one with Python files but none of the contract's names gets
``not_found``, saying which names are looked for.

``content_hash`` covers exactly those files (relative path + bytes), so a re-run can
skip a submission whose graded content did not change, whatever else in the zip did.

Whatever a submission holds, preparing it returns: any exception on the way
(``RecursionError`` and ``MemoryError`` included) becomes that submission's problem,
and earlier work folders are removed with :func:`~grader.sandbox.cleanup.remove_tree`,
which handles trees of any depth and never raises.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..messages import msg
from .cleanup import remove_tree
from .discover import Layout, locate_modules, student_id
from .extract import Extraction, ExtractLimits, Problem, copy_folder, extract_zip, problem
from .preflight import preflight

CONTRACT_MODULES: tuple[str, ...] = (
    "00_basics/wire.py",
    "01_udp/udp_server.py",
    "01_udp/udp_client.py",
    "02_tcp/tcp_server.py",
    "02_tcp/tcp_client.py",
    "02_tcp/framing.py",
    "03_ftp/ftp_client.py",
    "04_smtp/compose.py",
    "04_smtp/send.py",
    "05_pop3/receive.py",
    "05_pop3/parse.py",
)
"""The public contract's module paths (the curriculum issue's table), used when no manifest loads."""

HASH_VERSION = b"netlings-prepare-1"
MAX_LISTED = 3
"""Ignored copies of one module named one by one; the rest are counted."""


def contract_modules() -> list[str]:
    """The module paths to grade: from the manifest when it loads, else :data:`CONTRACT_MODULES`."""
    try:
        from ..curriculum.manifest import load_manifest

        paths = [exercise.path for exercise in load_manifest().exercises]
    except Exception:  # noqa: BLE001 - any trouble with the manifest: the contract still holds
        return list(CONTRACT_MODULES)
    return paths or list(CONTRACT_MODULES)


@dataclass
class Prepared:
    """A submission ready to grade (``root`` set) or not (``root`` None, ``problems`` say why)."""

    student: str
    root: Path | None
    problems: list[Problem] = field(default_factory=list)
    content_hash: str = ""
    source: Path | None = None
    found_at: str | None = None
    """Where the graded files were, relative to the submission: the exercise root
    (``"alice/netlings-main/exercises"``), or the folder holding every graded file when
    they were not all at their contract paths (``"netlings-main"`` for a flat copy, ``"."``)."""
    sources: dict[str, str] = field(default_factory=dict)
    """Contract module -> the file graded as it, relative to the submission (``/``-separated)."""
    moved: dict[str, str] = field(default_factory=dict)
    """The part of :attr:`sources` not at its contract path under :attr:`found_at`, for feedback
    ("graded 01_udp/udp_server.py from netlings-main/udp_server.py")."""
    modules: list[str] = field(default_factory=list)
    """The contract modules present in ``root``."""

    @property
    def ok(self) -> bool:
        return self.root is not None

    def problem_codes(self) -> list[str]:
        return [p.code for p in self.problems]

    def problems_for(self, module: str) -> list[Problem]:
        """The problems about one contract module (for that exercise's feedback)."""
        return [p for p in self.problems if p.path == module]


def content_hash(root: Path | None, modules: Sequence[str], problems: Sequence[Problem] = ()) -> str:
    """sha256 over the contract files' contract paths and bytes (or, without a root, the problems).

    Read from the clean root, where every module sits at its contract path whatever
    the zip's layout: moving files around in the zip (into ``exercises/``, out of a
    ``netlings-main/`` folder, flat to the top) without changing them keeps the hash,
    so a re-run does not grade them again.
    """
    digest = hashlib.sha256(HASH_VERSION)
    if root is not None:
        for module in sorted(modules):
            data = (root / module).read_bytes()
            digest.update(b"\0F" + module.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    else:
        for item in problems:
            digest.update(b"\0P" + item.code.encode() + b"\0" + item.path.encode())
    return digest.hexdigest()


def prepare_submission(
    source: Path,
    workdir: Path,
    *,
    modules: Sequence[str] | None = None,
    limits: ExtractLimits | None = None,
    keep_source: bool = False,
    student: str | None = None,
) -> Prepared:
    """Unpack ``source`` (folder or .zip) into ``workdir/src``, check it, build ``workdir/root``.

    ``workdir`` is private to this submission; an earlier ``src``/``root`` in it is
    replaced. ``src`` is removed at the end unless ``keep_source``. ``modules``
    defaults to :func:`contract_modules`.
    """
    source = Path(source)
    workdir = Path(workdir)
    modules = list(modules) if modules is not None else contract_modules()
    prepared = Prepared(student=student or student_id(source), root=None, source=source)
    src, root = workdir / "src", workdir / "exercises"  # the name students see in messages
    try:
        workdir.mkdir(parents=True, exist_ok=True)
        left = remove_tree(src) + remove_tree(root)
        if left:
            prepared.problems.append(problem("internal", "problem_workdir_not_cleared", "", error=left[0]))
            return _finish(prepared)
        return _prepare(prepared, source, src, root, modules, limits)
    except Exception as exc:  # noqa: BLE001 - one submission's trouble is its own problem, never the batch's
        prepared.root = None
        prepared.modules = []
        prepared.problems.append(Problem("internal", "", msg("grade.prepare_failed",
                                                             error=f"{type(exc).__name__}: {exc}")))
        return _finish(prepared)
    finally:
        if not keep_source:
            remove_tree(src)  # anything left is inside ``workdir``, which its owner removes


def _prepare(prepared: Prepared, source: Path, src: Path, root: Path, modules: list[str],
             limits: ExtractLimits | None) -> Prepared:
    extraction = _unpack(source, src, limits)
    prepared.problems.extend(extraction.problems)
    if not extraction.ok:
        return _finish(prepared)
    layout = locate_modules(src, modules)
    if layout.empty:
        prepared.problems.append(problem("empty", "problem_empty", ""))
        return _finish(prepared)
    if not layout.sources:
        names = ", ".join(dict.fromkeys(PurePosixPath(m).name for m in modules))
        prepared.problems.append(problem("not_found", "problem_no_contract_file", "", names=names))
        return _finish(prepared)
    base = layout.base or src  # never None here: some module was found
    prepared.found_at = layout.found_at
    prepared.sources = {m: layout.shown(p) for m, p in layout.sources.items()}
    prepared.moved = layout.moved()
    checks = preflight(base, modules, layout.sources)
    prepared.problems.extend(checks.problems)
    prepared.problems.extend(_duplicate_problems(layout))
    _build_root(layout.sources, root, checks.present)
    prepared.root = root
    prepared.modules = checks.present
    return _finish(prepared)


def _duplicate_problems(layout: Layout) -> list[Problem]:
    """One problem per module found in several places (with different content): which was graded."""
    problems: list[Problem] = []
    for module, others in layout.ignored.items():
        shown = [layout.shown(p) for p in others]
        ignored = ", ".join(shown[:MAX_LISTED])
        if len(shown) > MAX_LISTED:
            ignored = msg("problem_duplicate_more", listed=ignored, count=len(shown) - MAX_LISTED)
        problems.append(problem("duplicate", "problem_duplicate_module", module, count=len(shown) + 1,
                                graded=layout.shown(layout.sources[module]), ignored=ignored))
    return problems


def _unpack(source: Path, dest: Path, limits: ExtractLimits | None) -> Extraction:
    if source.is_dir():
        return copy_folder(source, dest, limits)
    if source.is_file() and source.suffix.lower() == ".zip":
        return extract_zip(source, dest, limits)
    shown = source.name
    return Extraction(ok=False, problems=[problem("bad_archive", "problem_not_a_submission", shown)])


def _build_root(sources: Mapping[str, Path], root: Path, present: Sequence[str]) -> None:
    """Copy only the contract modules, each from where it was found to its contract path,
    world-readable (a dropped-privilege child must read them). Everything downstream sees
    the one layout of the contract, whatever the zip's was."""
    root.mkdir(mode=0o755)
    os.chmod(root, 0o755)
    for module in present:
        target = root / module
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
        os.chmod(target.parent, 0o755)
        target.write_bytes(sources[module].read_bytes())
        os.chmod(target, 0o644)


def _finish(prepared: Prepared) -> Prepared:
    """Set the content hash; none after a grader failure, so that the next run tries again."""
    if any(p.code == "internal" for p in prepared.problems):
        prepared.content_hash = ""
    else:
        prepared.content_hash = content_hash(prepared.root, prepared.modules, prepared.problems)
    return prepared
