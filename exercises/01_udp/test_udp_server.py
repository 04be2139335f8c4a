"""Visible tests for 01_udp/udp_server.py: a UDP echo server.

Your server runs in a separate process on 127.0.0.1 with a port the operating system
picks (port 0). The test then plays the client: a recording UDP peer sends datagrams to
your server and records every reply, so a failure shows exactly what went over the wire
(``C:`` what the test sent, ``S:`` what your server answered).

Run them with ``pytest exercises/01_udp`` (add ``--sw`` to stop at the first failure).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from grader.harness import Ref, RunResult, SocketInfo, StudentFailure, StudentModule, StudentRun, call
from grader.harness.verdict import suspect
from grader.messages.texts import tr
from grader.servers.peers import CLIENT_ROLE, UDPPeer

SERVER = "01_udp/udp_server.py"
HOST = "127.0.0.1"
MAKE = "make_udp_socket('127.0.0.1', 0)"
REPLY_TIMEOUT = 1.5
"""Seconds the test waits for each reply (loopback answers take milliseconds)."""
DEADLINE = 6.0
"""Seconds before the server's process is stopped, if it never returns."""


@pytest.fixture
def server(student_module: Callable[..., StudentModule]) -> StudentModule:
    return student_module(SERVER)


def start(server: StudentModule, *steps: dict[str, Any]) -> tuple[StudentRun, int]:
    """Run make_udp_socket('127.0.0.1', 0) then ``steps`` in a child; return the run and its port."""
    run, port = server.start_server([call("make_udp_socket", HOST, 0, save="sock"), *steps],
                                    socket="sock", what=MAKE, deadline=DEADLINE)
    if not port:
        run.kill()
        pytest.fail(tr("{call} returned a socket that is not bound to a port: call sock.bind((host, port))",
                       call=MAKE))
    return run, port


def ask(peer: UDPPeer, port: int, datagrams: list[bytes]) -> list[bytes | None]:
    """Send each datagram and wait for its reply; stop at the first one that gets none."""
    replies: list[bytes | None] = []
    for data in datagrams:
        reply = peer.request((HOST, port), data, timeout=REPLY_TIMEOUT)
        replies.append(reply)
        if reply is None:
            break
    return replies


def finish(server: StudentModule, run: StudentRun, what: str, replies: list[bytes | None],
           awaiting: str | None = None) -> RunResult | None:
    """Collect the server's run and check it; None when it is still running but stopped replying.

    A missing reply is judged at once instead of waiting for the deadline: if the code
    crashed (or is a stub) that is the verdict, else the caller reports the missing reply.
    A crash on a bad datagram gets its own explanation.
    """
    __tracebackhide__ = True
    if None in replies and run.wait_event("raised", timeout=0.5) is None \
            and run.wait_event("done", timeout=0) is None:
        run.kill()  # alive but silent: check_replies says what is missing
        return None
    try:
        return server.finish(run, what, awaiting=awaiting)
    except StudentFailure as failure:
        exc = failure.result.exception if failure.result else None
        if exc is None or not exc.is_a("UnicodeDecodeError"):
            raise
        raise StudentFailure(
            tr("{what} raised {error} on a datagram that is not UTF-8.\n\nYour traceback:\n{traceback}\n\n",
               what=what, error=exc, traceback=exc.traceback)
            + suspect("server_dies_on_bad_datagram"), failure.result) from None


def check_replies(what: str, sent: list[bytes], replies: list[bytes | None], expected: list[bytes]) -> None:
    for i, (data, want) in enumerate(zip(sent, expected, strict=True)):
        got = replies[i] if i < len(replies) else None
        assert got is not None, tr(
            "{what}: no reply to datagram {n} ({data!r}) within {seconds} s. Reply with "
            "sock.sendto(reply_bytes, addr), using the addr that recvfrom() returned.",
            what=what, n=i + 1, data=data, seconds=REPLY_TIMEOUT)
        assert got == want, tr("{what}: datagram {n} ({data!r}) got the reply {got!r}, expected {want!r}",
                               what=what, n=i + 1, data=data, got=got, want=want)


# -- make_udp_socket -----------------------------------------------------------------------------


@pytest.mark.points(2)
def test_make_udp_socket_binds_a_datagram_socket(server: StudentModule) -> None:
    """make_udp_socket("127.0.0.1", 0) returns a UDP socket bound to 127.0.0.1 on a free port."""
    info = server.call("make_udp_socket", HOST, 0)
    assert isinstance(info, SocketInfo), tr("{call} returned {value!r}, not a socket", call=MAKE, value=info)
    assert not info.closed, tr("{call} returned a closed socket: don't close it, the server still needs it",
                               call=MAKE)
    assert info.type == "SOCK_DGRAM", tr(
        "{call} returned a {kind} socket: UDP needs socket.SOCK_DGRAM (SOCK_STREAM is TCP)",
        call=MAKE, kind=info.type)
    assert info.laddr is not None and info.laddr[0] == HOST and info.port, tr(
        "{call} returned a socket bound to {laddr!r}: expected ('127.0.0.1', <a port > 0>). "
        "Did you call sock.bind((host, port))?", call=MAKE, laddr=info.laddr)


# -- serve_once ----------------------------------------------------------------------------------


@pytest.mark.points(2)
def test_serve_once_echoes_one_datagram(server: StudentModule, udp_peer: UDPPeer) -> None:
    """serve_once answers b"hello" with b"echo: hello" and returns "hello"."""
    run, port = start(server, call("serve_once", Ref("sock")))
    replies = ask(udp_peer, port, [b"hello"])
    result = finish(server, run, "serve_once(sock)", replies)
    check_replies("serve_once(sock)", [b"hello"], replies, [b"echo: hello"])
    value = result.value if result else None
    assert value == "hello", tr("serve_once(sock) returned {value!r}, expected 'hello' (the decoded text)",
                                value=value)
    exchanges = [c for c in udp_peer.transcript.connections if c.note == CLIENT_ROLE]
    assert [c.server_lines() for c in exchanges] == [[b"echo: hello"]], tr(
        "the test expected exactly one reply datagram, b'echo: hello'")


@pytest.mark.points(1)
def test_serve_once_answers_bad_utf8_with_an_error(server: StudentModule, udp_peer: UDPPeer) -> None:
    """A datagram that is not UTF-8 gets the reply b"error: not UTF-8" and serve_once returns ""."""
    bad = b"\xff\xfe hi"
    run, port = start(server, call("serve_once", Ref("sock")))
    replies = ask(udp_peer, port, [bad])
    result = finish(server, run, "serve_once(sock)", replies)
    check_replies("serve_once(sock)", [bad], replies, [b"error: not UTF-8"])
    value = result.value if result else None
    assert value == "", tr(
        "serve_once(sock) returned {value!r} for a datagram that is not UTF-8, expected ''", value=value)


# -- serve ---------------------------------------------------------------------------------------


@pytest.mark.points(3)
def test_serve_answers_several_datagrams_and_survives_a_bad_one(server: StudentModule,
                                                               udp_peer: UDPPeer) -> None:
    """serve(sock, 3) answers three datagrams in a row, even when the second is not UTF-8."""
    sent = [b"one", b"\xff not utf-8", "你好".encode()]
    expected = [b"echo: one", b"error: not UTF-8", "echo: 你好".encode()]
    run, port = start(server, call("serve", Ref("sock"), 3))
    replies = ask(udp_peer, port, sent)
    finish(server, run, "serve(sock, 3)", replies,
           awaiting=tr("serve(sock, 3) should return after answering 3 datagrams."))
    check_replies("serve(sock, 3)", sent, replies, expected)
