"""Visible tests for 02_tcp/framing.py: length-prefixed messages on a TCP stream.

A frame is the payload's length as 4 bytes big-endian, then the payload. Your
functions get a real connected socket in a separate process. The other end is the
test: a recording TCP peer that sends bytes (sometimes one byte at a time, as a slow
network would) or, for the round trip, a frame server that answers each frame with
the frame ``b"Received: " + payload``. ``C:``/``S:`` lines in a failure show the bytes.

Run them with ``pytest exercises/02_tcp`` (add ``--sw`` to stop at the first failure).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from grader.harness import Ref, RunResult, StudentFailure, StudentModule, StudentRun, call
from grader.harness.verdict import suspect
from grader.messages import msg
from grader.messages.texts import tr
from grader.servers.peers import TCPPeer, frame

FRAMING = "02_tcp/framing.py"
HOST = "127.0.0.1"
DEADLINE = 6.0
"""Seconds before the child process running your functions is stopped."""


@pytest.fixture
def framing(student_module: Callable[..., StudentModule]) -> StudentModule:
    return student_module(FRAMING)


def start_on_connection(framing: StudentModule, *steps: dict[str, Any], what: str) -> tuple[StudentRun, int]:
    """The child accepts one connection from the test, then runs ``steps`` on it (saved as "conn")."""
    return framing.start_server([
        {"op": "tcp_listener", "save": "listener", "timeout": DEADLINE},
        {"op": "accept", "listener": "listener", "save": "conn", "timeout": DEADLINE},
        *steps,
    ], socket="listener", what=what, deadline=DEADLINE)


def student_values(result: RunResult) -> list[Any]:
    """The values of the student's calls (the first two steps are the test's listener and accept)."""
    return result.values[2:]


# -- recv_exactly --------------------------------------------------------------------------------


@pytest.mark.points(2)
def test_recv_exactly_collects_bytes_sent_one_at_a_time(framing: StudentModule, tcp_peer: TCPPeer) -> None:
    """recv_exactly(conn, 5) then recv_exactly(conn, 6) split b"hello world" into b"hello" and b" world"."""
    what = "recv_exactly(conn, 5)"
    run, port = start_on_connection(framing, call("recv_exactly", Ref("conn"), 5),
                                    call("recv_exactly", Ref("conn"), 6), what=what)
    tcp_peer.talk((HOST, port), b"hello world", trickle=True)
    result = framing.finish(run, what)
    first, second = student_values(result)
    assert first == b"hello", tr(
        "the test sent b'hello world' one byte at a time; {what} returned {first!r}, expected b'hello'. "
        "Call recv() in a loop, asking only for the bytes still missing.", what=what, first=first)
    assert second == b" world", tr("the next recv_exactly(conn, 6) returned {second!r}, expected b' world'",
                                   second=second)


@pytest.mark.points(1.5)
def test_recv_exactly_raises_connection_error_on_early_eof(framing: StudentModule, tcp_peer: TCPPeer) -> None:
    """recv_exactly(conn, 5) raises ConnectionError when the peer closes after only 3 bytes."""
    what = "recv_exactly(conn, 5)"
    run, port = start_on_connection(framing, call("recv_exactly", Ref("conn"), 5), what=what)
    tcp_peer.talk((HOST, port), b"abc")  # then half-close: no more bytes will ever come
    expect_exception(framing, run, what, ConnectionError,
                     hint=tr("recv() returning b'' means the peer closed: raise ConnectionError."),
                     awaiting=tr("Only 3 of the 5 bytes will ever come and recv() now returns b''. ")
                              + suspect("eof_compared_with_str"))


def expect_exception(module: StudentModule, run: StudentRun, what: str, expected: type[BaseException], *,
                     hint: str, awaiting: str) -> None:
    """Collect ``run`` and pass only if the student's code raised ``expected``."""
    __tracebackhide__ = True
    try:
        result = run.result()
    finally:
        run.kill()
    exc = result.exception
    if exc is not None and exc.is_a(expected):
        return
    if exc is None and result.completed:
        raise StudentFailure(msg("expected_exception", call=what, value=repr(result.value),
                                 expected=expected.__name__) + " " + hint, result)
    module.check(result, what, what.split("(", 1)[0], expected=expected.__name__, awaiting=awaiting)
    raise AssertionError("unreachable")  # pragma: no cover


# -- send_frame / recv_frame ----------------------------------------------------------------------


@pytest.mark.points(1.5)
def test_send_frame_writes_a_big_endian_length_then_the_payload(framing: StudentModule,
                                                                tcp_peer: TCPPeer) -> None:
    """send_frame sends 300 bytes as b"\\x00\\x00\\x01\\x2c" + payload, and b"" as four zero bytes."""
    payload = bytes(range(256)) + b"x" * 44
    what = "send_frame(conn, <300 bytes>)"
    run, port = start_on_connection(framing, call("send_frame", Ref("conn"), payload),
                                    call("send_frame", Ref("conn"), b""),
                                    {"op": "close", "ref": "conn"}, what=what)
    talk = tcp_peer.talk((HOST, port), b"")  # just read what arrives, until the connection closes
    framing.finish(run, what)
    expected = frame(payload) + frame(b"")
    assert talk.reply[:4] == expected[:4], tr(
        "{what}: the first 4 bytes were {header!r}, expected the length 300 as 4 bytes "
        "big-endian: {want!r} (struct.pack('!I', len(payload)))", what=what, header=talk.reply[:4],
        want=expected[:4])
    assert talk.reply == expected, tr(
        "{what} then send_frame(conn, b''): the test received {size} bytes, expected "
        "{want}: the 300-byte frame, then b'\\x00\\x00\\x00\\x00' (an empty payload)",
        what=what, size=len(talk.reply), want=len(expected))


@pytest.mark.points(1.5)
def test_recv_frame_reads_frames_sent_one_byte_at_a_time(framing: StudentModule, tcp_peer: TCPPeer) -> None:
    """recv_frame returns each payload of two frames, even when they arrive one byte at a time."""
    second = "第二帧".encode()
    what = "recv_frame(conn)"
    run, port = start_on_connection(framing, call("recv_frame", Ref("conn")), call("recv_frame", Ref("conn")),
                                    what=what)
    tcp_peer.talk((HOST, port), frame(b"hello") + frame(second), trickle=True)
    result = framing.finish(run, what)
    values = student_values(result)
    assert values == [b"hello", second], tr(
        "two frames (payloads b'hello' and {second!r}) were sent one byte at a time; recv_frame(conn) "
        "returned {one!r} then {two!r}. Read the 4-byte length with recv_exactly, then exactly "
        "that many bytes.", second=second, one=values[0], two=values[1])


@pytest.mark.points(1.5)
@pytest.mark.tcp_peer(mode="frames")
def test_frames_round_trip_with_a_frame_server(framing: StudentModule, tcp_peer: TCPPeer) -> None:
    """send_frame then recv_frame with a frame server: it gets exactly one frame, its answer comes back."""
    payload = "你好, frames".encode()
    steps = [{"op": "connect", "address": [HOST, tcp_peer.port], "save": "conn", "timeout": DEADLINE},
             call("send_frame", Ref("conn"), payload),
             call("recv_frame", Ref("conn"))]
    with framing.run(steps, deadline=DEADLINE) as run:
        result = run.result()
    failed = steps[result.failed_step] if result.failed_step is not None and result.failed_step >= 0 else {}
    func = failed.get("func", "send_frame")
    framing.check(result, f"{func}(conn, ...)" if func == "send_frame" else f"{func}(conn)", func)
    assert tcp_peer.wait_closed(1, timeout=2.0), tr("the connection to the frame server was never closed")
    assert tcp_peer.received(0) == frame(payload), tr(
        "the frame server received {got!r}, expected exactly one frame {want!r}",
        got=tcp_peer.received(0), want=frame(payload))
    value = result.values[-1]
    assert value == b"Received: " + payload, tr(
        "recv_frame(conn) returned {value!r}, expected the server's answer {want!r}",
        value=value, want=b"Received: " + payload)
