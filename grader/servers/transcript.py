"""What a fake server saw on the wire: the evidence every verdict is built from.

A :class:`Transcript` belongs to one server. It records every connection (the peer
address, when it opened and closed) and, per connection, every line or chunk the
client sent (``C:``) and every reply the server sent (``S:``) as raw bytes with a
timestamp. TLS is transparent: servers record the bytes *after* decryption.

It is thread-safe (servers run in their own threads while the test reads it) and
lets a test *wait* for something to appear (:meth:`Transcript.wait_for`) instead
of sleeping. It renders as readable ``C:``/``S:`` lines for failure reports, and
serialises to plain JSON-able data (bytes as latin-1 strings) for the grader.

It is bounded. The servers live in the process that decides the grade, so whatever
a student's client sends and the transcript keeps is the grader's memory: a client
that sends a gigabyte of commands, or opens a million connections, must not take it
down. A transcript keeps the *beginning* (up to :data:`DEFAULT_MAX_BYTES` bytes,
:data:`DEFAULT_MAX_EVENTS` events and :data:`DEFAULT_MAX_CONNECTIONS` connections),
then writes one note saying the limit was reached and only counts what follows
(:attr:`Transcript.dropped_events`, :attr:`Transcript.dropped_bytes`,
:attr:`Transcript.dropped_connections`); the rendered report says how much was
left out. The evidence a verdict needs is at the start of a conversation; a
flood's tail adds nothing to it.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

Direction = Literal["C", "S", "*"]
"""``C`` client to server, ``S`` server to client, ``*`` a note (connect, close, TLS…)."""

DEFAULT_MAX_BYTES = 16 * 1024 * 1024
"""Bytes of lines, chunks and notes one transcript keeps (a few times the largest honest test)."""
DEFAULT_MAX_EVENTS = 100_000
"""Events one transcript keeps: bounds the per-event overhead of a flood of tiny chunks."""
DEFAULT_MAX_CONNECTIONS = 10_000
"""Connections one transcript keeps; later ones are counted, their events not recorded."""


@dataclass(frozen=True, slots=True)
class Event:
    """One thing seen on a connection."""

    conn: int
    direction: Direction
    data: bytes
    t: float  # seconds since the transcript was created

    def render(self) -> str:
        return f"{self.direction}: {show_bytes(self.data)}"


@dataclass
class Connection:
    """One client connection (or, for UDP, one peer address) as the server saw it."""

    id: int
    peer: tuple[str, int]
    opened: float
    closed: float | None = None
    events: list[Event] = field(default_factory=list)
    note: str = ""
    kept: bool = True
    """False for a connection past the transcript's connection limit: nothing on it is recorded."""

    @property
    def client_data(self) -> bytes:
        """Everything the client sent, concatenated."""
        return b"".join(e.data for e in self.events if e.direction == "C")

    @property
    def server_data(self) -> bytes:
        return b"".join(e.data for e in self.events if e.direction == "S")

    def client_lines(self) -> list[bytes]:
        return [e.data for e in self.events if e.direction == "C"]

    def server_lines(self) -> list[bytes]:
        return [e.data for e in self.events if e.direction == "S"]


def show_bytes(data: bytes) -> str:
    r"""Readable form of a recorded line, in one of three forms that cannot be mistaken for each other.

    1. Plain text, ``MAIL FROM:<a@b.c>`` or ``Subject: 你好``: the line is UTF-8 text whose
       every character is printable, ended by CRLF (dropped: every protocol line has one)
       or by nothing. Printable means :meth:`str.isprintable` (which refuses control
       characters, bidi overrides, zero-width and odd spaces) or the ideographic space of
       Chinese text. A line that itself looks like a quoted literal (``'x'``, ``b"x"``) is
       not shown plain, so it cannot pass for form 2 or 3.
    2. A text literal, ``'Subject: 你好\n'``: UTF-8 text with non-ASCII letters and an
       unusual line ending (a bare ``\n``, a ``\r`` in the middle) or an invisible
       character (a bidi override, a zero-width space). Python's ``repr`` of the decoded
       text (its quotes are Python's choice): the letters stay letters, every line ending
       and invisible character is spelled out. No ``b`` before it: the bytes were valid UTF-8.
    3. A bytes literal, ``b'HELO x\n'`` or ``b'\xc4\xe3\xba\xc3\r\n'``: everything else,
       exactly as :func:`repr` shows the bytes, so a student sees what went over the wire:
       not UTF-8 at all (GBK text), plain ASCII with something unusual, and binary data,
       i.e. any control character but tab, CR and LF (a NUL, a length prefix: there the
       student counts bytes, and ``第二`` would hide that it is 6 of them).

    Why: a beginner reading ``C: b'Subject: \xe4\xbd\xa0\xe5\xa5\xbd\r\n'`` cannot tell
    that their Chinese subject was sent right, while a wrong line ending or an encoding
    mistake (GBK where UTF-8 was expected) must stay visible.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return repr(data)
    plain = text[:-2] if data.endswith(b"\r\n") else text
    if plain and all(_printable(ch) for ch in plain) and not _LOOKS_QUOTED.match(plain):
        return plain
    if not text.isascii() and not _BINARY.search(text):
        return repr(text)
    return repr(data)


_BINARY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters but tab, LF and CR: a line holding one is data, shown as bytes."""
_LOOKS_QUOTED = re.compile(r"""^b?(['"]).*\1$""", re.S)
"""Plain text that would read as a ``'…'`` or ``b'…'`` literal: shown as a literal itself."""


def _printable(ch: str) -> bool:
    return ch.isprintable() or ch == "\u3000"


class Transcript:
    """Thread-safe, bounded record of every connection a server handled."""

    def __init__(
        self,
        name: str = "server",
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_events: int = DEFAULT_MAX_EVENTS,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
    ) -> None:
        self.name = name
        self.max_bytes = max_bytes
        self.max_events = max_events
        self.max_connections = max_connections
        self.kept_bytes = 0
        self.kept_events = 0
        self.dropped_bytes = 0
        """Bytes seen but not recorded because the transcript was full."""
        self.dropped_events = 0
        """Events (lines, chunks, notes, closes) not recorded because the transcript was full."""
        self.dropped_connections = 0
        """Connections past ``max_connections``: counted, nothing on them recorded."""
        self.full = False
        """True once the byte or event limit was reached: from then on events are only counted."""
        self._t0 = time.monotonic()
        self._cond = threading.Condition()
        self._connections: list[Connection] = []
        self._seen_connections = 0
        self._listeners: list[Callable[[Connection, Event], None]] = []

    def add_listener(self, callback: Callable[[Connection, Event], None]) -> None:
        """Call ``callback(connection, event)`` for every event from now on (live view).

        Callbacks run in the server's thread; keep them short. Used by ``netlings serve``.
        """
        with self._cond:
            self._listeners.append(callback)

    def _notify(self, conn: Connection, event: Event) -> None:
        for callback in self._listeners:
            try:
                callback(conn, event)
            except Exception:  # noqa: BLE001 - a broken viewer must not break the server
                pass

    # -- recording (called from server threads) ---------------------------------
    def _now(self) -> float:
        return time.monotonic() - self._t0

    def open(self, peer: tuple[str, int] | tuple, note: str = "") -> Connection:
        """Start recording a new connection from ``peer``.

        Past ``max_connections`` the connection is still returned (the server uses it
        as usual) but it is not listed and nothing on it is recorded, only counted.
        """
        with self._cond:
            self._seen_connections += 1
            kept = len(self._connections) < self.max_connections
            conn = Connection(
                id=self._seen_connections, peer=(str(peer[0]), int(peer[1])),
                opened=self._now(), note=note, kept=kept,
            )
            if kept:
                self._connections.append(conn)
            else:
                self.dropped_connections += 1
                if self.dropped_connections == 1 and self._connections:
                    self._append(self._connections[-1], "*", (
                        f"transcript limit reached: {self.max_connections} connections recorded, "
                        "later connections are counted, not recorded").encode())
            event = Event(conn.id, "*", f"connect from {conn.peer[0]}:{conn.peer[1]}".encode(), conn.opened)
            self._notify(conn, event)
            self._cond.notify_all()
            return conn

    def record(self, conn: Connection, direction: Direction, data: bytes) -> None:
        """Add one client line/chunk (``C``), server reply (``S``) or note (``*``).

        Within the limits the event is kept whole; the one that crosses the byte limit
        keeps its beginning; after it, events are only counted (see the module docstring).
        """
        with self._cond:
            data = bytes(data)
            if not conn.kept or self.full:
                self.dropped_events += 1
                self.dropped_bytes += len(data)
            else:
                room = self.max_bytes - self.kept_bytes
                if self.kept_events >= self.max_events or room <= 0:
                    self._limit_reached(conn)
                    self.dropped_events += 1
                    self.dropped_bytes += len(data)
                else:
                    kept = data[:room]
                    event = self._append(conn, direction, kept)
                    self._notify(conn, event)
                    if len(kept) < len(data):
                        self.dropped_bytes += len(data) - len(kept)
                        self._limit_reached(conn)
            self._cond.notify_all()

    def close(self, conn: Connection, reason: str = "closed") -> None:
        with self._cond:
            if conn.closed is None:
                conn.closed = self._now()
                if conn.kept and not self.full and self.kept_events < self.max_events:
                    event = self._append(conn, "*", reason.encode(), conn.closed)
                    self._notify(conn, event)
                else:
                    self.dropped_events += 1
            self._cond.notify_all()

    def _append(self, conn: Connection, direction: Direction, data: bytes, t: float | None = None) -> Event:
        """Store one event and charge it to the budget (caller holds the lock)."""
        event = Event(conn.id, direction, data, self._now() if t is None else t)
        conn.events.append(event)
        self.kept_events += 1
        self.kept_bytes += len(data)
        return event

    def _limit_reached(self, conn: Connection) -> None:
        """Write the one note that says recording stopped (caller holds the lock).

        The note itself is outside the budget, so it is always there to read.
        """
        if self.full:
            return
        self.full = True
        event = self._append(conn, "*", (
            f"transcript limit reached ({self.max_bytes} bytes or {self.max_events} events): "
            "what follows is counted, not recorded").encode())
        self._notify(conn, event)

    def changed(self) -> None:
        """Wake :meth:`wait_for` callers: something they watch changed outside the transcript.

        (A server that counts what it no longer records, e.g. dropped datagrams, calls this.)
        """
        with self._cond:
            self._cond.notify_all()

    @property
    def truncated(self) -> bool:
        """Was anything left out (events, bytes or connections)?"""
        with self._cond:
            return bool(self.dropped_events or self.dropped_bytes or self.dropped_connections)

    def dropped_summary(self) -> str:
        """One line saying what the limits left out, or ``""`` when nothing was."""
        with self._cond:
            if not (self.dropped_events or self.dropped_bytes or self.dropped_connections):
                return ""
            what = f"{self.dropped_events} events ({self.dropped_bytes} bytes)"
            if self.dropped_connections:
                what += f", {self.dropped_connections} connections"
            return f"-- {self.name}: transcript limit reached, not recorded: {what}"

    # -- reading (called from tests) ----------------------------------------------
    @property
    def connections(self) -> list[Connection]:
        with self._cond:
            return list(self._connections)

    def events(self) -> list[Event]:
        with self._cond:
            return [e for c in self._connections for e in c.events]

    def __iter__(self) -> Iterator[Connection]:
        return iter(self.connections)

    def __len__(self) -> int:
        return len(self.connections)

    def client_lines(self) -> list[bytes]:
        """Every client line of every connection, in order of connection."""
        return [line for c in self.connections for line in c.client_lines()]

    def commands(self) -> list[str]:
        """Upper-cased command verbs the clients sent (``USER``, ``RETR`` …)."""
        out = []
        for line in self.client_lines():
            word = line.split(b" ", 1)[0].strip().upper()
            out.append(word.decode("ascii", "replace"))
        return out

    def wait_for(self, predicate: Callable[[Transcript], bool], timeout: float = 5.0) -> bool:
        """Block until ``predicate(self)`` is true or ``timeout`` passes; return the outcome.

        Servers notify on every recorded event, so this wakes as soon as the thing
        awaited happens: no sleeping, no polling.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def wait_closed(self, count: int = 1, timeout: float = 5.0) -> bool:
        """Wait until at least ``count`` connections have been closed."""
        return self.wait_for(
            lambda t: sum(c.closed is not None for c in t._connections) >= count, timeout
        )

    def render(self, max_lines: int = 200) -> str:
        """Readable ``C:``/``S:`` listing, one block per connection, for failure reports."""
        out: list[str] = []
        for conn in self.connections:
            host, port = conn.peer
            out.append(f"-- {self.name} connection {conn.id} from {host}:{port}"
                       + (f" ({conn.note})" if conn.note else ""))
            for e in conn.events:
                out.append(f"   [{e.t:7.3f}] {e.render()}")
        if len(out) > max_lines:
            dropped = len(out) - max_lines
            out = out[: max_lines // 2] + [f"   ... {dropped} lines not shown ..."] + out[-max_lines // 2:]
        summary = self.dropped_summary()
        if summary:
            out.append(summary)
        return "\n".join(out) if out else f"-- {self.name}: no connections"

    def to_json(self) -> list[dict]:
        """Plain data (bytes as latin-1 text, lossless) for result files."""
        return [
            {
                "id": c.id, "peer": list(c.peer), "opened": round(c.opened, 6),
                "closed": None if c.closed is None else round(c.closed, 6), "note": c.note,
                "events": [[e.direction, e.data.decode("latin-1"), round(e.t, 6)] for e in c.events],
            }
            for c in self.connections
        ]
