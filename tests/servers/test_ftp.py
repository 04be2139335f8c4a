"""The fake FTP server against clients nobody here wrote: stdlib ``ftplib`` and ``curl``.

Every test asserts on what the server recorded (transcript, files on disk), so a
server that silently misbehaves fails here before it misgrades a student.
"""

from __future__ import annotations

import ftplib
import io
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from grader.servers.ftp import ANONYMOUS, DEFAULT_FILES, GUEST, REAL, Account, FTPServer
from grader.servers.tls import default_ca

DATA = DEFAULT_FILES["pub/data.bin"]
CURL = shutil.which("curl")
needs_curl = pytest.mark.skipif(CURL is None, reason="curl is not installed")
PUB_LISTING = sorted(["data.bin", "docs", "readme.txt"])


@pytest.fixture
def server() -> Iterator[FTPServer]:
    srv = FTPServer().start()
    yield srv
    srv.stop()
    srv.raise_errors()


@contextmanager
def client(srv: FTPServer, account: Account | None = None, password: str | None = None,
           **kw: object) -> Iterator[ftplib.FTP]:
    """A logged-in ftplib client (timeout 5 s) that is always closed."""
    kw.setdefault("timeout", 5)
    ftp = ftplib.FTP(**kw)  # type: ignore[arg-type]
    try:
        ftp.connect(srv.host, srv.port)
        if account is not None:
            ftp.login(account.user, password or account.password or "student@example.com")
        yield ftp
    finally:
        ftp.close()


def commands_after(srv: FTPServer, first: bytes) -> list[bytes]:
    """Client lines of every connection, from the first one starting with ``first``."""
    lines = srv.transcript.client_lines()
    starts = [i for i, line in enumerate(lines) if line.startswith(first)]
    return lines[starts[0]:] if starts else []


def curl(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    assert CURL is not None
    return subprocess.run([CURL, "-sS", "--max-time", "5", "--noproxy", "*", *args],
                          input=stdin, capture_output=True, timeout=15)


def fd_count() -> int:
    return len(os.listdir("/proc/self/fd"))


# -- the tree and the accounts ---------------------------------------------------------------


def test_default_files_are_seeded_byte_for_byte(server: FTPServer) -> None:
    for rel, data in DEFAULT_FILES.items():
        assert server.read(rel) == data, f"{rel} on disk differs from DEFAULT_FILES"
    for needle in (b"\r\n", b"\n", b"\r", b"\x00", b"\xff"):
        assert needle in DATA, f"data.bin must contain {needle!r} so that TYPE A corrupts it"
    assert b"\n" in DATA.replace(b"\r\n", b""), "data.bin needs a bare LF"
    assert server.path("home/student").is_dir(), "the real account's home must exist"


def test_extra_files_are_added_and_paths_stay_inside_root() -> None:
    with FTPServer(files={"home/student/notes.txt": b"mine\n", "pub/new/x.bin": b"\x00\x01"}) as srv:
        assert srv.read("home/student/notes.txt") == b"mine\n"
        assert srv.read("pub/new/x.bin") == b"\x00\x01"
        assert srv.read("pub/data.bin") == DATA, "defaults must stay seeded under extra files"
        with pytest.raises(ValueError):
            srv.path("../outside.txt")
        root = srv.root
    assert not root.exists(), "the temporary root must be removed at stop"


@pytest.mark.parametrize("account", [REAL, GUEST, ANONYMOUS], ids=lambda a: a.kind)
def test_each_account_kind_logs_in_and_lists(server: FTPServer, account: Account) -> None:
    with client(server, account) as ftp:
        assert ftp.pwd() == account.start_dir
        if account is REAL:
            ftp.cwd("/pub")
        assert sorted(ftp.nlst()) == PUB_LISTING
        lines: list[str] = []
        ftp.dir(lines.append)
        assert any(line.endswith(" data.bin") and " 4096 " in line for line in lines), lines
        ftp.cwd("docs")
        assert ftp.nlst() == ["guide.txt"]
        ftp.quit()
    sent = server.transcript.client_lines()
    assert f"USER {account.user}\r\n".encode() in sent, server.transcript.render()
    if account.password:
        assert f"PASS {account.password}\r\n".encode() in sent, "PASS must be recorded as sent"
    notes = [e.data for e in server.transcript.events() if e.direction == "*"]
    assert any(n.startswith(b"NLST") and n.endswith(b"bytes sent, ascii") for n in notes), notes


def test_retrbinary_returns_exact_bytes_and_retrlines_does_not(server: FTPServer) -> None:
    with client(server, ANONYMOUS, encoding="latin-1") as ftp:
        buf = io.BytesIO()
        ftp.retrbinary("RETR data.bin", buf.write)
        assert buf.getvalue() == DATA, "TYPE I download must be byte-exact"
        lines: list[str] = []
        ftp.retrlines("RETR data.bin", lines.append)
        text = "\n".join(lines).encode("latin-1")
        assert text != DATA, "a TYPE A download of a binary file must not come back intact"
    notes = [e.data for e in server.transcript.events() if e.direction == "*"]
    assert b"RETR data.bin: 4096 bytes sent, binary" in notes, notes
    ascii_notes = [n for n in notes if n.startswith(b"RETR data.bin") and n.endswith(b"ascii")]
    assert ascii_notes and ascii_notes[0] != b"RETR data.bin: 4096 bytes sent, ascii", \
        f"TYPE A must add CRs before bare LFs: {ascii_notes}"


def test_real_user_uploads_into_home(server: FTPServer) -> None:
    payload = DATA[::-1]
    with client(server, REAL) as ftp:
        ftp.storbinary("STOR up.bin", io.BytesIO(payload))
        ftp.storlines("STOR notes.txt", io.BytesIO(b"one\ntwo\n"))
        with pytest.raises(ftplib.error_perm, match="^550"):
            ftp.storbinary("STOR /pub/intruder.bin", io.BytesIO(b"x"))
    assert server.read("home/student/up.bin") == payload, "binary upload must land byte-exact in home"
    assert server.read("home/student/notes.txt") == b"one\ntwo\n", "TYPE A upload stores Unix line ends"
    assert not server.path("pub/intruder.bin").exists(), "the real account may write only in its home"
    notes = [e.data for e in server.transcript.events() if e.direction == "*"]
    assert f"STOR up.bin: {len(payload)} bytes received, binary".encode() in notes, notes
    assert b"STOR notes.txt: 10 bytes received, ascii" in notes, notes


def test_type_a_converts_like_unix_even_where_linesep_is_crlf(
    server: FTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pyftpdlib converts line ends only where os.linesep is LF; grading must not depend on the OS
    monkeypatch.setattr(os, "linesep", "\r\n")
    with client(server, REAL, encoding="latin-1") as ftp:
        ftp.storlines("STOR notes.txt", io.BytesIO(b"one\ntwo\n"))
        ftp.retrlines("RETR /pub/data.bin", lambda line: None)
    assert server.read("home/student/notes.txt") == b"one\ntwo\n"
    notes = [e.data for e in server.transcript.events() if e.direction == "*"]
    assert b"RETR /pub/data.bin: 4096 bytes sent, ascii" not in notes, notes


@pytest.mark.parametrize("account", [GUEST, ANONYMOUS], ids=lambda a: a.kind)
def test_read_only_accounts_cannot_upload(server: FTPServer, account: Account) -> None:
    with client(server, account) as ftp:
        with pytest.raises(ftplib.error_perm) as caught:
            ftp.storbinary("STOR evil.bin", io.BytesIO(b"evil"))
        assert str(caught.value)[:3] in ("550", "553"), caught.value
        with pytest.raises(ftplib.error_perm):
            ftp.mkd("newdir")
    assert not server.path("pub/evil.bin").exists()
    assert not server.path("pub/newdir").exists()


def test_guest_cannot_leave_pub_but_the_real_user_can_browse(server: FTPServer) -> None:
    with client(server, GUEST) as ftp:
        ftp.cwd("..")
        assert ftp.pwd() == "/", "guest is confined: .. of its root is its root"
        assert sorted(ftp.nlst()) == PUB_LISTING, "guest must still see pub, nothing above it"
        with pytest.raises(ftplib.error_perm, match="^550"):
            ftp.cwd("../home")
    with client(server, REAL) as ftp:
        ftp.cwd("..")
        assert ftp.pwd() == "/home"
        ftp.cwd("/pub/docs")
        buf = io.BytesIO()
        ftp.retrbinary("RETR guide.txt", buf.write)
        assert buf.getvalue() == DEFAULT_FILES["pub/docs/guide.txt"]


def test_failed_login_gets_530_without_the_3s_penalty(server: FTPServer) -> None:
    # timeout=1: pyftpdlib's default 3 s delay after a wrong password would time out here
    with client(server, timeout=1) as ftp:
        with pytest.raises(ftplib.error_perm, match="^530"):
            ftp.login("student", "wrong")
        with pytest.raises(ftplib.error_perm, match="^530"):
            ftp.login("nobody", "x")
        ftp.login("student", "student-pass")
        assert ftp.pwd() == "/home/student"
    assert b"PASS wrong\r\n" in server.transcript.client_lines()


def test_ftps_explicit_tls_downloads_and_records_decrypted_commands() -> None:
    ca = default_ca()
    with FTPServer(tls=True, ca=ca) as srv:
        ftp = ftplib.FTP_TLS(context=ca.client_context(), timeout=5)
        try:
            ftp.connect(srv.host, srv.port)
            ftp.login(GUEST.user, GUEST.password or "")
            ftp.prot_p()
            buf = io.BytesIO()
            ftp.retrbinary("RETR data.bin", buf.write)
            ftp.quit()
        finally:
            ftp.close()
        assert buf.getvalue() == DATA
        after = commands_after(srv, b"AUTH TLS")
        assert b"PROT P\r\n" in after and b"RETR data.bin\r\n" in after, srv.transcript.render()
        notes = [e.data for e in srv.transcript.events() if e.direction == "*"]
        assert any(n.startswith(b"TLS established") for n in notes), notes
        assert b"RETR data.bin: 4096 bytes sent, binary, TLS" in notes, notes
        assert srv.describe()["tls"] is True
    srv.raise_errors()


def test_servers_do_not_share_configuration() -> None:
    alice = Account("alice", "a-pass", "pub", "elr", kind="guest")
    with FTPServer(accounts=[alice], idle_timeout=30) as only_alice, FTPServer() as default:
        with client(only_alice, alice) as ftp:
            assert sorted(ftp.nlst()) == PUB_LISTING
        with client(default) as ftp, pytest.raises(ftplib.error_perm, match="^530"):
            ftp.login("alice", "a-pass")
        with client(only_alice) as ftp, pytest.raises(ftplib.error_perm, match="^530"):
            ftp.login("student", "student-pass")
        assert [a["user"] for a in only_alice.describe()["accounts"]] == ["alice"]


def test_describe_lists_accounts(server: FTPServer) -> None:
    info = server.describe()
    got = (info["protocol"], info["host"], info["port"], info["tls"])
    assert got == ("ftp", "127.0.0.1", server.port, False), info
    by_user = {a["user"]: a for a in info["accounts"]}
    assert by_user["student"]["password"] == "student-pass"
    assert by_user["student"]["perm"] == "elradfmwMT"
    assert by_user["student"]["home"] == str(server.path("home/student"))
    assert by_user["guest"]["perm"] == "elr" and by_user["guest"]["home"] == str(server.path("pub"))
    assert by_user["anonymous"]["password"] is None, "anonymous accepts any password"


# -- curl: a real client nobody here wrote ------------------------------------------------------


@needs_curl
def test_curl_anonymous_download_and_listing(server: FTPServer) -> None:
    url = f"ftp://127.0.0.1:{server.port}"
    got = curl(f"{url}/data.bin")
    assert got.returncode == 0, got.stderr
    assert got.stdout == DATA, "curl's download must be byte-exact"
    listing = curl(f"{url}/docs/")
    assert listing.returncode == 0, listing.stderr
    assert b"guide.txt" in listing.stdout
    sent = server.transcript.client_lines()
    assert b"USER anonymous\r\n" in sent, server.transcript.render()
    assert b"EPSV\r\n" in sent or b"PASV\r\n" in sent
    assert b"RETR data.bin\r\n" in sent
    assert b"CWD docs\r\n" in sent


@needs_curl
def test_curl_upload_as_student(server: FTPServer, tmp_path: os.PathLike[str]) -> None:
    local = os.path.join(tmp_path, "upload.bin")
    with open(local, "wb") as f:
        f.write(DATA)
    got = curl("--user", f"{REAL.user}:{REAL.password}", "-T", local,
               f"ftp://127.0.0.1:{server.port}/upload.bin")
    assert got.returncode == 0, got.stderr
    assert server.read("home/student/upload.bin") == DATA
    assert b"STOR upload.bin\r\n" in server.transcript.client_lines(), server.transcript.render()


@needs_curl
def test_curl_ftps_listing() -> None:
    ca = default_ca()
    with FTPServer(tls=True, ca=ca) as srv:
        got = curl("--ssl-reqd", "--cacert", ca.cafile, f"ftp://127.0.0.1:{srv.port}/docs/")
        assert got.returncode == 0, got.stderr
        assert b"guide.txt" in got.stdout
        assert any(line.startswith(b"AUTH ") for line in srv.transcript.client_lines())
        assert b"LIST\r\n" in commands_after(srv, b"AUTH ")
    srv.raise_errors()


# -- robustness ---------------------------------------------------------------------------------


def raw(srv: FTPServer) -> socket.socket:
    sock = socket.create_connection(srv.address, timeout=5)
    assert sock.recv(1024).startswith(b"220"), "banner expected"
    return sock


def read_until(sock: socket.socket, marker: bytes) -> bytes:
    data = b""
    while marker not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def still_works(srv: FTPServer) -> None:
    with client(srv, ANONYMOUS) as ftp:
        buf = io.BytesIO()
        ftp.retrbinary("RETR data.bin", buf.write)
        assert buf.getvalue() == DATA, "a normal client must still work"


def test_garbage_bytes_get_500_and_are_recorded_raw(server: FTPServer) -> None:
    with raw(server) as sock:
        sock.sendall(b"\x00\xff garbage\r\n")
        assert read_until(sock, b"\r\n").startswith(b"500"), "garbage deserves a 500 reply"
    assert b"\x00\xff garbage\r\n" in server.transcript.client_lines()
    still_works(server)


def test_over_long_line_gets_one_500_and_is_not_stored(server: FTPServer) -> None:
    with raw(server) as sock:
        sock.sendall(b"A" * 100_000)
        assert read_until(sock, b"\r\n").startswith(b"500"), "an over-long line deserves a 500 reply"
        sock.sendall(b"\r\nNOOP\r\n")
        rest = read_until(sock, b"200 ")
        assert b"500" not in rest, f"only one 500 per over-long line, got {rest!r}"
    events = server.transcript.events()
    assert max(len(e.data) for e in events) < server.max_line, "the transcript must stay bounded"
    assert any(e.direction == "*" and b"longer than" in e.data for e in events)
    assert b"NOOP\r\n" in server.transcript.client_lines(), "the line after it is read normally"
    still_works(server)


def test_connect_and_close_without_a_word(server: FTPServer) -> None:
    socket.create_connection(server.address, timeout=5).close()
    assert server.transcript.wait_closed(1), server.transcript.render()
    still_works(server)


def test_disconnect_mid_command_keeps_the_partial_line(server: FTPServer) -> None:
    with raw(server) as sock:
        sock.sendall(b"USER anonym")
    assert server.transcript.wait_closed(1)
    first = server.transcript.connections[0]
    assert first.client_lines() == [b"USER anonym"], first.events
    assert first.events[-1].data == b"closed by client"
    still_works(server)


def test_idle_client_is_disconnected() -> None:
    with FTPServer(idle_timeout=0.3) as srv:
        with raw(srv) as sock:
            received = read_until(sock, b"\x00never")  # reads until the server closes
        assert b"421" in received, f"idle timeout should say 421 before closing: {received!r}"
        assert srv.transcript.wait_closed(1)
        assert "idle" in srv.transcript.connections[0].events[-1].data.decode()
    srv.raise_errors()


# -- lifecycle ----------------------------------------------------------------------------------


def test_render_shows_client_and_server_lines(server: FTPServer) -> None:
    with client(server, ANONYMOUS) as ftp:
        ftp.quit()
    text = server.transcript.render()
    assert "C: USER anonymous" in text and "S: 230 " in text, text


def test_start_stop_cycles_leave_nothing_behind() -> None:
    FTPServer().start().stop()  # warm up imports and lazy module state
    threads = threading.active_count()
    fds = fd_count() if sys.platform.startswith("linux") else None
    for _ in range(50):
        srv = FTPServer().start()
        assert srv.running
        srv.stop()
        assert not srv.running
        srv.raise_errors()
    assert threading.active_count() == threads, "a server thread survived stop()"
    if fds is not None:
        assert fd_count() == fds, "stop() leaked file descriptors"


def test_stop_with_sessions_open_closes_everything() -> None:
    ca = default_ca()
    ca.certfile, ca.cafile  # noqa: B018 - create the files before counting fds
    threads = threading.active_count()
    fds = fd_count() if sys.platform.startswith("linux") else None
    srv = FTPServer(tls=True, ca=ca).start()
    plain = ftplib.FTP(timeout=5)
    secure = ftplib.FTP_TLS(context=ca.client_context(), timeout=5)
    bad = raw(srv)
    try:
        plain.connect(srv.host, srv.port)
        plain.login(REAL.user, REAL.password or "")
        plain.sendcmd("PASV")  # a listening data socket stays open
        secure.connect(srv.host, srv.port)
        secure.login(GUEST.user, GUEST.password or "")
        secure.prot_p()
        bad.sendall(b"USER student\r\nPASS wrong\r\n")  # paused by the failed-login delay
        assert srv.transcript.wait_for(lambda t: b"PASS wrong\r\n" in t.client_lines())
        srv.stop()
    finally:
        for s in (plain, secure, bad):
            s.close()
    srv.raise_errors()
    reasons = [c.events[-1].data for c in srv.transcript.connections]
    assert reasons.count(b"closed by server: stopped") == 3, reasons
    assert threading.active_count() == threads
    if fds is not None:
        assert fd_count() == fds, "stop() leaked file descriptors of open sessions"
