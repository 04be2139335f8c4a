"""Hidden tests for 01_udp/udp_client.py: what a lossy, slow or chatty network does to a UDP client.

A recording UDP peer plays the server. Its evidence is the list of datagrams it
received (``peer.datagrams``) and its transcript (``C:`` the student's datagrams,
``S:`` the peer's replies, ``*:`` drops and delays), so a verdict can say what really
crossed the wire: nothing at all (wrong port, or a str that never left), a reply cut
short, a ping sent before the previous one was settled, a late reply counted.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import pytest

from grader.harness import RunResult, StudentModule, call, describe_call
from grader.harness.diagnose import diagnose
from grader.hidden.support import check, fail_mistake, show, suspect
from grader.messages import msg
from grader.messages.texts import tr
from grader.servers.peers import UDPPeer, pong_reply

pytestmark = pytest.mark.exercise("01_udp/udp_client")

CLIENT = "01_udp/udp_client.py"
HOST = "127.0.0.1"
DEADLINE = 4.0
"""Seconds before a client that never returns is stopped (every call here needs < 1 s)."""
BIG = 60_000 if sys.platform != "darwin" else 9_000
"""A large datagram: far above recvfrom(1024/4096/8192), still one IPv4 datagram (macOS
refuses to send more than 9216 bytes from a socket with default buffers)."""
SENDTO_HINT = tr("Send with sock.sendto(data, (host, port)), the host and port given to the function.")


@pytest.fixture
def client(student_module: Callable[..., StudentModule]) -> StudentModule:
    return student_module(CLIENT, timeout=DEADLINE)


def run_calls(module: StudentModule, *calls: tuple[str, tuple[Any, ...], dict[str, Any]]) -> RunResult:
    """Run the calls in one child and return the outcome, without judging it yet.

    Student code is called before anything is awaited, so a stub fails at once: an
    import error or NotImplementedError is reported right here, as in every test.
    """
    __tracebackhide__ = True
    steps = [call(func, *args, **kwargs) for func, args, kwargs in calls]
    with module.run(steps, deadline=DEADLINE) as run:
        result = run.result()
    exc = result.exception
    if exc is not None and (exc.phase != "call" or exc.not_implemented):
        func, args, kwargs = calls[result.failed_step if result.failed_step is not None and
                                    0 <= result.failed_step < len(calls) else 0]
        module.check(result, describe_call(func, args, kwargs), func)
    return result


def what_of(result: RunResult, calls: list[str]) -> str:
    """The call that failed (or the last one)."""
    step = result.failed_step if result.failed_step is not None else len(calls) - 1
    return calls[min(max(step, 0), len(calls) - 1)]


def name_str_sent(result: RunResult, what: str, expected: Any) -> None:
    """A client that passed a str to sendto died of TypeError before anything reached the peer."""
    __tracebackhide__ = True
    exc = result.exception
    if exc is not None and diagnose(exc) == "str_not_bytes":
        fail_mistake("str_not_bytes", call=what, expected=expected,
                     actual=tr("the server received nothing: your code raised {exc}", exc=exc),
                     detail=msg("your_traceback", traceback=exc.traceback))


def received(peer: UDPPeer) -> list[bytes]:
    return [data for _addr, data in peer.datagrams]


def name_nothing_arrived(peer: UDPPeer, result: RunResult, what: str, expected: Any) -> None:
    """Nothing reached the server and no other error explains it: the datagram went elsewhere."""
    __tracebackhide__ = True
    exc = result.exception
    if not received(peer) and (exc is None or exc.is_a("TimeoutError")):
        fail_mistake("hardcoded_address", call=what, expected=expected,
                     actual=tr("the server on port {port} received nothing", port=peer.port)
                            + (tr("; your code raised {exc}", exc=exc) if exc is not None else ""),
                     detail=SENDTO_HINT)


# -- udp_request: what goes out, and where ---------------------------------------------------------


@pytest.mark.points(2)
def test_udp_request_sends_utf8_bytes(client: StudentModule, udp_peer: UDPPeer) -> None:
    """udp_request sends the text as its UTF-8 bytes: exactly those bytes arrive, nothing more."""
    text = "bytes, please: 字节 ✓"
    what = describe_call("udp_request", (HOST, udp_peer.port, text), {"timeout": 1.0})
    result = run_calls(client, ("udp_request", (HOST, udp_peer.port, text), {"timeout": 1.0}))
    name_str_sent(result, what, text.encode("utf-8"))
    name_nothing_arrived(udp_peer, result, what, text.encode("utf-8"))
    got = received(udp_peer)
    if got == [repr(text.encode("utf-8")).encode()] or got == [str(text.encode("utf-8")).encode()]:
        fail_mistake("str_not_bytes", call=what, expected=text.encode("utf-8"), actual=got[0],
                     detail=tr("str(data) writes the repr b'...' as text: send text.encode('utf-8') itself."))
    client.check(result, what, "udp_request")
    assert got == [text.encode("utf-8")], tr(
        "{what}: the server should have received one datagram {expected}, it received {got}",
        what=what, expected=show(text.encode("utf-8")), got=show(got)
    )
    assert result.value == "echo: " + text, tr("{what} returned {value!r}, expected {expected!r}",
                                               what=what, value=result.value, expected="echo: " + text)


@pytest.mark.points(2)
def test_udp_request_sends_to_the_port_it_is_given(client: StudentModule,
                                                   make_udp_peer: Callable[..., UDPPeer]) -> None:
    """udp_request sends to the host and port it is given: two servers on two random ports both hear it."""
    peers = [make_udp_peer(), make_udp_peer()]
    calls = [("udp_request", (HOST, peer.port, f"to server {i}"), {"timeout": 1.0})
             for i, peer in enumerate(peers, start=1)]
    names = [describe_call(f, a, k) for f, a, k in calls]
    result = run_calls(client, *calls)
    name_str_sent(result, what_of(result, names), b"to server 1")
    ran = len(calls) if result.failed_step is None else result.failed_step + 1
    for i in range(min(ran, len(calls))):
        peer, sent = peers[i], calls[i][1][2].encode()
        failed_here = result.exception is not None and result.failed_step == i
        check(bool(received(peer)), "hardcoded_address", call=names[i],
              expected=tr("one datagram {data} at 127.0.0.1:{port}", data=show(sent), port=peer.port),
              actual=tr("the server on port {port} received nothing", port=peer.port)
                     + (tr("; your code raised {exc}", exc=result.exception) if failed_here else ""),
              detail=SENDTO_HINT)
    client.check(result, what_of(result, names), "udp_request")
    assert result.values == ["echo: to server 1", "echo: to server 2"], tr(  # tr: data
        "the two calls returned {values!r}, expected ['echo: to server 1', 'echo: to server 2']",
        values=result.values
    )


@pytest.mark.points(1)
def test_udp_request_decodes_a_chinese_and_emoji_reply(client: StudentModule,
                                                       make_udp_peer: Callable[..., UDPPeer]) -> None:
    """A reply in Chinese with an emoji comes back as the same text (decoded from UTF-8)."""
    answer = "收到了，谢谢 🙂"
    peer = make_udp_peer(reply=lambda _data: answer.encode("utf-8"))
    args = (HOST, peer.port, "ascii question")
    what = describe_call("udp_request", args, {"timeout": 1.0})
    result = run_calls(client, ("udp_request", args, {"timeout": 1.0}))
    name_str_sent(result, what, b"ascii question")
    name_nothing_arrived(peer, result, what, b"ascii question")
    client.check(result, what, "udp_request")
    value = result.value
    assert value == answer, tr(
        "udp_request returned {value!r}, the server replied {reply}: "
        "expected {answer!r} (decode the reply with 'utf-8')",
        value=value, reply=show(answer.encode("utf-8")), answer=answer
    )


# -- udp_request: timeouts ---------------------------------------------------------------------------


@pytest.mark.points(2)
@pytest.mark.udp_peer(reply=None)
def test_udp_request_gives_up_on_a_silent_server(client: StudentModule, udp_peer: UDPPeer) -> None:
    """A server that never answers makes udp_request raise TimeoutError after `timeout` seconds."""
    client.call_raises(TimeoutError, "udp_request", HOST, udp_peer.port, "hello?", timeout=0.3,
                       deadline=3.0,
                       awaiting=tr("The server never answers: a 0.3 s timeout should have ended the wait. "
                                   "{suspect}", suspect=suspect("no_udp_timeout")))
    check(bool(received(udp_peer)), "hardcoded_address",
          call=f"udp_request('127.0.0.1', {udp_peer.port}, 'hello?', timeout=0.3)",
          expected=tr("one datagram {data} at 127.0.0.1:{port}", data="b'hello?'", port=udp_peer.port),
          actual=tr("the server on port {port} received nothing", port=udp_peer.port), detail=SENDTO_HINT)
    assert received(udp_peer) == [b"hello?"], tr(
        "the server should have received b'hello?', it received {got}", got=show(received(udp_peer))
    )


@pytest.mark.points(2)
@pytest.mark.visibility("hidden")
@pytest.mark.udp_peer(delay=1.5)
def test_udp_request_does_not_wait_past_its_timeout(client: StudentModule, udp_peer: UDPPeer) -> None:
    """With timeout=0.2, a reply that comes 1.5 s later is too late: udp_request raises TimeoutError."""
    what = describe_call("udp_request", (HOST, udp_peer.port, "slow?"), {"timeout": 0.2})
    result = run_calls(client, ("udp_request", (HOST, udp_peer.port, "slow?"), {"timeout": 0.2}))
    name_str_sent(result, what, b"slow?")
    exc = result.exception
    if exc is None and result.completed:
        fail_mistake("no_udp_timeout", call=what,
                     expected=tr("TimeoutError after about 0.2 s"),
                     actual=tr("returned {value} after {seconds:.1f} s: it waited for the late reply",
                               value=show(result.value), seconds=result.duration),
                     detail=tr("The timeout must be the one given: "
                               "sock.settimeout(timeout) before recvfrom()."))
    if result.timed_out:
        client.check(result, what, "udp_request", awaiting=suspect("no_udp_timeout"))
    if exc is not None and exc.is_a("TimeoutError"):
        return
    client.check(result, what, "udp_request", expected="TimeoutError")


@pytest.mark.points(2)
def test_udp_request_receives_a_large_reply_whole(client: StudentModule, udp_peer: UDPPeer) -> None:
    """A request and its echo of tens of kilobytes each travel whole (recvfrom needs a big buffer)."""
    text = ("0123456789" * (BIG // 10 + 1))[:BIG]
    what = f"udp_request('127.0.0.1', {udp_peer.port}, <{len(text)} characters>, timeout=1.0)"
    result = run_calls(client, ("udp_request", (HOST, udp_peer.port, text), {"timeout": 1.0}))
    name_str_sent(result, what, tr("one datagram of {size} bytes", size=len(text)))
    name_nothing_arrived(udp_peer, result, what, tr("one datagram of {size} bytes", size=len(text)))
    got = received(udp_peer)
    reply_len = len(text) + 6
    expected = tr("the whole reply: {size} characters, 'echo: 0123456789...'", size=reply_len)
    exc = result.exception
    if got == [text.encode()] and exc is not None and exc.is_a("OSError") and (
            exc.errno == 10040 or "message" in exc.message.lower()):  # Windows: WSAEMSGSIZE
        fail_mistake("udp_buffer_too_small", call=what, expected=expected,
                     actual=tr("your code raised {exc}", exc=exc))
    value = result.value
    if got == [text.encode()] and exc is None and isinstance(value, str) and len(value) < reply_len:
        fail_mistake("udp_buffer_too_small", call=what, expected=expected,
                     actual=tr("{size} characters: {value}", size=len(value), value=show(value, 80)),
                     detail=tr("The server sent {size} bytes in one datagram; recvfrom(n) keeps only n.",
                               size=reply_len))
    client.check(result, what, "udp_request")
    assert got == [text.encode()], tr(
        "{what}: the server should have received one datagram of {size} bytes, it received {sizes} bytes",
        what=what, size=len(text), sizes=[len(d) for d in got]
    )
    assert value == "echo: " + text, tr("{what} returned {value}, expected {expected}",
                                        what=what, value=show(value, 80), expected=expected)


# -- udp_ping --------------------------------------------------------------------------------------


def ping_fields(data: bytes) -> list[str]:
    return data.decode("utf-8", errors="replace").split()


def check_ping_format(peer: UDPPeer, count: int) -> None:
    """Exactly ``count`` datagrams "PING <seq> <time>", seq 1..count in order."""
    __tracebackhide__ = True
    pings = received(peer)
    check(bool(pings), "hardcoded_address", call=f"udp_ping('127.0.0.1', {peer.port}, count={count}, ...)",
          expected=tr("{count} datagrams 'PING <seq> <time>' at 127.0.0.1:{port}",
                      count=count, port=peer.port),
          actual=tr("the server on port {port} received nothing", port=peer.port),
          detail=SENDTO_HINT)
    assert len(pings) == count, tr(
        "udp_ping(count={count}) should send exactly {count} datagrams, the server received {received}: "
        "{pings}", count=count, received=len(pings), pings=show(pings, 400)
    )
    for seq, data in enumerate(pings, start=1):
        parts = ping_fields(data)
        assert len(parts) == 3 and parts[0] == "PING" and parts[1] == str(seq), tr(
            "ping {seq} was {data}: expected 'PING {seq} <time>' (three fields separated by spaces)",
            seq=seq, data=show(data)
        )
        try:
            float(parts[2])
        except ValueError:
            pytest.fail(tr("ping {seq} was {data}: the third field should be a time (a number)",
                           seq=seq, data=show(data)))


def check_entries(value: Any, count: int) -> None:
    assert isinstance(value, list) and len(value) == count, tr(
        "udp_ping(count={count}) returned {value!r}: expected a list of {count} entries",
        count=count, value=value
    )


@pytest.mark.points(2)
@pytest.mark.udp_peer(reply=pong_reply, delay=0.1)
def test_udp_ping_sends_one_ping_at_a_time(client: StudentModule, udp_peer: UDPPeer) -> None:
    """udp_ping waits for each PONG before sending the next PING, and measures the RTT in seconds."""
    value = client.call("udp_ping", HOST, udp_peer.port, count=3, timeout=1.0, deadline=DEADLINE,
                        awaiting=suspect("no_udp_timeout"))
    check_ping_format(udp_peer, 3)
    order = [e for e in sorted(udp_peer.transcript.events(), key=lambda e: e.t) if e.direction in "CS"]
    replies = pings = 0
    for event in order:
        if event.direction == "S":
            replies += 1
            continue
        pings += 1
        assert replies >= pings - 1, tr(
            "ping {seq} was sent before the reply to ping {previous} came: send one ping, wait for its "
            "reply (or its timeout), then send the next. The server saw: {seen}",
            seq=pings, previous=pings - 1,
            seen=", ".join(f"{e.direction}: {' '.join(ping_fields(e.data)[:2])}" for e in order)
        )
    check_entries(value, 3)
    for seq, rtt in enumerate(value, start=1):
        assert isinstance(rtt, float) and 0.1 <= rtt < 1.0, tr(
            "round-trip time of ping {seq} is {rtt!r}: the server waits 0.1 s before each reply, so "
            "expected a float in seconds between 0.1 and the timeout 1.0 (perf_counter after the reply "
            "minus before sending)", seq=seq, rtt=rtt
        )


@pytest.mark.points(2)
@pytest.mark.udp_peer(reply=pong_reply, drop={1, 3, 5})
def test_udp_ping_with_the_first_and_last_replies_lost(client: StudentModule, udp_peer: UDPPeer) -> None:
    """Pings 1, 3 and 5 get no reply: udp_ping returns [None, rtt, None, rtt, None] and sends all 5."""
    value = client.call("udp_ping", HOST, udp_peer.port, count=5, timeout=0.5, deadline=DEADLINE,
                        awaiting=tr("Pings 1, 3 and 5 get no reply. {suspect}",
                                    suspect=suspect("no_udp_timeout")))
    check_ping_format(udp_peer, 5)
    check_entries(value, 5)
    for seq, rtt in enumerate(value, start=1):
        if seq in (1, 3, 5):
            assert rtt is None, tr("ping {seq} got no reply, so entry {seq} should be None, got {rtt!r}",
                                   seq=seq, rtt=rtt)
        else:
            assert isinstance(rtt, float) and 0 <= rtt < 0.5, tr(
                "ping {seq} was answered, so entry {seq} should be its round-trip time in seconds, "
                "got {rtt!r}", seq=seq, rtt=rtt
            )


def stale_pong() -> Callable[[bytes], bytes | None]:
    """A server that answers ping 2 with a copy of its reply to ping 1 (as if that one came late)."""
    first: list[bytes] = []

    def reply(data: bytes) -> bytes | None:
        answer = pong_reply(data)
        if answer is None:
            return None
        if data.startswith(b"PING 1 "):
            first.append(answer)
        elif data.startswith(b"PING 2 ") and first:
            return first[0]
        return answer

    return reply


@pytest.mark.points(2)
@pytest.mark.visibility("hidden")
def test_udp_ping_ignores_a_reply_to_an_earlier_ping(client: StudentModule,
                                                     make_udp_peer: Callable[..., UDPPeer]) -> None:
    """While waiting for ping 2, a reply "PONG 1 ..." is not ping 2's: entry 2 is None, 1 and 3 are RTTs."""
    peer = make_udp_peer(reply=stale_pong())
    value = client.call("udp_ping", HOST, peer.port, count=3, timeout=0.5, deadline=DEADLINE,
                        awaiting=suspect("no_udp_timeout"))
    check_ping_format(peer, 3)
    check_entries(value, 3)
    stale = [e.data for e in peer.transcript.events() if e.direction == "S" and e.data.startswith(b"PONG 1 ")]
    assert value[1] is None, tr(
        "entry 2 is {got!r}, expected None: the only reply during ping 2's wait was "
        "{stale}, a reply to ping 1. Compare the sequence number in the reply with yours.",
        got=value[1], stale=show(stale[-1:])
    )
    for seq in (1, 3):
        assert isinstance(value[seq - 1], float), tr(
            "ping {seq} was answered, so entry {seq} should be its round-trip time, got {rtt!r}",
            seq=seq, rtt=value[seq - 1]
        )


LATE_TIMEOUT = 0.5
"""The timeout the late-replies test gives udp_ping."""


def staggered_delay(data: bytes) -> float:
    """Every PONG comes after its ping's timeout (0.5 s), ping 2's sooner than the others.

    Equal delays made a verdict a coin flip: a client that restarts the full timeout after a
    stale reply got its restarted deadline exactly when the next reply arrived, and the same
    code scored differently run to run. With PONG 1 at 0.9 s (during ping 2's wait) and
    PONG 2 at 0.65 s after ping 2, a correct client sees PONG 2 0.15 s after ping 2's
    deadline, while the restarting one waits until 1.4 s and counts it 0.25 s before that:
    both outcomes keep a margin, whatever the load delays ping 2 by (up to 0.25 s).
    """
    return 0.65 if data.startswith(b"PING 2 ") else 0.9


@pytest.mark.points(1)
@pytest.mark.visibility("hidden")
@pytest.mark.udp_peer(reply=pong_reply, delay=staggered_delay)
def test_udp_ping_does_not_count_late_replies(client: StudentModule, udp_peer: UDPPeer) -> None:
    """Every PONG comes after its ping's 0.5 s timeout: all None, even one landing while later pings wait."""
    value = client.call("udp_ping", HOST, udp_peer.port, count=3, timeout=LATE_TIMEOUT, deadline=DEADLINE,
                        awaiting=suspect("no_udp_timeout"))
    check_ping_format(udp_peer, 3)
    assert value == [None, None, None], tr(
        "udp_ping returned {value!r}, expected [None, None, None]: every reply came after its ping's "
        "{timeout} s timeout. A late 'PONG 1' that arrives while you wait for ping 2 is not ping 2's reply, "
        "and it does not give ping 2 more time: each ping waits at most {timeout} s from when it was sent.",
        value=value, timeout=LATE_TIMEOUT
    )
