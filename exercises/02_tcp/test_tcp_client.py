"""Visible tests for 02_tcp/tcp_client.py: a TCP client that reads the whole reply.

A recording TCP peer on 127.0.0.1 plays the server: it reads your request until you
half-close (``shutdown(SHUT_WR)``), then replies ``b"Received: " + request`` and closes.
The tests check what your function returned and what the peer received (``C:`` your
bytes, ``S:`` the peer's reply), including the end-of-request signal.

Run them with ``pytest exercises/02_tcp`` (add ``--sw`` to stop at the first failure).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from grader.harness import StudentFailure, StudentModule
from grader.harness.verdict import suspect
from grader.messages.texts import tr
from grader.servers.peers import TCPPeer

CLIENT = "02_tcp/tcp_client.py"
HOST = "127.0.0.1"
EOF_NOTE = b"EOF from client"
"""The note the peer records when the client half-closes."""


@pytest.fixture
def client(student_module: Callable[..., StudentModule]) -> StudentModule:
    return student_module(CLIENT, timeout=8.0)


def request(client: StudentModule, peer: TCPPeer, text: str) -> Any:
    """Call tcp_request(HOST, peer.port, text, timeout=2.0); explain a missing half-close."""
    __tracebackhide__ = True
    try:
        return client.call("tcp_request", HOST, peer.port, text, timeout=2.0)
    except StudentFailure as failure:
        exc = failure.result.exception if failure.result else None
        if peer.connections and exc is not None and exc.is_a("TimeoutError"):
            # The peer replies as soon as it sees the end of the request: it never saw it in time.
            raise StudentFailure(
                tr("{failure}\n\nThe server was still waiting for the end of your request: after sendall(), "
                   "call sock.shutdown(socket.SHUT_WR) so that its recv() returns b''.", failure=failure),
                failure.result) from None
        raise


def half_closed(peer: TCPPeer) -> bool:
    return any(e.data == EOF_NOTE for c in peer.connections for e in c.events)


@pytest.mark.points(3)
def test_tcp_request_returns_the_whole_reply(client: StudentModule, tcp_peer: TCPPeer) -> None:
    """tcp_request sends b"hello", half-closes, and returns the reply "Received: hello"."""
    value = request(client, tcp_peer, "hello")
    assert len(tcp_peer.connections) == 1, tr(
        "tcp_request should open exactly one connection, the server saw {count}",
        count=len(tcp_peer.connections))
    assert tcp_peer.received(0) == b"hello", tr(
        "the server received {got!r}, expected b'hello' (text.encode('utf-8') with sendall)",
        got=tcp_peer.received(0))
    assert half_closed(tcp_peer), tr(
        "the server never saw the end of your request: call sock.shutdown(socket.SHUT_WR) after sendall()")
    assert value == "Received: hello", tr(
        "tcp_request returned {value!r}, expected 'Received: hello' (the whole reply, decoded)", value=value)


@pytest.mark.points(2)
def test_tcp_request_with_chinese_text(client: StudentModule, tcp_peer: TCPPeer) -> None:
    """Chinese text goes out as UTF-8 and the reply comes back decoded."""
    text = "你好，服务器"
    value = request(client, tcp_peer, text)
    assert len(tcp_peer.connections) == 1, tr(
        "tcp_request should open exactly one connection, the server saw {count}",
        count=len(tcp_peer.connections))
    assert tcp_peer.received(0) == text.encode("utf-8"), tr(
        "the server received {got!r}, expected the UTF-8 bytes of {text!r}",
        got=tcp_peer.received(0), text=text)
    assert value == "Received: " + text, tr("tcp_request returned {value!r}, expected {expected!r}",
                                            value=value, expected="Received: " + text)


@pytest.mark.points(3)
@pytest.mark.tcp_peer(trickle=True)
def test_tcp_request_reads_a_reply_that_arrives_in_pieces(client: StudentModule, tcp_peer: TCPPeer) -> None:
    """A reply sent one byte at a time is read until the server closes, not just the first piece."""
    value = request(client, tcp_peer, "hello")
    assert value == "Received: hello", (
        tr("the server sent b'Received: hello' one byte at a time and tcp_request returned {value!r}. ",
           value=value)
        + suspect("single_recv")
    )
