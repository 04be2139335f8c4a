"""Find the instructor's secret text in a folder: solution code, hidden tests, sample submissions.

Why by text and not only by path: a release that leaves out ``solutions/`` and
``grader/hidden/`` can still leak their contents through a solved module left in
``exercises/``, a helper an instructor copied next to a stub, or a new package that
embeds a template. So every *distinctive* line of secret text is looked for in every
released file.

Secret text is

* every line inside a ``### BEGIN SOLUTION`` / ``### END SOLUTION`` block of
  ``solutions/`` (except the ``# STEP:`` comments, which the stubs show as ``# TODO:``);
* every line of ``grader/hidden/``;
* every line of a Python module inside a unit folder (``NN_name/``) under ``tests/`` or
  ``examples/``: the hand-written buggy, correct and sample submissions.

A line is distinctive when, stripped, it is at least :data:`MIN_LENGTH` characters long,
holds a letter or digit, and does not also appear in what is public by design: the
generated stubs, the visible tests and the grader machinery the release ships
(``import pytest`` is in both a hidden and a visible test, and says nothing about
either). The unit READMEs and the manifest are searched like everything else.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STEP = "# STEP:"
MIN_LENGTH = 12
UNIT_DIR = re.compile(r"^\d\d_\w+$")
SUBMISSION_ROOTS = ("tests", "examples")
JUNK_DIRS = frozenset({"__pycache__", ".git", ".pytest_cache", ".ruff_cache", ".mypy_cache", ".venv", "venv"})


@dataclass(frozen=True)
class Leak:
    """One released line that is secret text, and where that text comes from."""

    path: str
    """Relative to the released folder, with ``/``."""
    line: int
    text: str
    origin: str
    """Where the secret text lives in the instructor's checkout (``solutions/01_udp/udp_server.py:42``)."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r} (from {self.origin})"


def read_lines(path: Path) -> list[str]:
    """A file's lines, stripped; undecodable bytes replaced (a binary file yields noise, not an error)."""
    try:
        return [line.strip() for line in path.read_bytes().decode("utf-8", "replace").splitlines()]
    except OSError:
        return []


def files_under(folder: Path) -> list[Path]:
    """Every regular file under ``folder``, sorted, skipping caches and version-control folders."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.rglob("*"):
        rel = path.relative_to(folder).parts
        if any(part in JUNK_DIRS for part in rel[:-1]) or path.suffix in (".pyc", ".pyo"):
            continue
        if path.is_file() and not path.is_symlink():
            found.append(path)
    return sorted(found)


def solution_block_lines(source: str) -> list[tuple[int, str]]:
    """(line number, stripped line) of every line inside a solution block, ``# STEP:`` lines excepted."""
    found, inside = [], False
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw.strip()
        if line == BEGIN:
            inside = True
        elif line == END:
            inside = False
        elif inside and line and not line.startswith(STEP):
            found.append((number, line))
    return found


def distinctive(line: str) -> bool:
    return len(line) >= MIN_LENGTH and any(c.isalnum() for c in line)


def secret_lines(project: Path, public: Iterable[str]) -> dict[str, str]:
    """Distinctive secret line → where it comes from (first place found), for ``project``.

    ``public`` is every (stripped) line that is public by design; see the module docstring.
    """
    project = Path(project)
    allowed = set(public)
    secrets: dict[str, str] = {}

    def add(line: str, origin: str) -> None:
        if line not in allowed and distinctive(line):
            secrets.setdefault(line, origin)

    for solution in sorted((project / "solutions").rglob("*.py")):
        rel = solution.relative_to(project).as_posix()
        text = solution.read_bytes().decode("utf-8", "replace")
        for number, line in solution_block_lines(text):
            add(line, f"{rel}:{number}")
    for hidden in files_under(project / "grader" / "hidden"):
        rel = hidden.relative_to(project).as_posix()
        for number, line in enumerate(read_lines(hidden), start=1):
            add(line, f"{rel}:{number}")
    for top in SUBMISSION_ROOTS:
        for module in files_under(project / top):
            if module.suffix == ".py" and UNIT_DIR.match(module.parent.name):
                rel = module.relative_to(project).as_posix()
                for number, line in enumerate(read_lines(module), start=1):
                    add(line, f"{rel}:{number}")
    return secrets


def json_string_lines(path: Path) -> list[str]:
    """The stripped lines of every string inside a JSON file (a notebook, ``.stubs.json``): code
    stored in JSON sits on one line with ``\\n`` escapes, where a line-by-line search cannot see it."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8", "replace"))
    except (OSError, ValueError):
        return []
    found: list[str] = []
    todo = [data]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            found += [line.strip() for line in item.splitlines()]
        elif isinstance(item, dict):
            todo += list(item.keys()) + list(item.values())
        elif isinstance(item, list):
            todo += item
    return found


def find_leaks(tree: Path, secrets: dict[str, str]) -> list[Leak]:
    """Every line of every file under ``tree`` (and of every string in its JSON files) that is a secret.

    A line found inside a JSON string is reported with line number 0.
    """
    tree = Path(tree)
    leaks = []
    for path in files_under(tree):
        rel = path.relative_to(tree).as_posix()
        for number, line in enumerate(read_lines(path), start=1):
            origin = secrets.get(line)
            if origin is not None:
                leaks.append(Leak(rel, number, line, origin))
        if path.suffix in (".json", ".ipynb"):
            for line in dict.fromkeys(json_string_lines(path)):
                origin = secrets.get(line)
                if origin is not None:
                    leaks.append(Leak(rel, 0, line, origin))
    return leaks


FORBIDDEN: tuple[tuple[str, ...], ...] = (("solutions",), ("tests",), ("examples",), ("grader", "hidden"))
"""Paths (relative to the released folder) that must not exist at all."""


def forbidden_paths(tree: Path, forbidden: Iterable[tuple[str, ...]] = FORBIDDEN) -> list[str]:
    """What must not be in a release: the instructor-only folders, and any symbolic link."""
    tree = Path(tree)
    found = []
    for parts in forbidden:
        if tree.joinpath(*parts).exists():
            found.append("/".join(parts) + "/")
    for path in sorted(tree.rglob("*")):
        if path.is_symlink():
            found.append(f"{path.relative_to(tree).as_posix()} (a symbolic link)")
    return found


def public_lines(files: Iterable[Path], texts: Iterable[str] = (),
                 reader: Callable[[Path], list[str]] = read_lines) -> set[str]:
    """The stripped lines of ``files`` and of ``texts``: the public-by-design baseline."""
    lines: set[str] = set()
    for path in files:
        lines.update(reader(path))
    for text in texts:
        lines.update(line.strip() for line in text.splitlines())
    return lines
