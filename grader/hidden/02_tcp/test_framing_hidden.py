"""Hidden tests for 02_tcp/framing.py: frames that break a beginner's length-prefixed protocol.

The student's functions get a real connected socket in a child process. The other end
is a recording TCP peer: a frame server (``mode="frames"``: it answers each complete
frame with one frame) or a client that sends raw bytes to the child. The frames are
chosen to expose the usual mistakes: a 1 MB payload (more than one ``recv`` returns),
an empty payload, two frames in one piece, a connection that ends inside a frame, a
server that is slow to read (one ``send`` does not send 2 MB). Verdicts compare the
bytes on the wire with what the functions returned.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

import pytest

from grader.harness import Ref, RunResult, StudentModule, StudentRun, call
from grader.hidden.support import fail_mistake, show, suspect
from grader.messages.texts import tr
from grader.servers.peers import TCPPeer, frame

pytestmark = pytest.mark.exercise("02_tcp/framing")

FRAMING = "02_tcp/framing.py"
HOST = "127.0.0.1"
DEADLINE = 4.0
"""Seconds before the child running the functions is stopped."""
HANG_DEADLINE = 2.5
"""A shorter deadline where a hang is the mistake being hunted."""
SOCKET_TIMEOUT = 3.0
"""The timeout of the socket the functions get: a recv that waits for nothing raises in time."""
MB = 1_000_000
BIG = 2 * 1024 * 1024
"""A frame far larger than what the kernel buffers while the slow server does not read."""
SMALL_MSS = 1000
"""Segment size the slow server asks for: it keeps the sender's send buffer small."""
READ_DELAY = 0.5
"""How long the slow frame server waits before reading: longer than one ``send`` takes to fill buffers."""
EOF_MISTAKE = (tr("Once the other side has closed, recv() returns b'' at once, again and again. ")
               + suspect("eof_compared_with_str"))


@pytest.fixture
def framing(student_module: Callable[..., StudentModule]) -> StudentModule:
    return student_module(FRAMING)


def length_reply(payload: bytes) -> bytes:
    """A short answer to a huge frame: how many payload bytes arrived."""
    return b"%d bytes" % len(payload)


def connected(peer: TCPPeer, *steps: dict[str, Any]) -> list[dict[str, Any]]:
    """The child connects to ``peer`` (the socket is saved as "conn"), then runs ``steps``."""
    return [{"op": "connect", "address": [HOST, peer.port], "save": "conn", "timeout": SOCKET_TIMEOUT},
            *steps]


def on_accepted(*steps: dict[str, Any]) -> list[dict[str, Any]]:
    """The child listens, accepts one connection from the test (saved as "conn"), then runs ``steps``."""
    return [{"op": "tcp_listener", "save": "listener", "timeout": DEADLINE},
            {"op": "accept", "listener": "listener", "save": "conn", "timeout": DEADLINE,
             "conn_timeout": SOCKET_TIMEOUT},
            *steps]


def run(framing: StudentModule, steps: list[dict[str, Any]], deadline: float = DEADLINE) -> RunResult:
    with framing.run(steps, deadline=deadline) as child:
        return child.result()


def start(framing: StudentModule, steps: list[dict[str, Any]], what: str,
          deadline: float = DEADLINE) -> tuple[StudentRun, int]:
    __tracebackhide__ = True
    return framing.start_server(steps, socket="listener", what=what, deadline=deadline)


def collect(child: StudentRun) -> RunResult:
    try:
        return child.result()
    finally:
        child.kill()


def failed_call(steps: list[dict[str, Any]], result: RunResult) -> tuple[str, str]:
    """(what, func) of the step that failed or hung: the call students recognise."""
    index = result.failed_step if result.failed_step is not None else len(result.values)
    step = steps[index] if 0 <= index < len(steps) else {}
    func = step.get("func", steps[-1].get("func", "?"))
    return (f"{func}(conn, ...)" if func in ("send_frame", "recv_exactly") else f"{func}(conn)"), func


def stub_first(framing: StudentModule, result: RunResult, what: str, func: str) -> None:
    """A stub or a module that does not import is reported as such before any mistake is named."""
    __tracebackhide__ = True
    exc = result.exception
    if exc is not None and (exc.phase != "call" or exc.not_implemented):
        framing.check(result, what, func)


def prefix_of(value: Any, whole: bytes) -> bool:
    return isinstance(value, bytes) and len(value) < len(whole) and whole.startswith(value)


# -- send_frame and recv_frame with a frame server ---------------------------------------------------


@pytest.mark.points(3)
@pytest.mark.tcp_peer(mode="frames")
def test_empty_frame_then_1_mb_frame_round_trip(framing: StudentModule, tcp_peer: TCPPeer) -> None:
    """An empty frame and a 1 MB frame go out exactly and both answers come back whole."""
    big = bytes(range(256)) * (MB // 256) + b"end"
    steps = connected(tcp_peer, call("send_frame", Ref("conn"), b""), call("recv_frame", Ref("conn")),
                      call("send_frame", Ref("conn"), big), call("recv_frame", Ref("conn")))
    result = run(framing, steps)
    what, func = failed_call(steps, result)
    stub_first(framing, result, what, func)
    assert tcp_peer.wait_closed(1, timeout=2.0), tr("the connection to the frame server was never closed")
    sent = tcp_peer.received(0)
    expected_wire = frame(b"") + frame(big)
    if sent != expected_wire:
        framing.check(result, what, func)
        pytest.fail(tr("the frame server received {size} bytes starting {start}, expected "
                       "{want}: b'\\x00\\x00\\x00\\x00' (the empty frame), then "
                       "{header!r} ({big} as 4 bytes big-endian) and the payload",
                       size=len(sent), start=show(sent[:12]), want=len(expected_wire),
                       header=expected_wire[4:8], big=len(big)))
    values = result.values[1:]
    answer = b"Received: " + big
    if len(values) == 4 and prefix_of(values[3], answer):
        fail_mistake("single_recv", call="recv_frame(conn)",
                     expected=tr("the whole answer, {size} bytes", size=len(answer)),
                     actual=tr("{received} bytes", received=len(values[3])),
                     detail=tr("A 1 MB payload arrives in many pieces: loop in recv_exactly until you have "
                               "n bytes."))
    framing.check(result, what, func,
                  awaiting=tr("Both frames went out; the frame server answered each one. ") + EOF_MISTAKE)
    assert values[1] == b"Received: ", tr(
        "recv_frame(conn) returned {value} for the empty frame's answer, expected b'Received: '",
        value=show(values[1]))
    assert values[3] == answer, tr(
        "recv_frame(conn) returned {size} bytes for the 1 MB frame's answer, expected {want}",
        size=len(values[3]) if isinstance(values[3], bytes) else show(values[3]), want=len(answer))


@pytest.mark.points(2)
def test_length_is_exactly_4_bytes_big_endian(framing: StudentModule, tcp_peer: TCPPeer) -> None:
    """Payloads of 1, 255, 256 and 65,537 bytes get the headers 00000001, 000000ff, 00000100, 00010001."""
    payloads = [b"a", b"b" * 255, b"c" * 256, b"d" * 65_537]
    steps = on_accepted(*(call("send_frame", Ref("conn"), p) for p in payloads),
                        {"op": "close", "ref": "conn"})
    child, port = start(framing, steps, "send_frame(conn, ...)")
    talk = tcp_peer.talk((HOST, port), b"", read_timeout=2.0)  # read what arrives, until the close
    result = collect(child)
    stub_first(framing, result, "send_frame(conn, ...)", "send_frame")
    framing.check(result, "send_frame(conn, ...)", "send_frame")
    offset = 0
    for payload in payloads:
        header = talk.reply[offset:offset + 4]
        want = struct.pack(">I", len(payload))
        assert header == want, tr(
            "send_frame(conn, <{size} bytes>): the header on the wire was {header!r}, "
            "expected {want!r} "
            "(struct.pack('!I', len(payload)): 4 bytes, big-endian, unsigned)",
            size=len(payload), header=header, want=want)
        body = talk.reply[offset + 4:offset + 4 + len(payload)]
        assert body == payload, tr("send_frame(conn, <{size} bytes>): the payload on the wire differs",
                                   size=len(payload))
        offset += 4 + len(payload)
    assert len(talk.reply) == offset, tr(
        "after the four frames the test received {extra} more bytes: send_frame must "
        "send the header and the payload, nothing else", extra=len(talk.reply) - offset)


@pytest.mark.points(3)
def test_2_mb_frame_to_a_slow_server_arrives_whole(
        framing: StudentModule, make_tcp_peer: Callable[..., TCPPeer]) -> None:
    """A 2 MB frame to a server that is slow to read arrives complete (header and every payload byte)."""
    payload = b"0123456789abcdef" * (BIG // 16)
    peer = make_tcp_peer(read_delay=READ_DELAY, segment_size=SMALL_MSS, mode="frames", reply=length_reply,
                         max_bytes=2 * BIG)
    steps = connected(peer, call("send_frame", Ref("conn"), payload), call("recv_frame", Ref("conn")))
    result = run(framing, steps, deadline=SOCKET_TIMEOUT + 2)
    what, func = failed_call(steps, result)
    stub_first(framing, result, what, func)
    assert peer.wait_closed(1, timeout=3.0), tr("the connection to the frame server was never closed")
    sent = peer.received(0)
    expected = frame(payload)
    if prefix_of(sent, expected):
        fail_mistake("send_not_sendall", call="send_frame(conn, <2 MiB>)",
                     expected=tr("all {size} bytes of the frame", size=len(expected)),
                     actual=tr("the server received only the first {size} bytes", size=len(sent)),
                     detail=tr("The server did not read for a moment, so send() could pass only what fit in "
                               "the buffers; the rest was never sent."))
    framing.check(result, what, func)
    assert sent == expected, tr("the server received {size} bytes, not the {want} bytes of the frame",
                                size=len(sent), want=len(expected))
    assert result.values[-1] == b"%d bytes" % len(payload), tr(
        "recv_frame(conn) returned {value}, expected the server's answer {want!r}",
        value=show(result.values[-1]), want=b"%d bytes" % len(payload))


# -- recv_frame / recv_exactly with bytes from the test ----------------------------------------------


@pytest.mark.points(2)
def test_recv_frame_of_1_mb_sent_in_one_go(framing: StudentModule, tcp_peer: TCPPeer) -> None:
    """A 1 MB frame is returned whole: one recv() returns only what has arrived so far."""
    payload = bytes(range(256)) * (MB // 256)
    steps = on_accepted(call("recv_frame", Ref("conn")))
    child, port = start(framing, steps, "recv_frame(conn)")
    tcp_peer.talk((HOST, port), frame(payload), read_timeout=2.0)
    result = collect(child)
    stub_first(framing, result, "recv_frame(conn)", "recv_frame")
    value = result.values[-1] if result.completed else None
    if prefix_of(value, payload):
        fail_mistake("single_recv", call="recv_frame(conn)",
                     expected=tr("the {size}-byte payload", size=len(payload)),
                     actual=tr("only its first {size} bytes", size=len(value)))
    framing.check(result, "recv_frame(conn)", "recv_frame")
    assert value == payload, tr(
        "recv_frame(conn) returned {got} bytes, expected the {size}-byte payload",
        got=len(value) if isinstance(value, bytes) else show(value), size=len(payload))


@pytest.mark.points(2)
def test_two_frames_in_one_piece(framing: StudentModule, tcp_peer: TCPPeer) -> None:
    """Two frames that arrive together are returned one per recv_frame call, nothing lost or mixed."""
    first, second = b"first frame", "第二".encode()
    steps = on_accepted(call("recv_frame", Ref("conn")), call("recv_frame", Ref("conn")))
    child, port = start(framing, steps, "recv_frame(conn)")
    tcp_peer.talk((HOST, port), frame(first) + frame(second), read_timeout=2.0)
    result = collect(child)
    exc = result.exception
    if exc is not None and exc.type == "error" and "unpack requires" in exc.message:
        pytest.fail(tr("recv_frame(conn) raised {exc}: the 4-byte header was not 4 bytes. Two frames arrived "
                       "in one piece, so one recv() can return more than you asked for if you ask for too "
                       "much: ask for at most the bytes still missing, recv(n - len(received)).\n\n"
                       "Your traceback:\n{traceback}", exc=exc, traceback=exc.traceback))
    framing.check(result, "recv_frame(conn)", "recv_frame",
                  awaiting=tr("Both frames were sent at once: did the first recv_frame read more than "
                              "its frame?"))
    values = result.values[2:]
    assert values == [first, second], tr(
        "the frames {first!r} and {second!r} were sent in one piece; recv_frame(conn) returned "
        "{one} then {two}. Ask recv() for at most the bytes still missing "
        "(n - len(received)), so the next frame stays in the socket.",
        first=first, second=second, one=show(values[0]), two=show(values[1]))


@pytest.mark.points(1)
def test_recv_exactly_zero_bytes(framing: StudentModule, tcp_peer: TCPPeer) -> None:
    """recv_exactly(conn, 0) returns b"" at once and leaves the bytes that follow for the next call."""
    steps = on_accepted(call("recv_exactly", Ref("conn"), 0), call("recv_exactly", Ref("conn"), 3))
    child, port = start(framing, steps, "recv_exactly(conn, 0)", deadline=HANG_DEADLINE)
    tcp_peer.talk((HOST, port), b"xyz", read_timeout=1.0)
    result = collect(child)
    index = result.failed_step if result.failed_step is not None else len(result.values)
    what = "recv_exactly(conn, 0)" if index <= 2 else "recv_exactly(conn, 3)"
    exc = result.exception
    if exc is not None and exc.is_a("ConnectionError") and result.failed_step == 2:
        pytest.fail(tr("{what} raised {exc}: with n = 0 there is nothing to read; recv(0) returns b'' "
                       "without meaning end of stream. Loop only while len(received) < n.",
                       what=what, exc=exc))
    framing.check(result, what, "recv_exactly")
    values = result.values[2:]
    assert values == [b"", b"xyz"], tr(
        "recv_exactly(conn, 0) then recv_exactly(conn, 3) returned {values}, expected [b'', b'xyz']",
        values=show(values))


@pytest.mark.points(2)
@pytest.mark.parametrize(("sent", "where"), [
    (b"", tr("before any frame")),
    (b"\x00\x00", tr("inside the 4-byte header")),
    (frame(b"0123456789")[:9], tr("inside the payload (5 of 10 bytes)")),
], ids=["no-frame", "in-header", "in-payload"])
def test_recv_frame_raises_connection_error_when_the_stream_ends(framing: StudentModule, tcp_peer: TCPPeer,
                                                                 sent: bytes, where: str) -> None:
    """recv_frame raises ConnectionError when the other side closes in the middle of a frame."""
    what = "recv_frame(conn)"
    child, port = start(framing, on_accepted(call("recv_frame", Ref("conn"))), what, deadline=HANG_DEADLINE)
    tcp_peer.talk((HOST, port), sent, read_timeout=1.0)  # then half-close: nothing more will come
    result = collect(child)
    exc = result.exception
    if exc is not None and exc.is_a("ConnectionError"):
        return
    if result.completed:
        pytest.fail(tr("{what} returned {value} although the connection closed {where} "
                       "(the test sent {sent!r}): expected ConnectionError",
                       what=what, value=show(result.value), where=where, sent=sent))
    framing.check(result, what, "recv_frame", expected="ConnectionError",
                  awaiting=tr("The test sent {sent!r} and closed {where}. ", sent=sent, where=where)
                  + EOF_MISTAKE)


@pytest.mark.points(1)
@pytest.mark.visibility("hidden")
def test_recv_frame_refuses_an_absurd_length(framing: StudentModule, tcp_peer: TCPPeer) -> None:
    """A header announcing 4 GB (more than MAX_FRAME) makes recv_frame raise ValueError, not allocate it."""
    what = "recv_frame(conn)"
    child, port = start(framing, on_accepted(call("recv_frame", Ref("conn"))), what)
    tcp_peer.talk((HOST, port), b"\xff\xff\xff\xff" + b"x" * 100, read_timeout=1.0)
    result = collect(child)
    exc = result.exception
    if exc is not None and exc.is_a("ValueError"):
        return
    if result.completed:
        pytest.fail(tr("{what} returned {value} for a frame announcing 4294967295 bytes: "
                       "expected ValueError (more than MAX_FRAME)", what=what, value=show(result.value)))
    framing.check(result, what, "recv_frame", expected="ValueError",
                  awaiting=tr("Check the announced length against MAX_FRAME before reading the payload."))
