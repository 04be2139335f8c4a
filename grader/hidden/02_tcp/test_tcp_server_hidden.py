"""Hidden tests for 02_tcp/tcp_server.py: the clients that break a beginner's TCP server.

The student's functions run in a child process, on a listener the harness made (so a
bug in make_listener does not spoil the tests of handle_client and serve) or on the
student's own listener. A recording TCP peer plays the clients: it sends a request,
half-closes and reads the reply until the server closes. Verdicts rest on what the
peer saw: the reply bytes, whether the connection was closed, whether the second
client was refused, how many bytes arrived.
"""

from __future__ import annotations

import socket
import struct
import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest

from grader.harness import Ref, RunResult, SocketInfo, StudentModule, StudentRun, call
from grader.hidden.support import check, fail_mistake, show, suspect
from grader.messages.texts import tr
from grader.servers.peers import TalkResult, TCPPeer, set_segment_size

pytestmark = pytest.mark.exercise("02_tcp/tcp_server")

SERVER = "02_tcp/tcp_server.py"
HOST = "127.0.0.1"
DEADLINE = 5.0
"""Seconds before the child running the server is stopped, when it is expected to return."""
HANG_DEADLINE = 2.5
"""A shorter deadline where a hang is the mistake being hunted."""
READ_TIMEOUT = 1.0
"""Seconds the peer waits for a reply or for the end of the connection (loopback: milliseconds)."""
BIG = 1024 * 1024
"""A reply far larger than what the server's kernel buffers while the slow client does not read
(with SMALL_MSS segments). Not more: a server that collects the request with ``data += chunk``
(correct, but quadratic) needs seconds for 8 MB."""
SMALL_MSS = 1000
"""Segment size the slow client asks for. Linux sizes the server's send buffer from it: under
100 KB instead of about 4 MB with loopback's 64 KB segments."""
READ_DELAY = 0.5
"""How long the slow client waits before reading the reply."""
HANDLE = "handle_client(conn)"
HALF_CLOSED = (tr("The client half-closed after its request, so from then on your recv() returns b''. ")
               + suspect("eof_compared_with_str"))
"""What a hang after the client's half-close most likely means."""


@pytest.fixture
def server(student_module: Callable[..., StudentModule]) -> StudentModule:
    return student_module(SERVER)


def listener_steps(*steps: dict[str, Any]) -> list[dict[str, Any]]:
    """The harness's own listener ("listener"), then ``steps``."""
    return [{"op": "tcp_listener", "save": "listener", "timeout": DEADLINE}, *steps]


def accept(name: str) -> dict[str, Any]:
    return {"op": "accept", "listener": "listener", "save": name, "timeout": DEADLINE}


def start(server: StudentModule, steps: list[dict[str, Any]], what: str,
          deadline: float = DEADLINE) -> tuple[StudentRun, int]:
    __tracebackhide__ = True
    return server.start_server(steps, socket="listener", what=what, deadline=deadline)


def collect(run: StudentRun) -> RunResult:
    """Wait for the child (up to its deadline) and return what happened, without judging it yet."""
    try:
        return run.result()
    finally:
        run.kill()


def stub_or_crash(server: StudentModule, run: StudentRun, what: str, func: str) -> RunResult:
    """When a talk went wrong: a stub or a crash is reported as such before any mistake is named."""
    __tracebackhide__ = True
    result = collect(run)
    exc = result.exception
    if exc is not None and (exc.phase != "call" or exc.not_implemented):
        server.check(result, what, func)
    return result


def no_reply_hang(server: StudentModule, run: StudentRun, talk: TalkResult, what: str, func: str,
                  step: int | None = None) -> None:
    """A client that half-closed and waited in vain for any reply: name the EOF mistake.

    The child had the whole wait of the client to answer; if it is still running now,
    it is stuck, so it is stopped at once (no point waiting for its deadline). ``step``:
    the index of the step that calls ``func``, when more steps follow it; if the child
    got past it, ``func`` returned without a reply (it is not stuck, the child is merely
    waiting in a later step), which is a plain failure, not a hang.
    """
    __tracebackhide__ = True
    if talk.reply or talk.eof:
        return
    if (talk.error or "").startswith("timeout"):
        result = run.result(timeout=0)  # stops it if it is still running
        run.kill()
    else:
        result = stub_or_crash(server, run, what, func)
    exc = result.exception
    if exc is not None and (exc.phase != "call" or exc.not_implemented):
        server.check(result, what, func)
    if result.timed_out and step is not None and len(result.values) > step:
        pytest.fail(tr("{call} returned {value} without replying: the client sent its request, half-closed "
                       "and got nothing in {seconds:g} s ({error})", call=what,
                       value=show(result.values[step]), seconds=READ_TIMEOUT, error=talk.error_text))
    if result.timed_out:
        waited = tr("The client waited {seconds:g} s and got no reply ({error}). ",
                    seconds=READ_TIMEOUT, error=talk.error_text)
        server.check(result, what, func, awaiting=waited + HALF_CLOSED)


def start_handler(server: StudentModule, deadline: float = HANG_DEADLINE) -> tuple[StudentRun, int]:
    """The harness's listener accepts one client and hands the connection to handle_client(conn)."""
    __tracebackhide__ = True
    return start(server, listener_steps(accept("conn"), call("handle_client", Ref("conn"))), HANDLE,
                 deadline=deadline)


def reply_to(request: bytes) -> bytes:
    return b"Received: " + request


# -- make_listener ---------------------------------------------------------------------------------


@pytest.mark.points(1)
def test_make_listener_sets_reuseaddr_on_its_own_port(server: StudentModule) -> None:
    """Two listeners on port 0 get two different free ports, each with SO_REUSEADDR, both listening."""
    steps = [call("make_listener", HOST, 0, save="a"), call("make_listener", HOST, 0, 2, save="b")]
    with server.run(steps, deadline=DEADLINE) as run:
        result = run.result()
    exc = result.exception
    if exc is not None and result.failed_step == 1 and exc.is_a("OSError") and "in use" in str(exc).lower():
        fail_mistake("hardcoded_address", call="make_listener('127.0.0.1', 0) twice",
                     expected=tr("two listeners, each on its own free port (port 0 = let the OS choose)"),
                     actual=tr("the second one failed: {error}", error=exc))
    server.check(result, "make_listener('127.0.0.1', 0)", "make_listener")
    a, b = result.values
    for info in (a, b):
        assert isinstance(info, SocketInfo) and not info.closed, (
            tr("make_listener('127.0.0.1', 0) returned {info!r}: expected an open listening socket",
               info=info)
        )
        check(bool(info.reuseaddr), "no_reuseaddr", call="make_listener('127.0.0.1', 0)",
              expected=tr("SO_REUSEADDR = 1 on the listening socket"),
              actual=tr("SO_REUSEADDR = 0 (not set)"))
        assert info.listening is not False, tr("make_listener returned a socket that is not listening")
    check(a.port != b.port, "hardcoded_address", call="make_listener('127.0.0.1', 0) twice",
          expected=tr("two different free ports"),
          actual=tr("{first!r} and {second!r}", first=a.laddr, second=b.laddr))


@pytest.mark.points(2)
@pytest.mark.visibility("hidden")
def test_restart_on_the_same_port_right_after_a_client(server: StudentModule, tcp_peer: TCPPeer) -> None:
    """A server restarted on the port it just used (its last connection still in TIME_WAIT) binds again."""
    first = [call("make_listener", HOST, 0, save="listener"),
             {"op": "accept", "listener": "listener", "save": "conn", "timeout": DEADLINE},
             {"op": "close", "ref": "conn"},  # the server closes first: its side ends up in TIME_WAIT
             {"op": "close", "ref": "listener"}]
    run, port = server.start_server(first, socket="listener", what="make_listener('127.0.0.1', 0)",
                                    deadline=DEADLINE)
    talk = tcp_peer.talk((HOST, port), b"", half_close=False, read_timeout=2.0)  # until the server closes
    server.finish(run, "make_listener('127.0.0.1', 0)")
    assert talk.eof, tr("the test's client never saw the server close the connection: {error}",
                        error=talk.error_text)
    again = f"make_listener('127.0.0.1', {port})"
    with server.run([call("make_listener", HOST, port)], deadline=DEADLINE) as run:
        result = run.result()
    exc = result.exception
    if exc is not None and exc.is_a("OSError") and "in use" in exc.message.lower():
        fail_mistake("no_reuseaddr", call=again,
                     expected=tr("a new listener on port {port}, which a moment ago served a client",
                                 port=port),
                     actual=f"{exc}",
                     detail=tr("The closed connection still holds the port for a while "
                               "(TIME_WAIT); SO_REUSEADDR lets a new listener bind it anyway."))
    server.check(result, again, "make_listener")
    info = result.value
    assert isinstance(info, SocketInfo) and info.port == port, (
        tr("{call} returned {info!r}: expected a listener on port {port}", call=again, info=info, port=port)
    )


# -- handle_client ---------------------------------------------------------------------------------


@pytest.mark.points(2)
def test_handle_client_closes_so_the_client_sees_the_end(server: StudentModule, tcp_peer: TCPPeer) -> None:
    """After its reply, handle_client closes the connection, even while the program goes on running."""
    steps = listener_steps(accept("c1"), call("handle_client", Ref("c1")),
                           accept("c2"), call("handle_client", Ref("c2")))
    run, port = start(server, steps, HANDLE, deadline=HANG_DEADLINE + READ_TIMEOUT)
    first = tcp_peer.talk((HOST, port), b"first", read_timeout=READ_TIMEOUT)
    if first.reply == reply_to(b"first") and not first.eof:
        run.kill()
        fail_mistake("connection_not_closed", call=HANDLE,
                     expected=tr("the reply b'Received: first', then the end of the connection"),
                     actual=tr("the reply {reply}, then nothing for {seconds:g} s ({error})",
                               reply=show(first.reply), seconds=READ_TIMEOUT, error=first.error_text),
                     detail=tr("Here the program keeps running after handle_client returns (like a server "
                               "waiting for its next client), so nothing closes the connection for you."))
    no_reply_hang(server, run, first, HANDLE, "handle_client", step=2)
    second = tcp_peer.talk((HOST, port), b"second", read_timeout=READ_TIMEOUT)
    server.finish(run, HANDLE, awaiting=HALF_CLOSED)
    for talk, request in ((first, b"first"), (second, b"second")):
        assert talk.reply == reply_to(request) and talk.eof, (
            tr("{call}: the client sent {request!r} and got {reply}", call=HANDLE, request=request,
               reply=show(talk.reply))
            + (f" ({talk.error_text})" if talk.error else "")
            + tr(", expected {expected!r} then the end", expected=reply_to(request))
        )


@pytest.mark.points(2)
def test_handle_client_answers_as_soon_as_the_client_half_closes(server: StudentModule,
                                                                 tcp_peer: TCPPeer) -> None:
    """handle_client stops reading when recv() returns b'' (the client half-closed) and replies at once."""
    run, port = start_handler(server)
    talk = tcp_peer.talk((HOST, port), b"hello", read_timeout=READ_TIMEOUT)
    no_reply_hang(server, run, talk, HANDLE, "handle_client")
    awaiting = tr("The client sent b'hello' and got {reply} ({error}). ", reply=show(talk.reply),
                  error=talk.error_text or tr("no error")) + HALF_CLOSED
    result = server.finish(run, HANDLE, awaiting=awaiting)
    assert talk.reply == b"Received: hello" and talk.eof, (
        tr("{call}: the client got {reply} ({error}), expected b'Received: hello' and the end",
           call=HANDLE, reply=show(talk.reply), error=talk.error_text)
    )
    assert result.values[-1] == "hello", tr("{call} returned {value}, expected 'hello'", call=HANDLE,
                                            value=show(result.values[-1]))


@pytest.mark.points(2)
def test_handle_client_reads_a_200_kb_request(server: StudentModule, tcp_peer: TCPPeer) -> None:
    """A 200 KB request (far more than one recv(4096)) is read whole before the reply."""
    request = bytes(range(48, 58)) * 20_000
    run, port = start_handler(server)
    talk = tcp_peer.talk((HOST, port), request, read_timeout=READ_TIMEOUT)
    if talk.reply != reply_to(request):
        no_reply_hang(server, run, talk, HANDLE, "handle_client")
        result = stub_or_crash(server, run, HANDLE, "handle_client")
        answered = talk.reply[len(b"Received: "):]
        if talk.reply.startswith(b"Received: ") and len(answered) < len(request) \
                and request.startswith(answered):
            fail_mistake("single_recv", call=HANDLE,
                         expected=tr("a reply to all {size} bytes", size=len(request)),
                         actual=tr("a reply to the first {size} bytes only", size=len(answered))
                                + (tr("; then it stopped reading: {error}", error=talk.error_text)
                                   if talk.error else ""))
        server.check(result, HANDLE, "handle_client")
        pytest.fail(tr("{call}: a {size}-byte request got {got} bytes back ({start}...), "
                       "expected b'Received: ' + the request ({error})", call=HANDLE, size=len(request),
                       got=len(talk.reply), start=show(talk.reply[:40]), error=talk.error_text))
    result = server.finish(run, HANDLE, awaiting=HALF_CLOSED)
    assert result.values[-1] == request.decode(), tr("{call} did not return the whole request as text",
                                                     call=HANDLE)


@pytest.mark.points(3)
def test_handle_client_sends_a_1_mb_reply_to_a_slow_client(server: StudentModule, tcp_peer: TCPPeer) -> None:
    """A 1 MB reply to a client that is slow to read arrives complete (every byte)."""
    request = b"0123456789abcdef" * (BIG // 16)
    expected = reply_to(request)
    run, port = start(server, listener_steps(accept("conn"), call("handle_client", Ref("conn"))), HANDLE,
                      deadline=DEADLINE + READ_DELAY)
    conn = tcp_peer.transcript.open((HOST, port), note=tr("client role, slow reader"))
    reply = bytearray()
    error = ""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            set_segment_size(sock, SMALL_MSS)  # small segments: a small send buffer on the server's side
            sock.settimeout(5.0)
            sock.connect((HOST, port))
            sock.sendall(request)
            sock.shutdown(socket.SHUT_WR)
            tcp_peer.transcript.record(conn, "*", b"sent %d bytes, half-closed; not reading for %g s"
                                       % (len(request), READ_DELAY))
            threading.Event().wait(READ_DELAY)  # the slow reader IS the behaviour under test
            sock.settimeout(2.0)
            while chunk := sock.recv(1 << 20):
                reply += chunk
            tcp_peer.transcript.record(conn, "*", b"read %d bytes, then EOF" % len(reply))
        except TimeoutError:
            error = f"timeout waiting for EOF after {len(reply)} bytes"  # tr: data (matched: "timeout")
        except OSError as exc:
            error = f"{type(exc).__name__}: {exc}"
        if error:
            tcp_peer.transcript.record(conn, "*", error.encode())
    tcp_peer.transcript.close(conn, "closed (client role)")
    no_reply_hang(server, run, TalkResult(reply=bytes(reply), eof=not error, error=error or None), HANDLE,
                  "handle_client")
    result = collect(run)
    exc = result.exception
    if exc is not None and (exc.phase != "call" or exc.not_implemented):
        server.check(result, HANDLE, "handle_client")
    if len(reply) < len(expected) and expected.startswith(bytes(reply)) and result.completed \
            and result.values[-1] == request.decode():
        fail_mistake("send_not_sendall", call=HANDLE,
                     expected=tr("a reply of {size} bytes", size=len(expected)),
                     actual=tr("the client received only the first {size} bytes", size=len(reply)),
                     detail=tr("The client did not read for a moment, so send() could pass only what fit "
                               "in the buffers; the rest was never sent."))
    server.check(result, HANDLE, "handle_client", awaiting=HALF_CLOSED)
    assert not error and bytes(reply) == expected, (
        tr("{call}: the client received {got} bytes, expected the {size} bytes of "
           "b'Received: ' + the request {error}", call=HANDLE, got=len(reply), size=len(expected),
           error=error)
    )


@pytest.mark.points(1)
def test_handle_client_empty_request(server: StudentModule, tcp_peer: TCPPeer) -> None:
    """A client that sends nothing and half-closes gets b"Received: " and handle_client returns ""."""
    run, port = start_handler(server)
    talk = tcp_peer.talk((HOST, port), b"", read_timeout=READ_TIMEOUT)
    no_reply_hang(server, run, talk, HANDLE, "handle_client")
    result = server.finish(run, HANDLE, awaiting=HALF_CLOSED)
    assert talk.reply == b"Received: " and talk.eof, (
        tr("{call}: the empty request got {reply} ({error}), expected b'Received: '", call=HANDLE,
           reply=show(talk.reply), error=talk.error_text)
    )
    assert result.values[-1] == "", tr("{call} returned {value}, expected ''", call=HANDLE,
                                       value=show(result.values[-1]))


@pytest.mark.points(1)
def test_handle_client_request_that_is_not_utf8(server: StudentModule, tcp_peer: TCPPeer) -> None:
    """Bytes that are not UTF-8 get the reply b"error: not UTF-8" (the connection still closes)."""
    bad = b"caf\xe9 \xff"
    run, port = start_handler(server)
    talk = tcp_peer.talk((HOST, port), bad, read_timeout=READ_TIMEOUT)
    no_reply_hang(server, run, talk, HANDLE, "handle_client")
    result = server.finish(run, HANDLE, awaiting=HALF_CLOSED)
    assert talk.reply == b"error: not UTF-8" and talk.eof, (
        tr("{call}: the request {bad!r} got {reply} ({error}), expected b'error: not UTF-8'. "
           "Catch UnicodeDecodeError and reply with the error.", call=HANDLE, bad=bad, reply=show(talk.reply),
           error=talk.error_text)
    )
    assert result.values[-1] == "", tr("{call} returned {value}, expected ''", call=HANDLE,
                                       value=show(result.values[-1]))


# -- serve -----------------------------------------------------------------------------------------


@pytest.mark.points(3)
def test_serve_forever_answers_client_after_client(server: StudentModule, tcp_peer: TCPPeer) -> None:
    """serve(listener) without max_clients answers three clients in a row and is still serving after them."""
    what = "serve(listener)"
    run, port = start(server, listener_steps(call("serve", Ref("listener"))), what)
    talks: list[TalkResult] = []
    for i in range(1, 4):
        request = f"client {i}".encode()
        talk = tcp_peer.talk((HOST, port), request, read_timeout=READ_TIMEOUT)
        talks.append(talk)
        if talk.reply != reply_to(request) or not talk.eof:
            break
    last = talks[-1]
    if last.reply and not last.eof:
        run.kill()
        fail_mistake("connection_not_closed", call=what,
                     expected=tr("the reply, then the end of the connection for client {n}", n=len(talks)),
                     actual=tr("the reply {reply}, then nothing for {seconds:g} s ({error})",
                               reply=show(last.reply), seconds=READ_TIMEOUT, error=last.error_text))
    if len(talks) < 3 or last.reply != reply_to(b"client 3"):
        no_reply_hang(server, run, last, what, "serve")
        result = stub_or_crash(server, run, what, "serve")
        if len(talks) > 1 and last.reply == b"" and (
                last.error == "connection refused" or (last.error or "").startswith("reset")
                or "closed the connection" in (last.error or "")):  # tr: data
            ended = (tr("Your serve raised {error} after the first client.", error=result.exception)
                     if result.exception else tr("Your serve returned after the first client."))
            fail_mistake("closed_listener", call=what,
                         expected=tr("client {n} answered like client 1", n=len(talks)),
                         actual=tr("client 1 was answered, client {n} got: {error}", n=len(talks),
                                   error=last.error_text),
                         detail=ended)
        server.check(result, what, "serve")
        pytest.fail(tr("{what}: client {n} sent {request!r} and got {reply} ({error})", what=what,
                       n=len(talks), request=f"client {len(talks)}".encode(), reply=show(last.reply),
                       error=last.error_text))
    result = run.result(timeout=0)  # still serving: the deadline passed at once, the child is stopped
    run.kill()
    if not result.timed_out:
        server.check(result, what, "serve")
        pytest.fail(tr("{what} returned after 3 clients: without max_clients it must serve forever",
                       what=what))


@pytest.mark.points(2)
def test_serve_survives_a_client_that_resets(server: StudentModule, tcp_peer: TCPPeer) -> None:
    """A client that sends half a request and then resets the connection does not stop serve(listener, 2)."""
    what = "serve(listener, max_clients=2)"
    run, port = start(server, listener_steps(call("serve", Ref("listener"), max_clients=2)), what)
    conn = tcp_peer.transcript.open((HOST, port), note=tr("client role, resets"))
    try:
        with tcp_peer.connect((HOST, port), timeout=2.0) as rude:
            rude.sendall(b"half a req")
            tcp_peer.transcript.record(conn, "C", b"half a req")
            linger = struct.pack("HH" if sys.platform == "win32" else "ii", 1, 0)
            rude.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)  # close() now sends RST
    except OSError as error:  # no server there any more: the student's serve, not the test, ended it
        tcp_peer.transcript.close(conn, repr(error))
        result = stub_or_crash(server, run, what, "serve")
        server.check(result, what, "serve")
        pytest.fail(tr("{what} returned {value} before its first client could send a request ({error}): "
                       "it must accept and answer max_clients clients, then return", what=what,
                       value=show(result.value), error=error))
    tcp_peer.transcript.close(conn, "reset by the client (SO_LINGER 0)")  # tr: data (a transcript note)
    talk = tcp_peer.talk((HOST, port), b"polite", read_timeout=READ_TIMEOUT)
    if talk.reply != b"Received: polite":
        no_reply_hang(server, run, talk, what, "serve")
        result = stub_or_crash(server, run, what, "serve")
        exc = result.exception
        if exc is not None and exc.is_a("OSError"):
            pytest.fail(tr("{what} stopped when the first client reset its connection: {error}\n\n"
                           "The next client got {reply} ({talk_error}). Catch OSError (ConnectionResetError, "
                           "BrokenPipeError, TimeoutError) around handle_client(conn), close that "
                           "connection, and go on with the next client.\n\nYour traceback:\n{traceback}",
                           what=what, error=exc, reply=show(talk.reply), talk_error=talk.error_text,
                           traceback=exc.traceback))
        server.check(result, what, "serve")
        pytest.fail(tr("{what}: after a client reset its connection, the next client got {reply} "
                       "({error}), expected b'Received: polite'", what=what, reply=show(talk.reply),
                       error=talk.error_text))
    server.finish(run, what, awaiting=tr("{what} should return after the two clients.", what=what))
