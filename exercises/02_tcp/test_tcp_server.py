"""Visible tests for 02_tcp/tcp_server.py: a TCP server that serves one client after another.

Your server runs in a separate process on 127.0.0.1 with a port the operating system
picks (port 0). The test then plays the client with a recording TCP peer: it connects,
sends a request, half-closes (``shutdown(SHUT_WR)``: "my request is complete") and
reads your reply until you close the connection. A failure shows the exchange (``C:``
what the test sent, ``S:`` what your server answered).

Run them with ``pytest exercises/02_tcp`` (add ``--sw`` to stop at the first failure).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from grader.harness import Ref, SocketInfo, StudentFailure, StudentModule, StudentRun, call
from grader.harness.verdict import suspect
from grader.messages.texts import tr
from grader.servers.peers import TalkResult, TCPPeer

SERVER = "02_tcp/tcp_server.py"
HOST = "127.0.0.1"
MAKE = "make_listener('127.0.0.1', 0)"
DEADLINE = 6.0
"""Seconds before the server's process is stopped, if it never returns."""


@pytest.fixture
def server(student_module: Callable[..., StudentModule]) -> StudentModule:
    return student_module(SERVER)


def start_handler(server: StudentModule) -> tuple[StudentRun, int]:
    """The test's own listener accepts one client, then hands the connection to handle_client(conn).

    The step after handle_client reports whether the connection was closed.
    """
    steps: list[dict[str, Any]] = [
        {"op": "tcp_listener", "save": "listener", "timeout": DEADLINE},
        {"op": "accept", "listener": "listener", "save": "conn", "timeout": DEADLINE},
        call("handle_client", Ref("conn")),
        {"op": "socket_info", "ref": "conn"},
    ]
    return server.start_server(steps, socket="listener", what="handle_client(conn)", deadline=DEADLINE)


def check_talk(what: str, talk: TalkResult, expected: bytes) -> None:
    assert talk.reply == expected, (
        tr("{what}: the client sent its request and got the reply {reply!r}, expected {expected!r}",
           what=what, reply=talk.reply, expected=expected)
        + (f" ({talk.error_text})" if talk.error else "")
    )
    assert talk.eof, (
        tr("{what}: the reply was right but the connection was not closed ({error}). ",
           what=what, error=talk.error_text)
        + suspect("connection_not_closed")
    )


# -- make_listener -------------------------------------------------------------------------------


@pytest.mark.points(2)
def test_make_listener_returns_a_listening_stream_socket(server: StudentModule) -> None:
    """make_listener("127.0.0.1", 0) returns a TCP socket with SO_REUSEADDR, bound and listening."""
    info = server.call("make_listener", HOST, 0)
    assert isinstance(info, SocketInfo), tr("{call} returned {value!r}, not a socket", call=MAKE, value=info)
    assert not info.closed, tr("{call} returned a closed socket: the server still needs it", call=MAKE)
    assert info.type == "SOCK_STREAM", (
        tr("{call} returned a {kind} socket: TCP needs socket.SOCK_STREAM (SOCK_DGRAM is UDP)",
           call=MAKE, kind=info.type)
    )
    assert info.laddr is not None and info.laddr[0] == HOST and info.port, (
        tr("{call} returned a socket bound to {laddr!r}: expected ('127.0.0.1', <a port > 0>). "
           "Did you call sock.bind((host, port))?", call=MAKE, laddr=info.laddr)
    )
    assert info.reuseaddr, tr("{call}: SO_REUSEADDR is not set. ", call=MAKE) + suspect("no_reuseaddr")
    assert info.listening is not False, tr("{call}: the socket is not listening: call sock.listen(backlog)",
                                           call=MAKE)


# -- handle_client -------------------------------------------------------------------------------


@pytest.mark.points(3)
def test_handle_client_replies_and_closes(server: StudentModule, tcp_peer: TCPPeer) -> None:
    """handle_client answers the request b"hi" with b"Received: hi", closes the connection, returns "hi"."""
    run, port = start_handler(server)
    talk = tcp_peer.talk((HOST, port), b"hi")
    result = server.finish(run, "handle_client(conn)",
                           awaiting=tr("Read until recv() returns b'' (the client half-closed), then reply."))
    check_talk("handle_client(conn)", talk, b"Received: hi")
    _listener, _conn, value, conn_after = result.values
    assert value == "hi", tr("handle_client(conn) returned {value!r}, expected 'hi' (the decoded request)",
                             value=value)
    assert isinstance(conn_after, SocketInfo) and conn_after.closed, (
        tr("handle_client(conn) returned without closing the connection. ") + suspect("connection_not_closed")
    )


@pytest.mark.points(2)
def test_handle_client_reads_a_request_that_arrives_in_pieces(server: StudentModule,
                                                              tcp_peer: TCPPeer) -> None:
    """A request sent one byte at a time (Chinese text too) is read whole before the reply."""
    request = "hello, 世界".encode()
    run, port = start_handler(server)
    talk = tcp_peer.talk((HOST, port), request, trickle=True)
    result = server.finish(run, "handle_client(conn)")
    check_talk(tr("handle_client(conn) with a request sent one byte at a time"), talk,
               b"Received: " + request)
    assert result.values[2] == "hello, 世界", (
        tr("handle_client(conn) returned {value!r}, expected 'hello, 世界'. ", value=result.values[2])
        + suspect("single_recv")
    )


# -- serve ---------------------------------------------------------------------------------------


@pytest.mark.points(3)
def test_serve_answers_two_clients_in_a_row(server: StudentModule, tcp_peer: TCPPeer) -> None:
    """serve(listener, max_clients=2) answers two clients one after the other and keeps the listener open."""
    what = "serve(listener, max_clients=2)"
    steps = [call("make_listener", HOST, 0, save="listener"),
             call("serve", Ref("listener"), max_clients=2),
             {"op": "socket_info", "ref": "listener"}]
    run, port = server.start_server(steps, socket="listener", what=MAKE, deadline=DEADLINE)
    first = tcp_peer.talk((HOST, port), b"first client")
    second = tcp_peer.talk((HOST, port), b"second client")
    try:
        result = server.finish(run, what,
                               awaiting=tr("{what} should return after serving 2 clients.", what=what))
    except StudentFailure as failure:
        if first.ok and second.error:  # the first client was served, the second not
            text = tr("{failure}\n\nThe second client got: {error}. ", failure=failure, error=second.error_text)
            raise StudentFailure(text + suspect("closed_listener"), failure.result) from None
        raise
    check_talk(tr("{what}, first client", what=what), first, b"Received: first client")
    assert second.error != "connection refused", (
        tr("{what}: the second client was refused. ", what=what) + suspect("closed_listener")
    )
    check_talk(tr("{what}, second client", what=what), second, b"Received: second client")
    listener_after = result.values[-1]
    assert isinstance(listener_after, SocketInfo) and not listener_after.closed, (
        tr("{what} closed the listening socket. ", what=what) + suspect("closed_listener")
    )
