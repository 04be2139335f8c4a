"""Visible tests for 03_ftp/ftp_client.py: an FTP client with ftplib.

Your functions talk to a local fake FTP server (pyftpdlib) that records every
command you send and every reply it gives. The tests check what the SERVER saw
and what ended up in files: the bytes you downloaded, the bytes that arrived on
the server after an upload, and that every session ends with QUIT.

The server has three accounts:

* ``anonymous`` (any password): read-only, sees the public folder as ``/``;
* ``guest`` / ``guest-pass``: the same, with a password;
* ``student`` / ``student-pass``: a real account that starts in ``/home/student``
  and may write there (``/pub`` is the public folder, read-only).

Files in the public folder: ``readme.txt``, ``data.bin`` (binary: CRLF, bare LF,
bare CR, NUL and bytes >= 0x80) and ``docs/guide.txt``.

Run them with ``pytest exercises/03_ftp``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.messages.texts import tr
from grader.servers.ftp import DEFAULT_FILES, REAL

MODULE = "03_ftp/ftp_client.py"
HOST = "127.0.0.1"
PUBLIC_NAMES = {"readme.txt", "data.bin", "docs"}


def commands(server) -> list[str]:
    """The command lines the client sent, without CRLF (``"RETR data.bin"``), passwords hidden."""
    out = []
    for line in server.transcript.client_lines():
        text = line.decode("utf-8", "replace").rstrip("\r\n")
        if text.upper().startswith("PASS "):
            text = "PASS ***"
        out.append(text)
    return out


def sent_quit(connection) -> bool:
    return any(line.strip().upper() == b"QUIT" for line in connection.client_lines())


def assert_quit(server) -> None:
    """Every session must end with QUIT: wait (briefly) for it, then check each connection.

    The wait ends as soon as every session has sent QUIT or closed: a closed session
    can send nothing more, so waiting out the 2 s would not change the verdict.
    """
    server.transcript.wait_for(
        lambda t: t.connections and all(sent_quit(c) or c.closed is not None for c in t.connections),
        timeout=2.0,
    )
    connections = server.transcript.connections
    quit_everywhere = bool(connections) and all(sent_quit(c) for c in connections)
    assert quit_everywhere, tr(
        "the server never received QUIT (commands seen: {commands}); "
        "call ftp.quit() in a finally block so the session ends properly, even after an error",
        commands=commands(server))


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


# -- parse_ftp_url ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("ftp://ftp.example.com/pub/readme.txt", ("ftp.example.com", 21, "/pub", "readme.txt")),
        ("ftp://127.0.0.1:2121/pub/docs/guide.txt", ("127.0.0.1", 2121, "/pub/docs", "guide.txt")),
        ("ftp://files.example.org/data.bin", ("files.example.org", 21, "/", "data.bin")),
    ],
    ids=["default-port", "port-and-nested-dirs", "file-at-the-top"],  # tr: data
)
def test_parse_ftp_url(student_module, url: str, expected: tuple) -> None:
    """parse_ftp_url splits a URL into (host, port, directory, filename); port 21 when none is given."""
    ftp = student_module(MODULE)
    value = ftp.call("parse_ftp_url", url)
    assert isinstance(value, (tuple, list)) and tuple(value) == expected, tr(
        "parse_ftp_url({url!r}) returned {value!r}, expected {expected!r}. "
        "urllib.parse.urlparse(url) gives .hostname, .port (None when absent: use 21) and .path; "
        "split the path at its LAST '/' into directory and filename",
        url=url, value=value, expected=expected)


# -- list_files --------------------------------------------------------------------------


@pytest.mark.points(2)
def test_list_files_anonymous(student_module, ftp_server) -> None:
    """list_files lists the public folder as the anonymous user and then says QUIT."""
    ftp = student_module(MODULE)
    names = ftp.call("list_files", HOST, ftp_server.port, "/")
    assert isinstance(names, list), tr("list_files(...) must return a list of names, got {names!r}",
                                       names=names)
    assert set(names) == PUBLIC_NAMES, tr(
        "list_files({host!r}, port, '/') returned {names!r}, expected the names {expected} "
        "(in any order, without a directory part); ftp.nlst() gives them",
        host=HOST, names=names, expected=sorted(PUBLIC_NAMES))
    sent = commands(ftp_server)
    assert "USER anonymous" in sent, tr("log in as 'anonymous' by default; commands sent: {commands}",
                                        commands=sent)
    assert_quit(ftp_server)


def test_list_files_as_guest_in_a_subfolder(student_module, ftp_server) -> None:
    """list_files logs in with the user and password it is given, and changes to the directory."""
    ftp = student_module(MODULE)
    names = ftp.call("list_files", HOST, ftp_server.port, "/docs", "guest", "guest-pass")
    assert isinstance(names, list) and names == ["guide.txt"], tr(
        "list_files({host!r}, port, '/docs', 'guest', 'guest-pass') returned {names!r}, "
        "expected ['guide.txt']: log in with the given account, ftp.cwd(directory), then ftp.nlst()",
        host=HOST, names=names)
    sent = commands(ftp_server)
    assert "USER guest" in sent, tr("the server never saw 'USER guest'; commands sent: {commands}",
                                    commands=sent)
    assert any(c.upper().startswith("CWD ") and c.endswith("docs") for c in sent), tr(
        "expected CWD /docs before listing; commands sent: {commands}", commands=sent)
    assert_quit(ftp_server)


# -- download ----------------------------------------------------------------------------


@pytest.mark.points(3)
def test_download_binary_file(student_module, ftp_server, tmp_path: Path) -> None:
    """download saves data.bin byte for byte (binary mode, TYPE I) and returns the local path."""
    ftp = student_module(MODULE)
    local_dir = tmp_path / "downloads"
    local_dir.mkdir()
    path = ftp.call("download", HOST, ftp_server.port, "/", "data.bin", str(local_dir))
    expected_path = local_dir / "data.bin"
    assert isinstance(path, (str, Path)) and Path(tmp_path, path).resolve() == expected_path.resolve(), tr(
        "download(...) returned {path!r}, expected the local path {expected!r} "
        "(local_dir joined with the file name)", path=path, expected=str(expected_path))
    assert expected_path.is_file(), tr("no file {path} after the download", path=expected_path)
    got = expected_path.read_bytes()
    want = DEFAULT_FILES["pub/data.bin"]
    if got != want:
        pairs = enumerate(zip(got, want, strict=False))
        first = next((i for i, (a, b) in pairs if a != b), min(len(got), len(want)))
        pytest.fail(tr(
            "the downloaded data.bin differs from the server's file: {got_size} bytes instead of "
            "{want_size}, first difference at byte {first}: got {got!r}, "
            "expected {want!r}. Use ftp.retrbinary (not retrlines) and open the "
            'local file with "wb": text mode changes \\r\\n and cannot hold every byte',
            got_size=len(got), want_size=len(want), first=first, got=got[first:first + 16],
            want=want[first:first + 16]))
    sent = [c.upper() for c in commands(ftp_server)]
    assert "TYPE I" in sent, tr(
        "the transfer was not in binary mode (no 'TYPE I' sent; commands: {commands}); "
        "ftp.retrbinary switches to TYPE I for you", commands=commands(ftp_server))
    assert "RETR DATA.BIN" in sent, tr("expected 'RETR data.bin'; commands sent: {commands}",
                                       commands=commands(ftp_server))
    assert_quit(ftp_server)


@pytest.mark.points(2)
def test_download_missing_file(student_module, ftp_server, tmp_path: Path) -> None:
    """download of a missing file raises FileNotFoundError, leaves no local file and still quits."""
    ftp = student_module(MODULE)
    local_dir = tmp_path / "downloads"
    local_dir.mkdir()
    ftp.call_raises(FileNotFoundError, "download", HOST, ftp_server.port, "/", "no-such-file.txt",
                    str(local_dir))
    left = files_under(local_dir)
    assert left == [], tr(
        "a failed download left {left} in the local folder: remove the partial file "
        "(the server answered 550, so nothing was downloaded)", left=left)
    assert any(c.upper().startswith("RETR ") for c in commands(ftp_server)), tr(
        "the server never saw RETR; commands sent: {commands}", commands=commands(ftp_server))
    assert_quit(ftp_server)


# -- upload ------------------------------------------------------------------------------


@pytest.mark.points(2)
def test_upload_as_real_user(student_module, ftp_server, tmp_path: Path) -> None:
    """upload stores a binary file in the student's home folder, byte for byte, and returns its name."""
    ftp = student_module(MODULE)
    data = b"netlings upload\r\nline two\nNUL \x00 and high \xff\xfe bytes\r\n" + bytes(range(256))
    local = tmp_path / "report.bin"
    local.write_bytes(data)
    home = REAL.start_dir  # "/home/student"
    name = ftp.call("upload", HOST, ftp_server.port, str(local), home, REAL.user, REAL.password)
    assert name == "report.bin", tr(
        "upload(...) returned {name!r}, expected the remote name 'report.bin' "
        "(the local file's own name, os.path.basename(local_path))", name=name)
    sent = commands(ftp_server)
    assert any(c.upper() == "STOR REPORT.BIN" for c in sent), tr(
        "expected 'STOR report.bin' (the file's name only, not its local path); commands sent: {commands}",
        commands=sent)
    remote = ftp_server.path(REAL.home) / "report.bin"
    assert remote.is_file(), tr(
        "report.bin did not arrive in {home} on the server; commands sent: {commands}",
        home=home, commands=sent)
    stored = ftp_server.read(f"{REAL.home}/report.bin")
    assert stored == data, tr(
        "the uploaded file differs: the server got {stored_size} bytes {stored!r}..., "
        "you had {size} bytes {data!r}...; use ftp.storbinary and open the file with \"rb\"",
        stored_size=len(stored), stored=stored[:40], size=len(data), data=data[:40])
    assert "TYPE I" in [c.upper() for c in sent], tr(
        "upload in binary mode (TYPE I); commands sent: {commands}", commands=sent)
    assert_quit(ftp_server)


def test_upload_refused_for_anonymous(student_module, ftp_server, tmp_path: Path) -> None:
    """upload as anonymous (read-only) raises PermissionError and nothing is stored."""
    ftp = student_module(MODULE)
    local = tmp_path / "hello.txt"
    local.write_bytes(b"hello\r\n")
    ftp.call_raises(PermissionError, "upload", HOST, ftp_server.port, str(local), "/", "anonymous", "")
    assert not ftp_server.path("pub/hello.txt").exists(), tr(
        "hello.txt was stored, yet the server refused it")
    assert_quit(ftp_server)
