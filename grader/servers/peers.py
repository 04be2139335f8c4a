"""Raw UDP and TCP peers that inject faults and record everything on the wire.

Why these exist: the socket exercises are about the things that go wrong on a real
network (a lost datagram, a reply that arrives in pieces, a server that never closes,
a listener that dies after one client). A friendly echo server hides every one of
those bugs; these peers produce them on purpose, deterministically, on loopback.

Each peer plays two roles:

* **server** (the student writes a client): :class:`UDPPeer` / :class:`TCPPeer` serve on
  ``127.0.0.1`` port 0 and record each datagram / chunk exactly as it arrived;
* **client** (the student writes a server, run in a child process on a known port):
  :meth:`UDPPeer.request`, :meth:`UDPPeer.send_to`, :meth:`TCPPeer.talk` and
  :meth:`TCPPeer.connect` talk to it and record the exchange as a connection whose
  note is ``"client role"`` (there ``C`` is what the peer sent, ``S`` what the student's
  server sent back).

Every wait is on a socket or an event (a self-pipe wakes the loops on stop), every
socket has a timeout, and :meth:`stop` joins every thread and closes every socket.
"""

from __future__ import annotations

import errno
import heapq
import ipaddress
import select
import socket
import struct
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any, Literal

from ..messages import msg
from .base import DEFAULT_IDLE_TIMEOUT, LOOPBACK, FakeServer
from .transcript import Connection

CLIENT_ROLE = "client role"
"""Note on transcript connections the peer opened itself (it was the client)."""

MAX_UDP_PAYLOAD = 65507
"""Largest payload of one IPv4 UDP datagram."""
_SOCKET_BUFFER = 1 << 18
"""Socket buffer asked for, so 60 KB datagrams work on macOS (default limit 9216)."""
_RECV_CHUNK = 65536
_TRICKLE_GAP_BYTES = 256
"""Only the first bytes of a trickled reply are spaced out; the rest go one per send."""
DEFAULT_MAX_KEPT_DATAGRAMS = 4096
"""Datagrams a UDP peer keeps (and answers); later ones are counted as dropped.

Why a limit: the peer lives in the grading process, and a student's client that sends
datagrams in a loop would otherwise fill its memory. The largest honest exercise sends
a few dozen."""
DEFAULT_MAX_KEPT_BYTES = 16 * 1024 * 1024
"""Payload bytes a UDP peer keeps in :attr:`UDPPeer.datagrams` (4096 full-size datagrams would be 256 MiB)."""

Address = tuple[str, int]


# -- ready-made reply functions ----------------------------------------------------------
def echo_reply(data: bytes) -> bytes:
    """``b"echo: " + data``: the prefix proves the reply came from the peer, not a loop-back."""
    return b"echo: " + data


def pong_reply(data: bytes) -> bytes | None:
    """``b"PING n t"`` -> ``b"PONG n t"`` (the UDP pinger exercise); anything else is ignored."""
    if data.startswith(b"PING"):
        return b"PONG" + data[4:]
    return None


def mirror(data: bytes) -> bytes:
    """The same bytes back: for clients that compare the reply with what they sent."""
    return data


def received_reply(data: bytes) -> bytes:
    """``b"Received: " + data``: the TCP peer's default, distinct from the request on purpose."""
    return b"Received: " + data


def frame(payload: bytes) -> bytes:
    """One length-prefixed frame (4-byte big-endian length + payload), as ``mode="frames"`` speaks."""
    return struct.pack(">I", len(payload)) + payload


# -- helpers ---------------------------------------------------------------------------------
def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def _require_loopback(address: tuple[Any, ...]) -> Address:
    """Refuse anything but loopback: the grader must never talk to the outside world."""
    host, port = str(address[0]), int(address[1])
    if host != "localhost":
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise ValueError(f"peers only talk to loopback addresses, not {host!r}")
    return host, port


def _big_buffers(sock: socket.socket) -> None:
    for option in (socket.SO_SNDBUF, socket.SO_RCVBUF):
        try:
            sock.setsockopt(socket.SOL_SOCKET, option, _SOCKET_BUFFER)
        except OSError:  # best effort: the OS may cap it
            pass


def _wait_readable(sock: socket.socket, wake: socket.socket, timeout: float | None) -> bool:
    """Wait until ``sock`` is readable (True), or ``wake`` is, or ``timeout`` passes (False).

    ``wake`` is the read end of a self-pipe that stays readable once the peer stops, so
    every thread blocked here returns at once. ``poll`` where there is one (no FD_SETSIZE
    limit), ``select`` on Windows.
    """
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        poller.register(wake, select.POLLIN)
        ms = -1 if timeout is None else max(0, int(timeout * 1000))
        fd = sock.fileno()
        return any(ready_fd == fd for ready_fd, _ in poller.poll(ms))
    readable, _, _ = select.select([sock, wake], [], [], timeout)
    return sock in readable


def _error_text(exc: BaseException) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else (str(exc) or type(exc).__name__)


def _error_name(exc: BaseException) -> str:
    """``ConnectionResetError [ECONNRESET]``: the same in every language, and what a student would catch."""
    code = errno.errorcode.get(exc.errno) if isinstance(exc, OSError) and exc.errno else None
    return f"{type(exc).__name__} [{code}]" if code else type(exc).__name__


class _WakeMixin:
    """The self-pipe that interrupts every blocking wait of a peer when it stops."""

    _wake_r: socket.socket | None = None
    _wake_w: socket.socket | None = None

    def _open_wake(self) -> None:
        self._wake_r, self._wake_w = socket.socketpair()
        for s in (self._wake_r, self._wake_w):
            s.settimeout(1.0)

    def _poke(self) -> None:
        if self._wake_w is not None:
            try:
                self._wake_w.send(b"x")
            except OSError:
                pass

    def _close_wake(self) -> None:
        for s in (self._wake_r, self._wake_w):
            if s is not None:
                s.close()
        self._wake_r = self._wake_w = None


# =========================================================================================
# UDP
# =========================================================================================
class UDPPeer(_WakeMixin, FakeServer):
    """A datagram server that records every datagram and can drop or delay replies.

    Datagrams are numbered 1, 2, 3… over the peer's life; numbers in ``drop`` get no
    reply (the transcript says ``dropped datagram N``), which is how a test shows that a
    client without a timeout hangs forever. Each sender address is one transcript
    connection. Delayed replies wait in a timer heap, so other datagrams keep flowing.
    UDP has no connection to drop when idle: ``idle_timeout`` is accepted for a uniform
    API and only bounds internal waits.

    Bounded: after ``max_kept_datagrams`` datagrams (or ``max_kept_bytes`` of payload)
    the peer stops keeping, recording and answering them; it counts them in
    :attr:`dropped_datagrams` and says so in the transcript once (and the total when it
    stops), as a full receive queue of a real host would drop them.
    """

    protocol = "udp"

    def __init__(
        self,
        host: str = LOOPBACK,
        port: int = 0,
        *,
        reply: Callable[[bytes], bytes | None] | None = echo_reply,
        drop: Collection[int] = (),
        delay: float | Callable[[bytes], float] = 0.0,
        max_datagram: int = 65535,
        max_pending: int = 1024,
        max_kept_datagrams: int = DEFAULT_MAX_KEPT_DATAGRAMS,
        max_kept_bytes: int = DEFAULT_MAX_KEPT_BYTES,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
    ) -> None:
        super().__init__(host, port, idle_timeout=idle_timeout)
        self.reply = reply
        self.drop = frozenset(drop)
        self.delay = delay
        self.max_datagram = max_datagram
        self.max_pending = max_pending
        self.max_kept_datagrams = max_kept_datagrams
        self.max_kept_bytes = max_kept_bytes
        self.datagrams: list[tuple[Address, bytes]] = []
        """Every datagram received as server (up to the limits), with its sender, in arrival order."""
        self.dropped_datagrams = 0
        """Datagrams received past ``max_kept_datagrams``/``max_kept_bytes``: counted, not kept."""
        self._kept_bytes = 0
        self._dropped_noted: Connection | None = None
        self._sock: socket.socket | None = None
        self._count = 0
        self._by_addr: dict[Address, Connection] = {}
        self._pending: list[tuple[float, int, Address, bytes]] = []

    # -- server role -------------------------------------------------------------------
    def wait_for_datagrams(self, n: int, timeout: float = 5.0) -> bool:
        """Block until ``n`` datagrams have arrived (True) or ``timeout`` passes (False)."""
        return self.transcript.wait_for(lambda _t: len(self.datagrams) >= n, timeout)

    def _bind(self) -> int:
        sock = socket.socket(_family(self.host), socket.SOCK_DGRAM)
        try:
            _big_buffers(sock)
            if hasattr(socket, "SIO_UDP_CONNRESET"):  # Windows: ICMP unreachable must not kill recvfrom
                sock.ioctl(socket.SIO_UDP_CONNRESET, False)  # type: ignore[attr-defined]
            sock.bind((self.host, self.requested_port))
            sock.settimeout(min(1.0, self.idle_timeout))
            self._open_wake()
        except BaseException:
            sock.close()
            raise
        self._sock = sock
        self._pending = []
        return sock.getsockname()[1]

    def _serve(self) -> None:
        assert self._sock is not None and self._wake_r is not None
        self._ready.set()
        try:
            while not self._stopping.is_set():
                timeout = min(1.0, self.idle_timeout)
                if self._pending:
                    timeout = max(0.0, min(timeout, self._pending[0][0] - time.monotonic()))
                if _wait_readable(self._sock, self._wake_r, timeout) and not self._stopping.is_set():
                    self._receive_one()
                self._send_due()
        finally:
            for _due, number, addr, _data in self._pending:
                self.transcript.record(self._conn_for(addr), "*",
                                       f"reply to datagram {number} not sent: peer stopped".encode())
            self._pending = []
            if self._dropped_noted is not None and self.dropped_datagrams > 1:
                self.transcript.record(self._dropped_noted, "*", (
                    f"{self.dropped_datagrams} datagrams in all dropped over the limit").encode())

    def _conn_for(self, addr: Address) -> Connection:
        conn = self._by_addr.get(addr)
        if conn is None:
            conn = self._by_addr[addr] = self.transcript.open(addr)
        return conn

    def _receive_one(self) -> None:
        assert self._sock is not None
        try:
            data, raw_addr = self._sock.recvfrom(self.max_datagram + 1)
        except (BlockingIOError, InterruptedError, TimeoutError, ConnectionResetError):
            return  # spurious wake-up, or a Windows ICMP report about an earlier reply
        except OSError:  # e.g. Windows WSAEMSGSIZE: the datagram is lost, nothing to record
            return
        addr: Address = (str(raw_addr[0]), int(raw_addr[1]))
        self._count += 1
        number = self._count
        truncated = len(data) > self.max_datagram
        if truncated:
            data = data[: self.max_datagram]
        if (len(self.datagrams) >= self.max_kept_datagrams
                or self._kept_bytes + len(data) > self.max_kept_bytes):
            self._drop_over_limit(addr, number)
            return
        conn = self._conn_for(addr)
        self._kept_bytes += len(data)
        self.datagrams.append((addr, data))  # before record(): record() wakes the waiters
        self.transcript.record(conn, "C", data)
        if truncated:
            self.transcript.record(
                conn, "*", f"datagram {number} longer than max_datagram ({self.max_datagram}), "
                           "truncated".encode())
        if number in self.drop:
            self.transcript.record(conn, "*", f"dropped datagram {number}".encode())
            return
        answer: bytes | None = None
        if self.reply is not None:
            try:
                answer = self.reply(data)
            except Exception:  # noqa: BLE001 - a broken reply function is a test bug: report it
                self._note_error()
        if answer is None:
            self.transcript.record(conn, "*", f"no reply to datagram {number}".encode())
        elif (delay := self._delay_for(data)) > 0:
            if len(self._pending) >= self.max_pending:
                self.transcript.record(conn, "*", f"dropped reply to datagram {number}: "
                                                  "too many delayed replies".encode())
            else:
                heapq.heappush(self._pending, (time.monotonic() + delay, number, addr, answer))
        else:
            self._send_reply(addr, number, answer)

    def _delay_for(self, data: bytes) -> float:
        """Seconds before the reply to ``data``: ``delay``, or what ``delay(data)`` says.

        A function lets replies come at staggered times (the ping test's replies to ping 1
        and ping 2 differ, so no deadline of a buggy client lands on an arrival: a verdict
        never rests on a coin flip). A broken function is a test bug: reported, no delay.
        """
        if not callable(self.delay):
            return float(self.delay)
        try:
            return max(0.0, float(self.delay(data)))
        except Exception:  # noqa: BLE001 - a broken delay function is a test bug: report it
            self._note_error()
            return 0.0

    def _drop_over_limit(self, addr: Address, number: int) -> None:
        """Count a datagram past the limits; the first one gets a note (no new connection after it)."""
        self.dropped_datagrams += 1
        self.transcript.changed()
        if self._dropped_noted is None:
            self._dropped_noted = self._conn_for(addr)
            self.transcript.record(self._dropped_noted, "*", (
                f"datagram limit reached ({self.max_kept_datagrams} datagrams or {self.max_kept_bytes} "
                f"bytes kept): datagram {number} and later ones are dropped, not recorded or answered"
            ).encode())

    def _send_due(self) -> None:
        now = time.monotonic()
        while self._pending and self._pending[0][0] <= now and not self._stopping.is_set():
            _due, number, addr, answer = heapq.heappop(self._pending)
            self._send_reply(addr, number, answer)

    def _send_reply(self, addr: Address, number: int, answer: bytes) -> None:
        assert self._sock is not None
        conn = self._conn_for(addr)
        try:
            self._sock.sendto(answer, addr)
        except OSError as exc:
            self.transcript.record(
                conn, "*", f"could not send reply to datagram {number}: {_error_text(exc)}".encode())
            return
        self.transcript.record(conn, "S", answer)

    def _wake(self) -> None:
        self._poke()

    def _close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        self._close_wake()
        for conn in self._by_addr.values():
            self.transcript.close(conn, "peer stopped")
        self._by_addr = {}

    # -- client role -------------------------------------------------------------------
    def send_to(self, address: tuple[str, int], data: bytes) -> None:
        """Send one datagram to a student's server, expecting nothing back (recorded)."""
        self._client_exchange(address, data, None)

    def request(self, address: tuple[str, int], data: bytes, timeout: float = 2.0) -> bytes | None:
        """Send one datagram to a student's server and return its reply, or None after ``timeout``.

        A fresh connected socket per call: a late reply to an earlier request can never be
        mistaken for this one's, and on Linux/Windows "nothing listening" shows up as an
        ICMP error, which the transcript notes.
        """
        return self._client_exchange(address, data, timeout)

    def _client_exchange(self, address: tuple[str, int], data: bytes, timeout: float | None) -> bytes | None:
        target = _require_loopback(address)
        conn = self.transcript.open(target, note=CLIENT_ROLE)
        reason = "done (client role)"
        try:
            with socket.socket(_family(target[0]), socket.SOCK_DGRAM) as sock:
                _big_buffers(sock)
                sock.settimeout(2.0 if timeout is None else timeout)
                try:
                    sock.connect(target)
                    sock.send(data)
                except OSError as exc:
                    reason = f"send failed: {_error_text(exc)}"
                    return None
                self.transcript.record(conn, "C", data)
                if timeout is None:
                    return None
                try:
                    answer = sock.recv(_RECV_CHUNK)
                except TimeoutError:
                    reason = f"no reply within {timeout:g} s"
                except ConnectionRefusedError:
                    reason = "port unreachable: nothing listening (ICMP)"
                except OSError as exc:
                    reason = f"receive failed: {_error_text(exc)}"
                else:
                    self.transcript.record(conn, "S", answer)
                    return answer
                return None
        finally:
            self.transcript.close(conn, reason)  # the close reason is the note (e.g. no reply)

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info.update(
            reply=getattr(self.reply, "__name__", repr(self.reply)) if self.reply else None,
            drop=sorted(self.drop), max_datagram=self.max_datagram,
            delay=getattr(self.delay, "__name__", repr(self.delay)) if callable(self.delay) else self.delay,
            hint=f"nc -u {self.host} {self.port}",
        )
        return info


# =========================================================================================
# TCP
# =========================================================================================
TCPMode = Literal["until_eof", "echo", "frames"]


@dataclass
class TalkResult:
    """What happened when the peer, as a client, talked to a student's TCP server."""

    reply: bytes
    eof: bool
    """Did the server close its side (recv returned b"")?"""
    error: str | None = None
    """None, or e.g. "connection refused", "reset by server after 0 bytes", "timeout waiting for EOF…".

    Always English: tests compare it and transcripts record it. Feedback shows :attr:`error_text`.
    """
    chunks: list[bytes] = field(default_factory=list)
    """The reply as the recv calls returned it (many small chunks: the server trickles)."""
    error_key: str | None = None
    error_values: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def error_text(self) -> str | None:
        """:attr:`error` in the student's language (``NETLINGS_LANG``), for feedback."""
        return msg(self.error_key, **self.error_values) if self.error_key else self.error

    def fail(self, key: str, **values: Any) -> None:
        """End the conversation with the catalogued reason ``key`` (grader/messages/peers.py)."""
        self.error, self.error_key, self.error_values = msg(key, lang="en", **values), key, values


class _Hangup(Exception):
    """End a TCP conversation; ``reason`` is the close reason written to the transcript."""

    def __init__(self, reason: str, note: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.note = note


class TCPPeer(_WakeMixin, FakeServer):
    """A stream server with a choice of conversation and injectable faults, one thread per client.

    Modes: ``until_eof`` reads until the client half-closes, then replies once and closes;
    ``echo`` replies to every chunk as it arrives; ``frames`` speaks 4-byte big-endian
    length-prefixed frames. Faults: ``trickle`` (reply one byte per ``send``, so a client
    that assumes one ``recv`` gets everything is caught), ``delay`` before each reply,
    ``close_early`` (hang up after the first chunk, no reply), ``never_close`` (keep the
    connection open after replying until idle timeout or stop).
    Each chunk is recorded exactly as ``recv`` returned it.
    """

    protocol = "tcp"

    def __init__(
        self,
        host: str = LOOPBACK,
        port: int = 0,
        *,
        mode: TCPMode = "until_eof",
        reply: Callable[[bytes], bytes] = received_reply,
        trickle: bool = False,
        trickle_gap: float = 0.002,
        delay: float = 0.0,
        close_early: bool = False,
        never_close: bool = False,
        read_delay: float = 0.0,
        segment_size: int | None = None,
        max_bytes: int = 1 << 20,
        max_connections: int = 32,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
    ) -> None:
        """``read_delay`` and ``segment_size`` make a *slow reader*: it waits before reading
        and asks for small TCP segments (``TCP_MAXSEG``), which keeps the client's send
        buffer small (Linux sizes it from the segment size). Then one ``send`` of a large
        request delivers only part of it while ``sendall`` waits and delivers all: the
        difference shows on the wire. Where the option is missing the request may fit and
        the mistake goes unseen, never a correct client blamed.
        """
        if mode not in ("until_eof", "echo", "frames"):
            raise ValueError(f"unknown TCPPeer mode {mode!r}")
        super().__init__(host, port, idle_timeout=idle_timeout)
        self.mode = mode
        self.reply = reply
        self.trickle = trickle
        self.trickle_gap = trickle_gap
        self.delay = delay
        self.close_early = close_early
        self.never_close = never_close
        self.read_delay = read_delay
        self.segment_size = segment_size
        self.max_bytes = max_bytes
        self.max_connections = max_connections
        self._listener: socket.socket | None = None
        self._lock = threading.Lock()
        self._handlers: list[threading.Thread] = []
        self._active: set[socket.socket] = set()

    # -- accessors ---------------------------------------------------------------------
    @property
    def connections(self) -> list[Connection]:
        """Connections the peer served (client-role exchanges excluded), in accept order."""
        return [c for c in self.transcript.connections if c.note != CLIENT_ROLE]

    def received(self, conn_index: int = 0) -> bytes:
        """Everything the client sent on served connection ``conn_index`` (0 = first)."""
        return self.connections[conn_index].client_data

    def wait_for_connections(self, n: int, timeout: float = 5.0) -> bool:
        """Block until ``n`` clients have connected (True) or ``timeout`` passes (False)."""
        return self.transcript.wait_for(lambda _t: len(self.connections) >= n, timeout)

    def wait_for_eof(self, timeout: float = 5.0, count: int = 1) -> bool:
        """Block until ``count`` clients have half-closed (sent EOF)."""
        def seen(_t: object) -> bool:
            return sum(any(e.data == b"EOF from client" for e in c.events)
                       for c in self.connections) >= count
        return self.transcript.wait_for(seen, timeout)

    def wait_closed(self, count: int = 1, timeout: float = 5.0) -> bool:
        """Block until ``count`` served connections are closed (after the peer's last write)."""
        return self.transcript.wait_for(
            lambda _t: sum(c.closed is not None for c in self.connections) >= count, timeout)

    # -- lifecycle ---------------------------------------------------------------------
    def _bind(self) -> int:
        sock = socket.socket(_family(self.host), socket.SOCK_STREAM)
        try:
            if self.segment_size:
                set_segment_size(sock, self.segment_size)
            sock.bind((self.host, self.requested_port))
            sock.listen(64)
            sock.settimeout(1.0)
            self._open_wake()
        except BaseException:
            sock.close()
            raise
        self._listener = sock
        return sock.getsockname()[1]

    def _serve(self) -> None:
        assert self._listener is not None and self._wake_r is not None
        self._ready.set()
        try:
            while not self._stopping.is_set():
                if not _wait_readable(self._listener, self._wake_r, 1.0) or self._stopping.is_set():
                    continue
                try:
                    client, raw_addr = self._listener.accept()
                except OSError:  # the client gave up between poll and accept
                    continue
                self._start_handler(client, (str(raw_addr[0]), int(raw_addr[1])))
        finally:
            for thread in self._take_handlers():
                thread.join(5.0)
                if thread.is_alive():  # pragma: no cover - a bug here, reported loudly
                    self.errors.append(f"tcp connection thread {thread.name} did not stop")

    def _take_handlers(self) -> list[threading.Thread]:
        with self._lock:
            handlers, self._handlers = self._handlers, []
        return handlers

    def _start_handler(self, client: socket.socket, addr: Address) -> None:
        conn = self.transcript.open(addr)
        with self._lock:
            self._handlers = [t for t in self._handlers if t.is_alive()]
            full = len(self._handlers) >= self.max_connections
            if not full:
                self._active.add(client)
        if full:
            client.close()
            self.transcript.close(conn, f"refused: already {self.max_connections} connections")
            return
        thread = threading.Thread(target=self._handle, args=(client, conn),
                                  name=f"netlings-tcp-{self.port}-conn{conn.id}", daemon=True)
        with self._lock:
            self._handlers.append(thread)
        thread.start()

    def _wake(self) -> None:
        self._poke()
        with self._lock:  # unblock a sendall stuck on a client that does not read
            for client in self._active:
                try:
                    client.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _close(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        self._close_wake()

    # -- one connection ------------------------------------------------------------------
    def _handle(self, client: socket.socket, conn: Connection) -> None:
        reason = "closed by peer"
        try:
            client.settimeout(self.idle_timeout)
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._converse(client, conn)
        except _Hangup as hangup:
            reason = hangup.reason
            if hangup.note:
                self.transcript.record(conn, "*", hangup.note.encode())
        except OSError as exc:
            reason = self._os_error_reason(conn, exc)
        except Exception:  # noqa: BLE001 - e.g. a broken reply function: report it in the test
            reason = "peer error"
            self._note_error()
        finally:
            with self._lock:
                self._active.discard(client)
            client.close()
            self.transcript.close(conn, reason)

    def _os_error_reason(self, conn: Connection, exc: OSError) -> str:
        """Note what a socket error means for the student (reset, not reading…); return the reason."""
        if self._stopping.is_set():
            return "peer stopped"
        if isinstance(exc, ConnectionResetError):
            note, reason = "client reset connection", "reset"
        elif isinstance(exc, (BrokenPipeError, ConnectionAbortedError)):
            note, reason = "client closed the connection before the reply was sent", "client gone"
        elif isinstance(exc, TimeoutError):
            note, reason = "send timed out: client is not reading", "send timed out"
        else:
            note, reason = f"socket error: {_error_text(exc)}", "socket error"
        self.transcript.record(conn, "*", note.encode())
        return reason

    def _converse(self, client: socket.socket, conn: Connection) -> None:
        if self.read_delay:
            self.transcript.record(conn, "*", f"slow reader: not reading for {self.read_delay:g} s".encode())
            if self._stopping.wait(self.read_delay):
                return
        received = 0

        def read() -> bytes:
            """One chunk, recorded as recv returned it; b"" at EOF. Raises _Hangup on idle/stop/too much."""
            nonlocal received
            assert self._wake_r is not None
            ready = _wait_readable(client, self._wake_r, self.idle_timeout)
            if self._stopping.is_set():
                raise _Hangup("peer stopped")
            if not ready:
                what = "EOF" if self.mode == "until_eof" else "data"
                raise _Hangup("idle timeout", f"idle timeout: no {what} from client "
                                              f"within {self.idle_timeout:g} s after {received} bytes")
            chunk = client.recv(min(_RECV_CHUNK, self.max_bytes - received + 1))
            if not chunk:
                self.transcript.record(conn, "*", b"EOF from client")
                if self.close_early:
                    raise _Hangup("closed early", "closing early without reply (fault injection)")
                return b""
            received += len(chunk)
            self.transcript.record(conn, "C", chunk)
            if received > self.max_bytes:
                raise _Hangup("too much data", f"client sent more than max_bytes ({self.max_bytes}); "
                                               "closing")
            if self.close_early:
                raise _Hangup("closed early", "closing early without reply (fault injection)")
            return chunk

        if self.mode == "until_eof":
            parts = []
            while chunk := read():
                parts.append(chunk)
            self._send(client, conn, self.reply(b"".join(parts)))
        elif self.mode == "echo":
            while chunk := read():
                self._send(client, conn, self.reply(chunk))
        else:
            buffer = bytearray()
            while chunk := read():
                buffer += chunk
                while len(buffer) >= 4:
                    (length,) = struct.unpack(">I", buffer[:4])
                    if length > self.max_bytes:
                        raise _Hangup("bad frame", f"frame length {length} exceeds max_bytes "
                                                   f"({self.max_bytes}); closing")
                    if len(buffer) < 4 + length:
                        break
                    payload = bytes(buffer[4:4 + length])
                    del buffer[:4 + length]
                    self._send(client, conn, frame(self.reply(payload)))
            if buffer:
                self.transcript.record(conn, "*", f"EOF in the middle of a frame ({len(buffer)} bytes "
                                                  "left over)".encode())
        if self.never_close:
            self.transcript.record(conn, "*", b"never_close: keeping the connection open (fault injection)")
            if self._stopping.wait(self.idle_timeout):
                raise _Hangup("peer stopped")
            raise _Hangup("idle timeout (never_close)")

    def _send(self, client: socket.socket, conn: Connection, data: bytes) -> None:
        if self.delay > 0 and self._stopping.wait(self.delay):
            raise _Hangup("peer stopped")
        if not self.trickle:
            client.sendall(data)
            self.transcript.record(conn, "S", data)
            return
        for i in range(len(data)):
            client.sendall(data[i:i + 1])
            self.transcript.record(conn, "S", data[i:i + 1])
            if i < _TRICKLE_GAP_BYTES and self.trickle_gap > 0 and self._stopping.wait(self.trickle_gap):
                raise _Hangup("peer stopped")

    # -- client role -------------------------------------------------------------------
    def connect(self, address: tuple[str, int], timeout: float = 2.0) -> socket.socket:
        """A raw connected socket (with ``timeout``) for odd tests; the caller owns and closes it.

        Traffic on it is not recorded: use :meth:`talk` when the transcript matters.
        """
        return socket.create_connection(_require_loopback(address), timeout=timeout)

    def talk(
        self,
        address: tuple[str, int],
        data: bytes,
        *,
        half_close: bool = True,
        trickle: bool = False,
        read_timeout: float = 2.0,
        expect_eof: bool = True,
        settle: float = 0.1,
    ) -> TalkResult:
        """Connect to a student's server, send ``data``, read the reply; record it all.

        ``half_close`` sends EOF (``SHUT_WR``) after the data, as a well-behaved client does.
        With ``expect_eof`` the reply is read until the server closes; a server that never
        closes costs ``read_timeout`` seconds of silence and yields ``eof=False`` and an
        error "timeout waiting for EOF after N bytes". Without it, reading stops once a reply
        arrived and then ``settle`` seconds passed quietly (for servers that keep the
        connection open on purpose). ``trickle`` sends one byte per ``send``, which catches
        servers that assume one ``recv`` gets the whole request.
        """
        target = _require_loopback(address)
        conn = self.transcript.open(target, note=CLIENT_ROLE)
        result = TalkResult(reply=b"", eof=False)
        try:
            sock = socket.create_connection(target, timeout=read_timeout)
        except ConnectionRefusedError:
            result.fail("peer.refused")
        except TimeoutError:
            result.fail("peer.connect_timeout", seconds=read_timeout)
        except OSError as exc:
            result.fail("peer.connect_failed", error=_error_name(exc))
        else:
            with sock:
                self._talk(sock, conn, data, result, half_close=half_close, trickle=trickle,
                           read_timeout=read_timeout, expect_eof=expect_eof, settle=settle)
        result.reply = b"".join(result.chunks)
        self.transcript.close(conn, result.error or "closed (client role)")  # the reason is the note
        return result

    def _talk(self, sock: socket.socket, conn: Connection, data: bytes, result: TalkResult, *,
              half_close: bool, trickle: bool, read_timeout: float, expect_eof: bool, settle: float) -> None:
        sent = 0
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            pieces = [data[i:i + 1] for i in range(len(data))] if trickle else [data]
            for i, piece in enumerate(pieces):
                if not piece:
                    continue
                sock.sendall(piece)
                sent += len(piece)
                self.transcript.record(conn, "C", piece)
                if trickle and i < _TRICKLE_GAP_BYTES and self._stopping.wait(self.trickle_gap):
                    result.fail("peer.stopped")
                    return
            if half_close:
                sock.shutdown(socket.SHUT_WR)
                self.transcript.record(conn, "*", b"half-close sent (SHUT_WR)")
        except TimeoutError:
            result.fail("peer.send_timeout", sent=sent, total=len(data))
        except OSError as exc:
            # The server hung up before taking everything (e.g. it did one recv and replied):
            # its reply may still be waiting in our receive buffer, so read it anyway.
            result.fail("peer.closed_while_sending", sent=sent, total=len(data), error=_error_name(exc))
        sending_error = (result.error, result.error_key, result.error_values)
        failed = result.error is not None
        self._read_reply(sock, conn, result, read_timeout=settle if failed else read_timeout,
                         expect_eof=expect_eof and not failed, settle=settle)
        if failed:  # the reason the conversation broke, not what reading the rest then met
            result.error, result.error_key, result.error_values = sending_error

    def _read_reply(self, sock: socket.socket, conn: Connection, result: TalkResult, *,
                    read_timeout: float, expect_eof: bool, settle: float) -> None:
        got = 0
        try:
            while True:
                sock.settimeout(read_timeout if expect_eof or not got else min(settle, read_timeout))
                try:
                    chunk = sock.recv(min(_RECV_CHUNK, self.max_bytes - got + 1))
                except TimeoutError:
                    if expect_eof:
                        result.fail("peer.eof_timeout", got=got)
                    elif not got:
                        result.fail("peer.reply_timeout", seconds=read_timeout)
                    return
                if not chunk:
                    result.eof = True
                    self.transcript.record(conn, "*", b"EOF from server")
                    return
                got += len(chunk)
                result.chunks.append(chunk)
                self.transcript.record(conn, "S", chunk)
                if got > self.max_bytes:
                    result.fail("peer.reply_too_long", limit=self.max_bytes)
                    return
        except (ConnectionResetError, ConnectionAbortedError):
            result.fail("peer.reset", got=got)
        except OSError as exc:
            result.fail("peer.read_error", got=got, error=_error_name(exc))

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        faults = [name for name in ("trickle", "close_early", "never_close") if getattr(self, name)]
        info.update(
            mode=self.mode, reply=getattr(self.reply, "__name__", repr(self.reply)),
            faults=faults, delay=self.delay, max_bytes=self.max_bytes,
            hint=f"nc {self.host} {self.port}  (Ctrl-D half-closes)",
        )
        return info


def set_segment_size(sock: socket.socket, size: int) -> None:
    """Ask for ``size``-byte TCP segments (on a listener, or a client before connect); best effort."""
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, size)
    except (AttributeError, OSError):
        pass  # not on this platform: a send() mistake may then go unseen, never a false failure
