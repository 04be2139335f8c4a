"""The release tests' own leak detector, independent of grader.release.leaks.

Why a detector of our own instead of :mod:`grader.release.leaks`: the test must not
trust the code it checks. This one is deliberately plain: the secret text is read
straight from solutions/, grader/hidden/ and the sample submissions under tests/ and
examples/; a line is distinctive if it is long enough and not in what students see by
design (stubs, visible tests, the grader machinery).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from grader.curriculum.build import build_stub

REPO = Path(__file__).resolve().parents[2]
BEGIN, END, STEP = "### BEGIN SOLUTION", "### END SOLUTION", "# STEP:"
NOT_MACHINERY = ("hidden", "release", "nbgrader/export.py", "nbgrader/extract.py")
"""grader/ folders and files that are not student machinery (their lines are never public by design)."""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _distinctive(line: str) -> bool:
    return len(line) >= 12 and bool(re.search(r"\w", line))


def public_text() -> set[str]:
    """Lines students see by design."""
    public: set[str] = set()
    for solution in (REPO / "solutions").glob("*/*.py"):
        public.update(_lines(build_stub(solution.read_text(encoding="utf-8"), unit=solution.parent.name,
                                        module=solution.stem)))
    for path in _files(REPO / "exercises"):
        if path.name.startswith("test_"):
            public.update(_lines(path.read_text(encoding="utf-8")))
    for path in _files(REPO / "grader"):
        rel = path.relative_to(REPO / "grader").as_posix()
        if not any(rel == item or rel.startswith(item + "/") for item in NOT_MACHINERY):
            public.update(_lines(path.read_text(encoding="utf-8", errors="replace")))
    return public


def secret_text() -> dict[str, dict[str, str]]:
    """Source file (relative) → {distinctive secret line: "file:line"}."""
    public = public_text()
    found: dict[str, dict[str, str]] = {}

    def add(path: Path, numbered: list[tuple[int, str]]) -> None:
        rel = path.relative_to(REPO).as_posix()
        found[rel] = {line: f"{rel}:{n}" for n, line in numbered if _distinctive(line) and line not in public}

    for solution in sorted((REPO / "solutions").glob("*/*.py")):
        inside, numbered = False, []
        for n, line in enumerate(_lines(solution.read_text(encoding="utf-8")), start=1):
            if line in (BEGIN, END):
                inside = line == BEGIN
            elif inside and not line.startswith(STEP):
                numbered.append((n, line))
        add(solution, numbered)
    for path in _files(REPO / "grader" / "hidden"):
        add(path, list(enumerate(_lines(path.read_text(encoding="utf-8")), start=1)))
    for top in ("tests", "examples"):
        for path in _files(REPO / top):
            if path.suffix == ".py" and re.fullmatch(r"\d\d_\w+", path.parent.name):
                text = path.read_text(encoding="utf-8", errors="replace")
                add(path, list(enumerate(_lines(text), start=1)))
    return found


def released_lines(root: Path) -> list[tuple[str, str]]:
    """(relative path, stripped line) of every file under ``root``, JSON strings line by line too."""
    out = []
    for path in _files(root):
        rel = path.relative_to(root).as_posix()
        text = path.read_bytes().decode("utf-8", "replace")
        out += [(rel, line) for line in _lines(text)]
        if path.suffix in (".json", ".ipynb"):
            out += [(rel, line) for string in _strings(json.loads(text)) for line in _lines(string)]
    return out


def _strings(item: object) -> list[str]:
    """Every string inside a JSON value (code kept in JSON is one line with \\n escapes)."""
    if isinstance(item, str):
        return [item]
    if isinstance(item, dict):
        return [s for value in item.values() for s in _strings(value)]
    if isinstance(item, list):
        return [s for value in item for s in _strings(value)]
    return []


def leaks_in(root: Path, secrets: dict[str, dict[str, str]]) -> list[str]:
    every = {line: origin for lines in secrets.values() for line, origin in lines.items()}
    return [f"{rel}: {line!r} (from {every[line]})" for rel, line in released_lines(root) if line in every]
