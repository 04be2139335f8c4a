"""Hidden tests for 05_pop3/receive.py: what the visible tests do not show.

Every verdict comes from the fake POP3 server: the transcript of each session,
which messages it really deleted (``committed_deletions``: only a ``QUIT`` commits
them) and the bytes it holds. The mistakes hunted here: a session without ``QUIT``
(after an error too), ``DELE`` without ``QUIT`` (nothing is deleted), and POP3 lines
turned into ``str`` (decoded or joined as text) instead of staying bytes.
"""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest

from grader.harness import RunResult, StudentException, StudentModule, call, describe_call
from grader.hidden.support import check, fail_mistake, show
from grader.messages import msg
from grader.messages.texts import tr
from grader.servers.pop3 import DEFAULT_MESSAGES, DEFAULT_USERS

pytestmark = pytest.mark.exercise("05_pop3/receive")

MODULE = "05_pop3/receive.py"
HOST = "127.0.0.1"
USER, PASSWORD = next(iter(DEFAULT_USERS.items()))
DEADLINE = 5.0
"""Seconds a student's call may take: every session here is a few milliseconds on loopback."""


def _word(text: str, charset: str) -> str:
    """One RFC 2047 B-encoded word."""
    return f"=?{charset}?b?{base64.b64encode(text.encode(charset)).decode('ascii')}?="


EIGHTBIT = (
    b"From: li.si@example.cn\r\nTo: student@netlings.test\r\nSubject: 8bit GBK body\r\n"
    b"Date: Thu, 06 Jun 2024 08:00:00 +0800\r\nMessage-ID: <8bit-2@example.cn>\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=\"gbk\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    + "同学你好：这封信的正文没有 base64，直接是 GBK 字节。\r\n".encode("gbk")
    + b"\xff\xfe are not UTF-8 either.\r\n"
)
"""A message whose body is raw 8-bit GBK: not valid UTF-8, so it only survives as bytes."""

DOTS = (
    b"From: alice@example.org\r\nTo: student@netlings.test\r\nSubject: dots\r\n\r\n"
    b".\r\n..\r\n.starts with one dot\r\n...three dots\r\nmiddle . dot\r\n\r\n.\r\n"
)
"""Lines a server must byte-stuff and poplib must unstuff: the last body line is a lone dot."""

SUBJECTS = [
    (b"From: a@example.org\r\nTo: student@netlings.test\r\n\r\nno subject at all\r\n", ""),
    (b"Subject: =?iso-8859-1?q?Caf=E9_cr=E8me?=\r\nFrom: a@example.org\r\n\r\nbody\r\n", "Café crème"),
    (f"Subject: Re: {_word('你好', 'big5')} (plain tail)\r\nFrom: a@example.org\r\n\r\nbody\r\n".encode(),
     "Re: 你好 (plain tail)"),
    (f"Subject: {_word('作业', 'gb2312')}\r\n {_word('第二周', 'utf-8')} {_word('提交', 'gbk')}\r\n"
     f"From: a@example.org\r\n\r\nbody\r\n".encode(), "作业第二周提交"),
    (b"Subject: A plain subject that is long enough\r\n to be folded over two lines\r\n"
     b"From: a@example.org\r\n\r\nbody\r\n",
     "A plain subject that is long enough to be folded over two lines"),  # tr: data
]


# -- evidence ---------------------------------------------------------------------------------


def settle(server: Any, timeout: float = 3.0) -> None:
    """Wait until the server has seen every session end (the student's process has exited)."""
    server.transcript.wait_for(lambda t: all(c.closed is not None for c in t.connections), timeout=timeout)


def commands(server: Any) -> list[str]:
    out = []
    for line in server.transcript.client_lines():
        text = line.decode("utf-8", "replace").rstrip("\r\n")
        if text.upper().startswith("PASS "):
            text = "PASS ***"
        out.append(text)
    return out


def excerpt(server: Any, limit: int = 24, ids: list[int] | None = None) -> str:
    """The client's commands and the server's status lines, per session (message bodies left out)."""
    lines = []
    for conn in server.transcript.connections:
        if ids is not None and conn.id not in ids:
            continue
        lines.append(tr("   -- session {id}", id=conn.id))
        for event in conn.events:
            if event.direction == "S" and not event.data.startswith((b"+OK", b"-ERR")):
                continue
            text = event.render()
            if event.direction == "C" and event.data.upper().startswith(b"PASS "):
                text = "C: PASS ***"
            lines.append("   " + text)
    return tr("What the server saw:\n{lines}", lines="\n".join(lines[-limit:]))


def has_quit(conn: Any) -> bool:
    return any(line.strip().upper() == b"QUIT" for line in conn.client_lines())


def check_quit(server: Any, what: str) -> None:
    """Every session must end with QUIT; otherwise name the mistake."""
    settle(server)
    conns = server.transcript.connections
    missing = [c.id for c in conns if not has_quit(c)]
    check(conns and not missing, "no_quit", call=what,
          expected=tr("QUIT at the end of every session (also after an error)"),
          actual=tr("no QUIT in {missing} of {total} session(s); commands: {commands}",
                    missing=len(missing), total=len(conns), commands=commands(server)),
          detail=excerpt(server, ids=missing))


def check_deleted(server: Any, what: str, expected: list[int]) -> None:
    """The server must have committed exactly these deletions; DELE without QUIT is named."""
    settle(server)
    done = sorted(server.committed_deletions)
    if done == sorted(expected):
        return
    deles = [c for c in commands(server) if c.upper().startswith("DELE ")]
    quits = [c for c in server.transcript.connections if has_quit(c)]
    check(not (deles and len(quits) < len(server.transcript.connections)), "dele_without_quit", call=what,
          expected=tr("messages {numbers} deleted", numbers=sorted(expected)),
          actual=tr("deleted {done}; DELE sent: {deles}, but the session ended without QUIT",
                    done=done, deles=deles),
          detail=excerpt(server))
    pytest.fail(tr("{what}: the server deleted messages {done}, expected {expected}. Commands: {commands}",
                   what=what, done=done, expected=sorted(expected), commands=commands(server)))


# -- calling the student's code -----------------------------------------------------------------


def run_call(mod: StudentModule, func: str, *args: Any, **kwargs: Any) -> RunResult:
    with mod.run([call(func, *args, **kwargs)], deadline=DEADLINE) as run:
        return run.result()


_LINES_AS_STR = re.compile(r"sequence item \d+: expected str instance, bytes found"  # tr: data
                           r"|initial_value must be str or None, not bytes|can't concat str to bytes"
                           r"|can only concatenate str \(not \"bytes\"\) to str")


def name_exception(what: str, func: str, exc: StudentException) -> None:
    """Lines handled as text: a join/concat type error, or a decode error while fetching."""
    if (exc.is_a("TypeError") and _LINES_AS_STR.search(exc.message)) or (
            func == "fetch_message" and exc.is_a("UnicodeDecodeError")):
        fail_mistake("pop3_lines_as_str", call=what, expected=tr("the message as bytes"),
                     actual=str(exc), detail=msg("your_traceback", traceback=exc.traceback))


def invoke(mod: StudentModule, func: str, *args: Any, expect: str | None = None, **kwargs: Any) -> Any:
    """The call's value (or, with ``expect``, its exception), naming a mistake when one shows."""
    __tracebackhide__ = True
    what = describe_call(func, args, kwargs)
    result = run_call(mod, func, *args, **kwargs)
    exc = result.exception
    if expect is not None and exc is not None and exc.is_a(expect):
        return exc
    if exc is not None and exc.phase == "call" and not exc.not_implemented:
        name_exception(what, func, exc)
    mod.check(result, what, func, expected=expect)
    if expect is not None:
        raise AssertionError(msg("expected_exception", call=what, value=show(result.value, 80),
                                 expected=expect))
    return result.value


def check_message_bytes(value: Any, seeded: bytes, what: str) -> None:
    __tracebackhide__ = True
    check(not isinstance(value, str), "pop3_lines_as_str", call=what, expected="bytes",
          actual=tr("a str: {value}", value=show(value, 120)))
    assert isinstance(value, bytes), tr("{what} returned a {kind}, expected bytes",
                                        what=what, kind=type(value).__name__)
    want = seeded.rstrip(b"\r\n")
    assert value.rstrip(b"\r\n") == want, tr(
        "{what} returned {size} bytes that differ from the server's {want_size} bytes: "
        "yours end {end!r}, expected {want_end!r}. Join the lines from "
        "box.retr() with b'\\r\\n', as they are",
        what=what, size=len(value), want_size=len(seeded), end=value[-80:], want_end=want[-80:])


# -- fetch_message --------------------------------------------------------------------------------


@pytest.mark.points(2)
def test_fetch_message_returns_bytes(student_module, pop3_server) -> None:
    """fetch_message returns bytes (the lines from RETR joined with b'\\r\\n'), never str."""
    receive = student_module(MODULE)
    what = f"fetch_message({HOST!r}, port, {USER!r}, ..., 2)"
    value = invoke(receive, "fetch_message", HOST, pop3_server.port, USER, PASSWORD, 2)
    check_message_bytes(value, pop3_server.mailbox[1], what)


@pytest.mark.points(2)
@pytest.mark.pop3_server(messages=[DEFAULT_MESSAGES[0], EIGHTBIT])
def test_fetch_message_8bit_body(student_module, pop3_server) -> None:
    """fetch_message returns a message with a raw 8-bit GBK body byte for byte (no decoding)."""
    receive = student_module(MODULE)
    what = f"fetch_message({HOST!r}, port, {USER!r}, ..., 2)"
    value = invoke(receive, "fetch_message", HOST, pop3_server.port, USER, PASSWORD, 2)
    check_message_bytes(value, pop3_server.mailbox[1], what)
    check_quit(pop3_server, what)


@pytest.mark.points(1)
@pytest.mark.pop3_server(messages=[DOTS])
def test_fetch_message_lines_starting_with_dots(student_module, pop3_server) -> None:
    """fetch_message gives back lines that start with '.' exactly (the server's byte-stuffing undone)."""
    receive = student_module(MODULE)
    what = f"fetch_message({HOST!r}, port, {USER!r}, ..., 1)"
    value = invoke(receive, "fetch_message", HOST, pop3_server.port, USER, PASSWORD, 1)
    check_message_bytes(value, pop3_server.mailbox[0], what)


@pytest.mark.points(1)
def test_fetch_missing_message_still_quits(student_module, pop3_server) -> None:
    """fetch_message of a message that does not exist raises poplib.error_proto and still quits."""
    receive = student_module(MODULE)
    what = f"fetch_message({HOST!r}, port, {USER!r}, ..., 9)"
    invoke(receive, "fetch_message", HOST, pop3_server.port, USER, PASSWORD, 9, expect="error_proto")
    check_quit(pop3_server, what)


# -- every function ends with QUIT ----------------------------------------------------------------


@pytest.mark.points(2)
def test_every_function_quits(student_module, pop3_server) -> None:
    """mailbox_stat, fetch_message, list_subjects and delete_messages each end their session with QUIT."""
    receive = student_module(MODULE)
    port = pop3_server.port
    for func, args in [("mailbox_stat", ()), ("fetch_message", (3,)), ("list_subjects", ()),
                       ("delete_messages", ([],))]:
        invoke(receive, func, HOST, port, USER, PASSWORD, *args)
        check_quit(pop3_server, describe_call(func, (HOST, port, USER, "...", *args), {}))
    assert pop3_server.committed_deletions == [], tr("delete_messages(..., []) must delete nothing")


@pytest.mark.points(1)
def test_wrong_password_still_quits(student_module, pop3_server) -> None:
    """mailbox_stat with a wrong password raises poplib.error_proto and still ends with QUIT."""
    receive = student_module(MODULE)
    exc = invoke(receive, "mailbox_stat", HOST, pop3_server.port, USER, "wrong-password",
                 expect="error_proto")
    assert "ERR" in exc.message, tr("expected the server's -ERR reply in the error, got {error}", error=exc)
    check_quit(pop3_server, f"mailbox_stat({HOST!r}, port, {USER!r}, 'wrong-password')")


# -- list_subjects --------------------------------------------------------------------------------


@pytest.mark.points(2)
@pytest.mark.pop3_server(messages=[raw for raw, _ in SUBJECTS])
def test_list_subjects_charsets_and_folding(student_module, pop3_server) -> None:
    """list_subjects decodes Q and B words in any charset, folded headers, and gives '' without Subject."""
    receive = student_module(MODULE)
    what = f"list_subjects({HOST!r}, port, {USER!r}, ...)"
    value = invoke(receive, "list_subjects", HOST, pop3_server.port, USER, PASSWORD)
    expected = [subject for _, subject in SUBJECTS]
    assert isinstance(value, list) and len(value) == len(expected), tr(
        "{what} returned {got}, expected {count} subjects: {expected!r}",
        what=what, got=show(value), count=len(expected), expected=expected)
    for number, (got, want) in enumerate(zip(value, expected, strict=True), 1):
        unfolded = re.sub(r"\r?\n(?=[ \t])", "", got) if isinstance(got, str) else got
        assert unfolded == want, tr(
            "{what}: message {number}'s subject came back as {got!r}, expected {want!r}. Parse the "
            "headers with email.message_from_bytes(..., policy=email.policy.default), or decode every "
            "encoded word with email.header.decode_header + make_header",
            what=what, number=number, got=got, want=want)
    check_quit(pop3_server, what)


@pytest.mark.points(1)
def test_list_subjects_fetches_headers_only(student_module, pop3_server) -> None:
    """list_subjects asks for the headers only (TOP n 0), not whole messages (RETR)."""
    receive = student_module(MODULE)
    invoke(receive, "list_subjects", HOST, pop3_server.port, USER, PASSWORD)
    sent = [re.sub(r"\s+", " ", c.upper().strip()) for c in commands(pop3_server)]
    count = len(pop3_server.mailbox)
    missing = [f"TOP {n} 0" for n in range(1, count + 1) if f"TOP {n} 0" not in sent]
    retrs = [c for c in sent if c.startswith("RETR")]
    assert not missing and not retrs, (
        (tr("list_subjects fetched {retrs} and lacked {missing}: ", retrs=retrs, missing=missing) if retrs
         else tr("list_subjects fetched no whole message and lacked {missing}: ", missing=missing))
        + tr("use box.top(n, 0) for each message (headers only; a mailbox can hold megabytes). "
             "Commands: {commands}", commands=commands(pop3_server))
    )


# -- mailbox_stat and delete_messages --------------------------------------------------------------


@pytest.mark.points(2)
def test_mailbox_stat_after_deleting(student_module, pop3_server) -> None:
    """After delete_messages([2]), mailbox_stat counts 2 messages and only their bytes."""
    receive = student_module(MODULE)
    first, _, third = pop3_server.mailbox
    what = f"delete_messages({HOST!r}, port, {USER!r}, ..., [2])"
    value = invoke(receive, "delete_messages", HOST, pop3_server.port, USER, PASSWORD, [2])
    check_deleted(pop3_server, what, [2])
    assert value == 1, tr("{what} returned {got!r}, expected {expected!r}", what=what, got=value, expected=1)
    stat = invoke(receive, "mailbox_stat", HOST, pop3_server.port, USER, PASSWORD)
    expected = (2, len(first) + len(third))
    assert isinstance(stat, (tuple, list)) and tuple(stat) == expected, tr(
        "mailbox_stat(...) after deleting message 2 returned {stat!r}, expected {expected!r}",
        stat=stat, expected=expected)
    check_quit(pop3_server, tr("delete_messages(..., [2]), then mailbox_stat(...)"))


@pytest.mark.points(2)
def test_delete_every_message_in_any_order(student_module, pop3_server) -> None:
    """delete_messages([3, 1, 2]) deletes all three in one session (QUIT commits them) and returns 3."""
    receive = student_module(MODULE)
    what = f"delete_messages({HOST!r}, port, {USER!r}, ..., [3, 1, 2])"
    value = invoke(receive, "delete_messages", HOST, pop3_server.port, USER, PASSWORD, [3, 1, 2])
    check_deleted(pop3_server, what, [1, 2, 3])
    assert value == 3, tr("{what} returned {got!r}, expected {expected!r}", what=what, got=value, expected=3)
    assert pop3_server.mailbox == [], tr("{count} messages left, expected none",
                                         count=len(pop3_server.mailbox))
    assert len(pop3_server.transcript.connections) == 1, tr(
        "{what} used {count} sessions; delete all in one session",
        what=what, count=len(pop3_server.transcript.connections))


@pytest.mark.points(1)
def test_delete_with_a_bad_number_deletes_nothing(student_module, pop3_server) -> None:
    """delete_messages([1, 7]) raises poplib.error_proto and deletes nothing (RSET), then quits."""
    receive = student_module(MODULE)
    what = f"delete_messages({HOST!r}, port, {USER!r}, ..., [1, 7])"
    invoke(receive, "delete_messages", HOST, pop3_server.port, USER, PASSWORD, [1, 7], expect="error_proto")
    check_quit(pop3_server, what)
    assert pop3_server.committed_deletions == [], tr(
        "{what} deleted {deleted}: when one DELE fails, box.rset() unmarks the "
        "others before QUIT. Commands: {commands}",
        what=what, deleted=pop3_server.committed_deletions, commands=commands(pop3_server))
    assert len(pop3_server.mailbox) == 3, tr("all three messages must still be there")
