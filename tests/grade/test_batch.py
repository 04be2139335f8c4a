"""grade_batch over the sample suite: every kind of submission gets a verdict, the batch always completes."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from grading_support import SUITE, VARIANTS, comparable, fake_prepare, make_submission

from grader.grade import SuiteError, grade_batch
from grader.grade.batch import load_result
from grader.grade.runner import descendants, suite_hash
from grader.report import BatchResult, Status

HANG_LIMIT = 4.0
STUDENTS = ["complete", "empty", "explodes", "half", "hang", "stub", "syntax"]


def _grade(subs: list[Path], out: Path, **options) -> BatchResult:
    options.setdefault("timeout_per_submission", HANG_LIMIT)
    options.setdefault("test_timeout", 30)
    return grade_batch(subs, out, suite=[SUITE], prepare=fake_prepare, progress=False, **options)


@pytest.fixture(scope="module")
def submissions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("submissions")
    subs = {name: make_submission(base, name, text) for name, text in VARIANTS.items()}
    subs["empty"] = make_submission(base, "empty", None)  # no module at all: no pytest run
    subs["explodes"] = make_submission(base, "explodes", VARIANTS["complete"])  # prepare raises
    return subs


RUNNING_BEFORE: set[int] = set()
"""This process's children before the module's batch: those of earlier tests in the same session
(tests/harness leaves its fork server's zygote for the process's lifetime) are not the batch's."""


def _ours() -> set[int]:
    return set(descendants(os.getpid())) if os.name == "posix" else set()


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory, submissions: dict[str, Path]) -> BatchResult:
    out = tmp_path_factory.mktemp("out")
    RUNNING_BEFORE.update(_ours())
    return _grade(list(submissions.values()), out, jobs=2)


def test_each_kind_of_submission_gets_its_score(graded: BatchResult) -> None:
    scores = {s.student: (s.score, s.max_score) for s in graded.submissions}
    assert sorted(scores) == STUDENTS, f"one result per student: {sorted(scores)}"
    assert scores["complete"] == (10, 10), f"the reference must get full marks: {scores['complete']}"
    assert scores["half"] == (5, 10), f"add+greet+shout is half: {scores['half']}"
    for student in ("stub", "hang", "syntax", "empty", "explodes"):
        assert scores[student] == (0, 10), f"{student} must score 0 of the same 10: {scores[student]}"


def test_a_hang_stops_at_the_submission_limit_and_names_it(graded: BatchResult) -> None:
    hang = graded.get("hang")
    counted = [t for t in hang.tests if t.status is not Status.SKIPPED]
    assert {t.status for t in counted} == {Status.TIMEOUT}, [(t.nodeid, t.status) for t in counted]
    message = counted[0].message
    assert f"{HANG_LIMIT:g} s" in message and "limit for one submission" in message, message
    assert "test_wait_for_it" in message, f"the message should name the test that was running: {message}"
    assert hang.notes and "stopped after" in hang.notes[0], hang.notes


def test_no_process_is_left_behind(graded: BatchResult) -> None:
    if os.name != "posix":
        pytest.skip("descendants are listed on POSIX only")
    left = sorted(_ours() - RUNNING_BEFORE)
    assert not left, f"processes left running after the batch (the hang's student child?): {left}"


def test_pre_flight_problems_are_kept_and_shown_first(graded: BatchResult) -> None:
    syntax = graded.get("syntax")
    assert [p.code for p in syntax.problems] == ["syntax"], syntax.problems
    add = next(t for t in syntax.tests if t.name == "test_add")
    assert add.status is Status.FAIL and "SyntaxError" in add.message, add.message
    assert "<scratch>" not in add.message and "netlings-grade-" not in add.message, \
        f"scratch paths must be replaced by stable names: {add.message}"
    feedback = (graded.out / "students" / "syntax" / "feedback.md").read_text(encoding="utf-8")
    assert feedback.index("Problems found before testing") < feedback.index("## 99\\_demo"), feedback
    assert "syntax error at line 1" in feedback, feedback

    empty = graded.get("empty")
    assert [p.code for p in empty.problems] == ["missing"], empty.problems
    assert all(t.status in (Status.ERROR, Status.SKIPPED) for t in empty.tests)
    assert "No test could run: your file 99_demo/demo.py is missing" in empty.tests[0].message, \
        empty.tests[0].message

    explodes = graded.get("explodes")
    assert explodes.problems[0].code == "internal" and "corrupt" in explodes.problems[0].message


def test_every_student_has_every_test_with_the_same_metadata(graded: BatchResult) -> None:
    reference = [(t.nodeid, t.exercise, t.points, t.visibility) for t in graded.get("complete").tests]
    for submission in graded.submissions:
        got = [(t.nodeid, t.exercise, t.points, t.visibility) for t in submission.tests]
        assert got == reference, f"{submission.student}'s tests differ from the suite's"
    exercises = {nodeid.split("::")[1].split("[")[0]: ex for nodeid, ex, _, _ in reference}
    assert exercises["test_add"] == "99_demo/demo", "exercise id from the file's folder and name"
    assert exercises["test_bonus"] == "99_demo/bonus", "exercise id from the exercise marker"
    skipped = [t for t in graded.get("complete").tests if t.status is Status.SKIPPED]
    assert [t.name for t in skipped] == ["test_never_applies"], "a skipif test is skipped and not counted"


def test_files_are_complete_and_no_temporary_file_is_left(graded: BatchResult) -> None:
    out = graded.out
    assert sorted(p.name for p in out.iterdir()) == ["class.json", "grades.csv", "students", "summary.html",
                                                      "summary.md"]
    assert sorted(p.name for p in (out / "students").iterdir()) == STUDENTS
    for student in STUDENTS:
        names = sorted(p.name for p in (out / "students" / student).iterdir())
        assert names == ["feedback.html", "feedback.md", "result.json"], f"{student}: {names}"
        again = load_result(out / "students" / student / "result.json")
        assert again is not None and again.to_dict() == graded.get(student).to_dict(), \
            f"{student}'s result.json must read back to the same result"
    leftovers = [p for p in out.rglob("*") if p.name.startswith(".") or p.name.endswith(".tmp")]
    assert not leftovers, f"temporary files left behind: {leftovers}"


def test_grades_csv_has_a_column_per_exercise(graded: BatchResult) -> None:
    rows = list(csv.reader((graded.out / "grades.csv").read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["student", "submission", "name", "sis_id", "section", "99_demo/bonus", "99_demo/demo",
                       "total", "max"], rows[0]
    assert rows[1] == ["max", "", "", "", "", "3", "7", "10", "10"], "the max row comes first"
    by_student = {row[0]: row[5:] for row in rows[2:]}
    assert list(by_student) == STUDENTS, "one row per student, sorted"
    assert by_student["complete"] == ["3", "7", "10", "10"], by_student["complete"]
    assert by_student["half"] == ["0", "5", "5", "10"], by_student["half"]


def test_summary_counts_failures_and_common_messages(graded: BatchResult) -> None:
    summary = (graded.out / "summary.md").read_text(encoding="utf-8")
    add_row = next(line for line in summary.splitlines() if "::test_add`" in line)
    assert "| 3/7 | 2 |" in add_row, f"fails: hang, syntax, explodes; not started: stub, empty: {add_row}"
    assert add_row.count("× ") == 3, f"the three most common messages: {add_row}"
    bonus_row = next(line for line in summary.splitlines() if "::test_bonus`" in line)
    assert "| 4/7 | 2 |" in bonus_row, bonus_row
    assert "## Submissions with problems" in summary and "- syntax:" in summary, summary


def test_feedback_respects_visibility(graded: BatchResult) -> None:
    feedback = (graded.out / "students" / "stub" / "feedback.md").read_text(encoding="utf-8")
    assert "countdown(3) counts down to 1 (0/1, details hidden until the due date)" in feedback, feedback
    assert "countdown(3) raised" not in feedback, "an after_due_date test's message must not show"
    assert "shout()" not in feedback, "a hidden test is not listed by name"
    assert "hidden tests: 0 of 1 passed (0/2 points)" in feedback, feedback
    html = (graded.out / "students" / "stub" / "feedback.html").read_text(encoding="utf-8")
    assert "<pre>add() is not implemented yet" in html, "each message in a <pre>"


def test_resume_keeps_unchanged_results_and_regrades_changes(
        graded: BatchResult, submissions: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(graded.out, out)
    before = {s: (out / "students" / s / "result.json").stat().st_mtime_ns for s in STUDENTS}
    changed = make_submission(tmp_path / "new", "half", VARIANTS["complete"])  # same student, new content
    subs = [p for name, p in submissions.items() if name != "half"] + [changed]
    batch = _grade(subs, out, jobs=2)
    assert "half" not in batch.reused and batch.get("half").score == 10, "a changed submission is re-graded"
    assert "explodes" not in batch.reused, "a submission that could not be prepared is retried"
    kept = sorted(set(STUDENTS) - {"half", "explodes"})
    assert batch.reused == kept, f"unchanged submissions must be kept: {batch.reused}"
    for student in kept:
        assert (out / "students" / student / "result.json").stat().st_mtime_ns == before[student], \
            f"{student} rewritten"
    rows = (out / "grades.csv").read_text(encoding="utf-8")
    assert "\nhalf,half,,,,3,7,10,10\n" in rows, f"grades.csv includes the new result: {rows}"


def test_force_regrades_and_gives_the_same_result(graded: BatchResult, submissions: dict[str, Path],
                                                  tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(graded.out, out)
    batch = _grade([submissions["complete"]], out, force=True)
    assert batch.reused == [], "--force re-grades everything"
    assert comparable(out / "students" / "complete" / "result.json") == \
        comparable(graded.out / "students" / "complete" / "result.json")


def test_parallel_and_serial_runs_give_identical_results(
        graded: BatchResult, submissions: dict[str, Path], tmp_path: Path) -> None:
    names = ["complete", "half", "syntax"]
    batch = _grade([submissions[n] for n in names], tmp_path / "serial", jobs=1)
    for name in names:
        serial = batch.out / "students" / name / "result.json"
        parallel = graded.out / "students" / name / "result.json"
        assert comparable(serial) == comparable(parallel), \
            f"{name}: -j 1 and -j 2 must give the same result.json (timing aside)"


def test_a_broken_suite_stops_the_batch_with_a_clear_error(tmp_path: Path) -> None:
    suite = tmp_path / "suite" / "99_demo"
    suite.mkdir(parents=True)
    (suite / "test_demo.py").write_text("def test_x(:\n    pass\n", encoding="utf-8")
    with pytest.raises(SuiteError, match="does not collect"):
        grade_batch([tmp_path], tmp_path / "out", suite=[suite.parent], prepare=fake_prepare, progress=False)
    with pytest.raises(SuiteError, match="not found"):
        grade_batch([tmp_path], tmp_path / "out", suite=[tmp_path / "nope"], prepare=fake_prepare)


def test_the_suite_hash_follows_the_suite_files(tmp_path: Path) -> None:
    suite = tmp_path / "suite"
    shutil.copytree(SUITE, suite)
    first = suite_hash([suite])
    assert suite_hash([suite]) == first, "the same files give the same hash"
    (suite / "99_demo" / "test_demo.py").write_text("# changed\n", encoding="utf-8")
    assert suite_hash([suite]) != first, "a changed test file changes the hash (so resume re-grades)"


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT to this process")
def test_ctrl_c_stops_the_batch_kills_its_processes_and_keeps_no_verdict(tmp_path: Path) -> None:
    subs = [make_submission(tmp_path / "subs", f"h{i}", VARIANTS["hang"]) for i in range(2)]
    before = _ours()
    timer = threading.Timer(2.5, os.kill, (os.getpid(), signal.SIGINT))
    started = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            _grade(subs, tmp_path / "out", jobs=2, timeout_per_submission=30)
    finally:
        timer.cancel()
    assert time.monotonic() - started < 15, "Ctrl-C must stop the batch at once, not at the 30 s limit"
    assert not _ours() - before, "no pytest or student process may outlive the batch"
    assert not list((tmp_path / "out").rglob("result.json")), "an interrupted run is not a verdict to keep"


FORGER = """
import json, subprocess, sys
cmd = sys.argv[1:]
subprocess.run(cmd, close_fds=False)  # the real pytest run (it inherits the key's pipe)
path = cmd[cmd.index("--netlings-results") + 1]
document = json.load(open(path))
for test in document["tests"]:
    test["status"] = "pass"  # what a student running as the same user could try
json.dump(document, open(path, "w"))
"""


@pytest.mark.skipif(os.name != "posix", reason="the signing key travels through an inherited pipe")
def test_a_results_file_changed_after_pytest_wrote_it_is_not_believed(
        submissions: dict[str, Path], tmp_path: Path) -> None:
    def forging_wrap(cmd: list[str]) -> list[str]:
        return [sys.executable, "-c", FORGER, *cmd]

    batch = _grade([submissions["stub"]], tmp_path / "out", wrap=forging_wrap, sandbox_env={})
    stub = batch.get("stub")
    assert stub.score == 0, "a forged all-pass file must not score"
    assert all(t.status in (Status.ERROR, Status.SKIPPED) for t in stub.tests), [t.status for t in stub.tests]
    assert "results were forged" in stub.notes[0], stub.notes
