"""Null submissions, built at test time from the stubs: every contract module made of nothing.

A test that gives points to a submission that does nothing hands out free points to
every student (it would have given 2 points to an empty ``04_smtp/send.py``). Three
kinds of nothing, each over every contract module:

* ``empty``: every module is an empty file (no function is defined at all);
* ``none``: every function of the stub, with its signature, returns ``None``;
* ``raise``: every function of the stub, with its signature, raises ``RuntimeError("null")``.

The functions are taken from the stubs (``exercises/<unit>/<module>.py``) with ``ast``,
so a function added to a stub is covered without editing this file. Only the function
definitions are kept: no import, constant or docstring, so nothing of the stub's own
behaviour (its ``NotImplementedError``) is left for a test to recognise.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STUBS = REPO / "exercises"
SOLUTIONS = REPO / "solutions"
CONTRACT = sorted(p.relative_to(SOLUTIONS).as_posix() for p in SOLUTIONS.glob("*/*.py"))
"""Every module a student hands in (as in redteam_support.py), e.g. ``04_smtp/send.py``."""

NULL_KINDS = ("empty", "none", "raise")
"""The null submissions, by the student id they are graded under (``null-<kind>``)."""


def _null_body(kind: str) -> list[ast.stmt]:
    if kind == "none":
        return [ast.Return(value=ast.Constant(value=None))]
    if kind == "raise":
        return [ast.Raise(exc=ast.Call(func=ast.Name(id="RuntimeError", ctx=ast.Load()),
                                       args=[ast.Constant(value="null")], keywords=[]), cause=None)]
    raise ValueError(f"no function bodies for a null submission of kind {kind!r}")


def stub_functions(stub_text: str) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The module-level function definitions of a stub, in order."""
    tree = ast.parse(stub_text)
    return [node for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]


def null_module(stub_text: str, kind: str) -> str:
    """The source of one null module: ``stub_text``'s functions with ``kind`` bodies ('' for empty).

    ``from __future__ import annotations`` keeps the stub's annotations (``socket.socket``,
    ``Message`` ...) unevaluated, so the module imports without the stub's imports.
    """
    if kind == "empty":
        return ""
    functions = []
    for node in stub_functions(stub_text):
        node.body = _null_body(kind)
        node.decorator_list = []
        functions.append(node)
    future = ast.ImportFrom(module="__future__", names=[ast.alias(name="annotations")], level=0)
    module = ast.Module(body=[future, *functions], type_ignores=[])
    return ast.unparse(ast.fix_missing_locations(module)) + "\n"


def null_submission(folder: Path, stubs: Path, contract: list[str], kind: str) -> Path:
    """A student folder under ``folder`` holding a null version of every ``contract`` module."""
    for module in contract:
        target = folder / module
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(null_module((stubs / module).read_text(encoding="utf-8"), kind), encoding="utf-8")
    return folder
