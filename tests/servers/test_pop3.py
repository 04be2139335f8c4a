"""Tests for the fake POP3 server: stdlib poplib, curl (a client no one here wrote), raw sockets.

Every test asserts on what the server recorded (transcript, mailbox, committed
deletions), so a server that merely "answers something" cannot pass.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import os
import poplib
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from grader.servers.pop3 import (
    ATTACHMENT_BYTES,
    ATTACHMENT_FILENAME,
    DEFAULT_MESSAGES,
    DEFAULT_SUBJECTS,
    GBK_BODY_TEXT,
    POP3Server,
    POP3Session,
)
from grader.servers.tls import default_ca

USER, PASSWORD = "student", "student-pass"
CURL = shutil.which("curl")


# -- helpers ------------------------------------------------------------------------------
@pytest.fixture
def make_server() -> Iterator[Callable[..., POP3Server]]:
    """Start servers on demand; stop them all and surface server-thread errors at teardown."""
    servers: list[POP3Server] = []

    def make(cls: type[POP3Server] = POP3Server, **options: Any) -> POP3Server:
        server = cls(**options).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()
    for server in servers:
        server.raise_errors()


@pytest.fixture
def server(make_server: Callable[..., POP3Server]) -> POP3Server:
    return make_server()


def login(server: POP3Server) -> poplib.POP3:
    client = poplib.POP3(*server.address, timeout=5)
    client.user(USER)
    client.pass_(PASSWORD)
    return client


class LineClient:
    """A raw-socket client for what poplib will not do (garbage, pipelining, half lines)."""

    def __init__(self, server: POP3Server) -> None:
        self.sock = socket.create_connection(server.address, timeout=3)
        self.buf = b""

    def line(self) -> bytes:
        while b"\r\n" not in self.buf:
            data = self.sock.recv(4096)
            if not data:
                raise EOFError(f"server closed; unread {self.buf!r}")
            self.buf += data
        line, _, self.buf = self.buf.partition(b"\r\n")
        return line

    def multiline(self) -> list[bytes]:
        lines = []
        while (line := self.line()) != b".":
            lines.append(line)
        return lines

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def at_eof(self) -> bool:
        return self.sock.recv(1) == b""

    def close(self) -> None:
        self.sock.close()


def conn_lines(server: POP3Server, index: int = -1) -> list[bytes]:
    return [line.rstrip(b"\r\n") for line in server.transcript.connections[index].client_lines()]


def served_ok(server: POP3Server) -> None:
    """A fresh poplib session still gets the whole mailbox: the server survived."""
    client = login(server)
    assert client.stat()[0] == len(server.mailbox), server.transcript.render()
    client.quit()


# -- the default mailbox ---------------------------------------------------------------------
def test_default_messages_are_realistic_mime() -> None:
    assert len(DEFAULT_MESSAGES) == 3
    for raw in DEFAULT_MESSAGES:
        assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b""), "wire form is CRLF"
    parsed = [email.message_from_bytes(m, policy=email.policy.default) for m in DEFAULT_MESSAGES]
    assert [str(m["subject"]) for m in parsed] == list(DEFAULT_SUBJECTS)

    body1 = DEFAULT_MESSAGES[0].split(b"\r\n")
    assert b"." in body1 and any(line.startswith(b".h") for line in body1), "dot lines exercise stuffing"

    chinese = parsed[1]
    raw_subject = DEFAULT_MESSAGES[1].split(b"Subject: ", 1)[1].split(b"\r\nDate:", 1)[0].lower()
    assert b"=?gbk?" in raw_subject and b"=?utf-8?" in raw_subject and b"\r\n " in raw_subject
    assert chinese.get_content_charset() == "gbk" and chinese["content-transfer-encoding"] == "base64"
    assert chinese.get_content() == GBK_BODY_TEXT
    assert "张三" in str(chinese["from"])

    mixed = parsed[2]
    assert mixed.get_content_type() == "multipart/mixed"
    [attachment] = list(mixed.iter_attachments())
    assert attachment.get_filename() == ATTACHMENT_FILENAME
    assert attachment.get_content() == ATTACHMENT_BYTES
    assert ATTACHMENT_BYTES.startswith(b"\x89PNG") and b"\r\n" in ATTACHMENT_BYTES


# -- RFC 1939 through poplib -------------------------------------------------------------------
def test_user_pass_stat_list_uidl(server: POP3Server) -> None:
    client = login(server)
    sizes = [len(m) for m in DEFAULT_MESSAGES]
    assert client.stat() == (3, sum(sizes))
    _, listing, _ = client.list()
    assert listing == [f"{n} {size}".encode() for n, size in enumerate(sizes, 1)]
    assert client.list(2).split() == [b"+OK", b"2", str(sizes[1]).encode()]
    _, uids, _ = client.uidl()
    ids = [line.split()[1] for line in uids]
    assert len(set(ids)) == 3 and all(33 <= b <= 126 for uid in ids for b in uid) and len(ids[0]) <= 70
    assert client.uidl(3).split()[2] == ids[2]
    client.quit()
    assert conn_lines(server) == [b"USER student", b"PASS student-pass", b"STAT", b"LIST", b"LIST 2",
                                  b"UIDL", b"UIDL 3", b"QUIT"]
    assert server.logins == [(USER, "USER")] and server.sessions_quit == 1


def test_retr_reproduces_every_message_including_dot_lines(server: POP3Server) -> None:
    client = login(server)
    for n, expected in enumerate(DEFAULT_MESSAGES, 1):
        resp, lines, octets = client.retr(n)
        assert b"\r\n".join(lines) + b"\r\n" == expected, f"message {n} altered"
        assert resp.startswith(b"+OK")
    client.quit()
    sent = server.transcript.connections[0].server_lines()
    assert b"..\r\n" in sent and b"..hidden line that starts with one dot\r\n" in sent, "no byte-stuffing"
    assert b"...line that starts with two dots\r\n" in sent


def test_top_gives_headers_and_k_body_lines(server: POP3Server) -> None:
    client = login(server)
    head, _, body = DEFAULT_MESSAGES[0].partition(b"\r\n\r\n")
    _, lines, _ = client.top(1, 0)
    assert lines == head.split(b"\r\n") + [b""], "TOP n 0 must be the headers and the blank line"
    _, lines, _ = client.top(1, 2)
    assert lines[-3:] == [b""] + body.split(b"\r\n")[:2]
    with pytest.raises(poplib.error_proto, match="-ERR"):
        client._shortcmd("TOP 1 x")
    client.quit()


def test_apop_login_and_wrong_digest(server: POP3Server) -> None:
    client = poplib.POP3(*server.address, timeout=5)
    with pytest.raises(poplib.error_proto, match=r"-ERR \[AUTH\]"):
        client.apop(USER, "wrong-pass")
    client.apop(USER, PASSWORD)
    assert client.stat()[0] == 3
    client.quit()
    stamp = server.transcript.connections[0].server_lines()[0].split(b" ")[-1].strip()
    digest = hashlib.md5(stamp + PASSWORD.encode()).hexdigest().encode()
    assert conn_lines(server)[1] == b"APOP student " + digest
    assert server.logins == [(USER, "APOP")]


def test_greeting_timestamp_is_unique_and_absent_without_apop(make_server: Callable[..., POP3Server]) -> None:
    server = make_server()
    stamps = set()
    for _ in range(3):
        client = poplib.POP3(*server.address, timeout=5)
        stamps.add(client.getwelcome().split()[-1])
        client.quit()
    assert len(stamps) == 3 and all(s.startswith(b"<") and b"@" in s for s in stamps)
    plain = make_server(apop=False)
    client = poplib.POP3(*plain.address, timeout=5)
    assert b"<" not in client.getwelcome()
    with pytest.raises(poplib.error_proto, match="-ERR"):
        client._shortcmd("APOP student 0123456789abcdef0123456789abcdef")
    client.quit()


def test_wrong_password_is_a_quick_auth_error(server: POP3Server) -> None:
    client = poplib.POP3(*server.address, timeout=5)
    client.user(USER)
    started = time.monotonic()
    with pytest.raises(poplib.error_proto, match=r"^b'-ERR \[AUTH\]"):
        client.pass_("nope")
    assert time.monotonic() - started < 0.5
    client.user("nobody")
    with pytest.raises(poplib.error_proto, match=r"-ERR \[AUTH\]"):
        client.pass_(PASSWORD)
    client.user(USER)
    client.pass_(PASSWORD)  # still in AUTHORIZATION after failures: a retry works
    client.quit()
    assert server.logins == [(USER, "USER")]


def test_dele_then_quit_commits(server: POP3Server) -> None:
    client = login(server)
    client.dele(1)
    assert server.mailbox == DEFAULT_MESSAGES, "DELE must only mark until QUIT"
    client.quit()
    assert server.mailbox == DEFAULT_MESSAGES[1:]
    assert server.committed_deletions == [1] and server.sessions_quit == 1
    client = login(server)  # the next session sees the shrunk maildrop, renumbered
    assert client.stat() == (2, sum(map(len, DEFAULT_MESSAGES[1:])))
    assert b"\r\n".join(client.retr(1)[1]) + b"\r\n" == DEFAULT_MESSAGES[1]
    client.dele(2)
    client.quit()
    assert server.committed_deletions == [1, 3], "original numbers, in commit order"


def test_dele_without_quit_deletes_nothing(server: POP3Server) -> None:
    client = login(server)
    client.dele(1)
    client.dele(2)
    client.sock.close()  # vanish without QUIT
    client.file.close()
    assert server.transcript.wait_closed(1), server.transcript.render()
    assert server.mailbox == DEFAULT_MESSAGES
    assert server.committed_deletions == [] and server.sessions_quit == 0
    assert "client closed" in server.transcript.events()[-1].data.decode()


def test_rset_undoes_deletions(server: POP3Server) -> None:
    client = login(server)
    client.dele(1)
    client.dele(3)
    assert client.stat()[0] == 1
    assert client.rset().startswith(b"+OK")
    assert client.stat() == (3, sum(map(len, DEFAULT_MESSAGES)))
    client.quit()
    assert server.mailbox == DEFAULT_MESSAGES and server.committed_deletions == []


def test_deleted_or_missing_message_is_an_error(server: POP3Server) -> None:
    client = login(server)
    client.dele(2)
    for command in ("RETR 2", "LIST 2", "UIDL 2", "TOP 2 0", "DELE 2", "RETR 4", "RETR 0", "RETR x", "RETR"):
        with pytest.raises(poplib.error_proto, match="-ERR"):
            client._shortcmd(command)
    assert [line.split()[0] for line in client.list()[1]] == [b"1", b"3"]
    assert client.stat() == (2, len(DEFAULT_MESSAGES[0]) + len(DEFAULT_MESSAGES[2]))
    client.quit()
    assert server.committed_deletions == [2]


def test_commands_outside_their_state_are_refused(server: POP3Server) -> None:
    client = poplib.POP3(*server.address, timeout=5)
    for command in ("STAT", "LIST", "RETR 1", "DELE 1", "NOOP", "PASS student-pass"):
        with pytest.raises(poplib.error_proto, match="-ERR"):
            client._shortcmd(command)
    client.user(USER)
    client.pass_(PASSWORD)
    assert client.noop().startswith(b"+OK")
    for command in ("USER student", "PASS x", "APOP a b", "STLS", "XYZZY", "AUTH PLAIN"):
        with pytest.raises(poplib.error_proto, match="-ERR"):
            client._shortcmd(command)
    client.quit()
    assert server.committed_deletions == []


def test_auth_is_refused_and_capa_offers_no_sasl(server: POP3Server) -> None:
    client = poplib.POP3(*server.address, timeout=5)
    caps = client.capa()
    assert {"TOP", "UIDL", "USER", "RESP-CODES"} <= caps.keys() and "SASL" not in caps
    assert "STLS" not in caps, "STLS advertised by a server that cannot do it"
    assert caps["IMPLEMENTATION"]
    with pytest.raises(poplib.error_proto, match="-ERR"):
        client._shortcmd("AUTH PLAIN")
    with pytest.raises(poplib.error_proto, match="-ERR"):
        client._shortcmd("STLS")
    client.quit()


def test_lf_messages_are_normalised_and_sized_on_the_wire(make_server: Callable[..., POP3Server]) -> None:
    raw = b"Subject: lf\n\nline one\n.dot\nno final newline"
    server = make_server(messages=[raw, raw])
    expected = b"Subject: lf\r\n\r\nline one\r\n.dot\r\nno final newline\r\n"
    assert server.mailbox == [expected, expected]
    client = login(server)
    assert client.stat() == (2, 2 * len(expected))
    assert b"\r\n".join(client.retr(1)[1]) + b"\r\n" == expected
    uids = [line.split()[1] for line in client.uidl()[1]]
    assert uids[0] != uids[1], "identical messages still need unique ids"
    client.quit()
    again = make_server(messages=[raw, raw])
    client = login(again)
    assert [line.split()[1] for line in client.uidl()[1]] == uids, "UIDs must be stable across servers"
    client.quit()


def test_empty_mailbox(make_server: Callable[..., POP3Server]) -> None:
    client = login(make_server(messages=[]))
    assert client.stat() == (0, 0)
    assert client.list()[1] == []
    client.quit()


def test_pipelined_commands_are_answered_in_order(server: POP3Server) -> None:
    c = LineClient(server)
    assert c.line().startswith(b"+OK")
    c.send(b"USER student\r\nPASS student-pass\r\nSTAT\r\nLIST 1\r\nQUIT\r\n")
    replies = [c.line() for _ in range(5)]
    assert [r.split()[0] for r in replies] == [b"+OK"] * 5
    assert replies[2] == f"+OK 3 {sum(map(len, DEFAULT_MESSAGES))}".encode()
    assert c.at_eof()
    c.close()
    assert conn_lines(server) == [b"USER student", b"PASS student-pass", b"STAT", b"LIST 1", b"QUIT"]


# -- TLS ---------------------------------------------------------------------------------------
def test_stls_upgrade_then_login(make_server: Callable[..., POP3Server]) -> None:
    server = make_server(stls=True)
    client = poplib.POP3(*server.address, timeout=5)
    assert "STLS" in client.capa()
    client.stls(context=default_ca().client_context())
    assert "STLS" not in client.capa(), "STLS must not be offered once TLS is on"
    client.user(USER)
    client.pass_(PASSWORD)
    assert b"\r\n".join(client.retr(3)[1]) + b"\r\n" == DEFAULT_MESSAGES[2]
    client.quit()
    conn = server.transcript.connections[0]
    commands = [line.split()[0] for line in conn_lines(server)]
    assert commands.index(b"STLS") < commands.index(b"USER"), server.transcript.render()
    notes = [e.data for e in conn.events if e.direction == "*"]
    assert any(n.startswith(b"TLS established") for n in notes)


def test_require_tls_for_login_refuses_plaintext(make_server: Callable[..., POP3Server]) -> None:
    server = make_server(stls=True, require_tls_for_login=True)
    client = poplib.POP3(*server.address, timeout=5)
    assert "USER" not in client.capa()
    with pytest.raises(poplib.error_proto, match="-ERR"):
        client.user(USER)
    with pytest.raises(poplib.error_proto, match="-ERR"):
        client.apop(USER, PASSWORD)
    client.stls(context=default_ca().client_context())
    client.user(USER)
    client.pass_(PASSWORD)
    client.quit()
    assert server.logins == [(USER, "USER")]
    with pytest.raises(ValueError):
        POP3Server(require_tls_for_login=True)


def test_stls_discards_pipelined_plaintext(make_server: Callable[..., POP3Server]) -> None:
    server = make_server(stls=True)
    c = LineClient(server)
    c.line()
    c.send(b"STLS\r\nUSER injected\r\n")
    assert c.line().startswith(b"+OK")
    tls = default_ca().client_context().wrap_socket(c.sock, server_hostname="127.0.0.1")
    tls.sendall(b"NOOP\r\n")
    first = tls.recv(4096)
    assert first.startswith(b"-ERR"), f"the injected USER was executed: {first!r}"
    tls.close()
    assert server.transcript.wait_closed(1)
    notes = [e.data for e in server.transcript.events() if e.direction == "*"]
    assert any(b"discarded" in n and b"after STLS" in n for n in notes), server.transcript.render()
    assert b"USER injected" not in conn_lines(server)


def test_implicit_tls_pop3_ssl(make_server: Callable[..., POP3Server]) -> None:
    server = make_server(implicit_tls=True)
    client = poplib.POP3_SSL(*server.address, context=default_ca().client_context(), timeout=5)
    client.user(USER)
    client.pass_(PASSWORD)
    assert b"\r\n".join(client.retr(1)[1]) + b"\r\n" == DEFAULT_MESSAGES[0]
    client.quit()
    assert conn_lines(server)[-1] == b"QUIT"
    assert server.describe()["url"] == f"pop3s://127.0.0.1:{server.port}/"
    # A plaintext client against POP3S fails the handshake; the server records it and carries on.
    raw = socket.create_connection(server.address, timeout=3)
    raw.sendall(b"USER student\r\n")
    try:
        answer = raw.recv(4096)
    except ConnectionError:
        answer = b""
    assert not answer.startswith(b"+OK"), "POP3S spoke plaintext"
    raw.close()
    assert server.transcript.wait_closed(2)
    assert b"TLS handshake failed" in b"".join(e.data for e in server.transcript.events())


# -- curl: a real client nobody here wrote -----------------------------------------------------
def curl(server: POP3Server, path: str, *extra: str, scheme: str = "pop3") -> subprocess.CompletedProcess:
    cmd = [CURL or "curl", "-sS", "--max-time", "5", f"{scheme}://127.0.0.1:{server.port}/{path}",
           "-u", f"{USER}:{PASSWORD}", *extra]
    return subprocess.run(cmd, capture_output=True, timeout=15)


needs_curl = pytest.mark.skipif(CURL is None, reason="curl not installed")


@needs_curl
@pytest.mark.parametrize("apop", [True, False])
def test_curl_retrieves_and_lists(make_server: Callable[..., POP3Server], apop: bool) -> None:
    server = make_server(apop=apop)
    got = curl(server, "1")
    assert got.returncode == 0, got.stderr
    assert got.stdout == DEFAULT_MESSAGES[0], "curl's copy differs: stuffing or sizes wrong"
    listing = curl(server, "")
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout.split(b"\r\n")[:3] == [f"{n} {len(m)}".encode() for n, m in
                                                  enumerate(DEFAULT_MESSAGES, 1)]
    assert server.transcript.wait_closed(2)
    commands = server.transcript.commands()
    assert commands[0] == "CAPA" and "AUTH" not in commands, commands
    assert ("APOP" if apop else "USER") in commands and "RETR" in commands and "LIST" in commands
    assert server.logins == [(USER, "APOP" if apop else "USER")] * 2
    assert server.mailbox == DEFAULT_MESSAGES  # curl does not delete


@needs_curl
def test_curl_stls_required(make_server: Callable[..., POP3Server]) -> None:
    server = make_server(stls=True, apop=False, require_tls_for_login=True)
    got = curl(server, "2", "--ssl-reqd", "--cacert", server.ca.cafile)
    assert got.returncode == 0, got.stderr
    assert got.stdout == DEFAULT_MESSAGES[1]
    assert server.transcript.wait_closed(1)
    commands = server.transcript.commands()
    assert commands.index("STLS") < commands.index("USER") < commands.index("RETR"), commands


@needs_curl
def test_curl_pop3s(make_server: Callable[..., POP3Server]) -> None:
    server = make_server(implicit_tls=True)
    got = curl(server, "3", "--cacert", server.ca.cafile, scheme="pop3s")
    assert got.returncode == 0, got.stderr
    assert got.stdout == DEFAULT_MESSAGES[2]


@needs_curl
def test_curl_dele_via_custom_request(make_server: Callable[..., POP3Server]) -> None:
    server = make_server()
    got = curl(server, "1", "-X", "DELE", "-I")
    assert got.returncode == 0, got.stderr
    assert server.transcript.wait_closed(1)
    assert "DELE" in server.transcript.commands()
    assert server.committed_deletions == [1] and len(server.mailbox) == 2


# -- robustness ---------------------------------------------------------------------------------
def test_garbage_and_unknown_commands_get_err(server: POP3Server) -> None:
    c = LineClient(server)
    c.line()
    for junk in (b"\x00\xff\xfe\x80garbage\r\n", b"\r\n", b"   \r\n", b"HELO there\r\n", b"__CLASS__\r\n"):
        c.send(junk)
        assert c.line().startswith(b"-ERR"), junk
    c.send(b"CAPA\n")  # a bare LF is tolerated
    assert c.line().startswith(b"+OK")
    assert b"USER" in c.multiline()
    c.close()
    served_ok(server)


def test_over_long_line_is_refused_with_bounded_memory(server: POP3Server) -> None:
    c = LineClient(server)
    c.line()
    c.send(b"A" * 100_000)
    assert c.line().startswith(b"-ERR line too long")
    c.send(b"\r\nCAPA\r\n")  # the rest of the long line is discarded, then the session goes on
    assert c.line().startswith(b"+OK")
    c.multiline()
    c.close()
    events = server.transcript.connections[0].events
    assert max(len(e.data) for e in events) < 1000, "the long line must not be recorded whole"
    served_ok(server)


def test_line_limit_is_max_line(make_server: Callable[..., POP3Server]) -> None:
    server = make_server(max_line=64)
    c = LineClient(server)
    c.line()
    c.send(b"USER " + b"u" * 57 + b"\r\n")  # exactly 64 octets
    assert c.line().startswith(b"+OK")
    c.send(b"USER " + b"u" * 58 + b"\r\n")
    assert c.line().startswith(b"-ERR line too long")
    c.close()


def test_abrupt_clients_do_not_break_the_server(server: POP3Server) -> None:
    socket.create_connection(server.address, timeout=3).close()  # connect and close
    c = LineClient(server)
    c.line()
    c.send(b"RETR")  # disconnect mid-command
    c.close()
    rst = socket.create_connection(server.address, timeout=3)  # reset instead of FIN
    linger = struct.pack("HH" if sys.platform == "win32" else "ii", 1, 0)
    rst.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
    rst.close()
    assert server.transcript.wait_closed(3), server.transcript.render()
    assert b"RETR" in server.transcript.connections[1].client_lines(), "partial line not recorded"
    served_ok(server)


def test_idle_client_is_dropped(make_server: Callable[..., POP3Server]) -> None:
    server = make_server(idle_timeout=0.3)
    c = LineClient(server)
    started = time.monotonic()
    c.line()
    assert c.at_eof(), "server did not close a silent connection"
    assert 0.2 < time.monotonic() - started < 1.5
    assert server.transcript.wait_closed(1)
    assert b"idle timeout" in server.transcript.events()[-1].data
    c.close()


def test_connection_cap(make_server: Callable[..., POP3Server]) -> None:
    server = make_server(max_connections=2)
    first, second = LineClient(server), LineClient(server)
    assert first.line().startswith(b"+OK") and second.line().startswith(b"+OK")
    third = LineClient(server)
    assert third.line().startswith(b"-ERR [SYS/TEMP]")
    assert third.at_eof()
    third.close()
    first.close()
    assert server.transcript.wait_closed(2)
    fourth = LineClient(server)
    assert fourth.line().startswith(b"+OK"), "a freed slot must be reusable"
    for c in (second, fourth):
        c.close()


def test_handlers_can_be_overridden(make_server: Callable[..., POP3Server]) -> None:
    class Busy(POP3Server):
        def handle_RETR(self, session: POP3Session, arg: str) -> None:
            session.reply("-ERR [SYS/TEMP] mailbox busy")

        def handle_XHELLO(self, session: POP3Session, arg: str) -> None:
            session.reply(f"+OK hello {arg}")

    server = make_server(Busy)
    client = login(server)
    with pytest.raises(poplib.error_proto, match="SYS/TEMP"):
        client.retr(1)
    assert client._shortcmd("XHELLO you") == b"+OK hello you"
    client.quit()


def test_a_crashing_handler_is_reported(make_server: Callable[..., POP3Server]) -> None:
    class Broken(POP3Server):
        def handle_STAT(self, session: POP3Session, arg: str) -> None:
            raise RuntimeError("boom")

    server = make_server(Broken)
    client = login(server)
    with pytest.raises((EOFError, poplib.error_proto, OSError)):
        client.stat()
    client.close()
    assert server.transcript.wait_closed(1)
    assert any("boom" in e for e in server.errors)
    server.errors.clear()  # expected: do not fail teardown


# -- lifecycle -------------------------------------------------------------------------------
def fd_count() -> int | None:
    return len(os.listdir("/proc/self/fd")) if sys.platform.startswith("linux") else None


def test_start_stop_cycles_leak_nothing() -> None:
    with POP3Server() as warm:  # first use imports and allocates lazily
        first = LineClient(warm)
        first.line()
        first.close()
    threads, fds = threading.active_count(), fd_count()
    for _ in range(50):
        server = POP3Server(stls=True)
        started = time.monotonic()
        server.start()
        assert time.monotonic() - started < 0.1
        client = LineClient(server)
        client.line()
        server.stop()  # with the client still connected
        assert client.at_eof(), "stop() left a connection open"
        client.close()
        server.raise_errors()
    assert threading.active_count() == threads
    if fds is not None:
        assert fd_count() == fds


def test_stop_is_prompt_with_busy_clients() -> None:
    server = POP3Server(stls=True, idle_timeout=30)
    server.start()
    clients = [LineClient(server) for _ in range(5)]
    for c in clients:
        c.line()
    clients[0].send(b"STLS\r\n")  # mid-handshake: the client never starts TLS
    clients[0].line()
    clients[1].send(b"A" * 20_000)  # mid over-long line
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 0.5
    assert not server.running and server.errors == []
    for c in clients:
        c.close()


def test_describe(make_server: Callable[..., POP3Server]) -> None:
    info = make_server(stls=True).describe()
    assert info["protocol"] == "pop3" and info["port"] > 0 and info["user"] == USER
    assert info["password"] == PASSWORD and info["messages"] == 3 and os.path.exists(info["cafile"])
    assert info["url"] == f"pop3://127.0.0.1:{info['port']}/"


def test_bad_tls_client_context_fails_cleanly(make_server: Callable[..., POP3Server]) -> None:
    server = make_server(implicit_tls=True)
    untrusting = ssl.create_default_context()  # does not trust the test CA
    with pytest.raises(ssl.SSLError):
        poplib.POP3_SSL(*server.address, context=untrusting, timeout=5)
    assert server.transcript.wait_closed(1)
    served = poplib.POP3_SSL(*server.address, context=default_ca().client_context(), timeout=5)
    served.quit()
