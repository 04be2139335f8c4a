"""The results model: one place computes scores; files read back safely whatever they hold."""

from __future__ import annotations

import json

import pytest

from grader.report import BatchResult, Problem, Section, Status, SubmissionResult, TestResult
from grader.report.model import fmt_points


def _test(nodeid: str, status: Status, points: float = 1.0, exercise: str = "01_udp/udp_server",
          **extra: object) -> TestResult:
    return TestResult(nodeid=nodeid, exercise=exercise, name=nodeid.split("::")[-1],
                      description=f"does {nodeid}", status=status, points=points, **extra)  # type: ignore[arg-type]


def test_only_passed_tests_earn_and_skipped_tests_do_not_count() -> None:
    result = SubmissionResult("alice", tests=[
        _test("a.py::t1", Status.PASS, 2), _test("a.py::t2", Status.FAIL, 3),
        _test("a.py::t3", Status.TIMEOUT), _test("a.py::t4", Status.ERROR),
        _test("a.py::t5", Status.SKIPPED, 5),
        _test("b.py::t6", Status.PASS, 1.5, exercise="02_tcp/framing"),
    ])
    assert result.score == 3.5, "2 + 1.5: only passed tests earn"
    assert result.max_score == 8.5, "2 + 3 + 1 + 1 + 1.5: the skipped test's 5 points do not count"
    assert result.exercise_scores() == {"01_udp/udp_server": (2.0, 7.0), "02_tcp/framing": (1.5, 1.5)}


def test_tests_are_kept_sorted_by_node_id() -> None:
    result = SubmissionResult("bob", tests=[_test("z.py::t", Status.PASS), _test("a.py::t", Status.FAIL)])
    assert [t.nodeid for t in result.tests] == ["a.py::t", "z.py::t"], "sorted, so every run lists the same"


def test_result_json_round_trips_and_keeps_timing_apart() -> None:
    result = SubmissionResult(
        "carol", content_hash="c" * 64, suite_hash="s" * 64,
        problems=[Problem("syntax", "01_udp/udp_server.py", "syntax error at line 3")],
        tests=[_test("a.py::t1", Status.FAIL, 2, message="expected b'x'", output="out",
                     sections=[Section("what the UDP server saw", "C: hi\r\n")], duration=1.25)],
        notes=["stopped"], duration=3.5)
    data = result.to_dict()
    assert set(data["timing"]) == {"total", "tests"} and data["timing"]["tests"] == {"a.py::t1": 1.25}
    assert "duration" not in json.dumps(data["tests"]), "no timing inside the comparable part"
    again = SubmissionResult.from_dict(json.loads(json.dumps(data)))
    assert again.to_dict() == data, "result.json must read back to the same result"


@pytest.mark.parametrize("garbage", [
    {"format": 1, "tests": "nope"},
    {"format": 1, "student": ["x"], "tests": [{"status": "won", "points": "99", "visibility": "public"}]},
    {"format": 1, "tests": [{"points": float("nan")}, 7, None], "timing": "soon"},
])
def test_malformed_files_read_as_harmless_data(garbage: dict[str, object]) -> None:
    result = SubmissionResult.from_dict(garbage)
    for test in result.tests:
        assert test.status is Status.ERROR, "an unknown status is an error, never a pass"
        assert test.points == 1.0 and test.visibility == "visible", "bad points/visibility: the defaults"
    assert result.score == 0


def test_a_file_of_another_format_is_refused() -> None:
    with pytest.raises(ValueError):
        SubmissionResult.from_dict({"format": 999})
    with pytest.raises(ValueError):
        SubmissionResult.from_dict([])  # type: ignore[arg-type]


def test_problem_from_an_object_or_a_dict() -> None:
    class Like:
        code, path, message = "missing", "01_udp/udp_client.py", "your file is missing"

    assert Problem.from_any(Like()) == Problem.from_any(
        {"code": "missing", "path": "01_udp/udp_client.py", "message": "your file is missing"})


def test_points_are_shown_without_useless_decimals() -> None:
    assert [fmt_points(x) for x in (2.0, 1.5, 0, 0.333333333)] == ["2", "1.5", "0", "0.3333"]


def test_batch_summary_line() -> None:
    batch = BatchResult(submissions=[
        SubmissionResult("b", tests=[_test("a.py::t", Status.PASS, 4)]),
        SubmissionResult("a", tests=[_test("a.py::t", Status.FAIL, 4)],
                         problems=[Problem("syntax", "", "x")]),
    ], reused=["b"], duration=2.0)
    assert [s.student for s in batch.submissions] == ["a", "b"], "students sorted"
    line = batch.summary_line()
    assert line.startswith("graded 1 submission, 1 unchanged (kept), 1 with problems in 2.0 s"), line
    assert "mean 2.00/4" in line, line
