"""Pre-flight checks on the contract modules where they were found, before any test runs.

Why: a missing file, a syntax error or a file saved as GBK would otherwise show up as
the same import failure in every test of that exercise; said once, up front, it
reads as what it is. And a ``socket.py`` next to the student's code silently replaces
the standard library in *their* runs: they deserve to know why their code behaved
oddly at home, even though the grader never copies such a file.

* each contract module exists, decodes (UTF-8, or what its coding cookie declares:
  latin-1 with a cookie is valid Python) and compiles. Compiling happens in a
  separate Python process, so a pathological file that crashes or exhausts the
  compiler costs that submission a problem, never the whole batch;
* no file (or package) in the tree has a standard-library module's name;
* the student's own pytest configuration (``conftest.py``, ``pytest.ini``,
  ``pyproject.toml``, ``setup.cfg``, ``tox.ini``) and startup hooks
  (``sitecustomize.py``, ``*.pth``) are reported as ignored: only contract modules
  are ever copied into the clean root, and pytest runs with our own ini.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tokenize
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..messages import msg
from .extract import Problem, problem, walk_tree

IGNORED_FILES = frozenset({
    "conftest.py", "pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini", "setup.py",
    "sitecustomize.py", "usercustomize.py",
})
NOT_SHADOWING = frozenset({
    "test", "this", "antigravity", "__main__", "__future__", "__hello__", "__phello__",
})
"""Stdlib names students use innocently (``test.py``) or that cannot matter."""
MAX_SOURCE_BYTES = 1024 * 1024

_COMPILER = r"""
import json, sys
args = sys.argv[1:]
for path, shown in zip(args[::2], args[1::2]):
    try:
        with open(path, "rb") as f:
            compile(f.read(), shown, "exec", dont_inherit=True)
        out = {"ok": True}
    except SyntaxError as e:
        out = {"ok": False, "error": type(e).__name__ + ": " + str(e.msg), "line": e.lineno,
               "offset": e.offset, "text": e.text}
    except BaseException as e:
        out = {"ok": False, "error": type(e).__name__ + ": " + str(e)[:300], "line": None}
    print(json.dumps(out), flush=True)
"""


def stdlib_names() -> frozenset[str]:
    """Top-level standard-library module names (Python >= 3.10 knows them exactly)."""
    return frozenset(getattr(sys, "stdlib_module_names", ())) - NOT_SHADOWING


@dataclass
class Preflight:
    """The checks' outcome: ``present`` are the contract modules found (they get copied)."""

    present: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def check_encoding(data: bytes, shown: str) -> Problem | None:
    """None if ``data`` decodes as Python source would (cookie or BOM honoured), else the problem."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        # No usable cookie and invalid UTF-8 in the first lines, or an unknown cookie.
        encoding = "utf-8"
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return problem("encoding", "problem_bad_coding", shown, error=exc)
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        name = "UTF-8" if encoding.lower().startswith("utf-8") else encoding
        return problem("encoding", "problem_encoding", shown, encoding=name,
                       byte=f"0x{data[exc.start]:02x}", line=line)
    except LookupError as exc:
        return problem("encoding", "problem_bad_coding", shown, error=exc)
    return None


def compile_files(files: Sequence[tuple[Path, str]], timeout: float = 60.0) -> dict[str, Problem]:
    """Compile ``(path, shown)`` pairs in a child Python; the problems by shown path.

    A child that crashes, or runs out of time, leaves the files it did not report on
    with a "could not be compiled" problem.
    """
    if not files:
        return {}
    args = [item for path, shown in files for item in (str(path), shown)]
    try:
        done = subprocess.run([sys.executable, "-I", "-c", _COMPILER, *args], stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=timeout)
        lines = done.stdout.decode("utf-8", "replace").splitlines()
        crash = f"the compiler stopped (exit code {done.returncode})"
    except subprocess.TimeoutExpired as exc:
        lines = (exc.stdout or b"").decode("utf-8", "replace").splitlines()
        crash = f"compiling took longer than {timeout:.0f} s"
    problems: dict[str, Problem] = {}
    for index, (_path, shown) in enumerate(files):
        try:
            report = json.loads(lines[index])
        except (IndexError, ValueError):
            problems[shown] = problem("syntax", "problem_syntax", shown, error=crash, line="?", text="")
            continue
        if report.get("ok"):
            continue
        text = (report.get("text") or "").rstrip("\n")
        offset = report.get("offset")
        if text and isinstance(offset, int) and offset > 0:
            stripped = text.lstrip()
            caret = " " * max(0, offset - 1 - (len(text) - len(stripped))) + "^"
            text = f"    {stripped}\n    {caret}"
        elif text:
            text = f"    {text.strip()}"
        problems[shown] = problem("syntax", "problem_syntax", shown, error=report.get("error"),
                                  line=report.get("line") or "?", text=text)
    return problems


def _walk(tree: Path) -> list[tuple[str, ...]]:
    """Relative paths of files and folders under ``tree``, sorted (walked by
    :func:`~grader.sandbox.extract.walk_tree`: junk skipped, depth bounded)."""
    found: list[tuple[str, ...]] = []
    for rel, dirs, files in walk_tree(tree):
        found.extend((*rel, d) for d in dirs)
        found.extend((*rel, f) for f in sorted(files))
    return found


def preflight(tree: Path, modules: Sequence[str], found: Mapping[str, Path] | None = None) -> Preflight:
    """Run every check; see the module docstring.

    ``found`` maps each contract module to the file that will be graded as it, wherever
    discovery found it (``"01_udp/udp_server.py" -> …/netlings-main/udp_server.py``);
    a module absent from it is missing. Without ``found``, every module is looked for
    at its contract path under ``tree``. Problems name the module by its contract path,
    the name the student knows from the assignment. ``tree`` is the folder whose other
    files are checked for stdlib shadowing and ignored configuration.
    """
    if found is None:
        found = {module: tree / module for module in modules}
    result = Preflight()
    to_compile: list[tuple[Path, str]] = []
    for module in modules:
        path = found.get(module)
        if path is None or not path.is_file() or path.is_symlink():
            result.problems.append(problem("missing", "problem_missing", module))
            continue
        result.present.append(module)
        with open(path, "rb") as f:
            data = f.read(MAX_SOURCE_BYTES + 1)
        if len(data) > MAX_SOURCE_BYTES:
            result.problems.append(problem("too_large", "problem_file_too_large", module,
                                           limit="1 MiB"))
            continue
        encoding_problem = check_encoding(data, module)
        if encoding_problem is not None:
            result.problems.append(encoding_problem)
            continue
        to_compile.append((path, module))
    compiled = compile_files(to_compile)
    result.problems.extend(compiled[shown] for _path, shown in to_compile if shown in compiled)
    graded = {path for module, path in found.items() if module in result.present}
    result.problems.extend(_tree_problems(tree, graded))
    return result


def _tree_problems(tree: Path, graded: set[Path]) -> list[Problem]:
    """Stdlib shadowing and ignored configuration among the files of ``tree`` not graded."""
    shadowed = stdlib_names()
    problems: list[Problem] = []
    for rel in _walk(tree):
        path = tree.joinpath(*rel)
        if path in graded:
            continue
        shown = "/".join(rel)
        name = rel[-1]
        if name in IGNORED_FILES or name.endswith(".pth"):
            problems.append(problem("ignored", "problem_ignored", shown))
            continue
        stem = name[:-3] if name.endswith(".py") else name
        is_module = name.endswith(".py") or (path.is_dir() and (path / "__init__.py").is_file())
        if is_module and stem in shadowed:
            problems.append(Problem("shadows_stdlib", shown,
                                    msg("problem_shadows_stdlib", path=shown, module=stem)))
    return problems
