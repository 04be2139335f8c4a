"""Find the contract modules inside an unpacked submission, and name the student.

Why: students zip whatever folder they have open. The unit folders may sit at the
top (``01_udp/udp_server.py``), inside the repository (``netlings-main/exercises/…``)
or deeper (``alice/netlings-main/exercises/…``); or there are no unit folders at
all, just the files (``udp_server.py`` at the top, or in ``netlings-main/``). The
exercise root is the folder that holds the most contract modules at their contract
paths; ties go to a folder named ``exercises``, then to the shallowest, then
alphabetically (deterministic). A module not under it is then found by its file
name anywhere (:func:`locate_modules`); the names of the contract are unique.
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .extract import walk_tree

COURSE_PACKAGE = "grader"
"""The netlings package's folder name. The student edition ships it, and its message
catalogue has a file named like every contract module (``grader/messages/suites/wire.py``
…): a student who zips their whole repository must be neither graded on nor warned about
those. A file inside a folder of this name that holds an ``__init__.py`` is never a
candidate, unless it sits at its contract path under the best root."""

def student_id(source: Path) -> str:
    """The student's id from a submission's path: :func:`grader.grade.identity.student_id` of its name.

    One rule for ids, kept in one place (imported when called: ``grader.grade`` imports this package).
    """
    from ..grade.identity import student_id as from_name

    return from_name(Path(source).name)


def find_exercise_root(tree: Path, modules: Sequence[str]) -> Path | None:
    """The folder under ``tree`` holding the most of ``modules`` (``"01_udp/udp_server.py"``), or None.

    Walks with :func:`~grader.sandbox.extract.walk_tree`: no links followed (the tree is
    ours and has none anyway), junk folders such as ``.git`` skipped, bounded depth.
    """
    scan = _scan(Path(tree), modules)
    return None if scan.best is None else Path(tree).joinpath(*scan.best)


@dataclass
class Layout:
    """Where each contract module was found inside an unpacked submission (see :func:`locate_modules`)."""

    tree: Path
    """The unpacked submission."""
    root: Path | None
    """The best root (:func:`find_exercise_root`'s rule), or None when no module sits at its contract path."""
    sources: dict[str, Path] = field(default_factory=dict)
    """Contract module -> the file that is graded as it, in contract order; missing modules are absent."""
    ignored: dict[str, list[Path]] = field(default_factory=dict)
    """Contract module -> the other copies of it (different bytes), not graded; best first."""
    python_files: int = 0
    """``.py`` files outside junk folders: none at all makes the submission empty."""

    @property
    def empty(self) -> bool:
        return self.python_files == 0

    def shown(self, path: Path) -> str:
        """``path`` relative to the submission, with ``/``: what the student sees in their zip."""
        return Path(path).relative_to(self.tree).as_posix()

    @property
    def base(self) -> Path | None:
        """The folder the graded files came from: the best root when every module was at its
        contract path under it, else the deepest folder holding all of them (``tree`` at worst).
        Pre-flight looks there for a stray ``socket.py`` or ``conftest.py``."""
        if not self.sources:
            return None
        if self.root is not None and all(p == self.root / m for m, p in self.sources.items()):
            return self.root
        parents = [p.parent.relative_to(self.tree).parts for p in self.sources.values()]
        common: list[str] = []
        for level in zip(*parents, strict=False):
            if any(part != level[0] for part in level):
                break
            common.append(level[0])
        return self.tree.joinpath(*common)

    @property
    def found_at(self) -> str | None:
        """:attr:`base` relative to the submission (``"."`` at its top), or None when nothing was found."""
        base = self.base
        return None if base is None else (base.relative_to(self.tree).as_posix() or ".")

    def moved(self) -> dict[str, str]:
        """Contract module -> where it was taken from, for the modules not at their contract path
        under :attr:`found_at` (``{"01_udp/udp_server.py": "netlings-main/udp_server.py"}``): what
        feedback can say so the student knows which of their files was graded."""
        base = self.base
        return {m: self.shown(p) for m, p in self.sources.items() if base is None or p != base / m}


def locate_modules(tree: Path, modules: Sequence[str]) -> Layout:
    """Find each contract module by name wherever it sits under ``tree``.

    Why: students zip what they have: the unit folders, the repository, or just the
    eleven files at the top; a complete submission must not score 0 for its layout.
    Each module is taken from, in order of preference: its contract path under the best
    root (:func:`find_exercise_root`'s rule, unchanged), else the shallowest file of that
    name anywhere, ties broken alphabetically by path, so the choice is the same on every
    run and every OS. A file name several modules share (none in today's contract)
    matches only at ``…/<unit>/<name>``, never by name alone; the netlings package's own
    files are never taken (:data:`COURSE_PACKAGE`). Other copies are listed in
    :attr:`Layout.ignored` unless byte-identical to the graded one (ignoring them changes
    nothing). Same bounded walk as everywhere: junk folders (``.git``, ``__MACOSX``,
    venvs …) never count, links are neither followed nor taken.
    """
    tree = Path(tree)
    scan = _scan(tree, modules)
    layout = Layout(tree=tree, root=None if scan.best is None else tree.joinpath(*scan.best),
                    python_files=scan.python_files)
    names = Counter(PurePosixPath(m).name for m in modules)
    for module in modules:
        contract = PurePosixPath(module).parts
        preferred = None if scan.best is None else (*scan.best, *contract)
        candidates = [p for p in scan.seen.get(contract[-1], ())
                      if (names[contract[-1]] == 1 or p[-len(contract):] == contract)
                      and (p == preferred or not _in_course_package(tree, p))]
        if not candidates:
            continue
        candidates.sort(key=lambda p: (p != preferred, len(p), p))
        chosen = tree.joinpath(*candidates[0])
        layout.sources[module] = chosen
        others = [tree.joinpath(*p) for p in candidates[1:]]
        others = [p for p in others if not _same_bytes(p, chosen)]
        if others:
            layout.ignored[module] = others
    return layout


@dataclass
class _Scan:
    seen: dict[str, list[tuple[str, ...]]]
    """Wanted file name -> relative paths of the regular files of that name."""
    best: tuple[str, ...] | None
    python_files: int


def _scan(tree: Path, modules: Sequence[str]) -> _Scan:
    """One walk: where each wanted file name occurs, the best root, how many ``.py`` files there are."""
    by_name: dict[str, list[tuple[str, ...]]] = {}
    for module in modules:
        parts = PurePosixPath(module).parts
        by_name.setdefault(parts[-1], []).append(parts)
    counts: Counter[tuple[str, ...]] = Counter()
    seen: dict[str, list[tuple[str, ...]]] = {}
    python_files = 0
    for rel, _dirs, files in walk_tree(tree):
        for name in sorted(files):
            if name.lower().endswith(".py"):
                python_files += 1
            if name not in by_name or not _regular(tree.joinpath(*rel, name)):
                continue
            here = (*rel, name)
            seen.setdefault(name, []).append(here)
            for parts in by_name[name]:
                if len(here) >= len(parts) and here[-len(parts):] == parts:
                    counts[here[:-len(parts)]] += 1
    best = None
    if counts:
        best = min(counts, key=lambda c: (-counts[c], (c[-1] if c else "") != "exercises", len(c), c))
    return _Scan(seen=seen, best=best, python_files=python_files)


def _in_course_package(tree: Path, rel: tuple[str, ...]) -> bool:
    """Whether ``rel`` lies inside the netlings package (see :data:`COURSE_PACKAGE`)."""
    return any(part == COURSE_PACKAGE and _regular(tree.joinpath(*rel[:i + 1], "__init__.py"))
               for i, part in enumerate(rel[:-1]))


def _regular(path: Path) -> bool:
    """A regular file, not a link (unpacking never makes links; a folder copy skips them too)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def units_of(modules: Sequence[str]) -> list[str]:
    """``["01_udp/udp_server.py", …]`` → ``["01_udp", …]`` in order, once each (for messages)."""
    seen: dict[str, None] = {}
    for module in modules:
        parts = PurePosixPath(module).parts
        if len(parts) > 1:
            seen.setdefault(parts[0], None)
    return list(seen)
