"""The class's problems: a row per student something went wrong for; the table ``netlings grade`` prints."""

from __future__ import annotations

import functools
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from grading_support import SUITE, VARIANTS, fake_prepare, make_submission

from grader.cli import grade as grade_cli
from grader.cli import main
from grader.grade import grade_batch
from grader.messages import msg
from grader.report.model import BatchResult, Identity, Problem, Status, SubmissionResult, TestResult
from grader.report.problems import cell_width, class_problems, render_problems_table


def _test(status: Status, name: str = "test_add") -> TestResult:
    return TestResult(f"t.py::{name}", "99_demo/demo", name, "", status)


def _batch(lang: str = "en") -> BatchResult:
    missing = SubmissionResult("张三", problems=[
        Problem("missing", "01_udp/udp_server.py", "your file 01_udp/udp_server.py is missing\nsecond line"),
        Problem("syntax", "02_tcp/framing.py", "syntax error"),
    ], tests=[_test(Status.FAIL)], identity=Identity("张三.zip"))
    hang = SubmissionResult("bob", notes=[msg("grade.note.timeout", "zh", seconds="300", where="")],
                            tests=[_test(Status.TIMEOUT)], identity=Identity("bob.zip"))
    slow = SubmissionResult("carol", tests=[_test(Status.PASS), _test(Status.TIMEOUT, "test_wait")],
                            identity=Identity("carol"))
    ignored = SubmissionResult("dan", problems=[Problem("ignored", "conftest.py", "ignored: conftest.py"),
                                                Problem("not_on_roster", "", "not on the roster")])
    fine = SubmissionResult("eve", tests=[_test(Status.FAIL), _test(Status.PASS)])
    crash = SubmissionResult("mallory\x1b[2J", problems=[Problem("internal", "", "x" * 300)],
                             identity=Identity("mal\nlory.zip"))
    return BatchResult([missing, hang, slow, ignored, fine, crash], lang=lang,
                       skipped=[Problem("empty", "empty_folder", "empty_folder holds no Python file")],
                       absent={"wang": Identity(name="王五", sis_id="S5")})


def test_every_student_with_a_problem_gets_a_row_of_its_kinds() -> None:
    rows = class_problems(_batch())
    got = {(row.student, row.submission): row.codes for row in rows}
    assert got == {
        ("bob", "bob.zip"): ["timeout"],
        ("carol", "carol"): ["timeout"],
        ("dan", ""): ["not_on_roster", "ignored"],
        ("mallory\x1b[2J", "mal\nlory.zip"): ["grader_error"],
        ("张三", "张三.zip"): ["missing", "syntax"],
        ("", "empty_folder"): ["empty"],
        ("", ""): ["absent"],
    }, "failing tests are no problem (eve); a note in another language is still read"
    assert rows[-1].absent_id == "wang" and rows[-1].detail == "王五 (S5)"
    by_student = {row.student: row for row in rows}
    assert by_student["张三"].kinds == ["missing files", "syntax error"]
    first_line = "your file 01_udp/udp_server.py is missing"
    assert by_student["张三"].detail == first_line, "the first problem's first line"
    assert by_student["carol"].detail == "1 test(s) timed out, first: test_wait"
    assert len(by_student["mallory\x1b[2J"].detail) <= 80


def test_labels_speak_the_batch_language() -> None:
    rows = class_problems(_batch("zh"))
    assert {row.student: row.kinds for row in rows}["张三"] == ["缺少文件", "语法错误"]
    assert class_problems(_batch("zh"), "en")[0].kinds == ["timed out"]


def test_the_table_is_aligned_for_chinese_and_safe_for_a_terminal() -> None:
    text = render_problems_table(class_problems(_batch()), "en")
    lines = text.splitlines()
    assert lines[0] == "Students with problems:"
    assert "\x1b" not in text and "[2J" not in text, "no escape sequence reaches the terminal"
    assert "mallory " in text and "mal lory.zip" in text
    assert len(lines) == 3 + 7, "heading, header, rule and one line a row: a name cannot forge a line"
    column = [cell_width(row[:row.index(kind)]) for row, kind in zip(lines[3:], [
        "timed out", "timed out", "not on roster", "grader error", "missing files", "empty submission",
        "no submission"], strict=True)]
    assert len(set(column)) == 1, f"the kinds column starts at one display width: {column}\n{text}"
    assert render_problems_table([], "en") == ""


def _prepare(source: Path, workdir: Path) -> Any:
    if source.is_dir() and not any(p.suffix == ".py" for p in source.rglob("*")):
        return SimpleNamespace(student="x", root=None, content_hash="",
                               problems=[SimpleNamespace(code="empty", path="", message="nothing")])
    return fake_prepare(source, workdir)


def test_netlings_grade_prints_the_table_after_the_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(grade_cli, "grade_batch", functools.partial(grade_batch, prepare=_prepare))
    klass = tmp_path / "class"
    make_submission(klass, "complete", VARIANTS["complete"])
    make_submission(klass, "syntax", VARIANTS["syntax"])
    (klass / "nothing").mkdir()
    out = tmp_path / "out"
    code = main(["grade", str(klass), "--out", str(out), "--suite", str(SUITE), "--no-progress"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    assert lines[0].startswith("graded 2 submissions"), lines
    assert lines[1] == "Students with problems:", lines
    rows = [row.split()[:4] for row in lines[4:]]
    assert rows == [["syntax", "syntax", "syntax", "error"], ["-", "nothing", "empty", "submission"]], lines
    assert not (out / "students" / "nothing").exists()

    make_submission(tmp_path / "good", "complete", VARIANTS["complete"])
    main(["grade", str(tmp_path / "good" / "complete"), "--out", str(tmp_path / "o2"), "--suite", str(SUITE)])
    assert len(capsys.readouterr().out.splitlines()) == 1, "no problems: the summary line alone"
