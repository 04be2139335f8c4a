"""A fake FTP/FTPS server (pyftpdlib) with the three classic account kinds.

Why pyftpdlib rather than a hand-written server: FTP has many corners (PASV/EPSV,
TYPE A line-ending conversion, LIST formats, AUTH TLS/PROT P) that a real, widely
used server gets right, so students are graded against behaviour they will meet in
the wild. What this module adds is what grading needs:

* a **transcript** of every control line (``C``) and reply line (``S``), recorded
  after TLS decryption, plus a note (``*``) per data transfer saying how many bytes
  went which way and in which TYPE, because "binary vs ASCII" is the lesson most
  FTP exercises are about;
* a per-test **file tree** (a temporary root) seeded with :data:`DEFAULT_FILES`
  and whatever the test adds, readable back with :meth:`FTPServer.read`;
* the **lifecycle** of :class:`~grader.servers.base.FakeServer`: a private IOLoop
  polled in one thread, quick stop, nothing left behind;
* **quotas**, because the server runs inside the process that grades and its tree is
  the grading host's disk: an upload past ``max_upload`` bytes, or past
  ``max_stored`` bytes of uploads in all, is stopped with ``552 Requested file action
  aborted. Exceeded storage allocation`` (RFC 959), its partial file removed and a
  note written; at most ``max_connections`` control connections are served at once
  (one more gets pyftpdlib's ``421 Too many connections``). Nothing is buffered in
  memory: bytes are counted as they go to the file.

The tree and accounts mirror the course material::

    <root>/pub/...            anonymous and guest land here, confined (chroot)
    <root>/home/student/...   the real account's home; it may browse the tree
                              (read-only) but writes only under its home

pyftpdlib keeps configuration in *class* attributes, so every server builds its
own handler subclasses: two servers in one process never share settings.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import socket
import stat
import tempfile
import threading
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..sandbox.cleanup import remove_tree
from .base import DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_LINE, LOOPBACK, FakeServer

with warnings.catch_warnings():
    # pyftpdlib imports asynchat/asyncore, deprecated since Python 3.6: not the student's concern
    warnings.simplefilter("ignore", DeprecationWarning)
    from pyftpdlib.authorizers import AuthenticationFailed, DummyAuthorizer
    from pyftpdlib.filesystems import AbstractedFS
    from pyftpdlib.handlers import DTPHandler, FTPHandler
    from pyftpdlib.handlers.ftp.dispatchers import ActiveDTP, PassiveDTP
    from pyftpdlib.handlers.ftp.producers import FileProducer
    from pyftpdlib.ioloop import IOLoop
    from pyftpdlib.servers import FTPServer as _PyftpdServer
    from pyftpdlib.utils import is_ssl_sock

if TYPE_CHECKING:
    from .tls import TestCA

__all__ = ["ACCOUNTS", "ANONYMOUS", "DEFAULT_FILES", "GUEST", "REAL", "Account", "FTPServer"]

POLL_INTERVAL = 0.5
"""Longest the loop sleeps in one poll; stop() wakes it at once anyway (a socketpair)."""
AUTH_FAILED_DELAY = 0.05
"""pyftpdlib waits 3 s after a wrong password (against guessing); tests need it quick."""
BANNER = "netlings FTP server ready."
DEFAULT_MAX_UPLOAD = 16 * 1024 * 1024
"""Largest file one upload may store (bytes on disk); the exercises upload a few hundred KiB."""
DEFAULT_MAX_STORED = 64 * 1024 * 1024
"""Bytes all uploads of one server may store in all (deleting a file does not give them back)."""
MAX_CONNECTIONS = 32
"""Control connections served at once: each may hold a data socket and a listener too."""


# -- the seeded files ---------------------------------------------------------------------


def _data_bin() -> bytes:
    """4096 bytes that a text-mode transfer cannot carry unchanged.

    It holds every line ending (CRLF, bare LF, bare CR), NUL and bytes >= 0x80, so
    a client that downloads in TYPE A, or decodes/strips lines, gets different bytes.
    """
    head = b"netlings data.bin\r\nunix line\nold mac line\rnul:\x00 high:\xff\xfe\x80\r\n"
    return (head + bytes(range(256)) * 16)[:4096]


DEFAULT_FILES: dict[str, bytes] = {
    "pub/readme.txt": (
        b"Welcome to the netlings FTP server.\r\n"
        b"Files in /pub are public: log in as anonymous or guest to read them.\r\n"
        b"data.bin is binary: download it with TYPE I.\r\n"
    ),
    "pub/data.bin": _data_bin(),
    "pub/docs/guide.txt": (
        b"netlings FTP guide\r\n"
        b"==================\r\n"
        b"1. USER and PASS to log in.\r\n"
        b"2. PASV or EPSV before every transfer.\r\n"
        b"3. TYPE I for binary files, TYPE A for text.\r\n"
    ),
}
"""Files every server starts with (paths relative to the root; bytes exactly as stored)."""


# -- accounts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    """One login. ``password`` None means any password is accepted (anonymous FTP).

    ``chroot`` True confines the session to ``home`` (it appears as ``/``); False
    lets the session see the whole root, starting in ``/<home>``, like a real
    account on a Unix server. ``perm`` uses pyftpdlib's letters ("elr" read-only,
    "elradfmwMT" read/write); for an unconfined account it applies inside ``home``
    only and the rest of the tree is read-only ("elr").
    """

    user: str
    password: str | None
    home: str
    perm: str
    kind: str = "real"
    chroot: bool = True

    @property
    def start_dir(self) -> str:
        """The directory a client sees after login (what PWD answers)."""
        home = self.home.strip("/")
        return "/" if self.chroot or not home else "/" + home


REAL = Account("student", "student-pass", "home/student", "elradfmwMT", kind="real", chroot=False)
GUEST = Account("guest", "guest-pass", "pub", "elr", kind="guest")
ANONYMOUS = Account("anonymous", None, "pub", "elr", kind="anonymous")
ACCOUNTS: tuple[Account, ...] = (REAL, GUEST, ANONYMOUS)


class _Authorizer(DummyAuthorizer):
    """DummyAuthorizer plus "any password" accounts, without its anonymous special cases."""

    def __init__(self, accounts: Mapping[str, Account]) -> None:
        super().__init__()
        self.accounts = dict(accounts)

    def validate_authentication(self, username: str, password: str, handler: Any) -> None:
        account = self.accounts.get(username)
        if account is None or (account.password is not None and account.password != password):
            raise AuthenticationFailed("Authentication failed.")


# -- pyftpdlib subclasses -----------------------------------------------------------------


class _PrivateLoop(IOLoop):
    """An IOLoop of our own. ``close()`` resets ``cls._instance``: on this subclass it
    cannot clobber pyftpdlib's global loop."""

    _instance = None


class _Waker:
    """The read end of a socketpair in the IOLoop, so ``stop()`` interrupts ``poll``."""

    def __init__(self) -> None:
        self.r, self.w = socket.socketpair()
        for s in (self.r, self.w):
            s.setblocking(False)
        self._fileno = self.r.fileno()

    def wake(self) -> None:
        try:
            self.w.send(b"x")
        except OSError:  # buffer full (already woken) or closed: either way fine
            pass

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return False

    def handle_read_event(self) -> None:
        try:
            while self.r.recv(512):
                pass
        except OSError:
            pass

    def handle_close(self) -> None:
        pass

    def handle_error(self) -> None:
        pass

    def close(self) -> None:
        self.r.close()
        self.w.close()


class _FS(AbstractedFS):
    """AbstractedFS without ``os.chdir``: pyftpdlib changes the *process* directory on
    CWD, which would race with every other thread in the test process."""

    def chdir(self, path: str) -> None:
        st = os.stat(path)
        if not stat.S_ISDIR(st.st_mode):
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), path)
        if not os.access(path, os.X_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        self.cwd = self.fs2ftp(path)


_TRANSFER_CMDS = {"RETR", "STOR", "STOU", "APPE", "LIST", "NLST", "MLSD"}
_LINE_END = re.compile(rb"(?<=\r\n)")


def _ascii_to_unix(chunk: bytes, had_cr: bool) -> tuple[bytes, bool]:
    """Network ASCII (CRLF) to stored text (LF), carrying a split CR between chunks."""
    if had_cr:
        chunk = b"\r" + chunk
    had_cr = chunk.endswith(b"\r")
    if had_cr:
        chunk = chunk[:-1]
    return chunk.replace(b"\r\n", b"\n"), had_cr


class _DTPMixin:
    """Data channel: note each transfer; same TYPE A on every OS; upload quotas.

    pyftpdlib converts TYPE A line endings only where ``os.linesep`` is LF; we want
    the server to behave like the Unix box of the course on Windows too, so that a
    test's expected bytes do not depend on the platform.

    Quotas are enforced in the data wrapper every received chunk passes through on
    its way to the file (binary too): it counts the bytes. The first chunk past a
    limit is not written: the partial file is removed there and then (before any
    reply, so a client that reads the 552 finds no file), the rest of the data is
    discarded, and the channel is closed as soon as pyftpdlib's read returns;
    :meth:`close` then answers 552 instead of 226/426.
    """

    cmd_channel: Any
    file_obj: Any
    _noted = False
    _had_cr_in = False
    _ascii_in = False
    _written = 0  # bytes of this upload written to the file
    _start_size = 0  # size of the file before this upload (APPE/REST keep it)
    _over_quota: str | None = None  # which limit was crossed (the end of the 552 reply)

    def enable_receiving(self, type: str, cmd: str) -> None:
        super().enable_receiving(type, cmd)
        self._ascii_in = type == "a"
        try:
            self._start_size = os.fstat(self.file_obj.fileno()).st_size
        except (AttributeError, OSError, ValueError):
            self._start_size = 0
        self._data_wrapper = self._store_chunk

    def _to_unix(self, chunk: bytes) -> bytes:
        out, self._had_cr_in = _ascii_to_unix(chunk, self._had_cr_in)
        return out

    def _store_chunk(self, chunk: bytes) -> bytes:
        """What pyftpdlib writes to the file for ``chunk``: converted, counted, or b"" past a limit."""
        if self._ascii_in:
            chunk = self._to_unix(chunk)
        if self._over_quota is not None:
            return b""
        server = self.cmd_channel._netlings
        if self._written + len(chunk) > server.max_upload:
            self._over_quota = f"a file may have at most {server.max_upload} bytes"
        elif server.stored_bytes + len(chunk) > server.max_stored:
            self._over_quota = f"this server stores at most {server.max_stored} bytes of uploads"
        else:
            self._written += len(chunk)
            server.stored_bytes += len(chunk)
            return chunk
        self._remove_partial()
        self.call_later(0, self._abort_over_quota)
        return b""

    def _remove_partial(self) -> None:
        """Undo what the aborted upload stored: remove the file (or cut it back, for APPE/REST).

        The file object is swapped for a sink, so pyftpdlib's pending write and its
        close() find something to talk to; the name stays for its transfer log.
        """
        server = self.cmd_channel._netlings
        server.stored_bytes -= self._written
        real = self.file_obj
        name = getattr(real, "name", None)
        self.file_obj = _Sink(name)
        try:
            real.close()
            if isinstance(name, str):
                if self._start_size:
                    os.truncate(name, self._start_size)
                else:
                    os.remove(name)
        except OSError:
            server._note_error()

    def _abort_over_quota(self) -> None:
        if not getattr(self, "_closed", True):
            self.close()

    def close(self) -> None:
        if not self._noted and not getattr(self, "_closed", True):
            self._noted = True
            try:
                self.cmd_channel._note_transfer(self)
                if self._over_quota is not None:
                    self.cmd_channel._note_over_quota(self)
            except Exception:  # noqa: BLE001 - a note must never break the transfer
                self.cmd_channel._netlings._note_error()
        if self._over_quota is not None and not getattr(self, "_closed", True):
            self.transfer_finished = False
            reply = f"552 Requested file action aborted. Exceeded storage allocation: {self._over_quota}."
            self._resp = (reply, logging.getLogger("pyftpdlib").debug)
        super().close()


class _Sink:
    """Stands in for the file of an aborted upload: takes writes, keeps nothing."""

    closed = True

    def __init__(self, name: Any) -> None:
        self.name = name

    def write(self, data: bytes) -> int:
        return 0

    def close(self) -> None:
        pass


class _ControlMixin:
    """Control channel: record lines and replies, bound line length, tidy close."""

    _netlings: FTPServer
    _conn: Any = None
    _t_closed = False
    _close_reason: str | None = None
    _discarding = 0  # bytes of an over-long line dropped so far (0: not discarding)
    _transfer_name = ""

    def __init__(self, conn: socket.socket, server: Any, ioloop: Any = None) -> None:
        self._netlings._live.add(self)
        super().__init__(conn, server, ioloop)

    # -- recording --------------------------------------------------------------------
    def _open(self) -> Any:
        if self._conn is None:
            peer = (getattr(self, "remote_ip", "") or "?", getattr(self, "remote_port", "") or 0)
            self._conn = self._netlings.transcript.open(peer)
        return self._conn

    def _record(self, direction: str, data: bytes) -> None:
        self._netlings.transcript.record(self._open(), direction, data)

    def handle(self) -> None:
        self._open()
        super().handle()

    def push(self, data: str) -> None:
        raw = data.encode(self.encoding)
        for line in _LINE_END.split(raw):
            if line:
                self._record("S", line)
        super().push(data)

    def collect_incoming_data(self, data: bytes) -> None:
        """Keep a command line under ``max_line``: answer 500 once, then drop the rest.

        pyftpdlib's own limit (2048 bytes, a 500 reply per chunk) would flood a
        client that forgot the CRLF; one reply and a note is clearer.
        """
        if self._discarding:
            self._discarding += len(data)
            return
        self._in_buffer.append(data)
        self._in_buffer_len += len(data)
        limit = self._netlings.max_line
        if self._in_buffer_len > limit - 2:
            head = b"".join(self._in_buffer)[:60]
            self._discarding = self._in_buffer_len
            self._in_buffer, self._in_buffer_len = [], 0
            self._record("*", b"command line longer than %d bytes, discarded up to CRLF; it began %r"
                         % (limit, head))
            self.respond(f"500 Command line too long (max {limit} bytes).")

    def found_terminator(self) -> None:
        if self._discarding:
            self._record("*", b"end of over-long line (%d bytes dropped)" % self._discarding)
            self._discarding = 0
            self._in_buffer, self._in_buffer_len = [], 0
            return
        line = b"".join(self._in_buffer)
        self._record("C", line + b"\r\n")
        cmd, _, arg = line.partition(b" ")
        if cmd.upper().decode("ascii", "replace") in _TRANSFER_CMDS:
            self._transfer_name = arg.decode(self.encoding, "replace")
        super().found_terminator()

    def _note_transfer(self, dtp: Any) -> None:
        if dtp.cmd is None:
            return
        what = f"{dtp.cmd} {self._transfer_name}".strip()
        mode = "binary" if self._current_type == "i" else "ascii"
        note = f"{what}: {dtp.get_transmitted_bytes()} bytes {'received' if dtp.receive else 'sent'}, {mode}"
        if is_ssl_sock(dtp.socket):
            note += ", TLS"
        if not dtp.transfer_finished:
            note += " (incomplete)"
        self._record("*", note.encode("utf-8", "replace"))

    def _note_over_quota(self, dtp: Any) -> None:
        what = f"{dtp.cmd} {self._transfer_name}".strip()
        self._record("*", (f"{what}: upload stopped after {dtp._written} bytes ({dtp._over_quota}); "
                           "partial file removed, 552 sent").encode("utf-8", "replace"))

    def handle_max_cons(self) -> None:
        self._close_reason = f"closed by server: too many connections (max {self._netlings.max_connections})"
        super().handle_max_cons()

    def handle_ssl_established(self) -> None:
        sock: Any = self.socket
        self._record("*", f"TLS established ({sock.get_protocol_version_name()}, "
                          f"{sock.get_cipher_name()})".encode())
        super().handle_ssl_established()

    # -- behaviour ----------------------------------------------------------------------
    def push_dtp_data(self, data: Any, isproducer: bool = False, file: Any = None, cmd: Any = None) -> None:
        if isinstance(data, FileProducer) and data.type == "a":
            data._data_wrapper = data._posix_ascii_data_wrapper  # LF -> CRLF on every OS
        super().push_dtp_data(data, isproducer, file, cmd)

    def handle_auth_success(self, home: str, password: str, msg_login: str) -> None:
        super().handle_auth_success(home, password, msg_login)
        account = self._netlings.accounts.get(self.username)
        if account is not None:
            self.fs.cwd = account.start_dir

    def on_login_failed(self, username: str, password: str) -> None:
        if self.attempted_logins >= self.max_login_attempts:
            self._close_reason = "closed by server: too many failed logins"

    def handle_timeout(self) -> None:
        self._close_reason = f"closed by server: idle for {self.timeout} s"
        super().handle_timeout()

    def ftp_QUIT(self, line: str) -> None:
        self._close_reason = "closed by server after QUIT"
        super().ftp_QUIT(line)

    def handle_close(self) -> None:
        if self._close_reason is None:
            self._close_reason = "closed by client"
        super().handle_close()

    def handle_error(self) -> None:
        self._close_reason = self._close_reason or "closed by server: internal error"
        super().handle_error()

    def close(self) -> None:
        if not self._t_closed:
            # whatever the client sent without a CRLF (a bare LF, a half command)
            pending = b"".join(getattr(self, "_in_buffer", [])) + bytes(getattr(self, "ac_in_buffer", b""))
            self._in_buffer, self.ac_in_buffer = [], b""
            if pending and not self._discarding:
                self._record("C", pending)
        try:
            super().close()
        finally:
            if getattr(self, "_closed", True) and not self._t_closed:
                self._t_closed = True
                self._netlings._live.discard(self)
                if self._conn is not None:
                    self._netlings.transcript.close(self._conn, self._close_reason or "closed")


class _Acceptor(_PyftpdServer):
    """pyftpdlib's listener, counting *sessions* for its connection limit.

    pyftpdlib's own ``max_cons`` counts every socket in its loop (listeners, data
    channels, our waker), so the number of clients it admits would depend on what
    they are doing; here a limit is a number of control connections.
    """

    netlings: FTPServer

    def _accept_new_cons(self) -> bool:
        return len(self.netlings._live) <= self.netlings.max_connections


# -- errors from pyftpdlib's logger ---------------------------------------------------------


class _ErrorCollector(logging.Handler):
    """Route pyftpdlib's error records to the server whose thread logged them.

    pyftpdlib reports bugs (exceptions in handlers) only through its logger; we
    silence that logger, so without this they would vanish instead of failing the
    test through :meth:`FakeServer.raise_errors`.
    """

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.owners: dict[int, FTPServer] = {}

    def emit(self, record: logging.LogRecord) -> None:
        server = self.owners.get(threading.get_ident())
        if server is not None:
            server.errors.append("pyftpdlib: " + self.format(record))


_collector = _ErrorCollector()


def _quiet_pyftpdlib() -> None:
    """Keep pyftpdlib's per-command INFO lines out of test and student output.

    Only when nobody configured its logger: a developer who set a level keeps it.
    """
    log = logging.getLogger("pyftpdlib")
    if _collector not in log.handlers:
        log.addHandler(_collector)  # also stops pyftpdlib from configuring stderr logging
    if log.level == logging.NOTSET:
        log.setLevel(logging.WARNING)
        log.propagate = False


# -- the server ------------------------------------------------------------------------------


class FTPServer(FakeServer):
    """pyftpdlib on ``127.0.0.1``, a seeded temporary tree, and a transcript.

    ``files`` maps root-relative paths ("pub/x.txt", "home/student/notes.txt") to
    bytes, added over :data:`DEFAULT_FILES`. ``tls=True`` offers explicit FTPS
    (AUTH TLS, PBSZ, PROT P) with a certificate from ``ca`` (default: the shared
    test CA); plain login stays allowed so the transcript can show which was used.
    ``max_upload``, ``max_stored`` and ``max_connections`` are the quotas described in
    the module docstring; :attr:`stored_bytes` is what uploads hold so far.
    """

    protocol = "ftp"
    REAL = REAL
    GUEST = GUEST
    ANONYMOUS = ANONYMOUS
    ACCOUNTS = ACCOUNTS

    def __init__(
        self,
        host: str = LOOPBACK,
        port: int = 0,
        *,
        root: str | Path | None = None,
        files: Mapping[str, bytes] | None = None,
        tls: bool = False,
        ca: TestCA | None = None,
        accounts: Iterable[Account] | None = None,
        max_upload: int = DEFAULT_MAX_UPLOAD,
        max_stored: int = DEFAULT_MAX_STORED,
        max_connections: int = MAX_CONNECTIONS,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        max_line: int = DEFAULT_MAX_LINE,
    ) -> None:
        super().__init__(host, port, idle_timeout=idle_timeout, max_line=max_line)
        self.max_upload = max_upload
        self.max_stored = max_stored
        self.max_connections = max_connections
        self.stored_bytes = 0
        """Bytes uploads have stored while this server ran (counted against ``max_stored``)."""
        self._root_option = Path(root) if root is not None else None
        self._root: Path | None = self._root_option.resolve() if self._root_option else None
        self.files: dict[str, bytes] = {**DEFAULT_FILES, **(files or {})}
        self.tls = tls
        self._ca = ca
        self.accounts: dict[str, Account] = {a.user: a for a in (ACCOUNTS if accounts is None else accounts)}
        self._live: set[Any] = set()
        self._ioloop: Any = None
        self._ftpd: Any = None
        self._waker: _Waker | None = None
        _quiet_pyftpdlib()

    # -- files ------------------------------------------------------------------------------
    @property
    def root(self) -> Path:
        """The directory served (a fresh temporary one per start unless ``root`` was given)."""
        if self._root is None:
            raise RuntimeError("the FTP server has no root yet: start it first (or pass root=)")
        return self._root

    def path(self, rel: str) -> Path:
        """The real path of a root-relative name ("home/student/up.bin"), kept inside the root."""
        root = self.root
        target = (root / rel.lstrip("/")).resolve()
        if target != root and root not in target.parents:
            raise ValueError(f"{rel!r} is outside the FTP root")
        return target

    def read(self, rel: str) -> bytes:
        """Bytes of a file in the tree, e.g. what a client uploaded."""
        return self.path(rel).read_bytes()

    @property
    def ca(self) -> TestCA:
        if self._ca is None:
            from .tls import default_ca

            self._ca = default_ca()
        return self._ca

    def describe(self) -> dict[str, Any]:
        info = super().describe()
        info["tls"] = self.tls
        info["max_upload"] = self.max_upload
        info["max_stored"] = self.max_stored
        info["root"] = str(self._root) if self._root else None
        info["accounts"] = [
            {**asdict(a), "home": str(self._root / a.home) if self._root else a.home, "cwd": a.start_dir}
            for a in self.accounts.values()
        ]
        if self.tls:
            info["cafile"] = self.ca.cafile
        return info

    # -- lifecycle hooks --------------------------------------------------------------------
    def _seed(self) -> None:
        self.stored_bytes = 0
        if self._root_option is None:
            self._root = Path(tempfile.mkdtemp(prefix="netlings-ftp-")).resolve()
        else:
            self.root.mkdir(parents=True, exist_ok=True)
        for account in self.accounts.values():
            self.path(account.home).mkdir(parents=True, exist_ok=True)
        for rel, data in self.files.items():
            target = self.path(rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data.encode() if isinstance(data, str) else bytes(data))

    def _authorizer(self) -> _Authorizer:
        auth = _Authorizer(self.accounts)
        for a in self.accounts.values():
            home = str(self.path(a.home))
            if a.chroot or home == str(self.root):
                auth.add_user(a.user, a.password or "", home, perm=a.perm)
            else:
                auth.add_user(a.user, a.password or "", str(self.root), perm="elr")
                auth.override_perm(a.user, home, a.perm, recursive=True)
        return auth

    def _handler_class(self) -> type:
        timeout = self.idle_timeout if self.idle_timeout and self.idle_timeout > 0 else None
        control_base: type = FTPHandler
        dtp_base: type = DTPHandler
        extra: dict[str, Any] = {}
        if self.tls:
            from pyftpdlib.handlers import TLS_DTPHandler, TLS_FTPHandler

            control_base, dtp_base = TLS_FTPHandler, TLS_DTPHandler
            extra = {"certfile": self.ca.certfile, "keyfile": None, "ssl_context": None}
        return type("NetlingsFTPHandler", (_ControlMixin, control_base), {
            "_netlings": self,
            "authorizer": self._authorizer(),
            "abstracted_fs": _FS,
            "dtp_handler": type("NetlingsDTP", (_DTPMixin, dtp_base), {"timeout": timeout}),
            "passive_dtp": type("NetlingsPassiveDTP", (PassiveDTP,), {"timeout": timeout}),
            "active_dtp": type("NetlingsActiveDTP", (ActiveDTP,), {"timeout": timeout}),
            "timeout": timeout,
            "banner": BANNER,
            "auth_failed_timeout": AUTH_FAILED_DELAY,
            "passive_ports": None,
            "masquerade_address": None,
            "masquerade_address_map": {},
            **extra,
        })

    def _bind(self) -> int:
        self._seed()
        self._live = set()
        try:
            handler = self._handler_class()
            self._ioloop = _PrivateLoop()
            self._ftpd = _Acceptor((self.host, self.requested_port), handler, ioloop=self._ioloop)
            self._ftpd.netlings = self
            self._waker = _Waker()
            self._ioloop.register(self._waker._fileno, self._waker, self._ioloop.READ)
        except BaseException:
            self._close()
            raise
        return self._ftpd.socket.getsockname()[1]

    def _serve(self) -> None:
        loop = self._ioloop
        _collector.owners[threading.get_ident()] = self
        try:
            self._ready.set()
            timeout: float = POLL_INTERVAL
            while not self._stopping.is_set():
                loop.poll(timeout)
                soonest = loop.sched.poll()
                timeout = POLL_INTERVAL if soonest is None else min(soonest, POLL_INTERVAL)
        finally:
            _collector.owners.pop(threading.get_ident(), None)

    def _wake(self) -> None:
        if self._waker is not None:
            self._waker.wake()

    def _close(self) -> None:
        """Close every socket the loop knew of, then the loop, then the temporary tree.

        Runs after the thread has ended. Handlers are closed by hand first because a
        TLS channel's ``close()`` may wait for a TLS shutdown that will never come
        (``_error`` skips it), and a session paused after a failed login is not in
        the loop's map at all.
        """
        me = threading.get_ident()
        _collector.owners[me] = self
        try:
            if self._ioloop is not None:
                channels = list(self._ioloop.socket_map.values())
                channels += [h for h in self._live if h not in channels]
                channels.sort(key=lambda c: isinstance(c, _ControlMixin))  # data channels first
                for channel in channels:
                    if isinstance(channel, _ControlMixin) and channel._close_reason is None:
                        channel._close_reason = "closed by server: stopped"
                    channel._error = True
                    try:
                        channel.close()
                    except Exception:  # noqa: BLE001 - closing anyway, below
                        pass
                    sock = getattr(channel, "socket", None)
                    if sock is not None:
                        try:
                            sock.close()
                        except Exception:  # noqa: BLE001
                            pass
                self._ioloop.close()  # the poller's fd and scheduled calls
            elif self._waker is not None:
                self._waker.close()
        finally:
            _collector.owners.pop(me, None)
            self._ioloop = self._ftpd = self._waker = None
            self._live = set()
            if self._root_option is None and self._root is not None:
                remove_tree(self._root)  # student uploads: any depth, never raises
                self._root = None
