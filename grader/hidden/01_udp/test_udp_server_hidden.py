"""Hidden tests for 01_udp/udp_server.py: the datagrams that break a beginner's echo server.

The student's server runs in a child process; a recording UDP peer plays the client
(``UDPPeer.request``: a fresh socket per datagram, so every reply must go back to the
address ``recvfrom`` returned). Verdicts rest on what came back over the wire: the reply
bytes, their length, and which datagrams got no reply at all.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable
from typing import Any

import pytest

from grader.harness import Ref, RunResult, SocketInfo, StudentModule, StudentRun, call
from grader.harness.diagnose import diagnose
from grader.hidden.support import check, fail_mistake, show
from grader.messages import msg
from grader.messages.texts import tr
from grader.servers.peers import UDPPeer

pytestmark = pytest.mark.exercise("01_udp/udp_server")

SERVER = "01_udp/udp_server.py"
HOST = "127.0.0.1"
REPLY_TIMEOUT = 1.5
"""Seconds to wait for a reply that should come (loopback answers take milliseconds)."""
NO_REPLY_TIMEOUT = 0.5
"""Seconds to wait for a reply that should NOT come, or after the server stopped answering."""
DEADLINE = 5.0
BIG = 60_000 if sys.platform != "darwin" else 9_000
"""A large datagram: far above recvfrom(1024/4096/8192), still one IPv4 datagram (macOS
refuses to send more than 9216 bytes from a socket with default buffers)."""


@pytest.fixture
def server(student_module: Callable[..., StudentModule]) -> StudentModule:
    return student_module(SERVER)


def start(server: StudentModule, *steps: dict[str, Any],
          deadline: float = DEADLINE) -> tuple[StudentRun, int]:
    """make_udp_socket('127.0.0.1', 0) then ``steps`` in a child; the run and the server's port."""
    __tracebackhide__ = True
    run, port = server.start_server([call("make_udp_socket", HOST, 0, save="sock"), *steps],
                                    socket="sock", what="make_udp_socket('127.0.0.1', 0)", deadline=deadline)
    if not port:
        run.kill()
        pytest.fail(tr("{call} returned a socket that is not bound to a port: call sock.bind((host, port))",
                       call="make_udp_socket('127.0.0.1', 0)"))
    return run, port


def collect(run: StudentRun) -> RunResult:
    """Wait for the child and return what happened, without judging it yet."""
    try:
        return run.result()
    finally:
        run.kill()


def name_str_replies(result: RunResult, what: str, expected: Any) -> None:
    """A server that replied with a str died of TypeError before anything reached the peer."""
    __tracebackhide__ = True
    exc = result.exception
    if exc is not None and exc.phase == "call" and diagnose(exc) == "str_not_bytes":
        fail_mistake("str_not_bytes", call=what, expected=expected,
                     actual=tr("no reply datagram arrived: your server raised {error}", error=exc),
                     detail=msg("your_traceback", traceback=exc.traceback))


def free_udp_port() -> int:
    """A port the OS just handed out on 127.0.0.1 and that is free again (for a student to bind)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# -- make_udp_socket -------------------------------------------------------------------------------


@pytest.mark.points(2)
def test_make_udp_socket_binds_the_port_it_is_given(server: StudentModule) -> None:
    """make_udp_socket binds the port passed to it: two sockets on port 0 differ, a chosen port is used."""
    for _attempt in range(3):  # another program may grab the free port in between: try another
        wanted = free_udp_port()
        steps = [call("make_udp_socket", HOST, 0, save="a"), call("make_udp_socket", HOST, 0, save="b"),
                 call("make_udp_socket", HOST, wanted, save="c")]
        with server.run(steps, deadline=DEADLINE) as run:
            result = run.result()
        exc = result.exception
        in_use = exc is not None and exc.is_a("OSError") and "in use" in exc.message.lower()
        if in_use and result.failed_step == 1:
            first = result.values[0]
            where = first.laddr if isinstance(first, SocketInfo) else first
            fail_mistake("hardcoded_address", call=tr("make_udp_socket('127.0.0.1', 0) twice"),
                         expected=tr("two sockets, each on its own free port (port 0 = let the OS choose)"),
                         actual=tr("the first was bound to {where!r}, the second failed: {error}",
                                   where=where, error=exc),
                         detail=tr("Bind (host, port) from the arguments, not a fixed port."))
        if in_use and result.failed_step == 2:
            continue
        server.check(result, f"make_udp_socket('127.0.0.1', {wanted})", "make_udp_socket")
        a, b, c = result.values
        for value in (a, b, c):
            assert isinstance(value, SocketInfo) and not value.closed, tr(
                "make_udp_socket returned {value!r}: expected an open, bound socket", value=value)
        check(a.port != b.port, "hardcoded_address", call=tr("make_udp_socket('127.0.0.1', 0) twice"),
              expected=tr("two different free ports"),
              actual=tr("both bound to {first!r} and {second!r}", first=a.laddr, second=b.laddr))
        check(c.laddr == (HOST, wanted), "hardcoded_address", call=f"make_udp_socket('127.0.0.1', {wanted})",
              expected=tr("a socket bound to ('127.0.0.1', {port})", port=wanted),
              actual=tr("a socket bound to {laddr!r}", laddr=c.laddr),
              detail=tr("A client sending to the port it was told would never reach this server."))
        return
    pytest.fail(tr("three free ports in a row were taken by someone else before the test could use them"))


@pytest.mark.points(1)
@pytest.mark.visibility("hidden")
def test_make_udp_socket_refuses_a_port_in_use(server: StudentModule) -> None:
    """make_udp_socket raises OSError when the port is already taken (no silent fallback to another port)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as holder:
        holder.bind((HOST, 0))
        port = holder.getsockname()[1]
        server.call_raises(OSError, "make_udp_socket", HOST, port, deadline=DEADLINE)


# -- serve_once ------------------------------------------------------------------------------------


@pytest.mark.points(2)
def test_serve_once_echoes_a_large_datagram_whole(server: StudentModule, udp_peer: UDPPeer) -> None:
    """A datagram of tens of kilobytes is echoed back whole (recvfrom needs a big enough buffer)."""
    data = (b"0123456789" * (BIG // 10 + 1))[:BIG]
    what = tr("serve_once(sock) with one datagram of {size} bytes", size=len(data))
    run, port = start(server, call("serve_once", Ref("sock")))
    reply = udp_peer.request((HOST, port), data, timeout=REPLY_TIMEOUT)
    result = collect(run)
    expected = tr("{total} bytes: b'echo: ' + the {size} bytes sent", total=len(data) + 6, size=len(data))
    name_str_replies(result, what, expected)
    exc = result.exception
    if reply is None and exc is not None and exc.is_a("OSError") and (
            exc.errno == 10040 or "message" in exc.message.lower()):  # Windows: WSAEMSGSIZE
        fail_mistake("udp_buffer_too_small", call=what, expected=expected,
                     actual=tr("no reply: your server raised {error}", error=exc))
    if reply is not None and reply != b"echo: " + data and len(reply) < len(data):
        fail_mistake("udp_buffer_too_small", call=what, expected=expected,
                     actual=tr("{size} bytes: {shown}", size=len(reply), shown=show(reply, 80)),
                     detail=tr("Your server received only the first {size} bytes of the datagram.",
                               size=max(len(reply) - 6, 0)))
    server.check(result, what, "serve_once")
    assert reply == b"echo: " + data, tr(
        "{what}: expected the reply {expected}, got {got}", what=what, expected=expected,
        got=tr("no reply") if reply is None else tr("{size} bytes: {shown}", size=len(reply),
                                                     shown=show(reply, 80)))
    assert result.value == data.decode("ascii"), tr(
        "{what} returned {shown} ({count} characters), expected the {size} characters received",
        what=what, shown=show(result.value, 80), count=len(result.value or ''), size=len(data))


@pytest.mark.points(1)
def test_serve_once_echoes_chinese_and_emoji_as_utf8(server: StudentModule, udp_peer: UDPPeer) -> None:
    """Chinese text and emoji are decoded, returned as text, and echoed back as UTF-8 bytes."""
    text = "你好，网络 🙂"
    data = text.encode("utf-8")
    what = tr("serve_once(sock) with {data}", data=show(data))
    run, port = start(server, call("serve_once", Ref("sock")))
    reply = udp_peer.request((HOST, port), data, timeout=REPLY_TIMEOUT)
    result = collect(run)
    name_str_replies(result, what, ("echo: " + text).encode("utf-8"))
    server.check(result, what, "serve_once")
    assert reply == ("echo: " + text).encode("utf-8"), tr(
        "{what}: the reply was {got}, expected {want} (encode the reply with 'utf-8')",
        what=what, got=show(reply), want=show(("echo: " + text).encode("utf-8")))
    assert result.value == text, tr("{what} returned {value!r}, expected {text!r}",
                                    what=what, value=result.value, text=text)


@pytest.mark.points(1)
@pytest.mark.visibility("hidden")
def test_serve_once_answers_an_empty_datagram(server: StudentModule, udp_peer: UDPPeer) -> None:
    """An empty datagram is a datagram too: it gets the reply b"echo: " and serve_once returns ""."""
    what = tr("serve_once(sock) with an empty datagram b''")
    run, port = start(server, call("serve_once", Ref("sock")))
    reply = udp_peer.request((HOST, port), b"", timeout=REPLY_TIMEOUT)
    result = collect(run)
    name_str_replies(result, what, b"echo: ")
    server.check(result, what, "serve_once")
    assert reply == b"echo: ", tr(
        "{what}: the reply was {got}, expected b'echo: '. In UDP b'' is a real (empty) datagram, "
        "not the end of anything: answer it like any other.", what=what, got=show(reply))
    assert result.value == "", tr("{what} returned {value!r}, expected ''", what=what, value=result.value)


# -- serve -----------------------------------------------------------------------------------------


@pytest.mark.points(3)
def test_serve_survives_several_bad_datagrams(server: StudentModule, udp_peer: UDPPeer) -> None:
    """serve(sock, 5) answers every datagram, even after three that are not UTF-8, then returns."""
    sent = [b"first", b"\xff\xfe\xfd", "好".encode()[:2], b"\xc0\xaf", "最后 last".encode()]
    expected = [b"echo: first", b"error: not UTF-8", b"error: not UTF-8", b"error: not UTF-8",
                "echo: 最后 last".encode()]
    what = "serve(sock, 5)"
    run, port = start(server, call("serve", Ref("sock"), 5))
    replies: list[bytes | None] = []
    for data in sent:
        wait = REPLY_TIMEOUT if all(r is not None for r in replies) else NO_REPLY_TIMEOUT
        replies.append(udp_peer.request((HOST, port), data, timeout=wait))
    result = collect(run)
    name_str_replies(result, what, expected)
    exc = result.exception
    if exc is not None and exc.phase == "call" and not exc.not_implemented:
        fail_mistake("server_dies_on_bad_datagram", call=what, expected=show(expected, 400),
                     actual=tr("replies {replies}; then your server stopped with {error}",
                               replies=show(replies, 400), error=exc),
                     detail=msg("your_traceback", traceback=exc.traceback))
    if replies[0] is not None and replies[-1] is None:
        fail_mistake("server_dies_on_bad_datagram", call=what, expected=show(expected, 400),
                     actual=tr("replies {replies}: no reply after the first datagram that is not UTF-8",
                               replies=show(replies, 400)),
                     detail=tr("The datagram after the bad ones must still be answered."))
    server.check(result, what, "serve",
                 awaiting=tr("serve(sock, 5) should return after 5 datagrams (the bad ones count too)."))
    for i, (data, want, got) in enumerate(zip(sent, expected, replies, strict=True), start=1):
        assert got == want, (
            tr("{what}: datagram {n} ({data}) got the reply {got}, expected {want}",
               what=what, n=i, data=show(data), got=show(got), want=show(want))
            + (tr(" (a datagram that is not UTF-8 gets b'error: not UTF-8')")
               if want.startswith(b"error") else "")
        )


@pytest.mark.points(1)
def test_serve_stops_after_max_datagrams(server: StudentModule, udp_peer: UDPPeer) -> None:
    """serve(sock, 2) answers exactly two datagrams and returns; a third one gets no reply."""
    what = "serve(sock, 2)"
    run, port = start(server, call("serve", Ref("sock"), 2))
    first = udp_peer.request((HOST, port), b"one", timeout=REPLY_TIMEOUT)
    second = udp_peer.request((HOST, port), b"two", timeout=REPLY_TIMEOUT)
    third = udp_peer.request((HOST, port), b"three", timeout=NO_REPLY_TIMEOUT)
    if third is not None:
        run.kill()
        pytest.fail(tr("{what} answered a third datagram ({third}): it should return after 2. "
                       "Count the datagrams you handled and stop when the count reaches max_datagrams.",
                       what=what, third=show(third)))
    result = collect(run)
    name_str_replies(result, what, [b"echo: one", b"echo: two"])
    server.check(result, what, "serve",
                 awaiting=tr("serve(sock, 2) should return after answering 2 datagrams."))
    assert [first, second] == [b"echo: one", b"echo: two"], tr(
        "{what}: the replies were {got}, expected [b'echo: one', b'echo: two']",
        what=what, got=show([first, second]))
