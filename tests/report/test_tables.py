"""grades.csv and summary.md on the course's one scale: weights, the max row, who is who, changes."""

from __future__ import annotations

import csv
import io

from grader.report import BatchResult, Problem, Status, SubmissionResult, TestResult
from grader.report.model import Identity
from grader.report.tables import is_max_row, render_grades_csv, render_summary

WEIGHTS = {"01_udp/udp_server": 8.0, "02_tcp/tcp_client": 92.0}
"""Two exercises worth 8 and 92 of the course's 100, whatever their raw test points (3 and 7 here)."""


def _test(nodeid: str, exercise: str, status: Status, points: float) -> TestResult:
    return TestResult(nodeid=nodeid, exercise=exercise, name=nodeid, description=nodeid, status=status,
                      points=points)


def _result(student: str, udp: tuple[Status, Status], tcp: Status, identity: Identity | None = None
            ) -> SubmissionResult:
    tests = [_test("u.py::a", "01_udp/udp_server", udp[0], 1),
             _test("u.py::b", "01_udp/udp_server", udp[1], 2),
             _test("t.py::c", "02_tcp/tcp_client", tcp, 7)]
    return SubmissionResult(student, tests=tests, weights=dict(WEIGHTS), identity=identity or Identity())


def _batch() -> BatchResult:
    full = _result("张三", (Status.PASS, Status.PASS), Status.PASS,
                   Identity("张三.zip", "张三", "2024001", "zhangsan", "L01"))
    half = _result("max", (Status.PASS, Status.FAIL), Status.FAIL, Identity("max.zip", "Max", "", "", "L02"))
    evil = _result("=evil", (Status.FAIL, Status.FAIL), Status.PASS,
                   Identity("=HYPERLINK(\"x\").zip", "@SUM(1)", "+1", "", "-x"))
    return BatchResult(submissions=[full, half, evil], changes={"max": (50.0, 2.67)})


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_grades_csv_is_on_the_one_scale_with_a_max_row() -> None:
    text = render_grades_csv(_batch())
    header = text.splitlines()[0].split(",")
    assert header == ["student", "submission", "name", "sis_id", "section", "01_udp/udp_server",
                      "02_tcp/tcp_client", "total", "max"], header
    rows = _rows(text)
    top = rows[0]
    assert is_max_row(top), "the first data row is the max row"
    shown = (top["01_udp/udp_server"], top["02_tcp/tcp_client"], top["total"], top["max"])
    assert shown == ("8", "92", "100", "100"), f"each exercise's weight, the course's maximum: {top}"
    by_student = {r["student"]: r for r in rows[1:]}
    full = by_student["张三"]
    assert (full["01_udp/udp_server"], full["02_tcp/tcp_client"], full["total"], full["max"]) == (
        "8", "92", "100", "100"), "full marks are the course's 100, not the raw 10 test points"
    who = (full["submission"], full["name"], full["sis_id"], full["section"])
    assert who == ("张三.zip", "张三", "2024001", "L01"), full
    half = by_student["max"]
    assert half["01_udp/udp_server"] == "2.67" and half["total"] == "2.67", "1 of 3 raw points, weight 8"


def test_a_student_called_max_is_not_the_max_row() -> None:
    rows = _rows(render_grades_csv(_batch()))
    assert [is_max_row(r) for r in rows] == [True, False, False, False], "only the row with no submission"
    assert [r["student"] for r in rows].count("max") == 2 and rows[0]["submission"] == "", rows[0]
    nameless = SubmissionResult("max", tests=[_test("u.py::a", "01_udp/udp_server", Status.PASS, 1)])
    (_, row) = _rows(render_grades_csv(BatchResult(submissions=[nameless])))
    assert row["submission"] == "max" and not is_max_row(row), "no known submission name: the id stands in"


def test_every_grades_csv_cell_is_no_formula() -> None:
    rows = _rows(render_grades_csv(_batch()))
    evil = next(r for r in rows if r["student"].endswith("=evil"))
    assert evil["student"] == "'=evil" and evil["submission"].startswith("'=HYPERLINK"), evil
    assert evil["name"] == "'@SUM(1)" and evil["section"] == "'-x", evil
    assert evil["sis_id"] == "+1", "a number with a sign is a number, left alone"


def test_summary_is_on_the_one_scale_and_lists_changes() -> None:
    text = render_summary(_batch())
    assert "3 submissions; mean score 64.89/100; full marks: 1." in text, text
    assert "| exercise | weight | mean | pass rate |" in text
    assert "| 01\\_udp/udp\\_server | 8 | 3.56 | 33% (1/3) |" in text, text
    assert "| 02\\_tcp/tcp\\_client | 92 | 61.33 | 67% (2/3) |" in text, text
    changes = text.split("## Score changed since the last run", 1)[1]
    assert "- max: 50 → 2.67 (-47.33)" in changes, changes


def test_summary_lists_the_class_problems_in_chinese_too() -> None:
    batch = _batch()
    batch.get("张三").problems.append(Problem("missing", "01_udp/udp_server.py", "<b>missing</b>"))
    batch.skipped.append(Problem("empty", "empty-folder", "the submission is empty"))
    batch.lang = "zh"
    text = render_summary(batch)
    assert "## 有问题的提交" in text and "## 与上次评分相比成绩有变化" in text, text
    problems = text.split("## 有问题的提交", 1)[1]
    line = next((x for x in problems.splitlines() if x.startswith("- 张三：")), "")
    assert "&lt;b&gt;missing&lt;/b&gt;" in line and "<b>" not in problems, problems
    assert "- empty-folder：" in problems, "a submission that was not graded is listed by its name"
    assert "| 02\\_tcp/tcp\\_client | 92 | 61.33 | 67%（2/3） |" in text, text
