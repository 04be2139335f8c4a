"""Regrade history: the replaced result.json is kept, numbered and bounded; changed grades are found."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from grader.report import BatchResult, Status, SubmissionResult, TestResult
from grader.report.history import KEEP, changes, entries, history_folder, previous_grade
from grader.report.writers import RESULT_NAME, student_folder, write_submission

WEIGHTS = {"01_udp/udp_server": 100.0}


def _result(student: str, passed: int, of: int = 4) -> SubmissionResult:
    tests = [TestResult(nodeid=f"u.py::t{i}", exercise="01_udp/udp_server", name=f"t{i}", description=f"t{i}",
                        status=Status.PASS if i < passed else Status.FAIL) for i in range(of)]
    return SubmissionResult(student, tests=tests, weights=dict(WEIGHTS))


def test_a_second_write_archives_the_first(tmp_path: Path) -> None:
    folder = student_folder(tmp_path, "张三")
    write_submission(_result("张三", 1), folder)
    assert not history_folder(folder).exists() and previous_grade(folder) is None, "nothing replaced yet"
    first = (folder / RESULT_NAME).read_bytes()
    write_submission(_result("张三", 3), folder)
    (archived,) = entries(folder)
    assert archived.name == "0001.json" and archived.read_bytes() == first, "the replaced result, verbatim"
    assert previous_grade(folder) == 25.0, "1 of 4 tests of an exercise worth 100"
    assert json.loads((folder / RESULT_NAME).read_text(encoding="utf-8"))["grade"] == 75.0
    assert not [p for p in folder.rglob(".*")], "no temporary file left"


def test_history_is_bounded_and_numbered_in_order(tmp_path: Path) -> None:
    folder = student_folder(tmp_path, "alice")
    for passed in [0, 1, 2, 3, 4] * 6:  # 30 writes: 29 archived, the newest KEEP kept
        write_submission(_result("alice", passed), folder)
    kept = entries(folder)
    assert len(kept) == KEEP == 20, [p.name for p in kept]
    assert [p.name for p in kept][:2] == ["0010.json", "0011.json"] and kept[-1].name == "0029.json"
    assert previous_grade(folder) == 75.0, "the newest entry: the result the last write replaced (3 of 4)"


def test_changes_are_the_students_graded_now_whose_grade_moved(tmp_path: Path) -> None:
    before = {"up": 1, "down": 4, "same": 2, "kept": 0}
    for student, passed in before.items():
        write_submission(_result(student, passed), student_folder(tmp_path, student))
    now = [_result("up", 3), _result("down", 2), _result("same", 2), _result("kept", 4), _result("new", 1)]
    for result in now:
        if result.student != "kept":  # kept: reused, so its files are not rewritten
            write_submission(result, student_folder(tmp_path, result.student))
    batch = BatchResult(submissions=now, reused=["kept"])
    assert changes(batch, tmp_path) == {"up": (25.0, 75.0), "down": (100.0, 50.0)}, (
        "a changed grade is reported with before and after; the same grade, a reused result and a first "
        "grading are not")


def test_an_older_result_without_a_course_grade_is_no_change(tmp_path: Path) -> None:
    folder = student_folder(tmp_path, "old")
    folder.mkdir(parents=True)
    (folder / RESULT_NAME).write_text(json.dumps({"format": 1, "score": 293, "max_score": 293}))
    write_submission(_result("old", 4), folder)
    assert len(entries(folder)) == 1 and previous_grade(folder) is None, "raw points: no comparable scale"
    assert changes(BatchResult(submissions=[_result("old", 4)]), tmp_path) == {}


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_a_link_planted_as_the_history_folder_is_not_followed(tmp_path: Path) -> None:
    folder = student_folder(tmp_path, "eve")
    write_submission(_result("eve", 1), folder)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, history_folder(folder))
    write_submission(_result("eve", 2), folder)
    assert list(elsewhere.iterdir()) == [], "nothing written through the link"
    assert [p.name for p in entries(folder)] == ["0001.json"] and not history_folder(folder).is_symlink()
