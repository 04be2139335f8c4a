"""What a notebook's test cell does, on the small 99_demo sample suite (fast, no Jupyter needed).

A cell earns exactly the points of the tests that pass (nbgrader's partial credit), prints
a report that follows the tests' visibility, and never raises or writes to stderr
(nbgrader would give it zero): a missing module, a broken test file and a bad magic line
all end in a message and a number.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import pytest

from grader.curriculum import REPO_ROOT
from grader.nbgrader import kernel
from grader.nbgrader.cells import CODE_DIR, has_code, run_test_cell, save_module

SAMPLE = REPO_ROOT / "tests" / "grade" / "sample_suite" / "99_demo"
REFERENCE = (SAMPLE / "demo.py").read_text(encoding="utf-8")
TESTS = (SAMPLE / "test_demo.py").read_text(encoding="utf-8")
TEST_PATH = "exercises/99_demo/test_demo.py"
POINTS = 7  # add 1, greet 2 x 1, shout 2 (hidden), countdown 1 (after the due date), wait_for_it 1
STUB = 'raise NotImplementedError("not implemented yet")'
HALF = REFERENCE.replace("return list(range(n, 0, -1))", "return [n]").replace('return "done"', STUB)
TESTS_LINE = f"{TEST_PATH} --exercise 99_demo/demo --points {POINTS} --timeout 60"


def run(work: Path, code: str | None, source: str = TESTS) -> Any:
    if code is not None:
        save_module(work / CODE_DIR, "99_demo/demo.py", code)
    return run_test_cell(source, test_path=TEST_PATH, exercise="99_demo/demo", points=POINTS, work=work,
                         timeout=60, sandbox=False, lang="en")


def test_the_reference_earns_every_point_and_the_report_says_so(tmp_path: Path) -> None:
    report = run(tmp_path, REFERENCE)
    assert report.earned == POINTS, report.text
    lines = report.text.splitlines()
    assert lines[0] == "Visible tests for 99_demo/demo.py: 7/7 points (6 of 6 tests passed)", report.text
    assert "  ✓ add() returns the sum of its arguments  [1/1]" in lines
    assert "1 of 1 tests with hidden details passed (2/2 points)" in report.text
    assert "shout() upper-cases" not in report.text, "a hidden test is counted, never described"


def test_partial_credit_is_the_points_of_the_passing_tests(tmp_path: Path) -> None:
    report = run(tmp_path, HALF)
    assert report.earned == POINTS - 2, report.text
    assert "countdown(3) counts down to 1  [0/1]  (details hidden until the due date)" in report.text
    assert "wait_for_it() is not implemented yet" in report.text, "a visible failure shows its message"
    assert run(tmp_path, re.sub(r"return .*", STUB, REFERENCE)).earned == 0.0


def test_a_cells_points_are_its_share_of_the_course_and_its_report_says_them(tmp_path: Path) -> None:
    """The export gives a cell its share of the exercise's weight: the tests' own points scale to it."""
    save_module(tmp_path / CODE_DIR, "99_demo/demo.py", HALF)
    report = run_test_cell(TESTS, test_path=TEST_PATH, exercise="99_demo/demo", points=3.5, work=tmp_path,
                           timeout=60, sandbox=False, lang="en")
    assert report.earned == 2.5, "5 of the tests' 7 points passed: 5/7 of the cell's 3.5"
    lines = report.text.splitlines()
    assert lines[0] == "Visible tests for 99_demo/demo.py: 2.5/3.5 points (4 of 6 tests passed)", report.text
    assert "  ✓ add() returns the sum of its arguments  [0.5/0.5]" in lines, "a test's share, not its raw 1"
    assert "1 of 1 tests with hidden details passed (1/1 points)" in report.text, report.text
    assert "[1/1]" not in report.text, "never a raw test point beside the scaled ones"


def test_a_cell_without_tests_or_without_code_reports_instead_of_raising(tmp_path: Path) -> None:
    released = run(tmp_path, None, "# Hidden tests (7 points): they run when your notebook is graded.\n")
    assert released.earned is None and "run when your notebook is graded" in released.text, \
        "the student's copy of a hidden cell has no tests: no number, so nbgrader's validate passes it"
    missing = run(tmp_path, None)
    assert missing.earned == 0.0
    assert "run the cell that starts with `%%netlings 99_demo/demo.py`" in missing.text
    broken = run(tmp_path, REFERENCE, "def test_x(:\n")
    assert broken.earned == 0.0
    assert "The tests could not start" in broken.text and "SyntaxError" in broken.text
    assert has_code("x = 1\n# y") and not has_code("# only\n\n  # comments\n")


class FakeShell:
    """Just what the extension uses of IPython's shell."""

    def __init__(self) -> None:
        self.magics: dict[str, Any] = {}
        self.ran: list[str] = []

    def register_magic_function(self, func: Any, kind: str, name: str) -> None:
        assert kind == "cell"
        self.magics[name] = func

    def run_cell(self, cell: str, store_history: bool = True) -> None:
        self.ran.append(cell)


def test_magics_save_the_code_run_it_and_never_write_to_stderr(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(kernel, "_work", tmp_path)
    shell = FakeShell()
    kernel.load_ipython_extension(shell)
    assert shell.magics["netlings"]("99_demo/demo.py", REFERENCE) is None
    assert shell.ran == [REFERENCE]
    assert (tmp_path / CODE_DIR / "99_demo" / "demo.py").read_text(encoding="utf-8") == REFERENCE
    assert shell.magics["netlings_tests"](TESTS_LINE, TESTS) == POINTS
    captured = capsys.readouterr()
    assert captured.err == "" and "7/7 points" in captured.out

    shell.magics["netlings"]("../../etc/x.py", "x = 1")
    assert shell.ran == [REFERENCE], "a bad path is neither saved nor run"
    assert shell.magics["netlings_tests"]("exercises/99_demo/test_demo.py --points x", TESTS) == 0.0

    def noisy(*args: Any, **kwargs: Any) -> Any:
        import sys

        print("oops", file=sys.stderr)
        warnings.warn("a warning nbgrader must not see", UserWarning, stacklevel=1)
        return type("R", (), {"earned": 1.0, "text": "ok"})()

    monkeypatch.setattr(kernel, "run_test_cell", noisy)
    assert shell.magics["netlings_tests"](TESTS_LINE, TESTS) == 1.0
    captured = capsys.readouterr()
    assert captured.err == "", "nbgrader gives zero to a cell that wrote to stderr"
    assert "%%netlings" in captured.out and "oops" in captured.out and "must not see" not in captured.out


def test_the_extension_works_in_a_real_ipython_shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    interactiveshell = pytest.importorskip("IPython.core.interactiveshell",
                                           reason="IPython comes with the nbgrader extra")
    monkeypatch.setattr(kernel, "_work", tmp_path)
    shell = interactiveshell.InteractiveShell.instance()
    try:
        assert shell.run_cell("%load_ext grader.nbgrader").success
        assert shell.run_cell(f"%%netlings 99_demo/demo.py\n{REFERENCE}").success
        assert shell.user_ns["add"](2, 3) == 5, "the cell's functions are defined in the notebook too"
        result = shell.run_cell(f"%%netlings_tests {TESTS_LINE}\n{TESTS}")
        assert result.success and result.result == POINTS, "the cell's value is its partial credit"
    finally:
        interactiveshell.InteractiveShell.clear_instance()
