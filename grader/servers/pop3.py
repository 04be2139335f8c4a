"""A fake POP3 server (RFC 1939, CAPA RFC 2449, STLS RFC 2595) that records every line.

Why it is written here: there is no maintained POP3 server library for Python, and
what students must be graded on is exactly what a real server would reject or
accept: the state machine (AUTHORIZATION, TRANSACTION, UPDATE), deletions applied
only by ``QUIT``, byte-stuffed multi-line replies, message sizes counted in octets
on the wire (CRLF), APOP digests, a TLS upgrade of the same connection.

Design: one listening socket watched by a selector together with a wake-up
socketpair (so :meth:`stop` interrupts the accept loop at once), and one thread per
client connection, capped at ``max_connections``. Connection threads read with short
socket timeouts, so an idle client is dropped after ``idle_timeout`` and a stopping
server is noticed even on a platform where ``shutdown()`` does not wake a blocked
``recv``. Command lines are bounded by ``max_line``: a longer line gets
``-ERR line too long`` and is discarded up to its newline, never buffered whole.

Every command is dispatched to a ``handle_<VERB>(session, arg)`` method (the style
of aiosmtpd's handlers), so a test or an exercise can subclass the server and
change one command's behaviour, e.g. a ``handle_RETR`` that answers slowly.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import os
import re
import selectors
import socket
import ssl
import struct
import threading
import time
import zlib
from dataclasses import dataclass, field
from email.header import Header
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from typing import Any

from .base import DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_LINE, LOOPBACK, FakeServer
from .tls import TestCA, default_ca
from .transcript import Connection

AUTHORIZATION = "AUTHORIZATION"
TRANSACTION = "TRANSACTION"
UPDATE = "UPDATE"

DEFAULT_USERS = {"student": "student-pass"}
MAX_CONNECTIONS = 32
"""Concurrent sessions served; one more gets ``-ERR [SYS/TEMP]`` and is closed."""

_RECV_SLICE = 0.2
"""Longest single blocking ``recv``: bounds how late a connection thread notices stop()."""

_VERB = re.compile(r"[A-Z0-9]{1,16}")

# Which state each standard command is valid in (RFC 1939 sections 4-7). Extension
# verbs a subclass adds (handle_XTND…) are not listed and are allowed in any state.
_VALID_STATES: dict[str, tuple[str, ...]] = {
    "USER": (AUTHORIZATION,), "PASS": (AUTHORIZATION,), "APOP": (AUTHORIZATION,),
    "STLS": (AUTHORIZATION,), "AUTH": (AUTHORIZATION,),
    "STAT": (TRANSACTION,), "LIST": (TRANSACTION,), "RETR": (TRANSACTION,), "DELE": (TRANSACTION,),
    "NOOP": (TRANSACTION,), "RSET": (TRANSACTION,), "TOP": (TRANSACTION,), "UIDL": (TRANSACTION,),
    "QUIT": (AUTHORIZATION, TRANSACTION), "CAPA": (AUTHORIZATION, TRANSACTION),
}


# --------------------------------------------------------------------------------------
# The default mailbox
# --------------------------------------------------------------------------------------
def _gradient_png() -> bytes:
    """A 16x16 grey gradient PNG whose pixels are the bytes 0..255 (CR, LF, NUL included).

    Why: an attachment that a text-mode or ``str``-based download corrupts visibly.
    Deflate level 0 ("stored") keeps the bytes identical on every zlib build, so the
    message, its size and its UIDL are the same on every machine.
    """
    raw = b"".join(b"\x00" + bytes(range(row * 16, row * 16 + 16)) for row in range(16))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 16, 16, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 0))
            + chunk(b"IEND", b""))


ATTACHMENT_FILENAME = "gradient.png"
ATTACHMENT_BYTES = _gradient_png()
PLAIN_BODY_TEXT = (
    "Hello student,\n"
    "\n"
    "Welcome to the netlings POP3 exercises. This message is plain US-ASCII.\n"
    "The next lines start with dots, so a server must byte-stuff them and a\n"
    "client must remove exactly one dot again:\n"
    ".\n"
    ".hidden line that starts with one dot\n"
    "..line that starts with two dots\n"
    "\n"
    "-- \n"
    "Alice\n"
)
GBK_SUBJECT_PARTS = (("第3周作业：", "gbk"), ("POP3 收信与中文解码练习", "utf-8"), ("（截止：周五）", "gbk"))
GBK_BODY_TEXT = (
    "同学你好：\n"
    "\n"
    "本周的练习是用 poplib 读取邮箱，并正确解码中文主题和正文。\n"
    "这封信的主题由几个 RFC 2047 编码字组成，有的是 GBK，有的是 UTF-8；\n"
    "正文使用 GBK 编码（charset=gbk），传输编码是 base64。\n"
    "\n"
    "祝学习顺利！\n"
    "助教 张三\n"
)
MIXED_BODY_TEXT = (
    "Hi,\n"
    "\n"
    "the picture you asked for is attached (gradient.png, 16x16 pixels).\n"
    "Save it in binary mode, or it will not open.\n"
    "\n"
    "Bob\n"
)
DEFAULT_SUBJECTS = (
    "Welcome to netlings",
    "".join(text for text, _ in GBK_SUBJECT_PARTS),
    "Your picture (attachment)",
)
"""The decoded ``Subject`` of each default message, for graders to compare with."""


def _crlf(data: bytes) -> bytes:
    """Wire form of a message: every line ends with CRLF, including the last one."""
    data = re.sub(rb"\r\n|\r|\n", b"\r\n", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data


def _build_default_messages() -> list[bytes]:
    """Three realistic messages built with the stdlib ``email`` package.

    Fixed dates, Message-IDs and MIME boundary: the mailbox (hence sizes and UIDLs)
    must be identical in every run, or expected values in exercises would drift.
    """
    plain = MIMEText(PLAIN_BODY_TEXT, "plain", "us-ascii")
    plain["From"] = "Alice Example <alice@example.org>"
    plain["To"] = "Student <student@netlings.test>"
    plain["Subject"] = DEFAULT_SUBJECTS[0]
    plain["Date"] = "Mon, 03 Jun 2024 09:00:00 +0000"
    plain["Message-ID"] = "<welcome-1@example.org>"

    chinese = MIMEText(GBK_BODY_TEXT, "plain", "gbk")  # gbk bodies are base64-encoded
    subject = Header()
    for text, charset in GBK_SUBJECT_PARTS:
        subject.append(text, charset)
    chinese["From"] = Header("张三", "utf-8").encode() + " <zhang.san@example.cn>"
    chinese["To"] = "student@netlings.test"
    chinese["Subject"] = subject.encode(maxlinelen=76)  # folded: two lines, four encoded words
    chinese["Date"] = "Tue, 04 Jun 2024 10:30:00 +0800"
    chinese["Message-ID"] = "<hw3-2@example.cn>"

    mixed = MIMEMultipart("mixed")
    mixed.set_boundary("netlings-boundary-7f3a9c")
    mixed["From"] = "Bob Example <bob@example.net>"
    mixed["To"] = "Student <student@netlings.test>"
    mixed["Subject"] = DEFAULT_SUBJECTS[2]
    mixed["Date"] = "Wed, 05 Jun 2024 14:15:00 +0200"
    mixed["Message-ID"] = "<picture-3@example.net>"
    mixed.attach(MIMEText(MIXED_BODY_TEXT, "plain", "us-ascii"))
    picture = MIMEImage(ATTACHMENT_BYTES, "png")
    picture.add_header("Content-Disposition", "attachment", filename=ATTACHMENT_FILENAME)
    mixed.attach(picture)

    return [_crlf(m.as_bytes()) for m in (plain, chinese, mixed)]


DEFAULT_MESSAGES: list[bytes] = _build_default_messages()
"""The default mailbox, already in wire form (CRLF line endings)."""


# --------------------------------------------------------------------------------------
# Server
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MailboxMessage:
    """One message of the maildrop: ``number`` is its position in the seeded mailbox."""

    number: int
    data: bytes  # wire form, CRLF line endings
    uid: str

    @property
    def size(self) -> int:
        """Octets on the wire (RFC 1939: CRLF counted, byte-stuffing not)."""
        return len(self.data)


def _stuff(data: bytes) -> bytes:
    """Byte-stuff a CRLF message so no line of it can be taken for the ``.`` terminator."""
    stuffed = data.replace(b"\r\n.", b"\r\n..")
    return b"." + stuffed if stuffed.startswith(b".") else stuffed


@dataclass
class POP3Session:
    """The state of one client connection, handed to every ``handle_<VERB>`` method."""

    server: POP3Server
    sock: socket.socket
    conn: Connection
    timestamp: str = ""  # the APOP banner timestamp, "<...>"
    state: str = AUTHORIZATION
    tls: bool = False
    user: str | None = None  # name given by USER, waiting for PASS
    authenticated_user: str | None = None
    messages: list[MailboxMessage] = field(default_factory=list)  # snapshot taken at login
    deleted: set[int] = field(default_factory=set)  # session message numbers marked by DELE
    closing: bool = False
    close_reason: str = "closed"
    last_activity: float = field(default_factory=time.monotonic)
    _buf: bytearray = field(default_factory=bytearray)
    _discarding: int = 0  # >0: bytes of an over-long line thrown away so far

    # -- output -------------------------------------------------------------------
    def reply(self, line: str) -> None:
        """Send one status line (``+OK …`` / ``-ERR …``), recorded before it is sent."""
        data = line.encode("utf-8") + b"\r\n"
        self.server.transcript.record(self.conn, "S", data)
        self._send(data)

    def reply_multiline(self, first: str, body: bytes) -> None:
        """Send a status line, a CRLF-terminated ``body`` byte-stuffed, and ``.\\r\\n``.

        Recorded line by line (unstuffed lines would render wrongly, so the stuffed
        wire bytes are what is recorded), sent in one write.
        """
        head = first.encode("utf-8") + b"\r\n"
        wire = _stuff(body)
        record = self.server.transcript.record
        record(self.conn, "S", head)
        for line in wire.splitlines(keepends=True):
            record(self.conn, "S", line)
        record(self.conn, "S", b".\r\n")
        self._send(head + wire + b".\r\n")

    def _send(self, data: bytes) -> None:
        # A whole idle period for a client that does not read; stop() wakes us by shutdown().
        self.sock.settimeout(max(self.server.idle_timeout, 1.0))
        self.sock.sendall(data)

    def note(self, text: str) -> None:
        self.server.transcript.record(self.conn, "*", text.encode("utf-8", "replace"))

    # -- input ----------------------------------------------------------------------
    def read_line(self) -> bytes | None:
        """Next client line with its line ending, or None when the session is over.

        Bounded: at most ``max_line`` bytes are buffered; a longer line is answered
        with ``-ERR line too long`` and discarded up to its newline.
        """
        max_line = self.server.max_line
        while True:
            idx = self._buf.find(b"\n")
            if idx >= 0:
                line = bytes(self._buf[: idx + 1])
                del self._buf[: idx + 1]
                if len(line) <= max_line:
                    return line
                self._too_long(line[:40], len(line))
                continue
            if len(self._buf) > max_line:
                self._discarding = len(self._buf)
                self._too_long(bytes(self._buf[:40]), None)
                self._buf.clear()
            chunk = self._recv()
            if chunk is None:
                if self._buf:  # disconnected mid-command: keep the evidence
                    self.server.transcript.record(self.conn, "C", bytes(self._buf))
                    self._buf.clear()
                return None
            if self._discarding:
                idx = chunk.find(b"\n")
                if idx < 0:
                    self._discarding += len(chunk)
                    continue
                self.note(f"over-long line ended after {self._discarding + idx + 1} bytes, discarded")
                self._discarding = 0
                chunk = chunk[idx + 1:]
            self._buf += chunk

    def _too_long(self, head: bytes, length: int | None) -> None:
        size = f"{length} bytes" if length is not None else f"more than {self.server.max_line} bytes"
        self.note(f"client line too long ({size}, starts {head!r}), discarded")
        self.reply(f"-ERR line too long (max {self.server.max_line} octets)")

    def _recv(self) -> bytes | None:
        server = self.server
        while True:
            if server._stopping.is_set():
                self.close_reason = "server stopping"
                return None
            left = self.last_activity + server.idle_timeout - time.monotonic()
            if left <= 0:
                # RFC 1939 autologout: close without a reply and without deleting anything.
                self.close_reason = f"idle timeout ({server.idle_timeout:g} s), dropped by server"
                return None
            self.sock.settimeout(min(left, _RECV_SLICE))
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                continue
            except OSError as exc:
                self.close_reason = f"connection error: {exc}"
                return None
            if not data:
                self.close_reason = "client closed the connection"
                return None
            self.last_activity = time.monotonic()
            return data

    # -- TLS ------------------------------------------------------------------------
    def start_tls(self) -> bool:
        """Wrap this connection in TLS (server side); False (and a note) on failure."""
        server = self.server
        assert server.ssl_context is not None
        deadline = time.monotonic() + max(server.idle_timeout, 1.0)
        self.sock.settimeout(_RECV_SLICE)
        tls = server.ssl_context.wrap_socket(self.sock, server_side=True, do_handshake_on_connect=False)
        self.sock = tls  # the plain socket object is detached now; stop() must see this one
        while True:
            if server._stopping.is_set():
                self.close_reason = "server stopping"
                return False
            try:
                tls.do_handshake()
                break
            except TimeoutError:
                if time.monotonic() > deadline:
                    self.close_reason = "TLS handshake timed out"
                    return False
            except OSError as exc:  # ssl.SSLError is an OSError
                self.note(f"TLS handshake failed: {exc}")
                self.close_reason = "TLS handshake failed"
                return False
        self.tls = True
        self.last_activity = time.monotonic()
        cipher = tls.cipher()
        self.note(f"TLS established ({tls.version()}, {cipher[0] if cipher else '?'})")
        return True


class POP3Server(FakeServer):
    """A POP3 maildrop on ``127.0.0.1`` that records every command and reply.

    State tests read:

    * :attr:`mailbox` - the messages left after committed deletions (wire form);
    * :attr:`committed_deletions` - original numbers of the messages deleted by a
      ``QUIT`` in TRANSACTION state, in commit order (a session that disconnects
      without ``QUIT`` adds nothing);
    * :attr:`sessions_quit` - how many sessions ended with ``QUIT``;
    * :attr:`logins` - ``(user, method)`` for every successful login
      (method ``"USER"`` or ``"APOP"``), as many as the transcript keeps connections.

    Bounded: at most ``max_connections`` sessions at once, command lines of at most
    ``max_line`` bytes, and a transcript that keeps the beginning of a flood.
    """

    protocol = "pop3"

    def __init__(
        self,
        host: str = LOOPBACK,
        port: int = 0,
        *,
        messages: list[bytes] | None = None,
        users: dict[str, str] | None = None,
        apop: bool = True,
        stls: bool = False,
        implicit_tls: bool = False,
        require_tls_for_login: bool = False,
        ca: TestCA | None = None,
        max_connections: int = MAX_CONNECTIONS,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        max_line: int = DEFAULT_MAX_LINE,
    ) -> None:
        super().__init__(host, port, idle_timeout=idle_timeout, max_line=max_line)
        if require_tls_for_login and not (stls or implicit_tls):
            raise ValueError("require_tls_for_login needs stls=True or implicit_tls=True")
        self.users = dict(DEFAULT_USERS if users is None else users)
        self.apop = apop
        self.stls = stls
        self.implicit_tls = implicit_tls
        self.require_tls_for_login = require_tls_for_login
        self.max_connections = max_connections
        self.ca: TestCA | None = None
        self.ssl_context: ssl.SSLContext | None = None
        if stls or implicit_tls:  # made here, not in start(): key loading is the slow part
            self.ca = ca or default_ca()
            self.ssl_context = self.ca.server_context()
        self._state_lock = threading.Lock()
        self._mailbox = self._seed(DEFAULT_MESSAGES if messages is None else messages)
        self.committed_deletions: list[int] = []
        self.sessions_quit = 0
        self.logins: list[tuple[str, str]] = []
        self._listener: socket.socket | None = None
        self._wake_r: socket.socket | None = None
        self._wake_w: socket.socket | None = None
        self._live_lock = threading.Lock()
        self._live: dict[threading.Thread, POP3Session | None] = {}
        self._greetings = itertools.count(1)

    @staticmethod
    def _seed(messages: list[bytes]) -> list[MailboxMessage]:
        """Wire-form messages with UIDs that are stable (content hash) and unique (suffix)."""
        seen: dict[str, int] = {}
        out = []
        for number, raw in enumerate(messages, 1):
            if not isinstance(raw, (bytes, bytearray)):
                raise TypeError(f"message {number} must be bytes, not {type(raw).__name__}")
            data = _crlf(bytes(raw))
            uid = hashlib.sha1(data).hexdigest()
            seen[uid] = seen.get(uid, 0) + 1
            if seen[uid] > 1:  # the same message twice still needs two unique ids
                uid = f"{uid}-{seen[uid]}"
            out.append(MailboxMessage(number, data, uid))
        return out

    # -- state for tests --------------------------------------------------------------
    @property
    def mailbox(self) -> list[bytes]:
        """The messages currently in the maildrop (CRLF wire form), in order."""
        with self._state_lock:
            return [m.data for m in self._mailbox]

    @property
    def mailbox_messages(self) -> list[MailboxMessage]:
        with self._state_lock:
            return list(self._mailbox)

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        user, password = next(iter(self.users.items()), ("", ""))
        scheme = "pop3s" if self.implicit_tls else "pop3"
        info.update(
            url=f"{scheme}://{self.host}:{self.port}/", user=user, password=password,
            messages=len(self.mailbox), apop=self.apop, stls=self.stls,
            implicit_tls=self.implicit_tls, require_tls_for_login=self.require_tls_for_login,
            cafile=self.ca.cafile if self.ca else None,
        )
        return info

    # -- lifecycle ----------------------------------------------------------------------
    def _bind(self) -> int:
        self._listener = socket.create_server((self.host, self.requested_port))
        self._listener.setblocking(False)
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        return self._listener.getsockname()[1]

    def _serve(self) -> None:
        assert self._listener is not None and self._wake_r is not None
        selector = selectors.DefaultSelector()
        try:
            selector.register(self._listener, selectors.EVENT_READ, "accept")
            selector.register(self._wake_r, selectors.EVENT_READ, "wake")
            self._ready.set()
            while not self._stopping.is_set():
                for key, _ in selector.select(timeout=1.0):  # the timeout is only a safety net
                    if key.data == "accept":
                        self._accept()
        finally:
            selector.close()
            self._end_sessions()

    def _wake(self) -> None:
        try:
            if self._wake_w is not None:
                self._wake_w.send(b"x")
        except OSError:
            pass

    def _close(self) -> None:
        for name in ("_listener", "_wake_r", "_wake_w"):
            sock = getattr(self, name)
            if sock is not None:
                sock.close()
                setattr(self, name, None)
        self._end_sessions()  # in case the serving thread never ran

    def _accept(self) -> None:
        assert self._listener is not None
        try:
            sock, peer = self._listener.accept()
        except (BlockingIOError, InterruptedError):
            return
        except OSError:  # e.g. ECONNABORTED: the client gave up before we got to it
            return
        with self._live_lock:
            if len(self._live) >= self.max_connections:
                full = True
            else:
                full = False
                thread = threading.Thread(target=self._handle, args=(sock, peer), daemon=True,
                                          name=f"netlings-pop3-{self.port}-{peer[1]}")
                self._live[thread] = None
        if full:
            conn = self.transcript.open(peer, note="refused: too many connections")
            data = b"-ERR [SYS/TEMP] too many connections, try again later\r\n"
            self.transcript.record(conn, "S", data)
            try:
                sock.settimeout(1.0)
                sock.sendall(data)
            except OSError:
                pass
            sock.close()
            self.transcript.close(conn, "closed by server: too many connections")
            return
        thread.start()

    def _end_sessions(self) -> None:
        """Shut every live connection down (wakes its thread) and join the threads."""
        with self._live_lock:
            live = list(self._live.items())
        for _, session in live:
            if session is not None:
                try:
                    socket.socket.shutdown(session.sock, socket.SHUT_RDWR)  # below TLS: raw fd
                except (OSError, ValueError):
                    pass
        deadline = time.monotonic() + 5.0
        for thread, _ in live:
            if thread is not threading.current_thread():
                thread.join(max(0.0, deadline - time.monotonic()))
                if thread.is_alive():  # pragma: no cover - a bug, reported loudly
                    self.errors.append(f"pop3 connection thread {thread.name} did not stop")

    # -- one connection -------------------------------------------------------------------
    def _handle(self, sock: socket.socket, peer: tuple) -> None:
        conn = self.transcript.open(peer, note="implicit TLS" if self.implicit_tls else "")
        session = POP3Session(self, sock, conn)
        me = threading.current_thread()
        with self._live_lock:
            self._live[me] = session
        try:
            if self._stopping.is_set():
                session.close_reason = "server stopping"
            elif not self.implicit_tls or session.start_tls():
                self._converse(session)
        except OSError as exc:  # the client vanished while we were writing
            session.close_reason = f"connection error: {exc}"
        except Exception:  # noqa: BLE001 - a bug in a handler: report it, drop the client
            self._note_error()
            session.close_reason = "server error (see server.errors)"
        finally:
            try:
                session.sock.close()
            except OSError:
                pass
            with self._live_lock:  # free the slot before a waiting test hears of the close
                self._live.pop(me, None)
            self.transcript.close(conn, session.close_reason)

    def _converse(self, session: POP3Session) -> None:
        if self.apop:
            stamp = f"<{os.getpid()}.{next(self._greetings)}.{int(time.time())}@localhost>"
            session.timestamp = stamp
            session.reply(f"+OK netlings POP3 server ready {stamp}")
        else:
            session.reply("+OK netlings POP3 server ready")
        while not session.closing:
            line = session.read_line()
            if line is None:
                return
            self.transcript.record(session.conn, "C", line)
            session.last_activity = time.monotonic()
            self._dispatch(session, line)

    def _dispatch(self, session: POP3Session, line: bytes) -> None:
        body = line[:-2] if line.endswith(b"\r\n") else line.rstrip(b"\n")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = body.decode("latin-1")
        word, _, arg = text.partition(" ")
        verb = word.upper()
        if not verb.strip():
            session.reply("-ERR empty command")
            return
        handler = getattr(self, f"handle_{verb}", None) if _VERB.fullmatch(verb) else None
        if handler is None:
            shown = verb if _VERB.fullmatch(verb) else "?"
            session.reply(f"-ERR unknown command {shown}")
            return
        states = _VALID_STATES.get(verb)
        if states is not None and session.state not in states:
            session.reply(f"-ERR {verb} is not valid in the {session.state} state")
            return
        handler(session, arg)

    # -- helpers for handlers ---------------------------------------------------------------
    def _pick(self, session: POP3Session, arg: str) -> tuple[int, MailboxMessage] | None:
        """The message a ``msg`` argument names, or None after replying ``-ERR``."""
        arg = arg.strip()
        if not arg.isdigit() or not arg.isascii():
            session.reply(f"-ERR invalid message number {arg!r}")
            return None
        n = int(arg)
        if not 1 <= n <= len(session.messages):
            session.reply(f"-ERR no such message, only {len(session.messages)} in maildrop")
            return None
        if n in session.deleted:
            session.reply(f"-ERR message {n} already deleted")
            return None
        return n, session.messages[n - 1]

    @staticmethod
    def _live_messages(session: POP3Session) -> list[tuple[int, MailboxMessage]]:
        return [(n, m) for n, m in enumerate(session.messages, 1) if n not in session.deleted]

    def _plaintext_refused(self, session: POP3Session) -> bool:
        if self.require_tls_for_login and not session.tls:
            session.reply("-ERR [AUTH] plaintext login is disabled, use STLS first")
            return True
        return False

    def _login(self, session: POP3Session, user: str, method: str) -> None:
        """Enter TRANSACTION: the session sees a snapshot of the maildrop from now on."""
        with self._state_lock:
            session.messages = list(self._mailbox)
            if len(self.logins) < self.transcript.max_connections:  # one per session; a flood is not kept
                self.logins.append((user, method))
        session.authenticated_user = user
        session.state = TRANSACTION
        total = sum(m.size for m in session.messages)
        session.reply(f"+OK {user}'s maildrop has {len(session.messages)} messages ({total} octets)")

    # -- AUTHORIZATION state ------------------------------------------------------------------
    def handle_CAPA(self, session: POP3Session, arg: str) -> None:
        """RFC 2449. No SASL line: clients such as curl then fall back to APOP or USER/PASS."""
        caps = ["TOP", "UIDL", "RESP-CODES", "PIPELINING"]
        if not (self.require_tls_for_login and not session.tls):
            caps.insert(1, "USER")
        if self.stls and not session.tls and session.state == AUTHORIZATION:
            caps.append("STLS")
        caps.append("IMPLEMENTATION netlings-fake-pop3")
        session.reply_multiline("+OK Capability list follows", "".join(c + "\r\n" for c in caps).encode())

    def handle_USER(self, session: POP3Session, arg: str) -> None:
        """Accept any name: whether it exists is only revealed (as a generic error) at PASS."""
        if self._plaintext_refused(session):
            return
        name = arg.strip()
        if not name:
            session.reply("-ERR USER needs a mailbox name")
            return
        session.user = name
        session.reply(f"+OK send PASS for {name}")

    def handle_PASS(self, session: POP3Session, arg: str) -> None:
        if self._plaintext_refused(session):
            return
        if session.user is None:
            session.reply("-ERR send USER first")
            return
        user, session.user = session.user, None
        expected = self.users.get(user)
        if expected is None or not hmac.compare_digest(arg.encode(), expected.encode()):
            session.reply("-ERR [AUTH] invalid user name or password")
            return
        self._login(session, user, "USER")

    def handle_APOP(self, session: POP3Session, arg: str) -> None:
        """RFC 1939 section 7: digest = md5(timestamp + password), lower-case hex."""
        if not self.apop:
            session.reply("-ERR APOP not supported")
            return
        if self._plaintext_refused(session):
            return
        parts = arg.split()
        if len(parts) != 2:
            session.reply("-ERR usage: APOP name digest")
            return
        user, digest = parts
        password = self.users.get(user)
        expected = hashlib.md5((session.timestamp + (password or "")).encode()).hexdigest()
        if password is None or not hmac.compare_digest(digest.encode(), expected.encode()):
            session.reply("-ERR [AUTH] invalid user name or digest")
            return
        self._login(session, user, "APOP")

    def handle_AUTH(self, session: POP3Session, arg: str) -> None:
        """No SASL mechanism is offered; a clear refusal lets the client fall back."""
        session.reply("-ERR no SASL mechanisms supported, use USER/PASS or APOP")

    def handle_STLS(self, session: POP3Session, arg: str) -> None:
        """RFC 2595: upgrade this connection. Pipelined plaintext after STLS is discarded."""
        if not self.stls:
            session.reply("-ERR STLS not available")
            return
        if session.tls:
            session.reply("-ERR already using TLS")
            return
        session.reply("+OK begin TLS negotiation")
        if session._buf:  # command injection defence (cf. CVE-2011-0411 family)
            session.note(f"discarded {len(session._buf)} plaintext bytes pipelined after STLS")
            session._buf.clear()
        if not session.start_tls():
            session.closing = True

    def handle_QUIT(self, session: POP3Session, arg: str) -> None:
        """In TRANSACTION: commit the deletions (UPDATE state), then reply and close."""
        if session.state == TRANSACTION:
            session.state = UPDATE
            doomed = [session.messages[n - 1] for n in sorted(session.deleted)]
            with self._state_lock:
                for message in doomed:
                    if any(m is message for m in self._mailbox):  # another session may have won
                        self._mailbox = [m for m in self._mailbox if m is not message]
                        self.committed_deletions.append(message.number)
                left = len(self._mailbox)
                self.sessions_quit += 1
            session.reply(f"+OK netlings POP3 server signing off ({left} messages left)")
        else:
            with self._state_lock:
                self.sessions_quit += 1
            session.reply("+OK netlings POP3 server signing off")
        session.closing = True
        session.close_reason = "closed by server after QUIT"

    # -- TRANSACTION state --------------------------------------------------------------------
    def handle_STAT(self, session: POP3Session, arg: str) -> None:
        live = self._live_messages(session)
        session.reply(f"+OK {len(live)} {sum(m.size for _, m in live)}")

    def handle_LIST(self, session: POP3Session, arg: str) -> None:
        if arg.strip():
            picked = self._pick(session, arg)
            if picked:
                session.reply(f"+OK {picked[0]} {picked[1].size}")
            return
        live = self._live_messages(session)
        body = "".join(f"{n} {m.size}\r\n" for n, m in live).encode()
        total = sum(m.size for _, m in live)
        session.reply_multiline(f"+OK {len(live)} messages ({total} octets)", body)

    def handle_UIDL(self, session: POP3Session, arg: str) -> None:
        if arg.strip():
            picked = self._pick(session, arg)
            if picked:
                session.reply(f"+OK {picked[0]} {picked[1].uid}")
            return
        body = "".join(f"{n} {m.uid}\r\n" for n, m in self._live_messages(session)).encode()
        session.reply_multiline("+OK unique-id listing follows", body)

    def handle_RETR(self, session: POP3Session, arg: str) -> None:
        picked = self._pick(session, arg)
        if picked:
            session.reply_multiline(f"+OK {picked[1].size} octets", picked[1].data)

    def handle_TOP(self, session: POP3Session, arg: str) -> None:
        """Headers, the blank line, then the first ``k`` body lines."""
        parts = arg.split()
        if len(parts) != 2 or not parts[1].isdigit() or not parts[1].isascii():
            session.reply("-ERR usage: TOP msg lines (lines a non-negative number)")
            return
        picked = self._pick(session, parts[0])
        if not picked:
            return
        data = picked[1].data
        head, sep, body = data.partition(b"\r\n\r\n")
        if not sep:  # no body at all: the whole message is header
            top = data
        else:
            lines = body.split(b"\r\n")[:-1]  # data ends with CRLF: the last item is empty
            top = head + b"\r\n\r\n" + b"".join(line + b"\r\n" for line in lines[: int(parts[1])])
        session.reply_multiline("+OK top of message follows", top)

    def handle_DELE(self, session: POP3Session, arg: str) -> None:
        picked = self._pick(session, arg)
        if picked:
            session.deleted.add(picked[0])
            session.reply(f"+OK message {picked[0]} deleted")

    def handle_RSET(self, session: POP3Session, arg: str) -> None:
        session.deleted.clear()
        total = sum(m.size for m in session.messages)
        session.reply(f"+OK maildrop has {len(session.messages)} messages ({total} octets)")

    def handle_NOOP(self, session: POP3Session, arg: str) -> None:
        session.reply("+OK")
