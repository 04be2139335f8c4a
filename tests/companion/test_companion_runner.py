"""The pieces under the commands: the test runner, the state file, finding the course, the layout.

The runner tests use a one-exercise demo course whose tests are plain pytest, so a
real pytest process runs in well under a second.
"""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

from companion_support import write_demo_tests

from grader.companion.render import check_result, make_console
from grader.companion.runner import CheckResult, TestOutcome, run_check
from grader.companion.state import State
from grader.companion.workspace import find_workspace


def demo_check(root: Path, **options: object) -> CheckResult:
    workspace = find_workspace(root)
    return run_check(workspace, workspace.exercise("demo"), lang="en", **options)  # type: ignore[arg-type]


# -- the runner -----------------------------------------------------------------------------------


def test_each_test_comes_back_with_its_description_outcome_and_message(demo: Path) -> None:
    write_demo_tests(demo, '''
        import pytest

        def test_answer():
            """answer() returns 42.

            More words that are not the description.
            """
            assert demo.answer() == 42, "answer() should return 42"

        @pytest.mark.parametrize("n", [1, 2])
        def test_numbers(n):
            """A number is positive."""
            assert n > 0

        def test_plain_assert():
            assert 1 == 2, "one is not two"

        def test_fails_with_pytest_fail():
            pytest.fail("told to fail:\\nline two")

        @pytest.fixture
        def broken():
            yield
            raise RuntimeError("teardown broke")

        def test_teardown_error(broken):
            pass
    ''')
    result = demo_check(demo)
    by_name = {t.name: t for t in result.tests}
    assert set(by_name) == {"test_answer", "test_numbers[1]", "test_numbers[2]", "test_plain_assert",
                            "test_fails_with_pytest_fail", "test_teardown_error"}, by_name
    answer = by_name["test_answer"]
    assert answer.outcome == "failed" and answer.description == "answer() returns 42."
    assert "NotImplementedError" in answer.message, "a crash is named with its type"
    assert by_name["test_numbers[2]"].description == "A number is positive. [2]"
    assert by_name["test_numbers[1]"].outcome == "passed"
    assert by_name["test_fails_with_pytest_fail"].message == "told to fail:\nline two", "the test's own words"
    assert by_name["test_plain_assert"].message.startswith("one is not two\nassert 1 == 2"), (
        by_name["test_plain_assert"].message
    )
    teardown = by_name["test_teardown_error"]
    assert teardown.outcome == "error" and "teardown broke" in teardown.message, "teardown errors count"
    assert result.counts == (2, 6) and not result.passed and not result.error
    assert not list((demo / "exercises").rglob("__pycache__")), "no bytecode next to the student's files"


def test_a_test_file_that_does_not_import_is_an_error(demo: Path) -> None:
    write_demo_tests(demo, "def test_broken(:\n    pass\n")
    result = demo_check(demo)
    assert not result.passed and "SyntaxError" in result.error, result


def test_a_hanging_run_is_stopped_at_its_timeout(demo: Path) -> None:
    write_demo_tests(demo, '''
        import threading

        def test_hangs():
            threading.Event().wait()
    ''')
    started = time.monotonic()
    result = demo_check(demo, timeout=1.0)
    assert time.monotonic() - started < 10, "stopped, not waited for"
    assert "did not finish within 1 s" in result.error and not result.passed


# -- progress without any record of the stub ------------------------------------------------------


def test_without_stubs_index_or_solutions_the_first_version_seen_is_the_stub(demo: Path, cli) -> None:
    first = cli()
    assert "· not started" in first.out and "0 done · 0 not yet · 1 not started" in first.out
    source = demo / "exercises" / "00_demo" / "demo.py"
    source.write_text("def answer():\n    return 42\n", encoding="utf-8")
    done = cli("list")
    assert "✓ done" in done.out and "All 1 exercises pass" in done.out, done.out


# -- the state file -------------------------------------------------------------------------------


def test_a_broken_state_file_is_an_empty_state(tmp_path: Path) -> None:
    path = tmp_path / ".netlings" / "state.json"
    path.parent.mkdir()
    path.write_text("{ not json", encoding="utf-8")
    state = State(path)
    assert state.hints_shown("wire") == 0 and state.result("wire", "k") is None
    state.set_hints_shown("wire", 2)
    assert json.loads(path.read_text(encoding="utf-8"))["hints"] == {"wire": 2}, "rewritten whole"


def test_two_writers_do_not_lose_each_others_updates(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    watch_side, hint_side = State(path), State(path)
    watch_side.store_result("wire", {"key": "k1", "exercise": "wire"})
    hint_side.set_hints_shown("udp_server", 1)
    watch_side.store_result("framing", {"key": "k2", "exercise": "framing"})
    assert hint_side.result("wire", "k1") is not None and watch_side.hints_shown("udp_server") == 1
    assert hint_side.result("wire", "other key") is None, "a result is only valid for what it tested"
    assert not list(tmp_path.glob("*.tmp")), "no temporary file left"


# -- finding the course ---------------------------------------------------------------------------


def test_the_course_is_found_from_any_folder_inside_it(course: Path) -> None:
    for start in (course, course / "exercises", course / "exercises" / "01_udp"):
        workspace = find_workspace(start)
        assert workspace.exercises == (course / "exercises").resolve(), start
        assert workspace.state_path == (course / ".netlings" / "state.json").resolve()


# -- layout ---------------------------------------------------------------------------------------


def test_messages_are_printed_as_written_and_verbose_shows_the_transcripts(course: Path) -> None:
    workspace = find_workspace(course)
    long = "\n".join(f"line {n} [bold]not markup[/bold]" for n in range(1, 12))
    result = CheckResult("send", "k", [
        TestOutcome("test_a", "sends one message", "failed", long,
                    [("netlings: what the SMTP server saw", "C: EHLO x\r\nS: 250 ok")]),
        TestOutcome("test_b", "", "passed"),
    ])
    out = io.StringIO()
    check_result(make_console(out), workspace, workspace.exercise("send"), result, "en")
    short = out.getvalue()
    assert " ✗ sends one message" in short and " ✓ b" in short, "no docstring: the name, readable"
    assert "line 1 [bold]not markup[/bold]" in short, "brackets in a message are text, not markup"
    assert "line 6 " in short and "line 7 " not in short and "… 5 more lines" in short
    assert "what the SMTP server saw" not in short
    out = io.StringIO()
    check_result(make_console(out), workspace, workspace.exercise("send"), result, "en", verbose=True)
    full = out.getvalue()
    assert "line 11 " in full and "what the SMTP server saw" in full and "C: EHLO x" in full
