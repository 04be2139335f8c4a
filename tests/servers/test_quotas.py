"""Quotas of the fake servers: what a hostile client can make the grading process hold.

The servers run inside the pytest process that decides the grade, so every byte they
keep (an uploaded file, a datagram, a transcript line, a message) is the grader's
memory or disk. Each test floods one limit over loopback with a stdlib client and
checks three things: the client gets a proper protocol answer, what is kept stops at
the limit, and the transcript says so (it is the evidence a failing test shows).
Limits are set small so each test is quick; no sleeps, only socket timeouts and waits.
"""

from __future__ import annotations

import ftplib
import io
import poplib
import smtplib
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from grader.servers.ftp import REAL, FTPServer
from grader.servers.peers import TCPPeer, UDPPeer
from grader.servers.pop3 import POP3Server
from grader.servers.smtp import SMTPServer
from grader.servers.tls import default_ca
from grader.servers.transcript import Transcript

LOOPBACK = "127.0.0.1"


@pytest.fixture
def make() -> Iterator[Callable[..., Any]]:
    """Start servers of any kind; stop them all and fail on any error in their threads."""
    started: list[Any] = []

    def start(cls: type, **options: Any) -> Any:
        server = cls(**options).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
    for server in started:
        server.raise_errors()


def notes(server: Any) -> list[bytes]:
    return [e.data for e in server.transcript.events() if e.direction == "*"]


# -- the transcript ----------------------------------------------------------------------------


def test_transcript_keeps_the_beginning_and_counts_the_rest() -> None:
    t = Transcript("test", max_bytes=100)
    conn = t.open((LOOPBACK, 1234))
    for i in range(10):
        t.record(conn, "C", bytes([65 + i]) * 30)
    kept = [e.data for e in conn.events if e.direction == "C"]
    assert kept == [b"A" * 30, b"B" * 30, b"C" * 30, b"D" * 10], "the first 100 bytes are kept, no more"
    limit_notes = [e.data for e in conn.events if e.direction == "*" and b"limit reached" in e.data]
    assert len(limit_notes) == 1, f"one note says recording stopped: {conn.events}"
    assert t.full and t.dropped_events == 6 and t.dropped_bytes == 20 + 6 * 30
    t.close(conn)
    assert conn.closed is not None, "a connection still closes when its close is not recorded"
    assert "not recorded: 7 events (200 bytes)" in t.render(), "the close is counted too"


def test_transcript_event_and_connection_limits() -> None:
    t = Transcript("test", max_events=5, max_connections=3)
    conns = [t.open((LOOPBACK, 1000 + i)) for i in range(5)]
    assert len(t.connections) == 3 and t.dropped_connections == 2, "connections past the limit are counted"
    assert [c.id for c in conns] == [1, 2, 3, 4, 5], "ids stay unique even for connections not kept"
    for _ in range(10):
        t.record(conns[0], "C", b"x")
    t.record(conns[4], "C", b"not kept")
    assert sum(e.direction == "C" for e in t.events()) == 4, "the connection-limit note took one of 5 slots"
    assert conns[4].events == [], "nothing is recorded on a connection past the limit"
    assert t.dropped_events == 7 and t.truncated
    assert any(b"3 connections recorded" in e.data for e in t.events()), "one note says where it stopped"


def test_a_client_flooding_commands_fills_only_the_transcript_budget(make: Callable[..., Any]) -> None:
    server: FTPServer = make(FTPServer)
    server.transcript.max_bytes = 4000
    with socket.create_connection(server.address, timeout=5) as sock:
        sock.sendall(b"NOOP\r\n" * 2000)
        sock.sendall(b"QUIT\r\n")
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    assert reply.count(b"\r\n200 ") == 2000, "every command is still answered"
    t = server.transcript
    assert t.wait_closed(1), t.render()
    assert t.kept_bytes <= 4000 + 200, f"kept {t.kept_bytes} bytes past a budget of 4000"
    assert t.dropped_events > 2000, "what did not fit is counted"
    assert sum(b"transcript limit reached" in n for n in notes(server)) == 1, t.render()
    assert "not recorded" in t.render().splitlines()[-1], "the report says what was left out"


def test_a_connection_flood_fills_only_the_transcript_budget(make: Callable[..., Any]) -> None:
    peer: TCPPeer = make(TCPPeer)
    peer.transcript.max_connections = 5
    for i in range(20):
        with socket.create_connection(peer.address, timeout=5) as sock:
            sock.sendall(b"hello %d" % i)
            sock.shutdown(socket.SHUT_WR)
            assert sock.recv(4096).startswith(b"Received: "), "the peer still serves every client"
    assert peer.transcript.wait_for(lambda t: t.dropped_connections >= 15), peer.transcript.render()
    assert len(peer.transcript.connections) == 5, "connections past the limit are not kept"


# -- FTP ---------------------------------------------------------------------------------------


def ftp_login(server: FTPServer, tls: bool = False) -> ftplib.FTP:
    ftp = ftplib.FTP_TLS(context=default_ca().client_context(), timeout=5) if tls else ftplib.FTP(timeout=5)
    ftp.connect(server.host, server.port)
    assert REAL.password is not None
    ftp.login(REAL.user, REAL.password)
    if isinstance(ftp, ftplib.FTP_TLS):
        ftp.prot_p()
    return ftp


def upload(ftp: ftplib.FTP, command: str, data: bytes, ascii: bool = False) -> str:
    """Send ``data`` whole (one sendall), close, and return the server's final reply.

    One sendall puts every byte on the wire before the server can abort, so the outcome
    does not depend on timing; a server that resets the data connection (TLS shutdown)
    still has its reply read from the control connection.
    """
    ftp.voidcmd("TYPE A" if ascii else "TYPE I")
    try:
        with ftp.transfercmd(command) as conn:
            conn.sendall(data)
            if isinstance(ftp, ftplib.FTP_TLS):
                conn.unwrap()  # type: ignore[attr-defined]
    except OSError:
        pass  # the server closed the data connection first: the reply says why
    try:
        return ftp.voidresp()
    except ftplib.error_perm as exc:
        return str(exc)


def test_ftp_upload_over_the_file_limit_gets_552_and_leaves_no_file(make: Callable[..., Any]) -> None:
    server: FTPServer = make(FTPServer, max_upload=4096)
    ftp = ftp_login(server)
    try:
        with pytest.raises(ftplib.error_perm, match="^552 .*Exceeded storage allocation"):
            ftp.storbinary("STOR big.bin", io.BytesIO(b"x" * 4097))
        assert not server.path("home/student/big.bin").exists(), "the partial file must be removed"
        assert server.stored_bytes == 0, "an aborted upload stores nothing"
        assert any(b"STOR big.bin: upload stopped" in n and b"a file may have at most 4096 bytes" in n
                   for n in notes(server)), server.transcript.render()
        reply = ftp.storbinary("STOR fits.bin", io.BytesIO(b"y" * 4096))
        assert reply.startswith("226"), f"a file of exactly the limit fits, got {reply}"
        assert server.read("home/student/fits.bin") == b"y" * 4096
    finally:
        ftp.close()


def test_ftp_text_upload_is_counted_too(make: Callable[..., Any]) -> None:
    server: FTPServer = make(FTPServer, max_upload=1000)
    ftp = ftp_login(server)
    try:
        reply = upload(ftp, "STOR notes.txt", b"a line\r\n" * 200, ascii=True)
        assert reply.startswith("552"), reply
        assert not server.path("home/student/notes.txt").exists()
    finally:
        ftp.close()


def test_ftp_total_limit_keeps_earlier_uploads(make: Callable[..., Any]) -> None:
    server: FTPServer = make(FTPServer, max_upload=4096, max_stored=6000)
    ftp = ftp_login(server)
    try:
        assert upload(ftp, "STOR a.bin", b"a" * 4000).startswith("226")
        reply = upload(ftp, "STOR b.bin", b"b" * 4000)
        assert reply.startswith("552") and "at most 6000 bytes of uploads" in reply, reply
        assert server.read("home/student/a.bin") == b"a" * 4000, "earlier uploads stay"
        assert not server.path("home/student/b.bin").exists()
        assert server.stored_bytes == 4000
        assert any(b"at most 6000 bytes of uploads" in n for n in notes(server)), server.transcript.render()
        assert upload(ftp, "STOR c.bin", b"c" * 2000).startswith("226"), "what is left can still be used"
    finally:
        ftp.close()


def test_ftp_append_over_the_limit_restores_the_file(make: Callable[..., Any]) -> None:
    server: FTPServer = make(FTPServer, max_upload=100, files={"home/student/log.txt": b"first line\n"})
    ftp = ftp_login(server)
    try:
        assert upload(ftp, "APPE log.txt", b"x" * 101).startswith("552")
        assert server.read("home/student/log.txt") == b"first line\n", "APPE is undone, not the file deleted"
    finally:
        ftp.close()


def test_ftps_upload_over_the_limit_gets_552(make: Callable[..., Any]) -> None:
    server: FTPServer = make(FTPServer, tls=True, max_upload=4096)
    ftp = ftp_login(server, tls=True)
    try:
        reply = upload(ftp, "STOR big.bin", b"x" * 5000)
        assert reply.startswith("552"), reply
        assert not server.path("home/student/big.bin").exists()
        assert upload(ftp, "STOR ok.bin", b"x" * 100).startswith("226"), "the session goes on"
    finally:
        ftp.close()


def test_ftp_connection_limit(make: Callable[..., Any]) -> None:
    server: FTPServer = make(FTPServer, max_connections=2)
    first, second = ftplib.FTP(timeout=5), ftplib.FTP(timeout=5)
    try:
        first.connect(server.host, server.port)
        second.connect(server.host, server.port)
        with pytest.raises(ftplib.error_temp, match="^421"):
            ftplib.FTP(timeout=5).connect(server.host, server.port)
        first.quit()
        assert server.transcript.wait_closed(2), server.transcript.render()
        third = ftplib.FTP(timeout=5)
        assert third.connect(server.host, server.port).startswith("220"), "a freed slot is used again"
        third.close()
    finally:
        first.close()
        second.close()
    assert any(b"too many connections (max 2)" in n for n in notes(server)), server.transcript.render()


# -- UDP ---------------------------------------------------------------------------------------


def test_udp_flood_keeps_at_most_the_limit(make: Callable[..., Any]) -> None:
    peer: UDPPeer = make(UDPPeer, max_kept_datagrams=10)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(5)
        for i in range(60):
            sock.sendto(b"ping %d" % i, peer.address)
        assert peer.transcript.wait_for(lambda _t: peer.dropped_datagrams >= 50), peer.transcript.render()
        replies = [sock.recv(100) for _ in range(10)]
    assert [d for _a, d in peer.datagrams] == [b"ping %d" % i for i in range(10)], "the first ten are kept"
    assert replies == [b"echo: ping %d" % i for i in range(10)], "and answered"
    assert peer.dropped_datagrams == 50
    client_events = [e for e in peer.transcript.events() if e.direction == "C"]
    assert len(client_events) == 10, "dropped datagrams are not recorded"
    assert sum(b"datagram limit reached" in n for n in notes(peer)) == 1, "one note, not one per datagram"


def test_udp_byte_limit(make: Callable[..., Any]) -> None:
    peer: UDPPeer = make(UDPPeer, max_kept_bytes=1000, reply=None)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for i in range(5):
            sock.sendto(bytes([48 + i]) * 300, peer.address)
        assert peer.transcript.wait_for(lambda _t: peer.dropped_datagrams >= 2), peer.transcript.render()
    assert len(peer.datagrams) == 3 and sum(len(d) for _a, d in peer.datagrams) == 900


# -- SMTP --------------------------------------------------------------------------------------


def read_reply(sock: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\r\n"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def open_data(server: SMTPServer) -> socket.socket:
    """A raw session that has just been told 354 (send the message)."""
    sock = socket.create_connection(server.address, timeout=5)
    read_reply(sock)
    for line in (b"HELO client.test", b"MAIL FROM:<a@example.com>", b"RCPT TO:<b@example.com>", b"DATA"):
        sock.sendall(line + b"\r\n")
        read_reply(sock)
    return sock


def read_to_eof(sock: socket.socket) -> bytes:
    data = b""
    try:
        while chunk := sock.recv(4096):
            data += chunk
    except ConnectionResetError:
        pass
    return data


def test_smtp_data_line_that_never_ends_is_cut_off(make: Callable[..., Any]) -> None:
    # aiosmtpd keeps the pieces of an unterminated DATA line until its CRLF: forever.
    server: SMTPServer = make(SMTPServer, max_message_size=1000)
    with open_data(server) as sock:
        sock.sendall(b"y" * 500 + b"\r\n" + b"z" * 600 + b"\r\n.\r\n")
        assert read_reply(sock).startswith(b"552"), "too big but no flood: RFC 5321, read to the end, refuse"
        for line in (b"MAIL FROM:<a@example.com>", b"RCPT TO:<b@example.com>", b"DATA"):
            sock.sendall(line + b"\r\n")
            assert read_reply(sock)[:1] in b"23", "and the session goes on"
        sock.sendall(b"x" * 3000)
        rest = read_to_eof(sock)
    assert rest.startswith(b"421 "), f"a flood ends with 421 and a close, got {rest!r}"
    assert server.envelopes == []
    assert any(b"DATA costs over 2000 bytes" in n for n in notes(server)), server.transcript.render()


def test_smtp_data_of_many_empty_lines_is_cut_off(make: Callable[..., Any]) -> None:
    # 2 bytes on the wire, about 100 in aiosmtpd's memory: lines are charged what they cost.
    server: SMTPServer = make(SMTPServer, max_message_size=1000)
    with open_data(server) as sock:
        sock.sendall(b"\r\n" * 100)
        rest = read_to_eof(sock)
    assert rest.startswith(b"421 "), rest


def test_smtp_data_of_all_sessions_together_is_bounded(make: Callable[..., Any]) -> None:
    server: SMTPServer = make(SMTPServer, max_message_size=10_000, max_data_in_flight=3000)
    mine, theirs = b"a" * 800 + b"\r\n", b"b" * 800 + b"\r\n"  # lines within the 1000-octet limit
    with open_data(server) as first, open_data(server) as second:
        first.sendall(mine * 2)
        assert server.transcript.wait_for(lambda t: t.client_lines().count(mine) == 2), "first DATA read"
        second.sendall(theirs * 2)
        assert read_to_eof(second).startswith(b"421 "), "the session that passes the budget is cut off"
        first.sendall(b".\r\n")
        assert read_reply(first).startswith(b"250"), "the one within it goes on"
    assert [e.data for e in server.envelopes] == [mine * 2]
    assert any(b"all sessions together hold over 3000 bytes" in n for n in notes(server))
    assert server.transcript.wait_closed(2), server.transcript.render()
    assert server._data_in_flight == 0, "DATA that ended is no longer charged"


def test_smtp_keeps_at_most_max_messages_and_max_stored(make: Callable[..., Any]) -> None:
    server: SMTPServer = make(SMTPServer, max_messages=2)
    message = b"Subject: hi\r\n\r\nhello\r\n"
    with smtplib.SMTP(server.host, server.port, timeout=5) as client:
        client.sendmail("a@example.com", ["b@example.com"], message)
        client.sendmail("a@example.com", ["b@example.com"], message)
        with pytest.raises(smtplib.SMTPDataError) as err:
            client.sendmail("a@example.com", ["b@example.com"], message)
    assert err.value.smtp_code == 452 and len(server.envelopes) == 2
    assert any(b"at most 2 messages" in n for n in notes(server)), server.transcript.render()

    server = make(SMTPServer, max_stored=1000)
    with smtplib.SMTP(server.host, server.port, timeout=5) as client:
        client.sendmail("a@example.com", ["b@example.com"], b"x" * 600 + b"\r\n")
        with pytest.raises(smtplib.SMTPDataError) as err:
            client.sendmail("a@example.com", ["b@example.com"], b"x" * 600 + b"\r\n")
    assert err.value.smtp_code == 452 and server.stored_bytes == 602


def test_smtp_connection_limit(make: Callable[..., Any]) -> None:
    server: SMTPServer = make(SMTPServer, max_connections=2)
    first = smtplib.SMTP(server.host, server.port, timeout=5)
    second = smtplib.SMTP(server.host, server.port, timeout=5)
    try:
        with pytest.raises(smtplib.SMTPConnectError) as err:
            smtplib.SMTP(server.host, server.port, timeout=5)
        assert err.value.smtp_code == 421
        first.quit()
        assert server.transcript.wait_closed(2), server.transcript.render()
        with smtplib.SMTP(server.host, server.port, timeout=5) as third:
            assert third.noop()[0] == 250, "a freed slot is used again"
    finally:
        first.close()
        second.close()


# -- POP3 --------------------------------------------------------------------------------------


def test_pop3_login_record_is_bounded(make: Callable[..., Any]) -> None:
    server: POP3Server = make(POP3Server)
    server.transcript.max_connections = 2
    for _ in range(4):
        client = poplib.POP3(server.host, server.port, timeout=5)
        client.user("student")
        client.pass_("student-pass")
        client.quit()
    assert server.sessions_quit == 4, "every client is still served"
    assert server.logins == [("student", "USER")] * 2, "the record of logins stops where the transcript does"
