"""The harness runs student code in a child and brings back plain data, whatever the code does."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from grader.harness import Opaque, Ref, SocketInfo, StudentFailure, StudentModule, call

ROOT = Path(__file__).with_name("sample_root")


@pytest.fixture
def demo() -> StudentModule:
    return StudentModule(ROOT, "99_demo/demo.py", timeout=5)


def test_values_round_trip_as_plain_data(demo: StudentModule) -> None:
    assert demo.call("add", 2, 3) == 5
    assert demo.call("add", b"a", b"b") == b"ab", "bytes must cross both ways as bytes"
    assert demo.call("shapes") == (b"\x00\r\n", ("a", 1), {"k": [1, b"x"]}, None)


def test_unknown_objects_come_back_as_opaque_reprs(demo: StudentModule) -> None:
    value = demo.call("unserialisable")
    assert isinstance(value, Opaque) and value.type == "object"


def test_an_exception_shows_the_students_own_traceback(demo: StudentModule) -> None:
    with pytest.raises(StudentFailure) as info:
        demo.call("boom")
    text = str(info.value)
    assert "boom() raised ZeroDivisionError" in text
    assert "demo.py" in text and "1 / 0" in text
    assert "child.py" not in text, "the harness's own frames must not show"


def test_a_stub_fails_at_once_saying_not_implemented(demo: StudentModule) -> None:
    with pytest.raises(StudentFailure, match="todo\\(\\) is not implemented yet") as info:
        demo.call("todo")
    assert info.value.result is not None and info.value.result.duration < 5


def test_an_endless_loop_is_a_timeout_that_says_what_was_awaited(demo: StudentModule) -> None:
    with pytest.raises(StudentFailure, match="Timed out after .* waiting for spin\\(\\)") as info:
        demo.call("spin", deadline=0.5, awaiting="The reply never came.")
    assert "The reply never came." in str(info.value)
    assert info.value.result is not None and info.value.result.timed_out


@pytest.mark.parametrize("func", ["leave", "sys_exit"])
def test_exiting_the_process_is_reported(demo: StudentModule, func: str) -> None:
    with pytest.raises(StudentFailure) as info:
        demo.call(func)
    text = str(info.value)
    assert "SystemExit" in text or "ended the process" in text


def test_expected_exceptions_are_data(demo: StudentModule) -> None:
    exc = demo.call_raises(FileNotFoundError, "missing", "x.bin")
    assert exc.is_a(OSError) and exc.errno == 2
    with pytest.raises(StudentFailure, match="should have raised PermissionError"):
        demo.call_raises(PermissionError, "missing", "x.bin")
    with pytest.raises(StudentFailure, match="returned 5 but should have raised"):
        demo.call_raises(ValueError, "add", 2, 3)


def test_output_is_captured_and_capped(demo: StudentModule) -> None:
    run = demo.run([call("chatty", 2000)])
    result = run.result()
    assert result.completed and result.value == "done"
    assert len(result.output) == 64 * 1024, "64 KiB of output are kept"
    assert result.output_dropped == 2000 * 100 - 64 * 1024, "the rest is counted, not kept"


def test_student_output_cannot_forge_events(demo: StudentModule) -> None:
    result = demo.run([call("forge_event")]).result()
    assert result.values == [1], "printed text that looks like an event must stay output"
    assert '"event": "step"' in result.output


def test_a_server_in_the_child_reports_its_port(demo: StudentModule) -> None:
    with demo.run([call("listener", save="L"), call("serve_one", Ref("L"))]) as run:
        port = run.port("L")
        assert isinstance(port, int) and port > 0
        with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
            client.sendall(b"hi")
            assert client.recv(100) == b"R:hi"
        result = run.result()
    info, data = result.values
    assert isinstance(info, SocketInfo) and info.listening and info.reuseaddr
    assert data == b"hi"


def test_a_missing_module_is_an_import_failure(tmp_path: Path) -> None:
    module = StudentModule(tmp_path, "00_basics/wire.py")
    with pytest.raises(StudentFailure, match="Could not import"):
        module.call("to_bytes", "x")


def test_a_syntax_error_is_an_import_failure(tmp_path: Path) -> None:
    (tmp_path / "u").mkdir()
    (tmp_path / "u" / "m.py").write_text("def f(:\n")
    with pytest.raises(StudentFailure, match="SyntaxError"):
        StudentModule(tmp_path, "u/m.py").call("f")


def test_start_server_gives_the_port_then_finish_checks_the_run(demo: StudentModule) -> None:
    run, port = demo.start_server([call("listener", save="L"), call("serve_one", Ref("L"))],
                                  socket="L", what="serve_one(listener)")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
        client.sendall(b"yo")
        assert client.recv(100) == b"R:yo"
    result = demo.finish(run, "serve_one(listener)")
    assert result.values[-1] == b"yo"


def test_start_server_fails_at_once_for_a_stub(demo: StudentModule) -> None:
    with pytest.raises(StudentFailure, match="todo\\(\\) is not implemented yet") as info:
        demo.start_server([call("todo", save="L")], socket="L", what="todo()")
    assert info.value.result is not None and info.value.result.duration < 5


def test_start_server_says_when_no_socket_came_back(demo: StudentModule) -> None:
    with pytest.raises(StudentFailure, match="without giving the test a socket"):
        demo.start_server([call("add", 1, 2, save="L")], socket="L", what="add(1, 2)")


def test_a_known_beginner_mistake_is_named(demo: StudentModule) -> None:
    with pytest.raises(StudentFailure) as info:
        demo.call("send_text", "hello")
    text = str(info.value)
    assert "a bytes-like object is required" in text, "the real error stays visible"
    assert "Likely mistake: str sent instead of bytes" in text
    assert "encode" in text, "and the hint says what to do"


def test_a_missing_function_is_named_without_harness_frames(demo: StudentModule) -> None:
    with pytest.raises(StudentFailure) as info:
        demo.call("no_such_function")
    text = str(info.value)
    assert "there is no function 'no_such_function'" in text
    assert "child.py" not in text, "the harness's own frames must not show"


@pytest.mark.parametrize(("path", "exc_type", "message", "mistake"), [
    ("01_udp/udp_client.py", "TypeError", "a bytes-like object is required, not 'str'", "str_not_bytes"),
    ("03_ftp/ftp_client.py", "TypeError", "can't concat str to bytes", "bytes_not_str"),
    ("03_ftp/ftp_client.py", "UnicodeDecodeError", "'utf-8' codec can't decode byte 0xff", "ftp_text_mode"),
    ("05_pop3/parse.py", "UnicodeDecodeError", "'utf-8' codec can't decode byte 0xc4", "charset_ignored"),
    ("05_pop3/receive.py", "UnicodeDecodeError", "'utf-8' codec can't decode byte 0xc4", "pop3_lines_as_str"),
    ("01_udp/udp_server.py", "UnicodeDecodeError", "'utf-8' codec can't decode byte 0xff",
     "server_dies_on_bad_datagram"),
    ("00_basics/wire.py", "UnicodeDecodeError", "'utf-8' codec can't decode byte 0xff", None),
])
def test_diagnosis_depends_on_where_the_error_happened(path: str, exc_type: str, message: str,
                                                        mistake: str | None) -> None:
    from grader.harness.diagnose import diagnose
    from grader.harness.runner import StudentException

    bases = {"TypeError": ("TypeError", "Exception"),
             "UnicodeDecodeError": ("UnicodeDecodeError", "UnicodeError", "ValueError", "Exception")}
    exc = StudentException(type=exc_type, classes=bases[exc_type], message=message, traceback="")
    assert diagnose(exc, path) == mistake
