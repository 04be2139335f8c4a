"""Visible tests for 05_pop3/receive.py: talk to a mailbox with poplib.

Your functions talk to a local fake POP3 server that records every command and
reply. The mailbox of user ``student`` (password ``student-pass``) holds three
messages:

1. "Welcome to netlings": plain ASCII text, with lines that start with dots;
2. a Chinese subject made of several RFC 2047 encoded words (GBK and UTF-8), GBK body;
3. "Your picture (attachment)": text plus a PNG attachment.

The tests compare what you return with what the server holds, check that deletions
really happened (they only do when the session ends with QUIT) and that every
function ends its session with QUIT.

Run them with ``pytest exercises/05_pop3/test_receive.py``.
"""

from __future__ import annotations

import pytest

from grader.messages.texts import tr
from grader.servers.pop3 import DEFAULT_SUBJECTS, DEFAULT_USERS

MODULE = "05_pop3/receive.py"
HOST = "127.0.0.1"
USER, PASSWORD = next(iter(DEFAULT_USERS.items()))


def commands(server) -> list[str]:
    """The command lines the client sent, without CRLF, password hidden."""
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
    """Every session must end with QUIT (that is also what applies deletions).

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
        "the session did not end with QUIT (commands: {commands}); "
        "call box.quit() in a finally block, even after an error", commands=commands(server))


def test_mailbox_stat(student_module, pop3_server) -> None:
    """mailbox_stat returns (number of messages, total size in bytes) as STAT answers it."""
    receive = student_module(MODULE)
    value = receive.call("mailbox_stat", HOST, pop3_server.port, USER, PASSWORD)
    mailbox = pop3_server.mailbox
    expected = (len(mailbox), sum(len(m) for m in mailbox))
    assert isinstance(value, (tuple, list)) and tuple(value) == expected, tr(
        "mailbox_stat(...) returned {value!r}, expected {expected!r}: box.stat() gives (count, size)",
        value=value, expected=expected)
    assert "STAT" in [c.upper() for c in commands(pop3_server)], tr(
        "the server never saw STAT; commands: {commands}", commands=commands(pop3_server))
    assert_quit(pop3_server)


@pytest.mark.parametrize("number", [1, 2, 3], ids=["plain", "chinese", "attachment"])
def test_fetch_message(student_module, pop3_server, number: int) -> None:
    """fetch_message returns the raw message, byte for byte, with CRLF line endings."""
    receive = student_module(MODULE)
    value = receive.call("fetch_message", HOST, pop3_server.port, USER, PASSWORD, number)
    seeded = pop3_server.mailbox[number - 1]
    assert isinstance(value, bytes), tr(
        "fetch_message(..., {number}) returned a {kind}, expected bytes "
        "(the lines from box.retr() are bytes: join them with b'\\r\\n', don't decode)",
        number=number, kind=type(value).__name__)
    # The last CRLF is optional: b"\r\n".join(lines) has none, the server's copy has one.
    if value.rstrip(b"\r\n") != seeded.rstrip(b"\r\n"):
        crlf = b"\r\n"
        lines, want_lines = value.split(crlf), seeded.split(crlf)
        hint = ""
        if b"\r\n" not in value and b"\n" in value:
            hint = tr(" The lines are joined with b'\\n': join them with b'\\r\\n'.")
        elif len(lines) != len(want_lines):
            hint = tr(" You have {count} lines, the server's message has {want_count}.",
                      count=len(lines), want_count=len(want_lines))
        pytest.fail(tr(
            "fetch_message(..., {number}) returned {size} bytes that differ from message {number} "
            "on the server ({want_size} bytes).{hint} Start of yours: {start!r}; "
            "expected: {want_start!r}",
            number=number, size=len(value), want_size=len(seeded), hint=hint, start=value[:80],
            want_start=seeded[:80]))
    assert f"RETR {number}" in [c.upper() for c in commands(pop3_server)], tr(
        "expected 'RETR {number}'; commands: {commands}", number=number, commands=commands(pop3_server))
    assert_quit(pop3_server)


@pytest.mark.points(2)
def test_list_subjects(student_module, pop3_server) -> None:
    """list_subjects returns every message's Subject, decoded (Chinese included), in order."""
    receive = student_module(MODULE)
    value = receive.call("list_subjects", HOST, pop3_server.port, USER, PASSWORD)
    expected = list(DEFAULT_SUBJECTS)
    assert isinstance(value, list) and value == expected, tr(
        "list_subjects(...) returned {value!r}, expected {expected!r}. Encoded words like "
        "'=?gbk?b?...?=' must be decoded: parse the headers with email.policy.default, "
        "or use email.header.decode_header + make_header", value=value, expected=expected)
    assert len(pop3_server.mailbox) == 3, tr("list_subjects must not delete anything")
    assert_quit(pop3_server)


@pytest.mark.points(2)
def test_delete_one_message(student_module, pop3_server) -> None:
    """delete_messages([1]) deletes message 1 for good (DELE, then QUIT) and returns 1."""
    receive = student_module(MODULE)
    value = receive.call("delete_messages", HOST, pop3_server.port, USER, PASSWORD, [1])
    assert value == 1, tr("delete_messages(..., [1]) returned {value!r}, expected 1 (how many were deleted)",
                          value=value)
    sent = [c.upper() for c in commands(pop3_server)]
    assert "DELE 1" in sent, tr("the server never saw 'DELE 1'; commands: {commands}",
                                commands=commands(pop3_server))
    assert_quit(pop3_server)
    assert pop3_server.committed_deletions == [1], tr(
        "the server deleted messages {deleted}, expected [1]. DELE only marks a "
        "message: the deletion happens when the session ends with QUIT",
        deleted=pop3_server.committed_deletions)
    assert len(pop3_server.mailbox) == 2, tr("{count} messages left, expected 2",
                                             count=len(pop3_server.mailbox))


def test_delete_two_messages(student_module, pop3_server) -> None:
    """delete_messages([1, 3]) deletes both messages in one session and returns 2."""
    receive = student_module(MODULE)
    second = pop3_server.mailbox[1]
    value = receive.call("delete_messages", HOST, pop3_server.port, USER, PASSWORD, [1, 3])
    assert value == 2, tr("delete_messages(..., [1, 3]) returned {value!r}, expected 2", value=value)
    assert_quit(pop3_server)
    assert sorted(pop3_server.committed_deletions) == [1, 3], tr(
        "the server deleted messages {deleted}, expected [1, 3]. Keep the numbers "
        "as given: within one session, messages keep their numbers after a DELE",
        deleted=pop3_server.committed_deletions)
    left = pop3_server.mailbox
    assert left == [second], tr("only message 2 should be left, the mailbox holds {count} messages",
                                count=len(left))
