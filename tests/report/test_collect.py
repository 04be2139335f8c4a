"""The collect plugin: every way a test can end becomes a status and a readable message in one JSON file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from grader.harness import StudentFailure
from grader.harness.runner import RunResult
from grader.report.collect import COLLECT_FORMAT, classify
from grader.report.model import Status

SUITE = '''
import pytest

pytestmark = pytest.mark.exercise("01_udp/udp_server")


@pytest.fixture
def broken():
    raise RuntimeError("the fake server did not start")


@pytest.fixture
def bad_teardown():
    yield
    raise ValueError("server thread error")


@pytest.mark.points(2)
def test_pass():
    """The echo comes back as bytes."""


def test_assert():
    assert b"hi" == "hi", "sent 'hi' (str), expected b'hi'"


def test_fail_call():
    pytest.fail("no QUIT was sent")


def test_setup_error(broken):
    pass


def test_type_error():
    raise TypeError("a bug in the test")


@pytest.mark.visibility("after_due_date")
def test_skip():
    pytest.skip("not on this platform")


@pytest.mark.skipif(True, reason="never here")
def test_static_skip():
    pass


def test_teardown(bad_teardown):
    pass


@pytest.mark.exercise("02_tcp/framing")
@pytest.mark.parametrize("n", [1, 2])
def test_param(n):
    """Frames of size n."""
    print("captured", n)
    assert n == 1


def test_transcript():
    assert False, "the server saw nothing"
'''

CONFTEST = '''
import pytest

@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed and item.name == "test_transcript":
        report.sections.append(("netlings: what the SMTP server saw", "C: EHLO x\\r\\nS: 250 ok\\r\\n"))
    return report
'''


def _run(pytester: pytest.Pytester, *args: str) -> tuple[Any, dict[str, Any]]:
    pytester.makepyfile(test_sample=SUITE)
    pytester.makeconftest(CONFTEST)
    out = pytester.path / "results.json"
    result = pytester.runpytest("-p", "grader.report.collect", "--netlings-results", str(out), "-q", *args)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["format"] == COLLECT_FORMAT and document["finished"] is True
    return result, document


def _by_name(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in document["tests"]}


def test_every_outcome_has_a_status_and_a_readable_message(pytester: pytest.Pytester) -> None:
    _, document = _run(pytester)
    tests = _by_name(document)
    expect = {
        "test_pass": ("pass", ""),
        "test_assert": ("fail", "sent 'hi' (str), expected b'hi'"),
        "test_fail_call": ("fail", "no QUIT was sent"),
        "test_setup_error": ("error", "error in the test's setup: RuntimeError: the fake server did not"),
        "test_type_error": ("error", "TypeError: a bug in the test"),
        "test_skip": ("skipped", "not on this platform"),
        "test_static_skip": ("skipped", "never here"),
        "test_teardown": ("error", "error in the test's teardown: ValueError: server thread error"),
        "test_param[1]": ("pass", ""),
    }
    for name, (status, message) in expect.items():
        assert tests[name]["status"] == status, f"{name}: {tests[name]['status']} != {status}"
        assert tests[name]["message"].startswith(message), f"{name}: {tests[name]['message']!r}"
    assert "Traceback" not in tests["test_assert"]["message"], "no pytest internals in the message"
    assert "RuntimeError" in tests["test_setup_error"]["details"], "errors keep their full text (instructors)"
    assert tests["test_param[2]"]["status"] == "fail" and "captured 2" in tests["test_param[2]"]["output"]
    assert [t["nodeid"] for t in document["tests"]] == sorted(t["nodeid"] for t in document["tests"])


def test_markers_and_docstrings_describe_each_test(pytester: pytest.Pytester) -> None:
    _, document = _run(pytester)
    tests = _by_name(document)
    assert tests["test_pass"]["points"] == 2 and tests["test_assert"]["points"] == 1, "default 1 point"
    assert tests["test_pass"]["description"] == "The echo comes back as bytes."
    assert tests["test_assert"]["description"] == "assert", "no docstring: the name in words"
    assert tests["test_param[2]"]["description"] == "Frames of size n. [2]"
    assert tests["test_skip"]["visibility"] == "after_due_date"
    assert tests["test_pass"]["visibility"] == "visible", "the default visibility"
    assert tests["test_pass"]["exercise"] == "01_udp/udp_server", "module-level exercise marker"
    assert tests["test_param[1]"]["exercise"] == "02_tcp/framing", "a test's own marker wins"


def test_transcripts_become_sections(pytester: pytest.Pytester) -> None:
    _, document = _run(pytester)
    test = _by_name(document)["test_transcript"]
    assert test["sections"] == [{"title": "what the SMTP server saw", "text": "C: EHLO x\r\nS: 250 ok\r\n"}]
    assert test["message"].startswith("the server saw nothing"), test["message"]


def test_collect_only_lists_tests_and_static_skips(pytester: pytest.Pytester) -> None:
    _, document = _run(pytester, "--collect-only")
    tests = _by_name(document)
    assert len(tests) == 11 and all(t["status"] is None for t in tests.values()), "nothing ran"
    assert tests["test_static_skip"]["skip"] == "never here" and tests["test_pass"]["skip"] is None


def test_the_exercise_id_defaults_to_the_files_place(pytester: pytest.Pytester) -> None:
    unit = pytester.mkdir("03_ftp")
    (unit / "test_ftp_client.py").write_text("def test_x():\n    pass\n", encoding="utf-8")
    out = pytester.path / "r.json"
    pytester.runpytest("-p", "grader.report.collect", "--netlings-results", str(out), str(unit))
    (test,) = json.loads(out.read_text())["tests"]
    assert test["exercise"] == "03_ftp/ftp_client", test


@pytest.mark.parametrize("marker", ['points("two")', "points(-1)", 'visibility("public")', "exercise()"])
def test_a_bad_marker_is_a_usage_error(pytester: pytest.Pytester, marker: str) -> None:
    pytester.makepyfile(f"import pytest\n\n@pytest.mark.{marker}\ndef test_x():\n    pass\n")
    result = pytester.runpytest("-p", "grader.report.collect", "--netlings-results",
                                str(pytester.path / "r.json"))
    assert result.ret == pytest.ExitCode.USAGE_ERROR, f"{marker} must be refused"
    assert "test_x" in result.stderr.str(), "the error names the test"


def test_classify_timeouts() -> None:
    with pytest.raises(pytest.fail.Exception) as info:
        pytest.fail("Timeout (>2.5s) from pytest-timeout.")
    status, message = classify(info.value, "call")
    assert status is Status.TIMEOUT and "2.5 s" in message, message
    harness = StudentFailure("Timed out after 1.0 s waiting for f()", RunResult(timed_out=True))
    assert classify(harness, "call") == (Status.TIMEOUT, "Timed out after 1.0 s waiting for f()")
    assert classify(StudentFailure("wrong", RunResult()), "call") == (Status.FAIL, "wrong")


def test_no_results_file_without_the_option(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("import pytest\n\n@pytest.mark.points(3)\ndef test_x():\n    pass\n")
    result = pytester.runpytest("-p", "grader.report.collect", "-W", "error::pytest.PytestUnknownMarkWarning")
    assert result.ret == 0, "the markers are registered even when no results are written"
    assert not list(Path(pytester.path).glob("*.json"))


def test_a_signed_results_file_is_checked(pytester: pytest.Pytester) -> None:
    from grader.grade.runner import ForgedResults, read_collect_file

    pytester.makepyfile("def test_x():\n    assert False\n")
    read_end, write_end = os.pipe()
    os.write(write_end, b"k" * 32)
    os.close(write_end)
    out = pytester.path / "r.json"
    pytester.runpytest("-p", "grader.report.collect", "--netlings-results", str(out),
                       "--netlings-key-fd", str(read_end))
    with pytest.raises(OSError):
        os.close(read_end)  # the plugin read the key and closed the pipe
    assert read_collect_file(out, b"k" * 32)["tests"][0]["status"] == "fail", "the genuine file is accepted"
    document = json.loads(out.read_text())
    document["tests"][0]["status"] = "pass"
    out.write_text(json.dumps(document))
    with pytest.raises(ForgedResults):
        read_collect_file(out, b"k" * 32)
    del document["mac"]
    out.write_text(json.dumps(document))
    with pytest.raises(ForgedResults):
        read_collect_file(out, b"k" * 32)
