"""Visible tests for 01_udp/udp_client.py: a UDP client with a timeout, and a UDP pinger.

A recording UDP peer on 127.0.0.1 plays the server. It answers ``b"echo: " + data``
(or ``PONG`` for a ``PING``), and on request stays silent or "loses" a datagram, the
way a real network does. The tests check both what your function returned and what
the peer received (``C:`` your datagrams, ``S:`` the peer's replies).

Run them with ``pytest exercises/01_udp`` (add ``--sw`` to stop at the first failure).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from grader.harness import StudentModule
from grader.harness.verdict import suspect
from grader.messages.texts import tr
from grader.servers.peers import UDPPeer, pong_reply

CLIENT = "01_udp/udp_client.py"
HOST = "127.0.0.1"


@pytest.fixture
def client(student_module: Callable[..., StudentModule]) -> StudentModule:
    return student_module(CLIENT, timeout=8.0)


def sent_datagrams(peer: UDPPeer) -> list[bytes]:
    return [data for _addr, data in peer.datagrams]


# -- udp_request ---------------------------------------------------------------------------------


@pytest.mark.points(2)
def test_udp_request_returns_the_reply(client: StudentModule, udp_peer: UDPPeer) -> None:
    """udp_request sends "hello" as one datagram and returns the decoded reply "echo: hello"."""
    value = client.call("udp_request", HOST, udp_peer.port, "hello", timeout=2.0)
    assert sent_datagrams(udp_peer) == [b"hello"], tr(
        "the server expected one datagram b'hello', it received {got!r}. "
        "Send text.encode('utf-8') with sock.sendto(data, (host, port)).", got=sent_datagrams(udp_peer)
    )
    assert value == "echo: hello", tr(
        "udp_request returned {value!r}, expected 'echo: hello' (the reply, decoded as UTF-8)", value=value
    )


@pytest.mark.points(1)
def test_udp_request_with_chinese_text(client: StudentModule, udp_peer: UDPPeer) -> None:
    """Chinese text goes out as UTF-8 and the reply comes back decoded."""
    text = "你好，服务器"
    value = client.call("udp_request", HOST, udp_peer.port, text, timeout=2.0)
    assert sent_datagrams(udp_peer) == [text.encode("utf-8")], tr(
        "the server received {got!r}, expected the UTF-8 bytes of {text!r}",
        got=sent_datagrams(udp_peer), text=text
    )
    assert value == "echo: " + text, tr("udp_request returned {value!r}, expected {expected!r}",
                                        value=value, expected="echo: " + text)


@pytest.mark.points(2)
@pytest.mark.udp_peer(reply=None)
def test_udp_request_times_out_when_no_reply_comes(client: StudentModule, udp_peer: UDPPeer) -> None:
    """When the server never answers, udp_request raises TimeoutError after `timeout` seconds."""
    client.call_raises(TimeoutError, "udp_request", HOST, udp_peer.port, "anyone there?", timeout=0.3,
                       deadline=4.0,
                       awaiting=tr("No reply will ever come. {suspect}", suspect=suspect("no_udp_timeout")))
    assert sent_datagrams(udp_peer) == [b"anyone there?"], tr(
        "the server should have received b'anyone there?', it received {got!r}", got=sent_datagrams(udp_peer)
    )


# -- udp_ping ------------------------------------------------------------------------------------


def check_pings(datagrams: list[bytes], count: int) -> None:
    """Each ping is "PING <seq> <time>", seq 1..count, in order."""
    assert len(datagrams) == count, tr(
        "udp_ping(count={count}) should send {count} datagrams, the server received {received}: "
        "{datagrams!r}", count=count, received=len(datagrams), datagrams=datagrams
    )
    for seq, data in enumerate(datagrams, start=1):
        parts = data.decode("utf-8", errors="replace").split()
        assert len(parts) == 3 and parts[0] == "PING" and parts[1] == str(seq), tr(
            "ping {seq} was {data!r}: expected 'PING {seq} <time>'", seq=seq, data=data
        )
        try:
            float(parts[2])
        except ValueError:
            pytest.fail(tr("ping {seq} was {data!r}: the third field should be a time (a number)",
                           seq=seq, data=data))


@pytest.mark.points(1)
@pytest.mark.udp_peer(reply=pong_reply)
def test_udp_ping_measures_every_round_trip(client: StudentModule, udp_peer: UDPPeer) -> None:
    """udp_ping sends "PING 1 <time>" … "PING 3 <time>" and returns 3 round-trip times in seconds."""
    value = client.call("udp_ping", HOST, udp_peer.port, count=3, timeout=1.0)
    check_pings(sent_datagrams(udp_peer), 3)
    assert isinstance(value, list) and len(value) == 3, tr(
        "udp_ping(count={count}) returned {value!r}: expected a list of {count} entries", count=3, value=value
    )
    for seq, rtt in enumerate(value, start=1):
        assert isinstance(rtt, float) and 0 <= rtt < 1.0, tr(
            "round-trip time of ping {seq} is {rtt!r}: expected a float in seconds, between 0 and "
            "the timeout (time.perf_counter() after the reply minus before sending)", seq=seq, rtt=rtt
        )


@pytest.mark.points(2)
@pytest.mark.udp_peer(reply=pong_reply, drop={2})
def test_udp_ping_reports_a_lost_reply_as_none(client: StudentModule, udp_peer: UDPPeer) -> None:
    """When ping 2 gets no reply, udp_ping puts None in its place and carries on with ping 3 and 4."""
    value = client.call("udp_ping", HOST, udp_peer.port, count=4, timeout=0.5,
                        awaiting=tr("Ping 2 gets no reply. {suspect}", suspect=suspect("no_udp_timeout")))
    check_pings(sent_datagrams(udp_peer), 4)
    assert isinstance(value, list) and len(value) == 4, tr(
        "udp_ping(count={count}) returned {value!r}: expected a list of {count} entries", count=4, value=value
    )
    assert value[1] is None, tr("ping 2 was lost (no reply), so entry 2 should be None, got {got!r}",
                                got=value[1])
    for seq in (1, 3, 4):
        rtt = value[seq - 1]
        assert isinstance(rtt, float) and 0 <= rtt < 0.5, tr(
            "ping {seq} was answered, so entry {seq} should be its round-trip time in seconds, got {rtt!r}",
            seq=seq, rtt=rtt
        )
