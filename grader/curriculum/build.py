"""Generate the exercise stubs from the reference solutions: ``netlings build [--check]``.

Why generate: the solutions are the single source of truth. A stub is its solution
with every ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` block replaced by the
block's ``# STEP:`` comments (as ``# TODO:``) and a ``raise NotImplementedError``.
Signatures, docstrings and imports stay verbatim, so stubs and solutions cannot
drift apart; ``tests/test_curriculum.py`` fails when the committed stubs differ
from what this module generates.

A solution::

    def to_bytes(text: str) -> bytes:
        ### BEGIN SOLUTION
        # STEP: encode — str.encode("utf-8")
        return text.encode("utf-8")
        ### END SOLUTION

becomes the stub::

    def to_bytes(text: str) -> bytes:
        # TODO: encode — str.encode("utf-8")
        raise NotImplementedError("not implemented yet: 00_basics/wire.py: to_bytes()")

Every stub is also recorded, with its SHA-256, in ``exercises/.stubs.json`` (see
:func:`stubs_index`). Why: the student edition ships without ``solutions/``, yet
``netlings reset`` must restore a stub and ``netlings list`` must tell an untouched
exercise from a started one. One generated file serves both, and ``--check``
keeps it in step with the solutions like the stubs themselves.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from ..messages import msg
from .manifest import REPO_ROOT

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STEP = "# STEP:"
TODO = "# TODO:"
HEADER = (
    "# Exercise stub generated from solutions/{unit}/{module}.py by `netlings build`"
    " — edit freely, this is your file.\n"
)
NOT_IMPLEMENTED = "not implemented yet"
"""Start of every stub's error message: tests and graders recognise an untouched stub by it."""
STUBS_INDEX = ".stubs.json"
"""The generated record of every stub, in ``exercises/`` (hidden: students never edit it)."""
STUBS_INDEX_VERSION = 1

_DEF = re.compile(r"^(?P<indent>[ \t]*)(?:async[ \t]+)?def[ \t]+(?P<name>\w+)")


class StubError(ValueError):
    """A solution file whose markers cannot be turned into a stub (the message gives the line)."""


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _enclosing_function(lines: list[str], index: int, indent: str) -> str | None:
    """Name of the nearest ``def`` above line ``index`` that is less indented than the block."""
    for line in reversed(lines[:index]):
        match = _DEF.match(line)
        if match and len(match["indent"]) < len(indent):
            return match["name"]
    return None


def not_implemented_message(function: str, *, unit: str = "", module: str = "") -> str:
    """The text of a stub's ``NotImplementedError``: says which file and function to write."""
    where = "/".join(part for part in (unit, f"{module}.py" if module else "") if part)
    return f"{NOT_IMPLEMENTED}: {where}: {function}()" if where else f"{NOT_IMPLEMENTED}: {function}()"


def build_stub(source: str, *, unit: str = "", module: str = "") -> str:
    """Turn a solution's source into the student's stub.

    Inside each ``### BEGIN SOLUTION`` / ``### END SOLUTION`` block, every
    ``# STEP: text`` line becomes ``# TODO: text`` at the block's indentation, every
    other line (and both markers) is dropped, and the block ends with
    ``raise NotImplementedError("not implemented yet: <unit>/<module>.py: <function>()")``.
    Everything outside the blocks is kept verbatim. With ``unit`` and ``module``, a
    one-line header comment saying where the stub comes from is put on top.

    Raises:
        StubError: a marker without its partner, nested blocks, a block outside any
            function, or a block without a single ``# STEP:`` comment (a stub must
            tell the student what to do).
    """
    lines = source.splitlines(keepends=True)
    out: list[str] = [HEADER.format(unit=unit, module=module)] if unit and module else []
    block: tuple[int, str, str] | None = None  # (line number of BEGIN, indent, function)
    steps = 0
    for index, line in enumerate(lines):
        marker = line.strip()
        if marker == BEGIN:
            if block is not None:
                raise StubError(f"line {index + 1}: {BEGIN} inside the block opened on line {block[0]}")
            indent = _indent(line)
            function = _enclosing_function(lines, index, indent)
            if function is None:
                raise StubError(f"line {index + 1}: {BEGIN} is not inside a function")
            block, steps = (index + 1, indent, function), 0
        elif marker == END:
            if block is None:
                raise StubError(f"line {index + 1}: {END} without {BEGIN}")
            start, indent, function = block
            if steps == 0:
                raise StubError(f"line {start}: the block of {function}() has no '{STEP}' comment")
            message = not_implemented_message(function, unit=unit, module=module)
            literal = f'"{message}"' if '"' not in message and "\\" not in message else repr(message)
            out.append(f"{indent}raise NotImplementedError({literal})\n")
            block = None
        elif block is not None:
            if marker.startswith(STEP):
                out.append(f"{block[1]}{TODO}{marker[len(STEP):]}\n")
                steps += 1
        else:
            out.append(line)
    if block is not None:
        raise StubError(f"line {block[0]}: {BEGIN} without {END}")
    return "".join(out)


def text_digest(text: str) -> str:
    """SHA-256 of a source text with its line endings made ``\\n``.

    Why normalise: git on Windows may check a stub out with CRLF; it is still the
    untouched stub.
    """
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def stubs_index(stubs: dict[str, str]) -> str:
    """The text of ``exercises/.stubs.json`` for these stubs (relative path -> stub source).

    Format (``format_version = 1``)::

        {"format_version": 1,
         "stubs": {"01_udp/udp_server.py": {"sha256": "<text_digest>", "text": "<the stub>"}}}

    Deterministic (sorted keys, LF line endings), so an unchanged curriculum writes
    byte-identical files and ``--check`` can compare them.
    """
    data = {
        "format_version": STUBS_INDEX_VERSION,
        "generated_by": "netlings build: the stubs as generated, for `netlings reset` and progress",
        "stubs": {
            path: {"sha256": text_digest(text), "text": text} for path, text in sorted(stubs.items())
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def read_stubs_index(exercises_dir: Path | str) -> dict[str, str]:
    """The stubs recorded in ``exercises_dir/.stubs.json`` (relative path -> source); {} if absent.

    Raises:
        ValueError: the file exists but is not a stubs index this version understands.
    """
    path = Path(exercises_dir) / STUBS_INDEX
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    try:
        data = json.loads(raw)
        if data.get("format_version") != STUBS_INDEX_VERSION:
            raise ValueError(f"format_version {data.get('format_version')!r}")
        return {str(k): str(v["text"]) for k, v in data["stubs"].items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{path}: not a stubs index ({exc}); run `netlings build`") from None


def solution_files(solutions_dir: Path) -> list[Path]:
    """The solution modules: ``<unit>/<module>.py`` files that contain a solution block."""
    return [
        path
        for path in sorted(Path(solutions_dir).glob("*/*.py"))
        if BEGIN in path.read_text(encoding="utf-8")
    ]


def build_all(solutions_dir: Path | str, exercises_dir: Path | str, *, check: bool = False) -> list[Path]:
    """Generate the stub of every solution module into ``exercises_dir``.

    Only stubs whose content changes are written (so untouched files keep their
    modification time). ``exercises_dir/.stubs.json`` records every stub
    (:func:`stubs_index`) and is written, or reported, the same way.

    Args:
        solutions_dir: the ``solutions/`` folder.
        exercises_dir: the ``exercises/`` folder (stubs go to the same relative paths).
        check: write nothing; only report.

    Returns:
        The files (stubs, then the index) that were written or, with ``check``, that
        are missing or differ from what would be generated (an empty list means
        "up to date").
    """
    solutions_dir, exercises_dir = Path(solutions_dir), Path(exercises_dir)
    changed = []
    stubs: dict[str, str] = {}
    for solution in solution_files(solutions_dir):
        relative = solution.relative_to(solutions_dir)
        try:
            source = solution.read_text(encoding="utf-8")
            stub = build_stub(source, unit=relative.parent.name, module=solution.stem)
        except StubError as exc:
            raise StubError(f"{solution}: {exc}") from None
        stubs[relative.as_posix()] = stub
        target = exercises_dir / relative
        if _write_if_changed(target, stub, check=check):
            changed.append(target)
    index = exercises_dir / STUBS_INDEX
    if _write_if_changed(index, stubs_index(stubs), check=check):
        changed.append(index)
    return changed


def _write_if_changed(target: Path, text: str, *, check: bool) -> bool:
    """Write ``text`` (LF line endings) unless ``target`` already holds it; True if it differed."""
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return False
    if not check:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8", newline="\n") as f:  # "\n" on Windows too
            f.write(text)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """``netlings build [--check]``: regenerate the stubs, or (``--check``) list the stale ones.

    Returns the exit status: 0 when everything is (now) up to date, 1 when
    ``--check`` found stale stubs, 2 for a broken solution file.
    """
    parser = argparse.ArgumentParser(prog="netlings build", description=main.__doc__)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a stub is stale")
    parser.add_argument("--solutions", type=Path, default=REPO_ROOT / "solutions", help="solutions folder")
    parser.add_argument("--exercises", type=Path, default=REPO_ROOT / "exercises", help="exercises folder")
    args = parser.parse_args(argv)
    try:
        changed = build_all(args.solutions, args.exercises, check=args.check)
    except StubError as exc:
        print(f"netlings build: {exc}", file=sys.stderr)
        return 2
    for path in changed:
        print(msg("build.stale" if args.check else "build.wrote", path=path))
    if args.check and changed:
        print(msg("build.out_of_date"), file=sys.stderr)
        return 1
    if not changed:
        print(msg("build.up_to_date"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
