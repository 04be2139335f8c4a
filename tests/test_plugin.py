"""The pytest plugin as a user meets it: fixtures by name, markers for options, transcripts on failure."""

from __future__ import annotations

import json

import pytest


def test_marker_options_reach_the_server_and_transcripts_attach_on_failure(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import ftplib
        import pytest

        @pytest.mark.ftp_server(files={"pub/hello.txt": b"hi there"})
        def test_download(ftp_server):
            ftp = ftplib.FTP()
            ftp.connect(ftp_server.host, ftp_server.port, timeout=5)
            ftp.login()
            chunks = []
            ftp.retrbinary("RETR hello.txt", chunks.append)
            ftp.quit()
            assert b"".join(chunks) == b"something else"
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*netlings: what the FTP server saw*",
        "*C: USER anonymous*",
        "*C: RETR hello.txt*",
        "*RETR hello.txt: 8 bytes sent, binary*",
    ])


def test_passing_tests_carry_no_transcript(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import ftplib

        def test_list(ftp_server):
            ftp = ftplib.FTP()
            ftp.connect(ftp_server.host, ftp_server.port, timeout=5)
            ftp.login()
            assert "readme.txt" in ftp.nlst()
            ftp.quit()
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-rA")
    result.assert_outcomes(passed=1)
    assert "what the FTP server saw" not in result.stdout.str()


def test_factories_give_independent_servers(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_two(make_ftp_server):
            a = make_ftp_server(files={"pub/a.txt": b"A"})
            b = make_ftp_server()
            assert a.port != b.port
            assert a.read("pub/a.txt") == b"A"
            assert not b.path("pub/a.txt").exists()
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_errors_in_a_server_thread_fail_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_broken(ftp_server):
            ftp_server.errors.append("Traceback: boom in the server thread")
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*ftp server failed*", "*boom in the server thread*"])


def test_student_module_defaults_to_the_manifest_folder(pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", netlings="")
    unit = pytester.mkpydir("01_demo")
    (unit / "demo.py").write_text("def double(x):\n    return 2 * x\n")
    (unit / "test_demo.py").write_text(
        "def test_double(student_module):\n"
        "    assert student_module('01_demo/demo.py').call('double', 21) == 42\n"
    )
    pytester.runpytest("-p", "no:cacheprovider", "01_demo").assert_outcomes(passed=1)


def test_netlings_root_option_points_at_another_folder(pytester: pytest.Pytester) -> None:
    other = pytester.mkdir("reference")
    (other / "01_demo").mkdir()
    (other / "01_demo" / "demo.py").write_text("def double(x):\n    return 2 * x\n")
    pytester.makepyfile(
        "def test_double(student_module):\n"
        "    assert student_module('01_demo/demo.py').call('double', 4) == 8\n"
    )
    pytester.runpytest("-p", "no:cacheprovider", f"--netlings-root={other}").assert_outcomes(passed=1)


MISTAKE_SUITE = """
import pytest
from grader.harness.verdict import MistakeFound, fail_mistake, suspect

HALF_CLOSED = "The client half-closed. " + suspect("eof_compared_with_str")  # made once, at import


def test_named():
    fail_mistake("send_not_sendall", call="handle(conn)", expected="every byte", actual="half")


def test_suspected_in_the_message():
    assert False, HALF_CLOSED


def test_suspect_made_but_passed():
    suspect("single_recv")  # an awaiting= text for a call that went well


def test_suspect_made_then_another_failure():
    suspect("single_recv")
    assert False, "something else went wrong"


def test_unknown_id():
    raise MistakeFound("not_in_the_catalogue", "made up")


def test_wrapped():
    try:
        fail_mistake("str_not_bytes", call="f()", expected=b"x", actual="x")
    except AssertionError as exc:
        raise RuntimeError("re-raised by a helper") from exc
"""


def test_failures_record_the_mistakes_they_name(pytester: pytest.Pytester) -> None:
    """The ids reach the results file, so the dashboard can count them; only named, failed, known ones."""

    pytester.makepyfile(test_mistakes=MISTAKE_SUITE)
    out = pytester.path / "results.json"
    # In a process of its own: a test of this file patches pytest's traceback formatting for good.
    pytester.runpytest_subprocess("-p", "grader.report.collect", "--netlings-results", str(out))
    tests = {t["name"]: t for t in json.loads(out.read_text(encoding="utf-8"))["tests"]}
    assert {name: t["mistakes"] for name, t in tests.items()} == {
        "test_named": ["send_not_sendall"],
        "test_suspected_in_the_message": ["eof_compared_with_str"],
        "test_suspect_made_but_passed": [],
        "test_suspect_made_then_another_failure": [],
        "test_unknown_id": [],
        "test_wrapped": ["str_not_bytes"],
    }, tests


def test_merge_keeps_the_mistakes_of_the_run() -> None:
    from types import SimpleNamespace

    from grader.grade.runner import merge

    meta = {"nodeid": "t.py::test_x", "exercise": "01_udp/udp_server", "name": "test_x", "description": "x",
            "points": 1.0, "visibility": "visible", "skip": None}
    document = {"tests": [{**meta, "status": "fail", "message": "m", "mistakes": ["single_recv"]}]}
    (result,) = merge(SimpleNamespace(tests=[meta]), document)  # type: ignore[arg-type]
    assert result.mistakes == ["single_recv"], "TestResult.mistakes comes from the run's results"


def test_a_harness_verdict_shows_its_message_not_the_test_code(pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", netlings="")
    unit = pytester.mkpydir("01_demo")
    (unit / "demo.py").write_text("def double(x):\n    raise NotImplementedError('not implemented yet')\n")
    (unit / "test_demo.py").write_text(
        "def test_double(student_module):\n"
        "    module = student_module('01_demo/demo.py')\n"
        "    assert module.call('double', 21) == 42\n"
    )
    # In a subprocess: the conftest patches pytest itself, which in this process would outlive the test
    # and turn any later failure of the session into an INTERNALERROR (seen in a random-order run).
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "01_demo")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["double() is not implemented yet*", "(01_demo?test_demo.py:1)"])
    assert "module.call('double', 21)" not in result.stdout.str(), "the test's code is noise here"
    assert "what the" not in result.stdout.str(), "no transcript section when nothing went over the wire"
    full = pytester.runpytest("-p", "no:cacheprovider", "01_demo", "--tb=long")
    assert "module.call('double', 21)" in full.stdout.str(), "--tb=long still shows everything"


def test_a_harness_verdict_is_reported_without_formatting_the_traceback(pytester: pytest.Pytester) -> None:
    """pytest's traceback re-parses the test file for every failure: a stub's hundreds of
    verdicts must not pay for a text that is thrown away (bench/FIXES.md has the numbers)."""
    pytester.makefile(".toml", netlings="")
    unit = pytester.mkpydir("01_demo")
    (unit / "demo.py").write_text("def double(x):\n    raise NotImplementedError('not implemented yet')\n")
    (unit / "test_demo.py").write_text(
        "def test_double(student_module):\n"
        "    assert student_module('01_demo/demo.py').call('double', 21) == 42\n"
    )
    pytester.makeconftest(
        "import _pytest.nodes\n\n"
        "def refuse(self, *args, **kwargs):\n"
        "    raise RuntimeError('the traceback was formatted')\n\n"
        "_pytest.nodes.Node._repr_failure_py = refuse\n"
    )
    # In a subprocess: the conftest patches pytest itself, which in this process would outlive the test
    # and turn any later failure of the session into an INTERNALERROR (seen in a random-order run).
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "01_demo")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["double() is not implemented yet*", "(01_demo?test_demo.py:1)"])

