"""``netlings export canvas|moodle|csv OUT``: the file lands where it says, errors are one sentence."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from grader.cli import main
from grader.report import Status, SubmissionResult, TestResult
from grader.report.atomic import atomic_write_json
from grader.report.model import Identity

STUDENTS = {
    "张三": (Identity("张三.zip", "张三", "2024001", "zhangsan@uni.example", "A"), Status.PASS),
    "mallory": (Identity("mallory.zip", '=HYPERLINK("x")', "", "mallory", "B"), Status.FAIL),
}


def graded_out(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    for student, (identity, status) in STUDENTS.items():
        result = SubmissionResult(student, tests=[TestResult("u.py::t", "01_udp/udp_client", "t", "", status,
                                                             points=3)],
                                  weights={"01_udp/udp_client": 100.0}, identity=identity)
        atomic_write_json(out / "students" / student / "result.json", result.to_dict())
    li = Identity(name="李四", sis_id="2024003")
    atomic_write_json(out / "class.json", {"absent": {"李四": li.to_dict()}})
    return out


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def test_export_canvas_writes_into_out_and_prints_the_path(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = graded_out(tmp_path)
    assert main(["export", "canvas", str(out), "--assignment", "Lab 1 (4242)"]) == 0
    printed = capsys.readouterr().out
    path = out / "export-canvas.csv"
    assert str(path) in printed and "2 students, 1 on the roster without a submission" in printed, printed
    table = rows(path)
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Lab 1 (4242)"]
    assert table[1] == ["    Points Possible", "", "", "", "", "100"]
    assert sorted(table[2:]) == sorted([["张三", "", "2024001", "zhangsan@uni.example", "A", "100"],
                                        ["'=HYPERLINK(\"x\")", "", "", "mallory", "B", "0"],
                                        ["李四", "", "2024003", "", "", ""]])


def test_export_csv_and_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = graded_out(tmp_path)
    target = tmp_path / "elsewhere" / "grades-for-registrar.csv"
    assert main(["export", "csv", str(out), "--output", str(target)]) == 0
    assert str(target) in capsys.readouterr().out and not (out / "export.csv").exists()
    table = rows(target)
    assert table[0][:8] == ["student", "submission", "name", "sis_id", "login_id", "section", "grade",
                            "grade_max"]
    assert [r[0] for r in table[1:]] == ["mallory", "张三", "李四"]


def test_export_moodle_lists_who_is_left_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = graded_out(tmp_path)
    assert main(["export", "moodle", str(out), "--assignment", "Lab 1"]) == 0
    captured = capsys.readouterr()
    assert 'map from "ID number" to "useridnumber"' in captured.out, captured.out
    err = captured.err.splitlines()
    assert len(err) == 2 and "mallory" in err[0] and "李四" in err[1], captured.err
    assert rows(out / "export-moodle.csv") == [
        ["First name", "Last name", "ID number", "Email address", "Lab 1 (Real)"],
        ["张三", "", "2024001", "zhangsan@uni.example", "100"]]


def test_errors_are_one_sentence_in_the_chosen_language(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "canvas", str(tmp_path / "nothing")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a graded folder" in err, err
    (tmp_path / "empty" / "students").mkdir(parents=True)
    assert main(["--lang", "zh", "export", "csv", str(tmp_path / "empty")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "没有可导出的成绩" in err, err

    out = graded_out(tmp_path)
    for student in STUDENTS:  # nobody with an email address
        path = out / "students" / student / "result.json"
        path.write_text(path.read_text(encoding="utf-8").replace("zhangsan@uni.example", "zhangsan"),
                        encoding="utf-8")
    assert main(["export", "moodle", str(out), "--key", "email"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Email address" in err and "--key" in err, err
    assert main(["export", "canvas", str(out), "--output", str(tmp_path)]) == 1, "a folder is no file"
    assert "Cannot write" in capsys.readouterr().err
