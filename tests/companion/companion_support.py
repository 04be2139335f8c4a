"""Helpers for the companion's tests (imported by conftest.py and the test modules)."""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

from grader.companion.runner import CheckResult, TestOutcome, cache_key
from grader.companion.workspace import Workspace
from grader.curriculum.manifest import REPO_ROOT, Exercise


@dataclass
class Run:
    code: int
    out: str
    err: str


def solve(root: Path, exercise_path: str) -> None:
    """Copy the reference solution of ``exercise_path`` over the student's file."""
    shutil.copyfile(REPO_ROOT / "solutions" / exercise_path, root / "exercises" / exercise_path)


class FakeRunner:
    """Stands in for the pytest process: records what it was asked to run; passes the listed ids."""

    def __init__(self, passing: set[str] = frozenset()) -> None:
        self.passing = set(passing)
        self.ran: list[str] = []

    def __call__(self, workspace: Workspace, exercise: Exercise, *, lang: str) -> CheckResult:
        self.ran.append(exercise.id)
        ok = exercise.id in self.passing
        tests = [TestOutcome("test_one", "the one test", "passed" if ok else "failed",
                             "" if ok else "expected b'x', got b'y'")]
        return CheckResult(exercise.id, cache_key(workspace, exercise), tests)


DEMO_MANIFEST = textwrap.dedent('''\
    format_version = 1

    [[units]]
    id = "00_demo"
    title = "Demo"
    title_zh = "演示"

    [[units.exercises]]
    id = "demo"
    path = "00_demo/demo.py"
    title = "A demo"
    title_zh = "演示练习"
    functions = ["answer"]
    points = 1
    hints = ["nudge", "concept", "api"]
    hints_zh = ["提示", "概念", "接口"]
''')


def write_demo_tests(root: Path, body: str) -> None:
    header = textwrap.dedent('''\
        import importlib.util
        import pathlib

        _spec = importlib.util.spec_from_file_location("demo", pathlib.Path(__file__).with_name("demo.py"))
        demo = importlib.util.module_from_spec(_spec)
        _spec.loader.exec_module(demo)
    ''')
    path = root / "exercises" / "00_demo" / "test_demo.py"
    path.write_text(header + textwrap.dedent(body), encoding="utf-8")
