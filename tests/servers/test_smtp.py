"""Tests for the fake SMTP server: real clients (smtplib, curl) against it, judged by what it recorded."""

from __future__ import annotations

import base64
import email.message
import os
import shutil
import smtplib
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.servers.smtp import DEFAULT_USERS, SMTPServer
from grader.servers.tls import TestCA, default_ca

USER, PASSWORD = next(iter(DEFAULT_USERS.items()))
CURL = shutil.which("curl")
needs_curl = pytest.mark.skipif(CURL is None, reason="curl not installed")


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return default_ca()


@pytest.fixture
def make_server() -> Iterator:
    """Start servers with options; stop them all and fail on any server-side error."""
    servers: list[SMTPServer] = []

    def make(**options: object) -> SMTPServer:
        server = SMTPServer(**options).start()  # type: ignore[arg-type]
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()
    for server in servers:
        server.raise_errors()


def client(server: SMTPServer) -> smtplib.SMTP:
    return smtplib.SMTP(server.host, server.port, timeout=5)


def read_reply(sock: socket.socket) -> bytes:
    """Read one (possibly multi-line) SMTP reply from a raw socket."""
    data = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            return data
        data += chunk
        lines = data.split(b"\r\n")
        if len(lines) > 1 and len(lines[-2]) >= 4 and lines[-2][3:4] == b" ":
            return data


def raw_connect(server: SMTPServer) -> socket.socket:
    sock = socket.create_connection(server.address, timeout=5)
    greeting = read_reply(sock)
    assert greeting.startswith(b"220 "), greeting
    return sock


def lines_of(server: SMTPServer, conn: int = 0) -> list[bytes]:
    return server.transcript.connections[conn].client_lines()


def assert_still_serving(server: SMTPServer) -> None:
    before = len(server.envelopes)
    with client(server) as smtp:
        refused = smtp.sendmail("after@example.com", ["ok@example.com"], b"Subject: again\r\n\r\nyes\r\n")
    assert refused == {}
    assert server.wait_for_messages(before + 1), server.transcript.render()
    assert server.envelopes[-1].mail_from == "after@example.com"


# -- plain SMTP with smtplib ---------------------------------------------------------------------
def test_plain_send_several_recipients(make_server) -> None:
    server = make_server()
    data = b"From: Alice <alice@example.com>\r\nTo: bob@example.com\r\nSubject: Hello\r\n\r\nHi Bob.\r\n"
    with client(server) as smtp:
        refused = smtp.sendmail(
            "alice@example.com", ["bob@example.com", "carol@example.com", "dan@example.org"], data
        )
    assert refused == {}
    assert server.wait_for_messages(1), server.transcript.render()
    env = server.envelopes[0]
    assert env.mail_from == "alice@example.com"
    assert env.rcpt_tos == ["bob@example.com", "carol@example.com", "dan@example.org"]
    assert env.data == data, "DATA must be stored byte for byte"
    assert env.auth_user is None and env.tls is False
    assert env.conn_id == server.transcript.connections[0].id
    msg = env.message()
    assert msg["Subject"] == "Hello"
    assert msg["From"].addresses[0].addr_spec == "alice@example.com"
    expected = ["EHLO", "MAIL", "RCPT", "RCPT", "RCPT", "DATA", "QUIT"]
    assert server.commands() == expected, server.transcript.render()
    conn = server.transcript.connections[0]
    assert conn.server_lines()[0].startswith(b"220 netlings.test"), conn.server_lines()
    assert b"DATA\r\n" in [line.upper() for line in conn.client_lines()]
    assert b"Subject: Hello\r\n" in conn.client_lines(), "DATA lines are recorded one by one"
    assert all(line.endswith(b"\r\n") for line in conn.client_lines() + conn.server_lines())


def test_refused_recipient_is_scripted_and_others_delivered(make_server) -> None:
    server = make_server(fail_rcpt={"bad@example.com": (550, "5.1.1 no such user")})
    with client(server) as smtp:
        refused = smtp.sendmail("a@example.com", ["good@example.com", "BAD@example.com", "other@example.com"],
                                b"Subject: x\r\n\r\nbody\r\n")
        assert refused == {"BAD@example.com": (550, b"5.1.1 no such user")}
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            smtp.sendmail("a@example.com", ["bad@example.com"], b"Subject: y\r\n\r\nbody\r\n")
    assert server.wait_for_messages(1)
    assert server.envelopes[0].rcpt_tos == ["good@example.com", "other@example.com"]
    assert len(server.envelopes) == 1, "the all-refused message must not be delivered"
    assert b"550 5.1.1 no such user\r\n" in server.transcript.connections[0].server_lines()


def test_scripted_mail_failure(make_server) -> None:
    server = make_server(fail_mail=(451, "4.3.0 try again later"))
    with client(server) as smtp, pytest.raises(smtplib.SMTPSenderRefused) as err:
        smtp.sendmail("a@example.com", ["b@example.com"], b"x\r\n")
    assert err.value.smtp_code == 451
    assert server.envelopes == []


def test_non_ascii_message_is_rfc2047_encoded_and_decodes_back(make_server) -> None:
    server = make_server()
    msg = email.message.EmailMessage()
    msg["From"] = "张三 <zhang@example.com>"
    msg["To"] = "李四 <li@example.com>"
    msg["Subject"] = "你好，世界"
    msg.set_content("这是中文正文。\n第二行。\n")
    with client(server) as smtp:
        smtp.send_message(msg)
    assert server.wait_for_messages(1)
    env = server.envelopes[0]
    assert env.mail_from == "zhang@example.com" and env.rcpt_tos == ["li@example.com"]
    header_block = env.data.split(b"\r\n\r\n", 1)[0]
    assert b"=?utf-8?" in header_block.lower(), header_block
    assert all(b < 128 for b in header_block), "headers must be ASCII (RFC 2047) on the wire"
    parsed = env.message()
    assert parsed["Subject"] == "你好，世界"
    assert parsed["From"].addresses[0].display_name == "张三"
    # An 8bit body keeps its wire line ends (CRLF) when parsed.
    assert parsed.get_content().replace("\r\n", "\n") == "这是中文正文。\n第二行。\n"


def test_dot_stuffing_round_trip(make_server) -> None:
    server = make_server()
    data = b"Subject: dots\r\n\r\n.starts with a dot\r\n..two dots\r\n.\r\nend\r\n"
    with client(server) as smtp:
        smtp.sendmail("a@example.com", ["b@example.com"], data)
    assert server.wait_for_messages(1)
    assert server.envelopes[0].data == data, "dot-unstuffing must restore the original lines"
    sent = server.transcript.connections[0].client_lines()
    assert b"..starts with a dot\r\n" in sent and b"...two dots\r\n" in sent and b"..\r\n" in sent, sent


def test_message_size_limit(make_server) -> None:
    server = make_server(max_message_size=1000)
    with client(server) as smtp, pytest.raises(smtplib.SMTPSenderRefused) as err:
        smtp.sendmail("a@example.com", ["b@example.com"], b"x" * 900 + b"\r\n" + b"y" * 900 + b"\r\n")
    assert err.value.smtp_code == 552, "SIZE is announced, so smtplib's MAIL SIZE= is refused"
    assert server.envelopes == []


# -- AUTH and TLS ----------------------------------------------------------------------------------
def test_starttls_then_auth_login(make_server, ca: TestCA) -> None:
    server = make_server(starttls=True)
    with client(server) as smtp:
        smtp.ehlo()
        assert smtp.has_extn("starttls") and not smtp.has_extn("auth"), "AUTH only after STARTTLS"
        smtp.starttls(context=ca.client_context())
        smtp.ehlo()
        assert "LOGIN" in smtp.esmtp_features["auth"]
        smtp.esmtp_features["auth"] = "LOGIN"  # make smtplib pick AUTH LOGIN
        smtp.login(USER, PASSWORD)
        smtp.sendmail("a@example.com", ["b@example.com"], b"Subject: secret\r\n\r\nsealed\r\n")
    assert server.wait_for_messages(1)
    env = server.envelopes[0]
    assert env.tls is True and env.auth_user == USER
    commands = server.commands()
    assert commands[:4] == ["EHLO", "STARTTLS", "EHLO", "AUTH"], server.transcript.render()
    events = server.transcript.connections[0].events
    tls_at = next(i for i, e in enumerate(events) if e.data.startswith(b"TLS established"))
    auth_at = next(i for i, e in enumerate(events) if e.direction == "C" and e.data[:5].upper() == b"AUTH ")
    assert tls_at < auth_at, server.transcript.render()
    assert events[auth_at].data.upper().startswith(b"AUTH LOGIN"), events[auth_at]
    assert base64.b64encode(PASSWORD.encode()) + b"\r\n" in server.transcript.connections[0].client_lines()


def test_smtps_with_auth(make_server, ca: TestCA) -> None:
    server = make_server(implicit_tls=True)
    with smtplib.SMTP_SSL(server.host, server.port, context=ca.client_context(), timeout=5) as smtp:
        smtp.login(USER, PASSWORD)
        smtp.sendmail("a@example.com", ["b@example.com"], b"Subject: s\r\n\r\nover TLS\r\n")
    assert server.wait_for_messages(1)
    env = server.envelopes[0]
    assert env.tls is True and env.auth_user == USER
    conn = server.transcript.connections[0]
    assert conn.note == "implicit TLS"
    assert conn.events[0].data.startswith(b"TLS established"), server.transcript.render()
    assert server.describe()["url"] == f"smtps://127.0.0.1:{server.port}"


def test_plain_client_on_smtps_port_is_recorded(make_server) -> None:
    server = make_server(implicit_tls=True)
    with socket.create_connection(server.address, timeout=5) as sock:
        sock.sendall(b"EHLO me\r\n")
        try:
            sock.recv(100)  # the server hangs up, maybe after a TLS alert
        except OSError:
            pass
    assert server.transcript.wait_closed(1), server.transcript.render()
    notes = [e.data for e in server.transcript.connections[0].events if e.direction == "*"]
    assert any(n.startswith(b"TLS handshake failed") for n in notes), notes
    assert_still_serving_tls(server)


def assert_still_serving_tls(server: SMTPServer) -> None:
    with smtplib.SMTP_SSL(server.host, server.port, context=default_ca().client_context(), timeout=5) as smtp:
        assert smtp.noop()[0] == 250


def test_wrong_password_is_535(make_server) -> None:
    server = make_server()
    with client(server) as smtp, pytest.raises(smtplib.SMTPAuthenticationError) as err:
        smtp.login(USER, "wrong")
    assert err.value.smtp_code == 535
    replies = server.transcript.connections[0].server_lines()
    assert b"535 5.7.8 Authentication credentials invalid\r\n" in replies, replies


def test_auth_before_starttls_is_refused_538(make_server) -> None:
    server = make_server(starttls=True)
    blob = base64.b64encode(f"\0{USER}\0{PASSWORD}".encode()).decode()
    with client(server) as smtp:
        smtp.ehlo()
        code, _ = smtp.docmd("AUTH", f"PLAIN {blob}")
    assert code == 538, server.transcript.render()


def test_auth_allowed_in_clear_without_tls(make_server) -> None:
    server = make_server(users={"u@example.com": "pw"})
    with client(server) as smtp:
        code, _ = smtp.login("u@example.com", "pw")
    assert code == 235


def test_require_auth_refuses_mail_without_auth(make_server) -> None:
    server = make_server(require_auth=True)
    with client(server) as smtp:
        with pytest.raises(smtplib.SMTPSenderRefused) as err:
            smtp.sendmail("a@example.com", ["b@example.com"], b"x\r\n")
        assert err.value.smtp_code == 530
        smtp.login(USER, PASSWORD)
        assert smtp.sendmail("a@example.com", ["b@example.com"], b"Subject: ok\r\n\r\nx\r\n") == {}
    assert server.wait_for_messages(1) and server.envelopes[0].auth_user == USER


def test_require_starttls_refuses_mail_in_clear(make_server) -> None:
    server = make_server(require_starttls=True)
    with client(server) as smtp:
        smtp.ehlo()
        code, _ = smtp.docmd("MAIL", "FROM:<a@example.com>")
    assert code == 530


# -- curl -------------------------------------------------------------------------------------------
def run_curl(*args: str) -> subprocess.CompletedProcess:
    assert CURL is not None
    return subprocess.run([CURL, "-sS", "--max-time", "5", *args], capture_output=True, timeout=10)


@pytest.fixture
def mailfile(tmp_path: Path) -> tuple[str, bytes]:
    data = b"From: a@example.com\r\nTo: b@example.com\r\nSubject: via curl\r\n\r\nline one\r\n.dot line\r\n"
    path = tmp_path / "mail.txt"
    path.write_bytes(data)
    return str(path), data


@needs_curl
def test_curl_plain(make_server, mailfile) -> None:
    server = make_server()
    path, data = mailfile
    proc = run_curl(f"smtp://127.0.0.1:{server.port}", "--mail-from", "a@example.com",
                    "--mail-rcpt", "b@example.com", "--mail-rcpt", "c@example.com", "-T", path)
    assert proc.returncode == 0, proc.stderr.decode() + server.transcript.render()
    assert server.wait_for_messages(1)
    env = server.envelopes[0]
    assert (env.mail_from, env.rcpt_tos) == ("a@example.com", ["b@example.com", "c@example.com"])
    assert env.data == data
    assert env.message()["Subject"] == "via curl"


@needs_curl
def test_curl_starttls_with_auth(make_server, mailfile, ca: TestCA) -> None:
    server = make_server(starttls=True)
    path, data = mailfile
    proc = run_curl(f"smtp://127.0.0.1:{server.port}", "--ssl-reqd", "--cacert", ca.cafile,
                    "--user", f"{USER}:{PASSWORD}", "--mail-from", "a@example.com",
                    "--mail-rcpt", "b@example.com", "-T", path)
    assert proc.returncode == 0, proc.stderr.decode() + server.transcript.render()
    assert server.wait_for_messages(1)
    env = server.envelopes[0]
    assert env.tls is True and env.auth_user == USER and env.data == data
    assert server.commands()[:3] == ["EHLO", "STARTTLS", "EHLO"], server.transcript.render()


@needs_curl
def test_curl_smtps(make_server, mailfile, ca: TestCA) -> None:
    server = make_server(implicit_tls=True)
    path, data = mailfile
    proc = run_curl(f"smtps://127.0.0.1:{server.port}", "--cacert", ca.cafile,
                    "--user", f"{USER}:{PASSWORD}", "--mail-from", "a@example.com",
                    "--mail-rcpt", "b@example.com", "-T", path)
    assert proc.returncode == 0, proc.stderr.decode() + server.transcript.render()
    assert server.wait_for_messages(1)
    env = server.envelopes[0]
    assert env.tls is True and env.auth_user == USER and env.data == data


# -- robustness ---------------------------------------------------------------------------------------
def test_garbage_bytes_get_500(make_server) -> None:
    server = make_server()
    with raw_connect(server) as sock:
        sock.sendall(b"\x00\xff\xfe\x80 garbage\r\n")
        assert read_reply(sock).startswith(b"500 "), server.transcript.render()
    assert b"\x00\xff\xfe\x80 garbage\r\n" in lines_of(server)
    assert_still_serving(server)


def test_overlong_line_gets_500_and_session_continues(make_server) -> None:
    server = make_server()
    with raw_connect(server) as sock:
        sock.sendall(b"NOOP " + b"x" * 100_000 + b"\r\n")
        assert read_reply(sock).startswith(b"500 "), server.transcript.render()
        sock.sendall(b"NOOP\r\n")
        assert read_reply(sock).startswith(b"250 "), server.transcript.render()
    long_line = lines_of(server)[0]
    assert long_line.startswith(b"NOOP xxx") and len(long_line) < 100_000, "over-long line kept capped"
    assert_still_serving(server)


def test_connect_and_close(make_server) -> None:
    server = make_server()
    socket.create_connection(server.address, timeout=5).close()
    assert server.transcript.wait_closed(1), server.transcript.render()
    assert_still_serving(server)


def test_disconnect_mid_data(make_server) -> None:
    server = make_server()
    with raw_connect(server) as sock:
        for command in (b"EHLO me", b"MAIL FROM:<a@example.com>", b"RCPT TO:<b@example.com>", b"DATA"):
            sock.sendall(command + b"\r\n")
            assert read_reply(sock)[:1] in (b"2", b"3")
        sock.sendall(b"Subject: half\r\n\r\nhalf a li")
    assert server.transcript.wait_closed(1), server.transcript.render()
    assert server.envelopes == [], "an unfinished DATA must not be delivered"
    assert b"half a li" in lines_of(server), "bytes without CRLF are still shown"
    assert_still_serving(server)


def test_line_without_crlf_is_recorded_on_idle_timeout(make_server) -> None:
    server = make_server(idle_timeout=0.3)
    with raw_connect(server) as sock:
        sock.sendall(b"EHLO forgot-the-crlf")
        assert b"421" in read_reply(sock)
    assert server.transcript.wait_closed(1)
    conn = server.transcript.connections[0]
    assert b"EHLO forgot-the-crlf" in conn.client_lines(), server.transcript.render()
    assert any(b"no line ending" in e.data for e in conn.events if e.direction == "*")


def test_idle_timeout_drops_silent_client(make_server) -> None:
    server = make_server(idle_timeout=0.3)
    with raw_connect(server) as sock:
        sock.settimeout(3)
        start = time.monotonic()
        reply = read_reply(sock)
        rest = sock.recv(100)
        elapsed = time.monotonic() - start
    assert reply.startswith(b"421 "), reply
    assert rest == b"", "the server must close the connection"
    assert 0.2 < elapsed < 2.0, elapsed
    assert server.transcript.wait_closed(1)
    assert server.transcript.connections[0].events[-1].data.startswith(b"idle timeout")


# -- lifecycle ------------------------------------------------------------------------------------------
def test_fresh_server_has_no_connections(make_server) -> None:
    server = make_server()
    assert len(server.transcript) == 0, "no readiness-probe connection may appear"
    info = server.describe()
    assert info["protocol"] == "smtp" and info["port"] == server.port and info["tls"] == "none"


def test_start_stop_cycles_leak_nothing(ca: TestCA) -> None:
    def fds() -> int | None:
        return len(os.listdir("/proc/self/fd")) if sys.platform.startswith("linux") else None

    SMTPServer(starttls=True, ca=ca).start().stop()  # warm up imports and the CA files
    threads, fd_count = threading.active_count(), fds()
    slowest = 0.0
    for i in range(50):
        started = time.perf_counter()
        server = SMTPServer(starttls=(i % 2 == 0), ca=ca).start()
        slowest = max(slowest, time.perf_counter() - started)
        if i % 10 == 0:
            with client(server) as smtp:
                smtp.noop()
        server.stop()
        assert not server.errors, server.errors
    assert threading.active_count() == threads
    assert fds() == fd_count
    assert slowest < 0.1, f"start took {slowest:.3f} s"


def test_stop_closes_open_sessions() -> None:
    server = SMTPServer().start()
    sock = raw_connect(server)
    try:
        server.stop()
        sock.settimeout(2)
        assert sock.recv(100) == b""
    finally:
        sock.close()
    assert server.transcript.connections[0].closed is not None
    assert not server.running
