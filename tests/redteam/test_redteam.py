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

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from ordinary_user import as_ordinary_user, give
from redteam_support import (
    ABSTRACT,
    FORK_BOMB,
    REPO,
    SECRET_TEXT,
    SUITE,
    THREADS,
    WIRE,
    Built,
    build_class,
    reference,
)

from grader.grade.batch import grade_batch, load_result
from grader.report.model import BatchResult, Status, SubmissionResult, TestResult
from grader.report.writers import student_folder
from grader.sandbox.cleanup import remove_tree
from grader.sandbox.limits import network_isolation
from grader.sandbox.users import claim_workers

SANDBOXED = os.name == "posix" and network_isolation()[0]
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
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
    temp_before: set[str]
    abstract_hits: list[bytes]

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


MODES = ["as-is"] + (["as-a-user"] if SANDBOXED and ROOT else [])
"""As root, the class is graded twice: as root (worker users) and as an ordinary user (user
namespaces), the two ways the sandbox works; elsewhere, as whoever runs the tests."""


@pytest.fixture(scope="module", params=MODES)
def graded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Graded]:
    as_user = request.param == "as-a-user"
    # As a user: a folder that user can be given (pytest's own temp tree is root's, 0700).
    base = (Path(tempfile.mkdtemp(prefix="netlings-redteam-")) if as_user
            else tmp_path_factory.mktemp("redteam"))
    out = base / "out"
    built = build_class(base / "subs", out, sandboxed=SANDBOXED)
    before = orphaned_processes()
    temp_before = temp_entries()
    started = time.monotonic()
    with abstract_listener(ABSTRACT) as hits:
        if as_user:
            batch = grade_as_ordinary_user(base, out, list(built.submissions.values()))
        else:
            batch = grade_batch(list(built.submissions.values()), out, suite=SUITE, jobs=2, progress=False,
                                test_timeout=TEST_TIMEOUT, timeout_per_submission=SUBMISSION_TIMEOUT,
                                unsafe_shared_host=not SANDBOXED)
    yield Graded(batch, out, base, built, time.monotonic() - started, before, temp_before, hits)
    if as_user:
        remove_tree(base)


GRADE_SCRIPT = """
import json, sys
from pathlib import Path
from grader.grade.batch import grade_batch, load_result
subs, out, suite, test_timeout, timeout = json.loads(sys.argv[1])
batch = grade_batch([Path(p) for p in subs], Path(out), suite=[Path(p) for p in suite], jobs=2,
                    progress=False, test_timeout=test_timeout, timeout_per_submission=timeout)
print(json.dumps({"duration": batch.duration, "notices": batch.notices, "lang": batch.lang}))
"""


def grade_as_ordinary_user(base: Path, out: Path, submissions: list[Path]) -> BatchResult:
    """The same batch, graded by an ordinary user (see tests/ordinary_user.py), read back from OUT."""
    give(base)
    args = json.dumps([[str(p) for p in submissions], str(out), [str(p) for p in SUITE], TEST_TIMEOUT,
                       SUBMISSION_TIMEOUT])
    env = {**os.environ, "PYTHONPATH": str(REPO), "HOME": str(base)}
    done = subprocess.run(as_ordinary_user([sys.executable, "-c", GRADE_SCRIPT, args]), capture_output=True,
                          text=True, env=env, cwd=base, timeout=BATCH_BOUND + 60)
    assert done.returncode == 0, done.stderr[-3000:]
    info = json.loads(done.stdout.strip().splitlines()[-1])
    results = [load_result(path) for path in sorted((out / "students").glob("*/result.json"))]
    assert all(r is not None for r in results)
    return BatchResult(submissions=[r for r in results if r is not None], out=out, duration=info["duration"],
                       notices=info["notices"], lang=info["lang"])


SHARED_TEMP = ("/tmp", "/var/tmp", "/dev/shm")


def temp_entries() -> set[str]:
    """What lies in the machine's shared temp folders (and ours), to compare before and after."""
    import tempfile

    found = set()
    for folder in {*SHARED_TEMP, tempfile.gettempdir()}:
        with contextlib.suppress(OSError):
            found.update(os.path.join(folder, name) for name in os.listdir(folder))
    return found


@contextlib.contextmanager
def abstract_listener(name: str) -> Iterator[list[bytes]]:
    """An abstract Unix socket in the host's network namespace; yields what connected to it."""
    hits: list[bytes] = []
    if not sys.platform.startswith("linux"):
        yield hits
        return
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind("\0" + name)
    listener.listen(8)
    listener.settimeout(0.2)
    done = threading.Event()

    def accept() -> None:
        while not done.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            hits.append(b"connected")
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield hits
    finally:
        done.set()
        thread.join(5)
        listener.close()


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
    graded_ones = set(graded.built.submissions) - {"nothing"}  # no Python file: listed, not graded
    assert students == graded_ones, students ^ graded_ones
    nodeids = {t.nodeid for t in graded.get("reference").tests}
    for result in graded.batch.submissions:
        assert {t.nodeid for t in result.tests} == nodeids, f"{result.student} lacks tests"
        assert (graded.out / "students" / result.student / "result.json").is_file(), result.student
    rows = (graded.out / "grades.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 2 + len(students), f"the header, the max row, a row per student: {rows}"


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
    complete = ("reference", "zip-dotdot", "grades.csv", "summary.md", "summary.html", "deep")
    for student in complete + ((THREADS,) if SANDBOXED else ()):
        result = graded.get(student)
        assert result.score == result.max_score > 0, f"{student}:\n{show(lost(result))}"
    half = graded.get("half-done")
    expected = {t.nodeid for t in half.tests if re.search(r"split_address|port_category", t.nodeid)}
    assert {t.nodeid for t in lost(half)} == expected, show(lost(half))
    assert all("is not implemented yet" in t.message for t in lost(half)), show(lost(half))
    assert 0 < half.score < half.max_score


HOSTILE_TO_BYTES = ["loop", "sleep", "os-exit", "sys-exit", "flood", "rigged-config", "big-return",
                    "forge-events", "markup"]
SANDBOX_ONLY = ["memory-hog", "forger", "parasite", FORK_BOMB, "leak", "event-flood", "neighbour"]


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
    "leak": (Status.FAIL, "leak report: []"),
    "neighbour": (Status.FAIL, "neighbour report:"),
    "markup": (Status.FAIL, "RuntimeError"),
    "big-return": (Status.FAIL, "96 MiB"),
    "event-flood": (Status.ERROR, ""),
    "forge-events": (Status.ERROR, ""),
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
    size = (graded.out / "students" / "flood" / "result.json").stat().st_size
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


def test_a_submission_without_python_is_reported_not_graded(graded: Graded) -> None:
    """``nothing`` holds one readme: it is listed as an empty submission, with no row and no folder."""
    listed = json.loads((graded.out / "class.json").read_text(encoding="utf-8"))["skipped"]
    assert [(p["code"], p["path"]) for p in listed] == [("empty", "nothing")], listed
    assert not (graded.out / "students" / "nothing").exists()
    assert "nothing" not in {s.student for s in graded.batch.submissions}


@pytest.mark.parametrize(("student", "text"), [
    ("syntax-error", "Could not import exercises/00_basics/wire.py: SyntaxError"),
    ("not-utf8", "Could not import exercises/00_basics/wire.py: SyntaxError"),
    ("missing-wire", "Could not import exercises/00_basics/wire.py: FileNotFoundError"),
    ("zip-symlink", "Could not import exercises/00_basics/wire.py: FileNotFoundError"),
    ("folder-symlink", "Could not import exercises/00_basics/wire.py: FileNotFoundError"),
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


@pytest.mark.skipif(not (SANDBOXED and ROOT), reason="worker users are claimed as root only")
def test_parallel_workers_and_parallel_batches_each_get_their_own_users() -> None:
    with claim_workers(3) as first, claim_workers(2) as second, claim_workers(1) as third:
        users = first.users + second.users + third.users
        assert len(set(users)) == 6 and None not in users, users
    with claim_workers(3) as again:  # released when a batch ends: ids come back
        assert set(again.users) <= set(users), (again.users, users)


# -- what the sandbox keeps out (issue: trustworthy grades) ---------------------------------------------


def everything_students_see(graded: Graded) -> str:
    """Every file a student or the class is shown (result.json keeps the instructor's details)."""
    files = [p for p in graded.out.rglob("*") if p.is_file() and p.name != "result.json"]
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)


@pytest.mark.skipif(not SANDBOXED, reason="the leak is contained by the sandbox only")
def test_no_hidden_test_or_solution_text_reaches_any_report(graded: Graded) -> None:
    """The leak finds nothing to read, and no report holds a line of the hidden suite or the solutions."""
    for test in verdicts(graded, "leak"):
        assert "leak report: []" in test.message, test.message[:2000]
    written = everything_students_see(graded)
    hidden = (REPO / "grader" / "hidden" / "00_basics" / "test_wire_hidden.py").read_text(encoding="utf-8")
    samples = [line.strip() for line in hidden.splitlines() if line.startswith("def test_")]
    samples += ["### BEGIN SOLUTION", "from grader.hidden.support import"]
    assert samples
    found = [s for s in samples if s in written]
    assert not found, f"hidden-suite or solution text in the reports: {found}"


@pytest.mark.skipif(not SANDBOXED, reason="the neighbour runs only inside the sandbox")
def test_the_neighbour_reached_no_one_and_left_nothing(graded: Graded) -> None:
    for test in verdicts(graded, "neighbour"):
        report = json.loads(test.message.split("neighbour report: ", 1)[1].splitlines()[0])
        assert report["sockets"] == [] and report["killed"] == [] and report["squatted"] == [], report
        assert report["out"] == [], report
        assert all(n <= 64 * 1024 * 1024 for n in report["filled"].values()), report
    assert graded.abstract_hits == [], "student code reached an abstract Unix socket of the host"
    left = {p for p in temp_entries() - graded.temp_before
            if "netlings-redteam-squat" in p or "netlings-grade-" in p}
    assert not left, f"left behind in shared temp folders after the batch: {sorted(left)}"


def test_markup_from_student_code_is_never_rendered(graded: Graded) -> None:
    """Rendered as a Markdown viewer would (raw HTML on, every link allowed), or as the HTML it
    is, no tag and no link comes from student text; terminal escapes are gone everywhere."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True})
    md.validateLink = lambda url: True
    folder = student_folder(graded.out, "markup")
    pages = {"summary.md": graded.out / "summary.md", **{p.name: p for p in folder.glob("feedback.*")}}
    assert set(pages) >= {"summary.md", "feedback.md", "feedback.html"}, pages
    for name, path in pages.items():
        text = path.read_text(encoding="utf-8")
        assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text, name
        shown = md.render(text) if name.endswith(".md") else text
        assert "<script" not in shown and "<img" not in shown, f"{name} renders student markup"
        assert 'href="javascript:' not in shown, f"{name} makes a javascript: link of student text"
    assert "alert" in pages["feedback.md"].read_text(encoding="utf-8"), "the message is still shown"


def test_tampering_with_the_event_channel_is_never_a_pass(graded: Graded) -> None:
    for student in ["forge-events"] + (["event-flood"] if SANDBOXED else []):
        tests = verdicts(graded, student)
        assert tests and all(t.status is not Status.PASS for t in tests), show(tests)
