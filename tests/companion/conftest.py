"""Fixtures for the student's companion: a temporary copy of the course, and the CLI run in it.

Why a copy: the companion writes ``.netlings/state.json``, resets files and reads
what the student changed; none of that may touch the repository's own exercises.
The copy has no ``solutions/`` unless a test asks for them, like the student edition.
"""

from __future__ import annotations

import io
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from companion_support import DEMO_MANIFEST, FakeRunner, Run, write_demo_tests

from grader.cli import main
from grader.companion import progress
from grader.curriculum.manifest import REPO_ROOT

IGNORE = shutil.ignore_patterns("__pycache__", ".pytest_cache")


@pytest.fixture(autouse=True)
def english_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts in English whatever the machine's locale, and `--lang` never leaks out."""
    monkeypatch.setenv("NETLINGS_LANG", "en")
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of exercises/ (the student edition has no solutions/); the working directory is its root."""
    root = tmp_path / "netlings"
    shutil.copytree(REPO_ROOT / "exercises", root / "exercises", ignore=IGNORE)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def course_with_solutions(course: Path) -> Path:
    """The instructor's copy: exercises/ and solutions/."""
    shutil.copytree(REPO_ROOT / "solutions", course / "solutions", ignore=IGNORE)
    return course


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """``cli("hint", "wire", stdin="y\\n")``: run ``netlings`` in-process; exit code and plain output."""

    def run(*args: str, stdin: str = "") -> Run:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def fake_runner(monkeypatch: pytest.MonkeyPatch) -> FakeRunner:
    """Replace the real test run (a pytest process) where the test is about the companion's logic."""
    runner = FakeRunner()
    monkeypatch.setattr(progress, "run_check", runner)
    return runner


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A one-exercise course whose tests are plain pytest (no harness): fast runner tests.

    No ``.stubs.json`` and no ``solutions/``: the companion must fall back to the
    first version it sees as "untouched".
    """
    root = tmp_path / "demo"
    unit = root / "exercises" / "00_demo"
    unit.mkdir(parents=True)
    (root / "exercises" / "netlings.toml").write_text(DEMO_MANIFEST, encoding="utf-8")
    (unit / "demo.py").write_text("def answer():\n    raise NotImplementedError\n", encoding="utf-8")
    write_demo_tests(root, '''
        def test_answer():
            """answer() returns 42."""
            assert demo.answer() == 42, "answer() should return 42"
    ''')
    monkeypatch.chdir(root)
    return root


