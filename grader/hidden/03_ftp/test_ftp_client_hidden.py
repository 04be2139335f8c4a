"""Hidden tests for 03_ftp/ftp_client.py: what the visible tests do not show.

Every verdict comes from the fake FTP server's evidence: the control-connection
transcript (commands, replies, and a ``*`` note per data transfer saying how many
bytes went in which TYPE), the files in its tree, and the files the student's code
left on the local disk. The mistakes hunted here: a download in text mode
(``retrlines``/``TYPE A``), a session without ``QUIT`` (especially after an error),
a partial local file left behind by a failed download, and bytes handed to ftplib
where it wants ``str``.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

import pytest

from grader.harness import RunResult, StudentException, StudentModule, call, describe_call
from grader.hidden.support import check, fail_mistake, show
from grader.messages import msg
from grader.messages.texts import tr
from grader.servers.ftp import DEFAULT_FILES, GUEST, REAL

pytestmark = pytest.mark.exercise("03_ftp/ftp_client")

MODULE = "03_ftp/ftp_client.py"
HOST = "127.0.0.1"
DEADLINE = 5.0
"""Seconds a student's call may take: every operation here is a few milliseconds on loopback."""
PUBLIC_NAMES = {"readme.txt", "data.bin", "docs"}
BIG_BIN = b"".join(hashlib.sha256(i.to_bytes(4, "big")).digest() for i in range(6144))  # 192 KiB
"""A binary file larger than any socket buffer, with every byte value (CR, LF, NUL) all over it."""

_BYTES_FOR_STR = re.compile(
    r"can only concatenate str \(not \"bytes\"\) to str|str expected, not bytes|must be str, not bytes"
    r"|expected str instance, bytes found|expected str, bytes or os\.PathLike object"  # tr: data
)
_BYTES_LITERAL = re.compile(r"""\bb["']|\.encode\(""")


# -- evidence ---------------------------------------------------------------------------------


def settle(server: Any, timeout: float = 3.0) -> None:
    """Wait until the server has seen every control connection close.

    The student's child process has exited when a call returns, so its sockets are
    closed; this only waits for the server's loop to notice, so that QUIT checks and
    transfer notes look at the complete transcript.
    """
    server.transcript.wait_for(
        lambda t: all(c.closed is not None for c in t.connections), timeout=timeout
    )


def commands(server: Any) -> list[str]:
    """Command lines the client sent, without CRLF, passwords hidden."""
    out = []
    for line in server.transcript.client_lines():
        text = line.decode("utf-8", "replace").rstrip("\r\n")
        if text.upper().startswith("PASS "):
            text = "PASS ***"
        out.append(text)
    return out


def excerpt(server: Any, limit: int = 30, ids: list[int] | None = None) -> str:
    """The last lines of the transcript (commands, replies, transfer notes), for a message."""
    lines = []
    for conn in server.transcript.connections:
        if ids is not None and conn.id not in ids:
            continue
        for event in conn.events:
            text = event.render()
            if event.direction == "C" and event.data.upper().startswith(b"PASS "):
                text = "C: PASS ***"
            lines.append("   " + text)
    return tr("What the server saw:") + "\n" + "\n".join(lines[-limit:])


def ascii_retrievals(server: Any) -> list[str]:
    """Every RETR done in TYPE A, as evidence: the server's transfer note, else the command.

    ftplib starts in TYPE A; ``retrbinary`` sends ``TYPE I`` first, ``retrlines`` (and
    ``nlst``) ``TYPE A``. So the TYPE in effect at a RETR says which one was used, even
    when the transfer broke off before the server could note it.
    """
    notes = [e.data.decode("utf-8", "replace") for e in server.transcript.events()
             if e.direction == "*" and e.data.upper().startswith(b"RETR ") and b", ascii" in e.data]
    if notes:
        return notes
    found = []
    for conn in server.transcript.connections:
        mode = "A"
        for line in conn.client_lines():
            text = line.decode("utf-8", "replace").strip()
            verb, _, arg = text.partition(" ")
            if verb.upper() == "TYPE":
                mode = arg.strip().upper()[:1] or mode
            elif verb.upper() == "RETR" and mode == "A":
                found.append(tr("TYPE A, then {command}", command=text))
    return found


def check_quit(server: Any, what: str) -> None:
    """Every control connection must end with QUIT; otherwise name the mistake."""
    settle(server)
    missing = [c.id for c in server.transcript.connections
               if not any(line.strip().upper() == b"QUIT" for line in c.client_lines())]
    check(not missing and len(server.transcript.connections) > 0, "no_quit", call=what,
          expected=tr("QUIT as the last command of every session (also after an error)"),
          actual=tr("no QUIT on {missing} of {total} connection(s); commands: {commands}",
                    missing=len(missing), total=len(server.transcript.connections),
                    commands=commands(server)),
          detail=excerpt(server, ids=missing))


def local_files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def make_dir(path: Path) -> Path:
    """A folder the student's code may write into, also when the grader drops privileges."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o777)
    return path


def first_difference(got: bytes, want: bytes) -> str:
    pairs = enumerate(zip(got, want, strict=False))
    at = next((i for i, (a, b) in pairs if a != b), min(len(got), len(want)))
    return tr("{got_size} bytes instead of {want_size}, first difference at byte {at}: "
              "got {got!r}, expected {want!r}",
              got_size=len(got), want_size=len(want), at=at, got=got[at:at + 16], want=want[at:at + 16])


# -- calling the student's code -----------------------------------------------------------------


def run_call(mod: StudentModule, func: str, *args: Any, **kwargs: Any) -> RunResult:
    with mod.run([call(func, *args, **kwargs)], deadline=DEADLINE) as run:
        return run.result()


def name_exception(what: str, func: str, exc: StudentException, server: Any) -> None:
    """Name the mistake behind an exception when the evidence says which it is."""
    text = f"{exc.message}\n{exc.traceback}"
    if func == "download" and (exc.is_a("UnicodeDecodeError") or "retrlines" in exc.traceback
                               or ascii_retrievals(server)):
        settle(server)
        fail_mistake("ftp_text_mode", call=what,
                     expected=tr("the file's bytes, transferred with TYPE I (binary)"),
                     actual=tr("{error} (transfers: {transfers})", error=exc,
                               transfers=ascii_retrievals(server) or tr("none completed")),
                     detail=excerpt(server))
    if exc.is_a("TypeError") and (_BYTES_FOR_STR.search(text) or (
            "a bytes-like object is required, not 'str'" in exc.message  # tr: data
            and _BYTES_LITERAL.search(exc.traceback))):
        fail_mistake("bytes_not_str", call=what,
                     expected=tr("str arguments to ftplib (commands, names, users)"), actual=f"{exc}",
                     detail=msg("your_traceback", traceback=exc.traceback))


def judge(mod: StudentModule, result: RunResult, what: str, func: str, server: Any,
          expect: str | None = None) -> Any:
    """The call's value (or, with ``expect``, its exception), naming a mistake when one shows."""
    __tracebackhide__ = True
    exc = result.exception
    if expect is not None and exc is not None and exc.is_a(expect):
        return exc
    if exc is not None and exc.phase == "call" and not exc.not_implemented:
        name_exception(what, func, exc, server)
    mod.check(result, what, func, expected=expect)
    if expect is not None:
        raise AssertionError(msg("expected_exception", call=what, value=show(result.value, 80),
                                 expected=expect))
    return result.value


def invoke(mod: StudentModule, server: Any, func: str, *args: Any, expect: str | None = None,
           **kwargs: Any) -> Any:
    __tracebackhide__ = True
    result = run_call(mod, func, *args, **kwargs)
    return judge(mod, result, describe_call(func, args, kwargs), func, server, expect)


def check_download(server: Any, what: str, path: Path, want: bytes) -> None:
    """The local file must hold exactly the server's bytes; a TYPE A RETR is named as such."""
    __tracebackhide__ = True
    assert path.is_file(), tr("{what}: no local file {path} after the download; {transcript}",
                              what=what, path=path, transcript=excerpt(server))
    got = path.read_bytes()
    if got != want:
        settle(server)
        notes = ascii_retrievals(server)
        check(not notes, "ftp_text_mode", call=what,
              expected=tr("{size} bytes, identical to the server's file", size=len(want)),
              actual=tr("{difference}; transferred as ASCII: {notes}", difference=first_difference(got, want),
                        notes=notes), detail=excerpt(server))
        pytest.fail(tr("{what}: the local file differs from the server's: {difference}", what=what,
                       difference=first_difference(got, want)))


# -- parse_ftp_url --------------------------------------------------------------------------------


@pytest.mark.points(1)
def test_parse_ftp_url_more_shapes(student_module) -> None:
    """parse_ftp_url handles a port with a deep path, %20 escapes and a URL that ends in '/'."""
    ftp = student_module(MODULE)
    cases = [
        ("ftp://127.0.0.1:2121/pub/a/b/c/arch.tar.gz", ("127.0.0.1", 2121, "/pub/a/b/c", "arch.tar.gz")),
        ("ftp://ftp.example.com/my%20docs/read%20me.txt", ("ftp.example.com", 21, "/my docs", "read me.txt")),
        ("ftp://ftp.example.com:990/pub/", ("ftp.example.com", 990, "/pub", "")),
    ]
    for url, expected in cases:
        value = ftp.call("parse_ftp_url", url, deadline=DEADLINE)
        assert isinstance(value, (tuple, list)) and tuple(value) == expected, tr(
            "parse_ftp_url({url!r}) returned {value!r}, expected {expected!r}. Use urllib.parse.urlparse "
            "(.hostname, .port), urllib.parse.unquote the path, and split it at its LAST '/'",
            url=url, value=value, expected=expected)


@pytest.mark.points(1)
def test_parse_ftp_url_rejects_bad_urls(student_module) -> None:
    """parse_ftp_url raises ValueError for a non-FTP URL, a URL without host and a bad port."""
    ftp = student_module(MODULE)
    for url in ("http://example.com/pub/readme.txt", "ftp:///pub/readme.txt", "ftp://example.com:99999/x"):
        ftp.call_raises(ValueError, "parse_ftp_url", url, deadline=DEADLINE)


# -- list_files -----------------------------------------------------------------------------------


@pytest.mark.points(2)
def test_list_files_guest_is_confined(student_module, ftp_server) -> None:
    """As guest, list_files sees the public folder as '/', cannot enter /home, and quits each time."""
    ftp = student_module(MODULE)
    names = invoke(ftp, ftp_server, "list_files", HOST, ftp_server.port, "/", GUEST.user, GUEST.password)
    assert isinstance(names, list) and set(names) == PUBLIC_NAMES, tr(
        "list_files(..., '/', 'guest', 'guest-pass') returned {names!r}, expected {expected}",
        names=names, expected=sorted(PUBLIC_NAMES))
    invoke(ftp, ftp_server, "list_files", HOST, ftp_server.port, "/home/student", GUEST.user, GUEST.password,
           expect="FileNotFoundError")
    sent = [c.upper() for c in commands(ftp_server)]
    assert sent.count("USER GUEST") == 2, tr(
        "log in with the user you are given; commands: {commands}", commands=commands(ftp_server))
    check_quit(ftp_server, tr("{call} twice", call="list_files(..., 'guest', 'guest-pass')"))


@pytest.mark.points(1)
def test_list_files_empty_directory(student_module, ftp_server) -> None:
    """list_files of an empty directory returns [] (not an error)."""
    make_dir(ftp_server.path("pub/empty"))
    ftp = student_module(MODULE)
    names = invoke(ftp, ftp_server, "list_files", HOST, ftp_server.port, "/empty")
    assert names == [], tr("list_files(..., '/empty') returned {names!r}, expected [] for an empty directory",
                           names=names)
    check_quit(ftp_server, "list_files(..., '/empty')")


@pytest.mark.points(2)
def test_list_files_missing_directory_still_quits(student_module, ftp_server) -> None:
    """list_files of a missing directory raises FileNotFoundError and still ends the session with QUIT."""
    ftp = student_module(MODULE)
    what = f"list_files({HOST!r}, {ftp_server.port}, '/no/such/dir')"
    invoke(ftp, ftp_server, "list_files", HOST, ftp_server.port, "/no/such/dir", expect="FileNotFoundError")
    assert any(c.upper().startswith("CWD ") for c in commands(ftp_server)), tr(
        "{what}: the server never saw CWD; commands: {commands}", what=what, commands=commands(ftp_server))
    check_quit(ftp_server, what)


@pytest.mark.points(1)
def test_list_files_wrong_password(student_module, ftp_server) -> None:
    """A wrong password raises ftplib.error_perm (530), not FileNotFoundError, and the session still quits."""
    ftp = student_module(MODULE)
    exc = invoke(ftp, ftp_server, "list_files", HOST, ftp_server.port, "/", GUEST.user, "wrong-password",
                 expect="error_perm")
    assert "530" in exc.message, tr("expected the server's 530 reply in the error, got {error}", error=exc)
    check_quit(ftp_server, "list_files(..., 'guest', 'wrong-password')")


@pytest.mark.points(1)
@pytest.mark.ftp_server(files={"home/student/notes.txt": b"my notes\r\n",
                               "home/student/draft.bin": b"\x00\x01"})
def test_list_files_real_user_home(student_module, ftp_server) -> None:
    """list_files as the real user lists its home directory."""
    ftp = student_module(MODULE)
    names = invoke(ftp, ftp_server, "list_files", HOST, ftp_server.port, REAL.start_dir, REAL.user,
                   REAL.password)
    assert isinstance(names, list) and sorted(names) == ["draft.bin", "notes.txt"], tr(
        "list_files(..., {directory!r}, 'student', ...) returned {names!r}, "
        "expected ['draft.bin', 'notes.txt'] (names only, no directory part)",
        directory=REAL.start_dir, names=names)
    check_quit(ftp_server, "list_files(..., 'student', ...)")


@pytest.mark.points(2)
def test_ftplib_gets_str_not_bytes(student_module, ftp_server, tmp_path: Path) -> None:
    """The functions hand ftplib text (str): directory, file and user names are not bytes."""
    ftp = student_module(MODULE)
    local_dir = make_dir(tmp_path / "dl")
    calls = [("list_files", (HOST, ftp_server.port, "/docs", GUEST.user, GUEST.password)),
             ("download", (HOST, ftp_server.port, "/docs", "guide.txt", str(local_dir), GUEST.user,
                           GUEST.password))]
    values = []
    for func, args in calls:
        result = run_call(ftp, func, *args)
        what = describe_call(func, args, {})
        settle(ftp_server)
        mangled = [c for c in commands(ftp_server) if re.search(r"""\bb['"]""", c)]
        check(not mangled, "bytes_not_str", call=what, expected=tr("commands like 'CWD /docs', 'USER guest'"),
              actual=tr("the server received {mangled}", mangled=mangled),
              detail=tr("A bytes object formatted into a str shows up as b'...' on the wire."))
        values.append(judge(ftp, result, what, func, ftp_server))
    assert values[0] == ["guide.txt"], tr("list_files(..., '/docs', 'guest', ...) returned {value!r}",
                                          value=values[0])
    check_download(ftp_server, "download(..., '/docs', 'guide.txt', ...)", local_dir / "guide.txt",
                   DEFAULT_FILES["pub/docs/guide.txt"])


# -- download -------------------------------------------------------------------------------------


@pytest.mark.points(2)
def test_download_text_file_keeps_its_bytes(student_module, ftp_server, tmp_path: Path) -> None:
    """download of a text file (docs/guide.txt) keeps its bytes exactly, CRLF line endings included."""
    ftp = student_module(MODULE)
    local_dir = make_dir(tmp_path / "downloads")
    what = f"download({HOST!r}, port, '/docs', 'guide.txt', {str(local_dir)!r})"
    invoke(ftp, ftp_server, "download", HOST, ftp_server.port, "/docs", "guide.txt", str(local_dir))
    check_download(ftp_server, what, local_dir / "guide.txt", DEFAULT_FILES["pub/docs/guide.txt"])
    check_quit(ftp_server, what)


@pytest.mark.points(2)
def test_download_binary_never_in_text_mode(student_module, ftp_server, tmp_path: Path) -> None:
    """download of data.bin transfers in binary mode: no TYPE A RETR, no retrlines, bytes identical."""
    ftp = student_module(MODULE)
    local_dir = make_dir(tmp_path / "downloads")
    what = f"download({HOST!r}, port, '/', 'data.bin', {str(local_dir)!r}, 'guest', 'guest-pass')"
    invoke(ftp, ftp_server, "download", HOST, ftp_server.port, "/", "data.bin", str(local_dir),
           GUEST.user, GUEST.password)
    settle(ftp_server)
    notes = ascii_retrievals(ftp_server)
    check(not notes, "ftp_text_mode", call=what, expected=tr("RETR in TYPE I (binary)"),
          actual=tr("the server sent the file as ASCII: {notes}", notes=notes), detail=excerpt(ftp_server))
    check_download(ftp_server, what, local_dir / "data.bin", DEFAULT_FILES["pub/data.bin"])


@pytest.mark.points(2)
@pytest.mark.ftp_server(files={"pub/big.bin": BIG_BIN})
def test_download_large_binary(student_module, ftp_server, tmp_path: Path) -> None:
    """download of a 192 KiB binary file gets every byte, in order."""
    ftp = student_module(MODULE)
    local_dir = make_dir(tmp_path / "downloads")
    what = f"download({HOST!r}, port, '/', 'big.bin', {str(local_dir)!r})"
    path = invoke(ftp, ftp_server, "download", HOST, ftp_server.port, "/", "big.bin", str(local_dir))
    assert isinstance(path, str) and Path(tmp_path, path).resolve() == (local_dir / "big.bin").resolve(), tr(
        "{what} returned {value!r}, expected {expected!r}", what=what, value=path,
        expected=str(local_dir / "big.bin"))
    check_download(ftp_server, what, local_dir / "big.bin", BIG_BIN)
    check_quit(ftp_server, what)


@pytest.mark.points(2)
def test_download_missing_file_leaves_nothing(student_module, ftp_server, tmp_path: Path) -> None:
    """A failed download (550) leaves no new local file, keeps the files already there, and quits."""
    ftp = student_module(MODULE)
    local_dir = make_dir(tmp_path / "downloads")
    (local_dir / "keep.txt").write_bytes(b"already here\n")
    what = f"download({HOST!r}, port, '/docs', 'missing.pdf', {str(local_dir)!r})"
    result = run_call(ftp, "download", HOST, ftp_server.port, "/docs", "missing.pdf", str(local_dir))
    left = [name for name in local_files(local_dir) if name != "keep.txt"]
    check(not left, "partial_file_left", call=what, expected=tr("no local file for a file the server lacks"),
          actual=tr("{left} left in the local folder", left=left), detail=excerpt(ftp_server))
    judge(ftp, result, what, "download", ftp_server, expect="FileNotFoundError")
    assert (local_dir / "keep.txt").read_bytes() == b"already here\n", tr(
        "{what} changed or removed keep.txt, a file that was already in the local folder", what=what)
    check_quit(ftp_server, what)


@pytest.mark.points(1)
def test_download_missing_directory(student_module, ftp_server, tmp_path: Path) -> None:
    """download from a missing remote directory raises FileNotFoundError, leaves no file, and quits."""
    ftp = student_module(MODULE)
    local_dir = make_dir(tmp_path / "downloads")
    what = f"download({HOST!r}, port, '/nowhere', 'readme.txt', {str(local_dir)!r})"
    result = run_call(ftp, "download", HOST, ftp_server.port, "/nowhere", "readme.txt", str(local_dir))
    left = local_files(local_dir)
    check(not left, "partial_file_left", call=what, expected=tr("no local file"),
          actual=tr("{left} left in the local folder", left=left), detail=excerpt(ftp_server))
    judge(ftp, result, what, "download", ftp_server, expect="FileNotFoundError")
    check_quit(ftp_server, what)


# -- upload ---------------------------------------------------------------------------------------


def public_tree(server: Any) -> list[str]:
    root = server.path("pub")
    return sorted(str(p.relative_to(root)).replace(os.sep, "/") for p in root.rglob("*") if p.is_file())


@pytest.mark.points(2)
def test_upload_refused_for_guest(student_module, ftp_server, tmp_path: Path) -> None:
    """upload as guest (read-only) raises PermissionError, stores nothing, and quits."""
    ftp = student_module(MODULE)
    local = tmp_path / "homework.bin"
    local.write_bytes(b"\x00\x01 not allowed here\r\n")
    before = public_tree(ftp_server)
    what = f"upload({HOST!r}, port, {str(local)!r}, '/docs', 'guest', 'guest-pass')"  # tr: data
    invoke(ftp, ftp_server, "upload", HOST, ftp_server.port, str(local), "/docs", GUEST.user, GUEST.password,
           expect="PermissionError")
    assert public_tree(ftp_server) == before, tr(
        "{what}: the public folder changed from {before} to {after}, yet the server refused the upload",
        what=what, before=before, after=public_tree(ftp_server))
    assert any(c.upper().startswith("STOR ") for c in commands(ftp_server)), tr(
        "{what}: expected a STOR (refused with 550 by the server); commands: {commands}",
        what=what, commands=commands(ftp_server))
    check_quit(ftp_server, what)


@pytest.mark.points(1)
def test_upload_into_missing_directory(student_module, ftp_server, tmp_path: Path) -> None:
    """upload into a missing remote directory raises FileNotFoundError and quits."""
    ftp = student_module(MODULE)
    local = tmp_path / "notes.txt"
    local.write_bytes(b"notes\r\n")
    what = f"upload({HOST!r}, port, {str(local)!r}, '/home/student/nope', 'student', ...)"
    invoke(ftp, ftp_server, "upload", HOST, ftp_server.port, str(local), "/home/student/nope", REAL.user,
           REAL.password, expect="FileNotFoundError")
    assert not ftp_server.path(f"{REAL.home}/notes.txt").exists(), tr(
        "{what}: notes.txt was stored in the home", what=what)
    check_quit(ftp_server, what)


@pytest.mark.points(2)
@pytest.mark.ftp_server(files={"home/student/reports/old.txt": b"old\r\n"})
def test_upload_large_binary_into_subfolder(student_module, ftp_server, tmp_path: Path) -> None:
    """upload of a 192 KiB binary file into a subfolder stores it byte for byte under its own name."""
    ftp = student_module(MODULE)
    local_dir = make_dir(tmp_path / "out")
    local = local_dir / "big.bin"
    local.write_bytes(BIG_BIN)
    what = f"upload({HOST!r}, port, {str(local)!r}, '/home/student/reports', 'student', ...)"
    name = invoke(ftp, ftp_server, "upload", HOST, ftp_server.port, str(local), "/home/student/reports",
                  REAL.user, REAL.password)
    assert name == "big.bin", tr("{what} returned {value!r}, expected {expected!r}", what=what, value=name,
                                 expected="big.bin")
    remote = ftp_server.path(f"{REAL.home}/reports/big.bin")
    assert remote.is_file(), tr("{what}: big.bin did not arrive in /home/student/reports; {transcript}",
                                what=what, transcript=excerpt(ftp_server))
    stored = remote.read_bytes()
    assert stored == BIG_BIN, tr(
        "{what}: the server stored different bytes: {difference}. Use storbinary with the file opened 'rb'",
        what=what, difference=first_difference(stored, BIG_BIN))
    check_quit(ftp_server, what)
