"""A fake SMTP server (aiosmtpd) that records every envelope and the whole dialogue.

Why aiosmtpd: it is a complete, standards-following ESMTP server (EHLO, SIZE,
8BITMIME, STARTTLS, AUTH PLAIN/LOGIN, dot-unstuffing), so a student's client is
judged against real SMTP behaviour, not against our reading of the RFCs. What we
add is the evidence: every client line and every server reply, after TLS
decryption, goes into the :class:`~grader.servers.transcript.Transcript`, and every
accepted message into :attr:`SMTPServer.envelopes`.

Why not aiosmtpd's ``Controller``: it cannot bind port 0 as is (aiosmtpd issues
#276/#388), it opens a readiness-probe connection of its own (which would show up
in the transcript as a mystery client), and it defaults to ``::1`` and a slow
``socket.getfqdn()``. Instead we bind the socket ourselves (so the port is known
before :meth:`start` returns) and run ``loop.create_server`` on a private event
loop in the server thread.

Why limits beyond aiosmtpd's: the server runs inside the process that grades, so
what it holds is the grader's memory. aiosmtpd bounds one message
(``data_size_limit``) but not the number of sessions, the messages kept, the cost
of many tiny lines (it keeps one object per line), or a DATA line that never ends
(it keeps its fragments until the CRLF). Here at most ``max_connections`` sessions
are served at once (one more gets ``421``); at most ``max_messages`` messages and
``max_stored`` bytes are kept (then ``452``); and the DATA being received is
charged its bytes plus :data:`DATA_LINE_COST` per line: a session past
:data:`DATA_HARD_FACTOR` times ``max_message_size``, or all sessions together past
``max_data_in_flight``, are answered ``421`` and closed. So the memory an SMTP
server can be made to hold is about ``max_data_in_flight + max_stored`` plus its
transcript.

Why implicit TLS (SMTPS) is done by hand rather than ``create_server(ssl=...)``:
that way every raw connection belongs to one of our protocol objects from its
first byte, so a client stuck in (or failing) the handshake is visible in the
transcript ("TLS handshake failed" teaches "you spoke plain text to port 465")
and :meth:`stop` can close it: nothing leaks.
"""

from __future__ import annotations

import asyncio
import collections
import email
import email.message
import email.policy
import logging
import socket
import ssl
import threading
import time
import traceback
from asyncio import sslproto
from dataclasses import dataclass
from typing import Any

from aiosmtpd.smtp import (
    SMTP,
    AuthResult,
    LoginPassword,
    Session,
    TLSSetupException,
    syntax,
)
from aiosmtpd.smtp import Envelope as AioEnvelope

from .base import DEFAULT_IDLE_TIMEOUT, LOOPBACK, FakeServer
from .tls import TestCA, default_ca

# aiosmtpd logs every command (and full tracebacks) on "mail.log"; our transcript is
# the record, so its chatter would only clutter test output and students' terminals.
_aiosmtpd_log = logging.getLogger("mail.log")
_aiosmtpd_log.propagate = False
if not any(isinstance(h, logging.NullHandler) for h in _aiosmtpd_log.handlers):
    _aiosmtpd_log.addHandler(logging.NullHandler())

DEFAULT_USERS: dict[str, str] = {"student@example.com": "student-pass"}
"""Test credentials (never real ones): what exercises tell students to log in with."""
DEFAULT_MAX_MESSAGE_SIZE = 10 * 1024 * 1024
DEFAULT_SMTP_MAX_LINE = 512
"""RFC 5321 4.5.3.1.4: a command line is at most 512 octets, CRLF included."""
SERVER_HOSTNAME = "netlings.test"
"""Name in the greeting and EHLO reply; fixed so the server never calls ``getfqdn``."""
RECORD_CAP = 8192
"""Longest single client line kept whole in the transcript (the rest is noted, not stored)."""
MAX_CONNECTIONS = 16
"""Sessions served at once: each may hold up to ``max_message_size`` of DATA in memory."""
DEFAULT_MAX_MESSAGES = 1000
"""Messages one server keeps in :attr:`SMTPServer.envelopes`; later ones get ``452``."""
DEFAULT_MAX_STORED = 64 * 1024 * 1024
"""Bytes of message data one server keeps; a message that would pass it gets ``452``."""
DATA_LINE_COST = 100
"""What one DATA line costs in memory beyond its bytes (aiosmtpd keeps a bytearray per line)."""
DATA_HARD_FACTOR = 2
"""A DATA section that costs more than this many times ``max_message_size`` ends the session.

Up to it, a message that is too big is read to its end and refused with 552, as
RFC 5321 wants; past it the client is flooding (or never ends a line) and is cut off."""
DEFAULT_MAX_DATA_IN_FLIGHT = 32 * 1024 * 1024
"""What all sessions together may hold of DATA being received (bytes plus line costs)."""


@dataclass(frozen=True)
class Envelope:
    """One message the server accepted (a ``250`` after the final ``.``)."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    """The DATA content exactly as received, after dot-unstuffing (CRLF line ends)."""
    auth_user: str | None
    tls: bool
    """Was the session encrypted (STARTTLS or SMTPS) when DATA was sent?"""
    conn_id: int
    """Transcript connection id, to find the dialogue that delivered it."""

    def message(self) -> email.message.EmailMessage:
        """The parsed message (modern policy: decoded headers, ``get_content()``)."""
        return email.message_from_bytes(self.data, policy=email.policy.default)  # type: ignore[return-value]


class _RecordingReader:
    """Wraps the session's ``StreamReader`` so every line the server consumes is recorded.

    Why at the reader: it is the one place every client byte passes through after TLS
    decryption (commands, AUTH responses, DATA lines), in the order the server acts
    on them, so ``C:`` and ``S:`` events interleave exactly as the dialogue happened.
    Attribute reads and writes are forwarded, because aiosmtpd pokes at the reader's
    ``_transport`` and ``_buffer`` when STARTTLS switches the transport.
    """

    __slots__ = ("_inner", "_session", "_pending", "_pending_len")

    def __init__(self, inner: asyncio.StreamReader, session: _SMTPSession) -> None:
        object.__setattr__(self, "_inner", inner)
        object.__setattr__(self, "_session", session)
        object.__setattr__(self, "_pending", bytearray())
        object.__setattr__(self, "_pending_len", 0)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._inner, name, value)

    def _take(self, chunk: bytes) -> None:
        """Collect ``chunk``; hand a complete line (or an over-long one, capped) over."""
        if self._session._reading == "data":
            self._session._count_data(len(chunk), chunk.endswith(b"\n"))
        room = RECORD_CAP - len(self._pending)
        if room > 0:
            self._pending += chunk[:room]
        object.__setattr__(self, "_pending_len", self._pending_len + len(chunk))
        if chunk.endswith(b"\n"):
            line, total = bytes(self._pending), self._pending_len
            self._pending.clear()
            object.__setattr__(self, "_pending_len", 0)
            self._session._client_line(line, total)

    async def readuntil(self, separator: bytes = b"\n") -> bytes:
        line = await self._inner.readuntil(separator)
        self._take(line)
        return line

    async def readline(self) -> bytes:
        try:
            line = await self._inner.readline()
        except ValueError:  # over the limit: StreamReader discarded the line
            self._session._note(f"client line longer than {self._inner._limit} bytes discarded")
            raise
        self._take(line)
        return line

    async def read(self, n: int = -1) -> bytes:
        chunk = await self._inner.read(n)
        self._take(chunk)
        return chunk


class _SMTPSession(SMTP):
    """aiosmtpd's per-connection protocol, plus recording and a few hardening fixes."""

    def __init__(self, owner: SMTPServer, loop: asyncio.AbstractEventLoop) -> None:
        self._owner = owner
        self._conn: Any = None  # transcript Connection, opened in connection_made
        self._raw_transport: asyncio.BaseTransport | None = None
        self._reading = "cmd"  # what the next client line is: cmd / auth / data
        self._close_reason = "closed"
        self._tls_up = False
        self._refused = False  # over max_connections: closed at once, never served
        self._data_cost = 0  # memory the DATA section being read costs (see DATA_LINE_COST)
        self._data_cut = False
        # Per-instance limits: aiosmtpd keeps ``command_size_limits`` on the class and
        # EHLO adds to it, so without this every EHLO of every session would raise the
        # MAIL limit for all sessions.
        limit = max(owner.max_line - 2, 16)
        self.command_size_limit = limit
        self.command_size_limits = collections.defaultdict(lambda: limit)
        self.line_length_limit = max(owner.max_line, SMTP.line_length_limit)
        super().__init__(
            _Handler(owner),
            hostname=SERVER_HOSTNAME,
            ident="ESMTP netlings fake server",
            data_size_limit=owner.max_message_size,
            enable_SMTPUTF8=owner.smtputf8,
            tls_context=owner._starttls_context,
            require_starttls=owner.require_starttls,
            timeout=owner.idle_timeout,
            # 538 for AUTH before STARTTLS is the lesson when STARTTLS is offered;
            # with no TLS at all, AUTH in clear is the only option, so allow it.
            # (With SMTPS the session counts as TLS from the start, see below.)
            auth_require_tls=owner.starttls or owner.implicit_tls,
            authenticator=owner._authenticate,
            loop=loop,
        )
        # Set after __init__ so aiosmtpd does not warn "AUTH required without TLS":
        # a fake server on loopback with test credentials is exactly that case.
        self._auth_required = owner.require_auth

    # -- recording ------------------------------------------------------------------
    def _record(self, direction: str, data: bytes) -> None:
        if self._conn is not None:
            self._owner.transcript.record(self._conn, direction, data)  # type: ignore[arg-type]

    def _note(self, text: str) -> None:
        self._record("*", text.encode("utf-8", "replace"))

    def _client_line(self, line: bytes, total: int) -> None:
        """A complete line from the client: record it, and count it as activity."""
        self._record("C", line)
        if total > len(line):
            self._note(f"client line of {total} bytes, only the first {len(line)} kept in transcript")
        if self._reading == "cmd" and self._conn is not None:
            self._owner._add_command(self._conn.id, line)
        if self._timeout_handle is not None and self.transport is not None:
            self._reset_timeout()  # idle means silent, also in the middle of DATA

    async def push(self, status: str | bytes) -> None:  # type: ignore[override]
        if isinstance(status, str):
            response = status.encode("utf-8" if self.enable_SMTPUTF8 else "ascii")
        else:
            response = status
        self._record("S", response + b"\r\n")
        await super().push(response)

    def _count_data(self, size: int, line_end: bool) -> None:
        """Charge DATA as it is read; cut a flood off (see the module docstring)."""
        owner = self._owner
        cost = size + DATA_LINE_COST * line_end
        self._data_cost += cost
        owner._data_in_flight += cost
        if self._data_cut:
            return
        limit = DATA_HARD_FACTOR * owner.max_message_size
        if self._data_cost > limit:
            why = f"this DATA costs over {limit} bytes ({self._data_cost} so far)"
        elif owner._data_in_flight > owner.max_data_in_flight:
            why = f"all sessions together hold over {owner.max_data_in_flight} bytes of DATA"
        else:
            return
        self._data_cut = True
        self._note(f"too much mail data: {why}; closing")
        self._close_reason = "closed by server: too much mail data"
        reply = b"421 4.3.4 netlings.test too much mail data, closing connection\r\n"
        self._record("S", reply)
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(reply)  # type: ignore[attr-defined]
            self.transport.close()  # stops reading at once; the reply is flushed first

    # -- connection lifecycle ----------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if self._conn is None:  # the raw TCP connection
            self._raw_transport = transport
            self._owner._sessions.add(self)
            peer = transport.get_extra_info("peername") or ("?", 0)
            self._conn = self._owner.transcript.open(
                peer, note="implicit TLS" if self._owner.implicit_tls else ""
            )
            if len(self._owner._sessions) > self._owner.max_connections:
                self._refuse(transport)
                return
            if self._owner.implicit_tls:
                self._start_implicit_tls(transport)
                return
            super().connection_made(transport)
            return
        # Second call: the TLS layer is up (SMTPS handshake done, or STARTTLS).
        self._tls_up = True
        super().connection_made(transport)
        sslobj = transport.get_extra_info("ssl_object")
        version = sslobj.version() if sslobj is not None else "?"
        self._note(f"TLS established ({version})")

    def _refuse(self, transport: asyncio.BaseTransport) -> None:
        """One session too many: say so (in plain text only) and close, serving nothing."""
        self._refused = True
        self._close_reason = f"closed by server: too many connections (max {self._owner.max_connections})"
        if not self._owner.implicit_tls:
            reply = b"421 4.7.0 netlings.test too many connections, try again later\r\n"
            self._record("S", reply)
            transport.write(reply)  # type: ignore[attr-defined]
        transport.close()

    def _start_implicit_tls(self, transport: asyncio.BaseTransport) -> None:
        """Wrap the raw connection in TLS before the greeting, as SMTPS (port 465) does."""
        waiter = self.loop.create_future()
        tls = sslproto.SSLProtocol(
            self.loop, self, self._owner._server_context, waiter,
            server_side=True, ssl_handshake_timeout=self._owner.idle_timeout,
        )
        # Same bookkeeping aiosmtpd does for STARTTLS: the session then counts as
        # encrypted (AUTH is offered, STARTTLS is not) and connection_lost closes
        # the raw transport.
        self._original_transport = transport
        self._tls_protocol = tls
        transport.set_protocol(tls)  # type: ignore[attr-defined]
        tls.connection_made(transport)
        waiter.add_done_callback(self._handshake_done)

    def _handshake_done(self, waiter: asyncio.Future) -> None:
        exc = None if waiter.cancelled() else waiter.exception()
        if exc is None and self._tls_up:
            return
        if exc is not None:
            self._note(f"TLS handshake failed: {exc!r}")
            self._finish("TLS handshake failed")
        else:  # closed (by the client, or by stop()) before the handshake finished
            reason = self._close_reason if self._close_reason != "closed" else "closed during TLS handshake"
            self._finish(reason)

    def _release_data(self) -> None:
        """Stop charging this session's DATA (it was read, refused, cut off, or the client left)."""
        self._owner._data_in_flight -= self._data_cost
        self._data_cost = 0

    def _finish(self, reason: str) -> None:
        self._release_data()  # before the close is recorded: a test waiting for it sees the budget freed
        if self._conn is not None:
            self._owner.transcript.close(self._conn, reason)
        self._owner._forget(self)

    def eof_received(self) -> bool | None:
        if self._refused:
            return False
        self._close_reason = "client closed the connection"
        return super().eof_received()

    def data_received(self, data: bytes) -> None:
        if not self._refused:
            super().data_received(data)

    def connection_lost(self, error: Exception | None) -> None:
        if self._refused:
            self._finish(self._close_reason)
            return
        if error is not None and self._close_reason == "closed":
            self._close_reason = f"connection lost: {error!r}"
        self._record_leftover()
        try:
            super().connection_lost(error)
        finally:
            self._finish(self._close_reason)

    def _record_leftover(self) -> None:
        """Record bytes the client sent that the server never read as a line.

        The classic student bug is a command without CRLF: the server waits, the
        client waits, and without this the transcript would show nothing at all.
        """
        reader = self._reader if hasattr(self, "_reader") else None
        buffer = getattr(reader, "_buffer", None) if reader is not None else None
        if buffer:
            data = bytes(buffer[:RECORD_CAP])
            self._record("C", data)
            ending = "" if data.endswith(b"\n") else " (no line ending)"
            self._note(f"{len(buffer)} bytes from the client were never processed{ending}")
            buffer.clear()

    def _timeout_cb(self) -> None:
        """Idle timeout: say why before hanging up (aiosmtpd just closes)."""
        self._close_reason = f"idle timeout ({self._timeout_duration:g} s without a line)"
        if self.transport is not None and not self.transport.is_closing():
            reply = b"421 4.4.2 netlings.test idle timeout, closing connection\r\n"
            self._record("S", reply)
            self.transport.write(reply)  # type: ignore[attr-defined]
        super()._timeout_cb()

    def _cb_client_connected(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        super()._cb_client_connected(reader, writer)
        self._reader = _RecordingReader(reader, self)  # type: ignore[assignment]

    def abort(self, reason: str) -> None:
        """Drop the connection now (server stopping): no TLS goodbye, no waiting."""
        self._close_reason = reason
        for transport in (self._raw_transport, self.transport):
            if transport is not None:
                transport.abort()  # type: ignore[attr-defined]

    async def _handle_client(self) -> None:
        try:
            await super()._handle_client()
        except OSError:  # the client went away mid-reply: its problem, not a server error
            if self.transport is not None:
                self.transport.close()
        except Exception:  # noqa: BLE001 - a bug in the fake server: report it to the test
            self._owner._note_error()
            if self.transport is not None:
                self.transport.close()

    async def handle_exception(self, error: Exception) -> str:
        """Tell client-caused failures (bad TLS, over-long line) from server bugs."""
        if isinstance(error, TLSSetupException):
            self._note(f"STARTTLS handshake failed: {error.__cause__!r}")
            self._close_reason = "TLS handshake failed"
            return "454 4.7.0 TLS handshake failed"
        if isinstance(error, ValueError) and "limit" in str(error):
            return "500 5.5.2 Line too long"
        if isinstance(error, OSError):
            self._note(f"connection error: {error!r}")
            return "421 4.4.0 connection error"
        self._owner.errors.append(
            "".join(traceback.format_exception(type(error), error, error.__traceback__))
        )
        self._note(f"fake server error: {error!r}")
        return f"451 4.3.0 fake server error ({type(error).__name__})"

    # -- commands whose lines are not commands, plus the EHLO limit fix -------------------
    @syntax("EHLO hostname")
    async def smtp_EHLO(self, hostname: str) -> None:
        self.command_size_limits.clear()  # EHLO adds SIZE/SMTPUTF8 allowances again
        await super().smtp_EHLO(hostname)

    @syntax("AUTH <mechanism>")
    async def smtp_AUTH(self, arg: str) -> None:
        self._reading = "auth"
        try:
            await super().smtp_AUTH(arg)
        finally:
            self._reading = "cmd"

    @syntax("DATA")
    async def smtp_DATA(self, arg: str) -> None:
        self._reading = "data"
        try:
            await super().smtp_DATA(arg)
        finally:
            self._reading = "cmd"
            self._release_data()

    @syntax("QUIT")
    async def smtp_QUIT(self, arg: str) -> None:
        if not arg:
            self._close_reason = "closed by server after QUIT"
        await super().smtp_QUIT(arg)


class _Handler:
    """aiosmtpd hooks: scripted refusals and envelope capture (only ``handle_*`` names)."""

    def __init__(self, owner: SMTPServer) -> None:
        self._owner = owner

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: AioEnvelope, address: str, options: list[str]
    ) -> str:
        if self._owner.fail_mail is not None:
            code, text = self._owner.fail_mail
            return f"{code} {text}"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: AioEnvelope, address: str, options: list[str]
    ) -> str:
        scripted = self._owner._fail_rcpt.get(address.lower())
        if scripted is not None:
            return f"{scripted[0]} {scripted[1]}"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: AioEnvelope) -> str:
        refusal = self._owner._storage_refusal(len(envelope.original_content or b""))
        if refusal is not None:
            if isinstance(server, _SMTPSession):
                server._note(f"message not kept: {refusal}")
            return f"452 4.3.1 Insufficient system storage: {refusal}"
        transport = server.transport
        login = session.login_data if session.authenticated else None
        recorded = Envelope(
            mail_from=envelope.mail_from or "",
            rcpt_tos=list(envelope.rcpt_tos),
            data=bytes(envelope.original_content or b""),
            auth_user=login.decode("utf-8", "replace") if isinstance(login, bytes) else login,
            tls=transport is not None and transport.get_extra_info("ssl_object") is not None,
            conn_id=server._conn.id if getattr(server, "_conn", None) is not None else 0,
        )
        self._owner._add_envelope(recorded)
        return f"250 OK: message {len(self._owner.envelopes)} accepted"


class SMTPServer(FakeServer):
    """Fake SMTP/ESMTP server: plain, STARTTLS or SMTPS, optional AUTH, scripted failures.

    ``server.envelopes`` holds what was delivered, ``server.transcript`` how.
    """

    protocol = "smtp"

    def __init__(
        self,
        host: str = LOOPBACK,
        port: int = 0,
        *,
        users: dict[str, str] | None = None,
        require_auth: bool = False,
        starttls: bool = False,
        require_starttls: bool = False,
        implicit_tls: bool = False,
        ca: TestCA | None = None,
        fail_rcpt: dict[str, tuple[int, str]] | None = None,
        fail_mail: tuple[int, str] | None = None,
        max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE,
        max_messages: int = DEFAULT_MAX_MESSAGES,
        max_stored: int = DEFAULT_MAX_STORED,
        max_connections: int = MAX_CONNECTIONS,
        max_data_in_flight: int = DEFAULT_MAX_DATA_IN_FLIGHT,
        smtputf8: bool = False,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        max_line: int = DEFAULT_SMTP_MAX_LINE,
    ) -> None:
        super().__init__(host, port, idle_timeout=idle_timeout, max_line=max_line)
        if implicit_tls and (starttls or require_starttls):
            raise ValueError("implicit_tls (SMTPS) and STARTTLS are exclusive: pick one")
        self.users = dict(DEFAULT_USERS if users is None else users)
        self.require_auth = require_auth
        self.starttls = starttls or require_starttls
        self.require_starttls = require_starttls
        self.implicit_tls = implicit_tls
        self.ca = ca if ca is not None else (default_ca() if (self.starttls or implicit_tls) else None)
        self.fail_rcpt = dict(fail_rcpt or {})
        self._fail_rcpt = {k.lower(): v for k, v in self.fail_rcpt.items()}
        self.fail_mail = fail_mail
        self.max_message_size = max_message_size
        self.max_messages = max_messages
        self.max_stored = max_stored
        self.max_connections = max_connections
        self.max_data_in_flight = max_data_in_flight
        self._data_in_flight = 0  # charged by sessions in DATA (loop thread only)
        self.stored_bytes = 0
        """Bytes of message data kept in :attr:`envelopes` (counted against ``max_stored``)."""
        self.smtputf8 = smtputf8
        self.envelopes: list[Envelope] = []
        self._envelope_cond = threading.Condition()
        self._commands: list[tuple[int, bytes]] = []
        self._server_context: ssl.SSLContext | None = None
        self._starttls_context: ssl.SSLContext | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._sock: socket.socket | None = None
        self._stop_future: asyncio.Future | None = None
        self._sessions: set[_SMTPSession] = set()
        self._sessions_gone: asyncio.Event | None = None

    # -- public API --------------------------------------------------------------------
    def wait_for_messages(self, n: int = 1, timeout: float = 5.0) -> bool:
        """Block until at least ``n`` messages were accepted (or ``timeout``); no polling."""
        deadline = time.monotonic() + timeout
        with self._envelope_cond:
            while len(self.envelopes) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._envelope_cond.wait(left)
            return True

    def commands(self, conn_id: int | None = None) -> list[str]:
        """Upper-cased SMTP verbs the clients sent, without DATA content or AUTH replies.

        ``transcript.commands()`` sees every client line, so a body line
        "Subject: hi" would look like a command there; this list does not.
        """
        out = []
        for cid, line in list(self._commands):
            if conn_id is None or cid == conn_id:
                out.append(line.split(b" ", 1)[0].strip().upper().decode("ascii", "replace"))
        return out

    @property
    def url(self) -> str:
        scheme = "smtps" if self.implicit_tls else "smtp"
        return f"{scheme}://{self.host}:{self.port}"

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info.update(
            url=self.url,
            tls="implicit" if self.implicit_tls else ("starttls" if self.starttls else "none"),
            require_starttls=self.require_starttls,
            require_auth=self.require_auth,
            users=dict(self.users),
            max_message_size=self.max_message_size,
            max_messages=self.max_messages,
            max_stored=self.max_stored,
        )
        if self.ca is not None:
            info["cafile"] = self.ca.cafile
        return info

    # -- called from the loop thread ---------------------------------------------------------
    def _authenticate(
        self, server: SMTP, session: Session, envelope: AioEnvelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            user = auth_data.login.decode("utf-8", "replace")
            password = auth_data.password.decode("utf-8", "replace")
            if user in self.users and self.users[user] == password:
                return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)

    def _storage_refusal(self, size: int) -> str | None:
        """Why a message of ``size`` bytes cannot be kept (English, for reply and transcript), or None."""
        if len(self.envelopes) >= self.max_messages:
            return f"this server keeps at most {self.max_messages} messages"
        if self.stored_bytes + size > self.max_stored:
            return f"this server keeps at most {self.max_stored} bytes of messages"
        return None

    def _add_envelope(self, envelope: Envelope) -> None:
        with self._envelope_cond:
            self.envelopes.append(envelope)
            self.stored_bytes += len(envelope.data)
            self._envelope_cond.notify_all()

    def _add_command(self, conn_id: int, line: bytes) -> None:
        """Keep a command line for :meth:`commands`, as many as the transcript keeps events."""
        if len(self._commands) < self.transcript.max_events:
            self._commands.append((conn_id, line))

    def _forget(self, session: _SMTPSession) -> None:
        self._sessions.discard(session)
        if not self._sessions and self._sessions_gone is not None:
            self._sessions_gone.set()

    def _make_session(self) -> _SMTPSession:
        assert self._loop is not None
        return _SMTPSession(self, self._loop)

    def _loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """Client-caused network errors are normal here; anything else is a server bug."""
        exc = context.get("exception")
        if isinstance(exc, (OSError, asyncio.CancelledError)):
            return
        self.errors.append(f"asyncio: {context.get('message')}: {exc!r}")

    # -- FakeServer hooks ------------------------------------------------------------------
    def _bind(self) -> int:
        self._ready.clear()
        if self.ca is not None:
            self._server_context = self.ca.server_context()
        self._starttls_context = self._server_context if self.starttls else None
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on accepted sockets whose
        # proto says TCP, and without it each line of a multi-line EHLO reply waits for
        # the client's delayed ACK (40 ms per reply).
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.bind((self.host, self.requested_port))
            sock.listen(64)
            sock.setblocking(False)
        except OSError:
            sock.close()
            raise
        self._sock = sock
        self._loop = asyncio.new_event_loop()
        self._loop.set_exception_handler(self._loop_exception)
        self._stop_future = self._loop.create_future()
        return sock.getsockname()[1]

    def _serve(self) -> None:
        loop = self._loop
        assert loop is not None
        try:
            loop.run_until_complete(self._main())
        finally:
            try:
                loop.run_until_complete(loop.shutdown_asyncgens())
            finally:
                loop.close()

    async def _main(self) -> None:
        loop = asyncio.get_running_loop()
        self._sessions_gone = asyncio.Event()
        sock, self._sock = self._sock, None
        server = await loop.create_server(self._make_session, sock=sock)  # now owns sock
        self._ready.set()
        try:
            if not self._stopping.is_set():
                assert self._stop_future is not None
                await self._stop_future
        finally:
            server.close()
            for session in list(self._sessions):
                session.abort("server stopped")
            if self._sessions:
                try:
                    await asyncio.wait_for(self._sessions_gone.wait(), 1.0)
                except asyncio.TimeoutError:
                    pass
            try:
                await asyncio.wait_for(server.wait_closed(), 1.0)
            except asyncio.TimeoutError:
                pass
            me = asyncio.current_task()
            tasks = [t for t in asyncio.all_tasks() if t is not me]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    def _on_stop(self) -> None:
        if self._stop_future is not None and not self._stop_future.done():
            self._stop_future.set_result(None)

    def _wake(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(self._on_stop)
            except RuntimeError:  # closed between the check and the call
                pass

    def _close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        loop, self._loop = self._loop, None
        if loop is not None and not loop.is_closed() and not loop.is_running():
            loop.close()
        self._stop_future = None
        self._sessions_gone = None
