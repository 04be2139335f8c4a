"""The red team: hostile submissions graded in one batch with honest ones, through the real pipeline.

The issue's promise: each hostile submission gets a clear verdict, no result is forged,
the batch completes, and other students' results are unaffected. One batch (``-j 2``)
holds the reference, a half-done submission, a control with only ``to_bytes`` left as a
TODO, and the hostile ones (see ``hostile/`` and ``redteam_support.py``). It runs the
00_basics suite (hidden and visible) with a short per-test limit, so the hangs cost
seconds, not minutes.

"No forged pass, nobody else affected" is checked against the control: a hostile
``to_bytes`` must pass exactly the tests the control passes (every test that does not
use ``to_bytes``), never one more. Cases that only the sandbox contains (a fork bomb, a
memory hog, a forger that would overwrite files of its own user) run only where the
sandbox can work: as root on Linux.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from redteam_support import (
    FORK_BOMB,
    SECRET_TEXT,
    SUITE,
    THREADS,
    WIRE,
    Built,
    build_class,
    reference,
)

from grader.grade.batch import grade_batch, worker_users
from grader.report.model import BatchResult, Status, SubmissionResult, TestResult
from grader.sandbox.limits import network_isolation, user_drop

SANDBOXED = os.name == "posix" and user_drop("nobody").available and network_isolation()[0]
TEST_TIMEOUT = 8.0  # per test (the messages say "8.0 s"): the 00_basics reference needs well under 1 s
SUBMISSION_TIMEOUT = 120.0
BATCH_BOUND = 240.0  # seconds for the whole class, on a busy 2-core machine
CONTROL = "to_bytes-todo"
MARK = "FORGED-BY-" + "STUDENT"

pytestmark = [
    pytest.mark.skipif(os.name != "posix", reason="the hostile submissions are POSIX programs"),
    pytest.mark.timeout(BATCH_BOUND + 120),  # the module's batch runs in the first test's setup
]


@dataclass
class Graded:
    batch: BatchResult
    out: Path
    base: Path
    built: Built
    seconds: float
    leftovers_before: set[str]

    def get(self, student: str) -> SubmissionResult:
        return self.batch.get(student)


def orphaned_processes() -> set[str]:
    """Processes still sitting in a grading folder that has been removed ("pid cwd")."""
    found = set()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cwd = os.readlink(proc / "cwd")
        except OSError:
            continue
        if "netlings-" in cwd and cwd.endswith("(deleted)"):
            found.add(f"{proc.name} {cwd}")
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Graded:
    base = tmp_path_factory.mktemp("redteam")
    out = base / "out"
    built = build_class(base / "subs", out, sandboxed=SANDBOXED)
    before = orphaned_processes()
    started = time.monotonic()
    batch = grade_batch(list(built.submissions.values()), out, suite=SUITE, jobs=2, progress=False,
                        test_timeout=TEST_TIMEOUT, timeout_per_submission=SUBMISSION_TIMEOUT)
    return Graded(batch, out, base, built, time.monotonic() - started, before)


def passed(result: SubmissionResult) -> set[str]:
    return {t.nodeid for t in result.tests if t.status is Status.PASS}


def lost(result: SubmissionResult) -> list[TestResult]:
    return [t for t in result.tests if t.status not in (Status.PASS, Status.SKIPPED)]


def uses_to_bytes(graded: Graded) -> list[TestResult]:
    """The tests the control fails: the ones that call ``to_bytes``."""
    return lost(graded.get(CONTROL))


def show(tests: list[TestResult]) -> str:
    return "\n".join(f"  {t.nodeid}: {t.status.value}: {t.message[:400]}" for t in tests)


# -- the batch as a whole ------------------------------------------------------------------------


def test_the_batch_completes_in_bounded_time_with_a_row_for_everyone(graded: Graded) -> None:
    assert graded.seconds < BATCH_BOUND, f"the red-team batch took {graded.seconds:.0f} s"
    students = {s.student for s in graded.batch.submissions}
    assert students == set(graded.built.submissions), students ^ set(graded.built.submissions)
    nodeids = {t.nodeid for t in graded.get("reference").tests}
    for result in graded.batch.submissions:
        assert {t.nodeid for t in result.tests} == nodeids, f"{result.student} lacks tests"
        assert (graded.out / result.student / "result.json").is_file(), result.student
    rows = (graded.out / "grades.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + len(students), rows


def test_no_process_of_the_class_is_left_running(graded: Graded) -> None:
    """Escaped children (the fork bomb's, the forger's daemon) die with their namespace:
    no process may still sit in a grading folder that the batch has already removed."""
    left = orphaned_processes() - graded.leftovers_before
    assert not left, f"processes outlived their grading run: {sorted(left)}"


def test_the_control_fails_exactly_the_to_bytes_tests(graded: Graded) -> None:
    failing = uses_to_bytes(graded)
    assert failing, "the control must fail the tests that use to_bytes"
    assert all("to_bytes() is not implemented yet" in t.message for t in failing), show(failing)
    assert all("to_bytes" in t.nodeid for t in failing), show(failing)


def test_reference_and_honest_submissions_get_their_due(graded: Graded) -> None:
    for student in ("reference", "zip-dotdot") + ((THREADS,) if SANDBOXED else ()):
        result = graded.get(student)
        assert result.score == result.max_score > 0, f"{student}:\n{show(lost(result))}"
    half = graded.get("half-done")
    expected = {t.nodeid for t in half.tests if re.search(r"split_address|port_category", t.nodeid)}
    assert {t.nodeid for t in lost(half)} == expected, show(lost(half))
    assert all("is not implemented yet" in t.message for t in lost(half)), show(lost(half))
    assert 0 < half.score < half.max_score


HOSTILE_TO_BYTES = ["loop", "sleep", "os-exit", "sys-exit", "flood", "rigged-config"]
SANDBOX_ONLY = ["memory-hog", "forger", "parasite", FORK_BOMB]


def hostile_students() -> list[str]:
    return HOSTILE_TO_BYTES + (SANDBOX_ONLY if SANDBOXED else [])


@pytest.mark.parametrize("student", hostile_students())
def test_hostile_code_loses_exactly_the_tests_it_breaks(graded: Graded, student: str) -> None:
    """Same passes as the control: nothing forged, and the rest of wire.py still counts."""
    control = passed(graded.get(CONTROL))
    result = graded.get(student)
    forged = passed(result) - control
    assert not forged, f"{student} passed tests that use its hostile to_bytes: {sorted(forged)}"
    missing = control - passed(result)
    assert not missing, (f"{student} lost tests its hostile to_bytes is not used by:\n"
                         + show([t for t in result.tests if t.nodeid in missing]))


def test_monkeypatching_in_the_child_forges_nothing(graded: Graded) -> None:
    """builtins, socket, sys.exit, the harness's own event channel: patched in its process only."""
    result = graded.get("monkeypatch")
    forged = passed(result) - passed(graded.get(CONTROL))
    assert not forged, f"monkeypatching turned these into passes: {sorted(forged)}"
    to_bytes = [t for t in result.tests if t.nodeid in {x.nodeid for x in uses_to_bytes(graded)}]
    assert all(t.status is Status.FAIL for t in to_bytes), show(to_bytes)
    assert any("expected b'hello'" in t.message for t in to_bytes), show(to_bytes)


# -- one clear verdict per hostile submission -------------------------------------------------------


def verdicts(graded: Graded, student: str) -> list[TestResult]:
    result = graded.get(student)
    broken = {t.nodeid for t in uses_to_bytes(graded)}
    return [t for t in result.tests if t.nodeid in broken]


VERDICTS = {
    "loop": (Status.TIMEOUT, "was stopped after 8.0 s, the time limit for one test"),
    "sleep": (Status.TIMEOUT, "was stopped after 8.0 s, the time limit for one test"),
    "os-exit": (Status.FAIL, "ended the process (exit code 0) instead of returning"),
    "sys-exit": (Status.FAIL, "raised SystemExit"),
    "flood": (Status.FAIL, "more bytes of output were dropped"),
    "parasite": (Status.FAIL, "parasite found no classmate's code to run"),
    "rigged-config": (Status.FAIL, "to_bytes() is not implemented yet"),
    "memory-hog": (Status.FAIL, "the memory limit (1 GiB) was exceeded"),
    FORK_BOMB: (Status.FAIL, "the process limit (64) was exceeded"),
    "forger": (Status.FAIL, "forger report:"),
}


@pytest.mark.parametrize("student", hostile_students())
def test_each_hostile_submission_gets_a_clear_verdict(graded: Graded, student: str) -> None:
    status, text = VERDICTS[student]
    tests = verdicts(graded, student)
    wrong = [t for t in tests if t.status is not status or text not in t.message]
    assert not wrong, f"{student}: expected {status.value} saying {text!r}:\n{show(wrong)}"


def test_a_flood_of_output_is_capped(graded: Graded) -> None:
    """100 MB printed per call: 64 KiB kept by the harness, a few KiB shown, the rest counted."""
    for test in verdicts(graded, "flood"):
        dropped = re.search(r"\.\.\. (\d+) more bytes of output were dropped", test.message)
        assert dropped and int(dropped.group(1)) > 90_000_000, test.message[-500:]
        assert len(test.message) < 20_000
    size = (graded.out / "flood" / "result.json").stat().st_size
    assert size < 500_000, f"flood's result.json is {size} bytes"


@pytest.mark.skipif(not SANDBOXED, reason="the forger runs only inside the sandbox")
def test_the_forger_reached_nothing_and_changed_nothing(graded: Graded) -> None:
    for test in verdicts(graded, "forger"):
        report = json.loads(test.message.split("forger report: ", 1)[1].splitlines()[0])
        assert report == {"results": None, "out": [], "foreign_dirs": [], "foreign_results": [],
                          "daemon": True}, report
    for path in graded.out.rglob("*"):
        if path.is_file():
            assert MARK not in path.read_text(encoding="utf-8", errors="replace"), f"{path} was forged"


def test_files_are_checked_before_tests_with_a_problem_that_says_what(graded: Graded) -> None:
    lines = reference().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("def split_address"))
    expected = {
        "syntax-error": ("syntax", f"{WIRE} does not compile: SyntaxError: expected ':' (line {line})"),
        "not-utf8": ("encoding", f"{WIRE} is not valid UTF-8"),
        "missing-wire": ("missing", f"{WIRE} is missing"),
        "nothing": ("not_found", "no exercise folder was found in the submission"),
        "zip-dotdot": ("unsafe_member", "its path points outside the submission"),
        "zip-symlink": ("unsafe_member", "it is a symbolic link, and links are never followed"),
        "folder-symlink": ("unsafe_member", "it is a symbolic link, and links are never followed"),
        "rigged-config": ("ignored", "conftest.py was ignored"),
    }
    for student, (code, text) in expected.items():
        result = graded.get(student)
        assert any(p.code == code and text in p.message for p in result.problems), (
            f"{student}: no {code} problem saying {text!r}: {[(p.code, p.message) for p in result.problems]}")
    shadows = {p.path for p in graded.get("rigged-config").problems if p.code == "shadows_stdlib"}
    assert shadows == {"00_basics/json.py", "00_basics/socket.py"}, shadows


@pytest.mark.parametrize(("student", "text"), [
    ("syntax-error", "Could not import exercises/00_basics/wire.py: SyntaxError"),
    ("not-utf8", "Could not import exercises/00_basics/wire.py: SyntaxError"),
    ("missing-wire", "Could not import exercises/00_basics/wire.py: FileNotFoundError"),
    ("zip-symlink", "Could not import exercises/00_basics/wire.py: FileNotFoundError"),
    ("folder-symlink", "Could not import exercises/00_basics/wire.py: FileNotFoundError"),
    ("nothing", "No test could run: no exercise folder was found"),
])
def test_a_unit_that_cannot_load_scores_zero_with_the_reason(graded: Graded, student: str, text: str) -> None:
    result = graded.get(student)
    assert result.score == 0
    wrong = [t for t in result.tests if text not in t.message]
    assert not wrong, show(wrong)


def test_nothing_escapes_the_submission_and_no_system_file_is_read(graded: Graded) -> None:
    for target in graded.built.escape_targets:
        assert not target.exists(), f"a zip member was written outside its folder: {target}"
    for path in graded.out.rglob("*"):
        if path.is_file():
            assert SECRET_TEXT not in path.read_text(encoding="utf-8", errors="replace"), (
                f"{path} shows the content of a system file a symlink pointed at")


@pytest.mark.skipif(not SANDBOXED, reason="user drop needs root")
def test_parallel_workers_and_parallel_batches_each_get_their_own_users() -> None:
    notices: list[str] = []
    with worker_users(3, notices) as first, worker_users(2, notices) as second:
        assert not notices, notices
        assert len(set(first.users)) == 3 and len(set(second.users)) == 2, (first.users, second.users)
        assert not set(first.users) & set(second.users), "two batches at once must not share a user"
        assert all(user_drop(u).available for u in first.users + second.users)
    with worker_users(3, notices) as again:  # released when a batch ends: ids come back
        assert len(set(again.users)) == 3 and not notices, (again.users, notices)
