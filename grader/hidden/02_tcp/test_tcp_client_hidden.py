"""Hidden tests for 02_tcp/tcp_client.py: the servers that break a beginner's TCP client.

A recording TCP peer plays the server: by default it reads until the client half-closes,
then replies ``b"Received: " + request`` and closes. Faults make the usual mistakes
visible on the wire: a reply trickled one byte per ``send`` (one ``recv`` is not
enough), a server that does not read for a while (one ``send`` does not send a large
request), a server that only answers after the end of the request (no half-close, no
answer). A hang is judged by what the peer saw: did it get the end of the request, did
it reply and close?
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from grader.harness import RunResult, StudentModule, call, describe_call
from grader.hidden.support import fail_mistake, show
from grader.messages.texts import tr
from grader.servers.peers import TCPPeer
from grader.servers.transcript import Connection

pytestmark = pytest.mark.exercise("02_tcp/tcp_client")

CLIENT = "02_tcp/tcp_client.py"
HOST = "127.0.0.1"
TIMEOUT = 1.0
"""The ``timeout`` passed to tcp_request: loopback answers take milliseconds."""
DEADLINE = 2.5
"""Seconds before the child running tcp_request is stopped (a hang becomes a verdict)."""
EOF_NOTE = b"EOF from client"
BIG = 2 * 1024 * 1024
"""A request far larger than what the kernel buffers while the slow server does not read."""
SMALL_MSS = 1000
"""Segment size the slow server asks for: it keeps the client's send buffer small."""
READ_DELAY = 0.5
"""How long the slow server waits before reading: longer than one ``send`` takes to fill the buffers."""
SLOW_TIMEOUT = 3.0
"""tcp_request's timeout with the slow server: sendall must wait READ_DELAY, then 2 MiB flow."""


@pytest.fixture
def client(student_module: Callable[..., StudentModule]) -> StudentModule:
    return student_module(CLIENT)


def count_reply(data: bytes) -> bytes:
    """A short reply for a huge request: how many bytes arrived."""
    return b"Received %d bytes" % len(data)


def what(port: int, text: str, timeout: float = TIMEOUT) -> str:
    return describe_call("tcp_request", (HOST, port, text), {"timeout": timeout})


def events_of(conn: Connection) -> list[bytes]:
    return [e.data for e in conn.events if e.direction == "*"]


def run_request(client: StudentModule, peer: TCPPeer, text: str, *, timeout: float = TIMEOUT,
                deadline: float = DEADLINE) -> RunResult:
    """Run tcp_request(HOST, peer.port, text, timeout=timeout) in a child and judge the outcome."""
    __tracebackhide__ = True
    with client.run([call("tcp_request", HOST, peer.port, text, timeout=timeout)], deadline=deadline) as run:
        result = run.result()
    judge(client, peer, result, what(peer.port, text, timeout), timeout)
    return result


def judge(client: StudentModule, peer: TCPPeer, result: RunResult, called: str, timeout: float) -> None:
    """Fail unless tcp_request returned; name the mistake behind a hang or a timeout.

    A hang is judged by the peer's transcript: if the peer did not see the end of the
    request soon after the connection opened, the client did not half-close; if it saw
    it, replied and closed, yet the client kept waiting, the client never saw b"".
    """
    __tracebackhide__ = True
    exc = result.exception
    if exc is not None and (exc.phase != "call" or exc.not_implemented):
        client.check(result, called, "tcp_request")
    stuck = result.timed_out or (exc is not None and exc.is_a("TimeoutError"))
    if stuck and peer.connections:
        peer.wait_closed(1, timeout=2.0)
        conn = peer.connections[0]
        eof_at = next((e.t for e in conn.events if e.data == EOF_NOTE), None)
        sent = conn.client_data
        if eof_at is None or eof_at - conn.opened > timeout / 2:
            fail_mistake(
                "no_half_close", call=called,
                expected=tr("the request ({size} bytes), then the end of the request (shutdown(SHUT_WR))",
                            size=len(sent)),
                actual=(tr("the server received {data} and then waited for more: the end of the "
                           "request came only when your socket was closed, ", data=show(sent, 80))
                        + (tr("after the test stopped your code") if result.timed_out
                           else tr("after your {exc}", exc=exc))),
                detail=tr("The server replies only once it knows the request is complete."))
        if result.timed_out and conn.server_data and conn.closed is not None:
            fail_mistake(
                "eof_compared_with_str", call=called,
                expected=tr("tcp_request returns once recv() returns b'' (the server closed the connection)"),
                actual=tr("the server sent {data} and closed the connection, but "
                          "tcp_request was still running {seconds:.1f} s later",
                          data=show(conn.server_data, 80), seconds=result.duration),
                detail=tr("A loop that waits for '' (str) never ends: recv() returns b'' again and again."))
    client.check(result, called, "tcp_request")


def single_connection(peer: TCPPeer, called: str) -> Connection:
    __tracebackhide__ = True
    assert peer.wait_closed(1, timeout=2.0), tr("{called}: the connection to the server was never closed",
                                                called=called)
    assert len(peer.connections) == 1, tr(
        "{called} should open exactly one connection, the server saw {count}",
        called=called, count=len(peer.connections))
    return peer.connections[0]


# -- the reply -------------------------------------------------------------------------------------


@pytest.mark.points(3)
@pytest.mark.tcp_peer(trickle=True, trickle_gap=0.01)
def test_reply_trickled_one_byte_per_send_is_read_whole(client: StudentModule, tcp_peer: TCPPeer) -> None:
    """A reply the server sends one byte at a time (slowly) is returned whole, not just its first byte."""
    text = "trickle test"
    called = what(tcp_peer.port, text)
    value = run_request(client, tcp_peer, text).value
    conn = single_connection(tcp_peer, called)
    expected = "Received: " + text
    if value != expected and isinstance(value, str) and expected.startswith(value):
        fail_mistake("single_recv", call=called, expected=expected, actual=value,
                     detail=tr("The server sent {size} bytes, one per send(); its transcript shows "
                               "{data} sent before your client hung up.",
                               size=len(expected), data=show(conn.server_data)))
    assert value == expected, tr("{called} returned {value}, expected {expected!r}",
                                 called=called, value=show(value), expected=expected)


@pytest.mark.points(2)
@pytest.mark.tcp_peer(trickle=True, trickle_gap=0.005)
def test_chinese_reply_split_inside_a_character(client: StudentModule, tcp_peer: TCPPeer) -> None:
    """A Chinese reply sent one byte at a time (characters split between pieces) is decoded correctly."""
    text = "你好，世界"
    called = what(tcp_peer.port, text)
    with client.run([call("tcp_request", HOST, tcp_peer.port, text, timeout=TIMEOUT)],
                    deadline=DEADLINE) as run:
        result = run.result()
    exc = result.exception
    if exc is not None and exc.is_a("UnicodeDecodeError"):
        pytest.fail(tr("{called} raised {exc}\n\nEach Chinese character is 3 bytes in UTF-8 and the "
                       "reply came one byte per piece: decoding each piece separately cuts characters in "
                       "half. Join all the pieces first (b''.join(chunks)), then decode once.\n\n"
                       "Your traceback:\n{traceback}", called=called, exc=exc, traceback=exc.traceback))
    judge(client, tcp_peer, result, called, TIMEOUT)
    value = result.value
    expected = "Received: " + text
    if isinstance(value, str) and value != expected and expected.startswith(value):
        fail_mistake("single_recv", call=called, expected=expected, actual=value)
    assert value == expected, tr("{called} returned {value}, expected {expected!r}",
                                 called=called, value=show(value), expected=expected)
    assert tcp_peer.received(0) == text.encode("utf-8"), tr(
        "the server received {got}, expected the UTF-8 bytes {want!r}",
        got=show(tcp_peer.received(0)), want=text.encode())


@pytest.mark.points(2)
@pytest.mark.tcp_peer(reply=lambda data: b"Received: " + data * 20_000)
def test_long_reply_needs_many_recv_calls(client: StudentModule, tcp_peer: TCPPeer) -> None:
    """A reply of about 200 KB (far more than one recv(4096)) is returned whole."""
    text = "0123456789"
    called = what(tcp_peer.port, text)
    value = run_request(client, tcp_peer, text).value
    conn = single_connection(tcp_peer, called)
    expected = (b"Received: " + text.encode() * 20_000).decode()
    if isinstance(value, str) and value != expected and expected.startswith(value):
        fail_mistake("single_recv", call=called,
                     expected=tr("all {size} characters of the reply", size=len(expected)),
                     actual=tr("only the first {size}", size=len(value)),
                     detail=tr("The server sent {size} bytes and then closed the connection.",
                               size=len(conn.server_data)))
    assert value == expected, tr(
        "{called} returned {got} characters, expected the {size} characters the server sent",
        called=called, got=len(value) if isinstance(value, str) else show(value), size=len(expected))


@pytest.mark.points(1)
def test_empty_request_still_gets_the_reply(client: StudentModule, tcp_peer: TCPPeer) -> None:
    """tcp_request with "" sends nothing, half-closes, and returns the reply "Received: "."""
    called = what(tcp_peer.port, "")
    value = run_request(client, tcp_peer, "").value
    conn = single_connection(tcp_peer, called)
    assert conn.client_data == b"", tr("the server received {got}, expected nothing",
                                       got=show(conn.client_data))
    assert value == "Received: ", tr("{called} returned {value}, expected 'Received: '",
                                     called=called, value=show(value))


# -- the request -----------------------------------------------------------------------------------


@pytest.mark.points(3)
def test_large_request_to_a_slow_server_arrives_whole(
        client: StudentModule, make_tcp_peer: Callable[..., TCPPeer]) -> None:
    """A 2 MB request to a server that is slow to read arrives complete (every byte, in order)."""
    text = "0123456789abcdef" * (BIG // 16)
    peer = make_tcp_peer(read_delay=READ_DELAY, segment_size=SMALL_MSS, reply=count_reply, max_bytes=2 * BIG)
    called = what(peer.port, tr("<2 MiB of text>"), timeout=SLOW_TIMEOUT)
    with client.run([call("tcp_request", HOST, peer.port, text, timeout=SLOW_TIMEOUT)],
                    deadline=SLOW_TIMEOUT + 2) as run:
        result = run.result()
    judge(client, peer, result, called, SLOW_TIMEOUT)
    assert peer.wait_closed(1, timeout=3.0), tr("{called}: the connection to the server was never closed",
                                                called=called)
    received = peer.received(0)
    if len(received) < len(text) and text.encode().startswith(received):
        fail_mistake("send_not_sendall", call=called,
                     expected=tr("all {size} bytes of the request", size=len(text)),
                     actual=tr("the server received only the first {size} bytes", size=len(received)),
                     detail=tr("The server did not read for a moment, so send() could pass only what "
                               "fit in the buffers; the rest was never sent."))
    assert received == text.encode(), tr(
        "{called}: the server received {got} bytes that differ from the "
        "{size} bytes of the request", called=called, got=len(received), size=len(text))
    assert result.value == f"Received {len(text)} bytes", tr(
        "{called} returned {value}, expected 'Received {size} bytes'",
        called=called, value=show(result.value), size=len(text))


@pytest.mark.points(2)
def test_half_closes_so_the_server_can_answer(client: StudentModule, tcp_peer: TCPPeer) -> None:
    """tcp_request signals the end of its request (half-close) right after sending it, then gets the reply."""
    text = "are you there?"  # tr: data
    called = what(tcp_peer.port, text)
    value = run_request(client, tcp_peer, text).value
    conn = single_connection(tcp_peer, called)
    eof = next((i for i, e in enumerate(conn.events) if e.data == EOF_NOTE), None)
    assert eof is not None, tr(
        "{called}: the server never saw the end of the request. Notes: {notes}",
        called=called, notes=events_of(conn))
    first_reply = next((i for i, e in enumerate(conn.events) if e.direction == "S"), len(conn.events))
    assert eof < first_reply, tr("{called}: the server must see the end of the request before it replies",
                                 called=called)
    assert value == "Received: " + text, tr("{called} returned {value}, expected {expected!r}",
                                            called=called, value=show(value), expected="Received: " + text)


@pytest.mark.points(1)
@pytest.mark.visibility("hidden")
def test_uses_the_port_it_is_given(
        client: StudentModule, make_tcp_peer: Callable[..., TCPPeer]) -> None:
    """Two servers on two different ports each get their own request."""
    first, second = make_tcp_peer(), make_tcp_peer(reply=lambda data: b"second: " + data)
    for peer, text, reply in ((first, "one", "Received: one"), (second, "two", "second: two")):
        called = what(peer.port, text)
        with client.run([call("tcp_request", HOST, peer.port, text, timeout=TIMEOUT)],
                        deadline=DEADLINE) as run:
            result = run.result()
        exc = result.exception
        if exc is not None and exc.is_a("ConnectionRefusedError") and not peer.connections:
            fail_mistake("hardcoded_address", call=called,
                         expected=tr("a connection to port {port}, where a server listens", port=peer.port),
                         actual=tr("that server saw no connection and your code raised {exc}", exc=exc))
        judge(client, peer, result, called, TIMEOUT)
        if not peer.connections:
            fail_mistake("hardcoded_address", call=called,
                         expected=tr("a connection to port {port}", port=peer.port),
                         actual=tr("that server saw no connection; tcp_request returned {value}",
                                   value=show(result.value)))
        assert result.value == reply, tr("{called} returned {value}, expected {expected!r}",
                                         called=called, value=show(result.value), expected=reply)


@pytest.mark.points(1)
@pytest.mark.tcp_peer(delay=5.0)
def test_silent_server_raises_timeout_error(client: StudentModule, tcp_peer: TCPPeer) -> None:
    """A server that takes too long to answer makes tcp_request raise TimeoutError after `timeout` seconds."""
    called = what(tcp_peer.port, "hello", 0.5)
    steps = [call("tcp_request", HOST, tcp_peer.port, "hello", timeout=0.5)]
    with client.run(steps, deadline=DEADLINE) as run:
        result = run.result()
    exc = result.exception
    if exc is not None and exc.is_a("TimeoutError"):
        return
    if result.completed:
        pytest.fail(tr("{called} returned {value} although the server never answered: "
                       "expected TimeoutError", called=called, value=show(result.value)))
    client.check(result, called, "tcp_request", expected="TimeoutError",
                 awaiting=tr("The server waits 5 s before answering: with sock.settimeout(timeout) recv() "
                             "raises TimeoutError after 0.5 s."))
