"""Helpers for the grading tests: the sample suite, submissions built at test time, a stand-in prepare.

The stand-in ``fake_prepare`` does what the sandbox's ``prepare_submission`` does for the
``99_demo`` contract only (copy the module into a clean root, report a missing file or a
syntax error, hash the content), so these tests exercise the orchestrator without
depending on grader/sandbox/.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

SUITE = Path(__file__).with_name("sample_suite")
MODULE = "99_demo/demo.py"
REFERENCE = (SUITE / MODULE).read_text(encoding="utf-8")
FUNCTIONS = ("add", "greet", "shout", "countdown", "wait_for_it", "bonus")


def stub_of(*done: str) -> str:
    """The reference with every function not in ``done`` replaced by a TODO stub."""
    lines = ['"""99_demo: a sample unit."""', ""]
    for name in FUNCTIONS:
        body = _reference_function(name) if name in done else (
            f"def {name}(*args):\n    # TODO: implement {name}\n"
            f"    raise NotImplementedError('not implemented yet: 99_demo/demo.py: {name}()')\n")
        lines += [body, ""]
    return "\n".join(lines)


def _reference_function(name: str) -> str:
    text = REFERENCE.split(f"def {name}(", 1)[1]
    return f"def {name}(" + text.split("\n\n\n", 1)[0].rstrip() + "\n"


VARIANTS = {
    "complete": REFERENCE,
    "stub": stub_of(),
    "half": stub_of("add", "greet", "shout"),  # 1 + 2 + 2 of 10 points
    "hang": REFERENCE.replace('return "done"', "while True:\n        pass"),
    "syntax": "def add(a, b)\n    return a + b\n",
}


def make_submission(base: Path, student: str, text: str | None) -> Path:
    folder = base / student
    (folder / "99_demo").mkdir(parents=True, exist_ok=True)
    if text is not None:
        (folder / MODULE).write_text(text, encoding="utf-8")
    return folder


def zip_submission(base: Path, name: str, text: str | None) -> Path:
    """``base/<name>.zip`` holding ``<name>/99_demo/demo.py`` (the student id is the zip's stem)."""
    base.mkdir(parents=True, exist_ok=True)
    path = base / f"{name}.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{name}/99_demo/", "")
        if text is not None:
            archive.writestr(f"{name}/{MODULE}", text)
    return path


DEPTH = 1_100
"""Deeper than the recursion limit: ``shutil.rmtree`` (Python <= 3.11) raises RecursionError on it."""

FAILING = {
    "explodes": lambda: RuntimeError("the zip is corrupt"),
    "recursion": lambda: RecursionError("maximum recursion depth exceeded while unpacking"),
    "nomemory": lambda: MemoryError(),
    "exits": lambda: SystemExit(3),
}
"""Submissions whose preparation raises (by folder name), as a hostile zip can make it."""


def _deep_tree(top: Path, depth: int = DEPTH) -> None:
    """A folder nested ``depth`` deep under ``top`` (one open folder at a time: no long path, no chdir)."""
    top.mkdir(parents=True, exist_ok=True)
    fd = os.open(top, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=fd)
            child = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = child
    finally:
        os.close(fd)


def fake_prepare(source: Path, workdir: Path) -> Any:
    """Stand-in for grader.sandbox.prepare_submission, for the 99_demo contract only.

    A ``.zip`` is unpacked first (its stem is the student id, as the real one has it); a
    folder named in :data:`FAILING` raises; one named ``deep`` leaves a tree
    :data:`DEPTH` folders deep in ``workdir`` (POSIX), as unpacking a hostile zip would.
    """
    if source.suffix.lower() == ".zip":
        unpacked = workdir / "unpacked"
        with zipfile.ZipFile(source) as archive:
            archive.extractall(unpacked)
        source = unpacked / source.stem
    if source.name in FAILING:
        raise FAILING[source.name]()
    if source.name == "deep" and os.name == "posix":
        _deep_tree(workdir / "unpacked")
    module = source / MODULE
    if not module.is_file():
        return SimpleNamespace(student=source.name, root=None, content_hash=hashlib.sha256(b"").hexdigest(),
                               problems=[SimpleNamespace(code="missing", path=MODULE,
                                                         message="your file 99_demo/demo.py is missing")])
    data = module.read_bytes()
    root = workdir / "exercises"
    (root / "99_demo").mkdir(parents=True)
    (root / MODULE).write_bytes(data)
    problems = []
    try:
        compile(data, MODULE, "exec")
    except SyntaxError as exc:
        message = f"your file {MODULE} has a syntax error at line {exc.lineno}: {exc.msg}"
        problems.append(SimpleNamespace(code="syntax", path=MODULE, message=message))
    digest = hashlib.sha256(MODULE.encode() + b"\0" + data).hexdigest()
    return SimpleNamespace(student=source.name, root=root, problems=problems, content_hash=digest)


def comparable(result_json: Path) -> dict[str, Any]:
    """A result.json without its timing: what must be identical between runs."""
    data = json.loads(result_json.read_text(encoding="utf-8"))
    data.pop("timing")
    return data
