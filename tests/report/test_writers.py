"""Writers take only the model: feedback a student can read, sheets an instructor can use, atomically."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from grader.report import BatchResult, Problem, Section, Status, SubmissionResult, TestResult
from grader.report.atomic import atomic_write_text
from grader.report.feedback import render_html, render_markdown
from grader.report.gradescope import to_gradescope
from grader.report.tables import render_grades_csv, render_summary
from grader.report.writers import student_folder, write_batch, write_gradescope, write_submission

GRADESCOPE_VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}


def _t(nodeid: str, status: Status, *, points: float = 1.0, exercise: str = "01_udp/udp_client",
       visibility: str = "visible", message: str = "", sections: list[Section] | None = None) -> TestResult:
    return TestResult(nodeid=nodeid, exercise=exercise, name=nodeid.split("::")[-1],
                      description=f"{nodeid.split('::')[-1]} works", status=status, points=points,
                      visibility=visibility, message=message, sections=sections or [])


def _alice() -> SubmissionResult:
    return SubmissionResult("alice", problems=[Problem("shadows_stdlib", "01_udp/socket.py",
                                                       "01_udp/socket.py shadows the standard library")],
                            tests=[
        _t("u.py::test_ok", Status.PASS, points=2),
        _t("u.py::test_bytes", Status.FAIL, message="sent 'hi' (str), expected b'hi' <bytes> ```fence```",
           sections=[Section("what the UDP server saw", "C: <script>alert(1)</script>\r\n")]),
        _t("u.py::test_later", Status.FAIL, visibility="after_due_date", message="SECRET-LATER"),
        _t("u.py::test_hidden", Status.PASS, visibility="hidden", points=3),
        _t("u.py::test_hidden2", Status.FAIL, visibility="hidden", message="SECRET-HIDDEN"),
        _t("v.py::test_slow", Status.TIMEOUT, exercise="02_tcp/tcp_client", message="took too long"),
        _t("v.py::test_win", Status.SKIPPED, exercise="02_tcp/tcp_client", message="Windows only"),
    ])


def test_markdown_feedback_reads_top_down() -> None:
    text = render_markdown(_alice())
    assert text.startswith("# Feedback for alice\n\n**Score: 5/9**"), text[:60]
    order = [text.index(s) for s in ("Problems found before testing", "## 01\\_udp/udp\\_client: 5/8 points",
                                     "## 02\\_tcp/tcp\\_client: 0/1 points")]
    assert order == sorted(order), "problems first, then exercises in order"
    assert "- ✓ test_ok works (2/2)".replace("_", "\\_") in text, text
    assert "- ✗ test_bytes works (0/1)".replace("_", "\\_") in text, text
    assert "````text" in text, "a message holding ``` gets a longer fence, so it cannot break out"
    assert "what the UDP server saw" in text and "C: <script>" in text, "transcripts shown under the message"
    assert "details hidden until the due date" in text and "SECRET-LATER" not in text
    assert "SECRET-HIDDEN" not in text and "hidden tests: 1 of 2 passed (3/4 points)" in text
    assert "(0/1, timed out)" in text, "a timeout says so"
    assert "not counted, skipped: Windows only" in text, text


def test_html_feedback_escapes_everything() -> None:
    page = render_html(_alice())
    assert "<script>" not in page, "student-controlled text must be escaped"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    expected = "<pre>sent &#x27;hi&#x27; (str), expected b&#x27;hi&#x27; &lt;bytes&gt;"
    assert expected in page, "the message, escaped, in a <pre>"
    assert "SECRET-LATER" not in page and "SECRET-HIDDEN" not in page
    assert page.count("<section>") == 2, "one section per exercise"


def test_feedback_does_not_repeat_a_message_test_after_test() -> None:
    same = "Grading stopped: too slow"
    tests = [_t(f"u.py::t{i}", Status.TIMEOUT, message=same) for i in range(3)]
    result = SubmissionResult("dan", tests=tests)
    text = render_markdown(result)
    assert text.count(same) == 1 and text.count("same message as above") == 2, text


def _batch() -> BatchResult:
    bob = SubmissionResult("bob", tests=[
        _t("u.py::test_ok", Status.FAIL, points=2, message="first line A\nmore"),
        _t("u.py::test_bytes", Status.FAIL, message="B"),
        _t("v.py::test_slow", Status.PASS, exercise="02_tcp/tcp_client"),
    ])
    carol = SubmissionResult("carol", tests=[
        _t("u.py::test_ok", Status.FAIL, points=2, message="first line A\nother"),
        _t("u.py::test_bytes", Status.FAIL, message="C"),
        _t("v.py::test_slow", Status.ERROR, exercise="02_tcp/tcp_client", message="D"),
    ])
    return BatchResult(submissions=[_alice(), bob, carol])


def test_grades_csv() -> None:
    rows = list(csv.reader(render_grades_csv(_batch()).splitlines()))
    assert rows == [  # no weights: each exercise counts its raw points (weights: test_tables.py)
        ["student", "submission", "name", "sis_id", "section", "01_udp/udp_client", "02_tcp/tcp_client",
         "total", "max"],
        ["max", "", "", "", "", "8", "1", "9", "9"],
        ["alice", "alice", "", "", "", "5", "0", "5", "9"],
        ["bob", "bob", "", "", "", "0", "1", "1", "4"],
        ["carol", "carol", "", "", "", "0", "0", "0", "4"],
    ], rows


def test_summary_lists_the_most_failed_tests_and_their_common_first_lines() -> None:
    text = render_summary(_batch())
    lines = text.splitlines()
    rows = [line for line in lines if line.startswith("| ") and "`" in line]
    assert "`u.py::test_bytes`" in rows[0] and "| 3/3 |" in rows[0], f"most failed first: {rows[0]}"
    ok_row = next(r for r in rows if "`u.py::test_ok`" in r)
    assert "| 2/3 |" in ok_row and "2× first line A" in ok_row, "messages grouped by their first line"
    bytes_row = rows[0]
    assert bytes_row.count("× ") == 3, "at most three messages"
    assert "3 submissions; mean score 2.00/9" in text, text
    alice = next((line for line in lines if line.startswith("- alice: ")), "")
    assert "01\\_udp/socket.py shadows the standard library" in alice, f"alice's problems listed: {text}"


def test_gradescope_document_follows_the_spec() -> None:
    document = to_gradescope(_alice(), execution_time=12.6)
    assert isinstance(document["score"], float) and document["score"] == 5.0
    assert document["execution_time"] == 13 and document["stdout_visibility"] == "hidden"
    assert "shadows the standard library" in document["output"], "pre-flight problems in the overall output"
    tests = document["tests"]
    assert len(tests) == 6, "the skipped test is left out"
    for entry in tests:
        assert {"name", "number", "score", "max_score", "status", "output", "visibility"} <= set(entry), entry
        assert entry["status"] in ("passed", "failed") and entry["visibility"] in GRADESCOPE_VISIBILITY
        assert 0 <= entry["score"] <= entry["max_score"], entry
    numbers = [t["number"] for t in tests]
    assert numbers[:5] == ["1.1", "1.2", "1.3", "1.4", "1.5"] and numbers[5] == "2.1", numbers
    failed = next(t for t in tests if t["name"].endswith("test_bytes works"))
    assert "sent 'hi'" in failed["output"] and "C: <script>" in failed["output"], "message and transcript"
    assert next(t for t in tests if t["name"].endswith("test_hidden works"))["visibility"] == "hidden"
    assert sum(t["score"] for t in tests) == document["score"]


def test_writers_put_every_file_in_place(tmp_path: Path) -> None:
    batch = _batch()
    for submission in batch.submissions:
        write_submission(submission, student_folder(tmp_path, submission.student))
    write_batch(batch, tmp_path)
    write_gradescope(batch.submissions[0], tmp_path / "gs" / "results.json")
    assert json.loads((tmp_path / "students" / "alice" / "result.json").read_text())["score"] == 5
    assert (tmp_path / "grades.csv").is_file() and (tmp_path / "summary.md").is_file()
    assert (tmp_path / "summary.html").is_file() and (tmp_path / "class.json").is_file()
    assert json.loads((tmp_path / "gs" / "results.json").read_text())["tests"]
    assert not [p for p in tmp_path.rglob(".*")], "no temporary file left"


def test_an_interrupted_write_leaves_the_old_file_whole(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "result.json"
    atomic_write_text(target, "old complete content\n")

    def crash(src: str, dst: str) -> None:
        raise KeyboardInterrupt  # as if Ctrl-C came between the write and the rename

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_text(target, "new content that never lands\n")
    monkeypatch.undo()
    assert target.read_text() == "old complete content\n", "readers see the old file, never half a new one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.json"], "the temporary file is removed"


def test_feedback_shows_a_repeated_traceback_once_and_no_empty_transcript() -> None:
    """One mistake fails several tests with the same traceback and hint, only the call differing."""
    rest = "\n\nYour traceback:\n  line 37: sock.sendto(text, addr)\nTypeError: a bytes-like object is needed"
    empty = Section("what the UDP server saw", "-- udp: no connections")
    tests = [_t(f"u.py::t{i}", Status.FAIL, message=f"udp_request('x{i}') raised TypeError{rest}",
                sections=[empty]) for i in range(3)]
    text = render_markdown(SubmissionResult("erin", tests=tests))
    assert text.count("Your traceback:") == 1 and text.count("details as above") == 2, text
    assert all(f"udp_request('x{i}') raised TypeError" in text for i in range(3)), "each call is shown"
    assert "no connections" not in text and "what the UDP server saw" not in text, text
    assert "\n\n\n" not in text, "no double blank lines"


def test_summary_groups_one_mistake_whatever_the_ports_and_addresses() -> None:
    def student(name: str, port: int, address: str) -> SubmissionResult:
        message = (f"send_email(<email.message.EmailMessage object at {address}>, '127.0.0.1', {port}) "
                   "raised SMTPRecipientsRefused\nmore")
        return SubmissionResult(name, tests=[_t("u.py::test_send", Status.FAIL, message=message)])

    batch = BatchResult(submissions=[student("a", 40983, "0x7f63a9ca05d0"),
                                     student("b", 51383, "0x7f00aa11bb22")])
    row = next(line for line in render_summary(batch).splitlines() if "`u.py::test_send`" in line)
    expected = ("2× send\\_email\\(&lt;email.message.EmailMessage object at 0x…&gt;, '127.0.0.1', "
                "&lt;port&gt;\\) raised")
    assert expected in row, row
