"""Unit 05 - POP3 with poplib: look into a mailbox, fetch and delete messages.

A POP3 session: the server greets (+OK), the client logs in (USER, PASS), then
asks STAT (how many messages, total size), LIST, TOP (headers only), RETR (a whole
message) or DELE (mark for deletion). Messages are numbered from 1. Deletions
happen only when the client says QUIT: a session that ends without QUIT deletes
nothing. So: always QUIT, in a ``finally``.
"""

import email
import email.policy
import poplib


def mailbox_stat(host: str, port: int, user: str, password: str, *, timeout: float = 10.0) -> tuple[int, int]:
    """Return ``(number of messages, mailbox size in bytes)``: the answer to STAT.

    Args:
        host: the POP3 server's address.
        port: its port (110 for a real server).
        user: the account.
        password: its password.
        timeout: seconds any network operation may take.

    Returns:
        ``(count, size)``.

    Raises:
        poplib.error_proto: the server said -ERR (e.g. a wrong password).
    """
    # STEP: connect — box = poplib.POP3(host, port, timeout=timeout) (the server greets with +OK)
    box = poplib.POP3(host, port, timeout=timeout)
    try:
        # STEP: login — box.user(user), then box.pass_(password)
        box.user(user)
        box.pass_(password)
        # STEP: stat — box.stat() returns (count, size)
        count, size = box.stat()
        return count, size
    finally:
        # STEP: quit — always, even after an error; close() if QUIT itself fails
        try:
            box.quit()
        except (poplib.error_proto, OSError):
            box.close()


def fetch_message(
    host: str, port: int, user: str, password: str, number: int, *, timeout: float = 10.0
) -> bytes:
    """Return message ``number`` (1 is the first) as raw bytes.

    Args:
        host: the POP3 server's address.
        port: its port.
        user: the account.
        password: its password.
        number: which message, from 1 to the count given by STAT.
        timeout: seconds any network operation may take.

    Returns:
        The raw message: the lines RETR returned, joined with ``b"\\r\\n"``; ready
        for ``email.message_from_bytes``.

    Raises:
        poplib.error_proto: -ERR from the server, e.g. no such message.
    """
    # STEP: connect — poplib.POP3(host, port, timeout=timeout)
    box = poplib.POP3(host, port, timeout=timeout)
    try:
        # STEP: login — user(), then pass_()
        box.user(user)
        box.pass_(password)
        # STEP: retr — box.retr(number) returns (response, lines, octets); lines are bytes without CRLF
        _response, lines, _octets = box.retr(number)
        # STEP: join — b"\r\n".join(lines) gives the raw message back
        return b"\r\n".join(lines)
    finally:
        # STEP: quit — always, even after an error; close() if QUIT itself fails
        try:
            box.quit()
        except (poplib.error_proto, OSError):
            box.close()


def list_subjects(host: str, port: int, user: str, password: str, *, timeout: float = 10.0) -> list[str]:
    """Return the decoded Subject of every message in the mailbox, in order.

    Only the headers are fetched (``TOP n 0``), not whole messages: a mailbox may
    hold megabytes of attachments. Servers without TOP get RETR instead.

    Args:
        host: the POP3 server's address.
        port: its port.
        user: the account.
        password: its password.
        timeout: seconds any network operation may take.

    Returns:
        One subject per message (``""`` when a message has none), decoded from
        RFC 2047 (``=?gbk?b?...?=`` becomes Chinese text).
    """
    # STEP: connect — poplib.POP3(host, port, timeout=timeout)
    box = poplib.POP3(host, port, timeout=timeout)
    try:
        # STEP: login — user(), then pass_()
        box.user(user)
        box.pass_(password)
        # STEP: stat — how many messages: they are numbered 1 .. count
        count, _size = box.stat()
        subjects = []
        for number in range(1, count + 1):
            # STEP: top — box.top(number, 0): the headers only (fall back to retr if TOP is refused)
            try:
                _response, lines, _octets = box.top(number, 0)
            except poplib.error_proto:
                _response, lines, _octets = box.retr(number)
            # STEP: decode — parse with email.policy.default: msg["Subject"] is then decoded text
            headers = email.message_from_bytes(b"\r\n".join(lines), policy=email.policy.default)
            subjects.append(str(headers.get("Subject", "")))
        return subjects
    finally:
        # STEP: quit — always, even after an error; close() if QUIT itself fails
        try:
            box.quit()
        except (poplib.error_proto, OSError):
            box.close()


def delete_messages(
    host: str, port: int, user: str, password: str, numbers: list[int], *, timeout: float = 10.0
) -> int:
    """Delete the messages with these numbers; return how many were deleted.

    All or nothing: if one DELE is refused (no such message), RSET unmarks the
    others before QUIT, and the error is raised.

    Args:
        host: the POP3 server's address.
        port: its port.
        user: the account.
        password: its password.
        numbers: the message numbers (from 1), as STAT/LIST count them.
        timeout: seconds any network operation may take.

    Returns:
        How many messages were deleted.

    Raises:
        poplib.error_proto: -ERR from the server, also for QUIT (then nothing was deleted).
    """
    # STEP: connect — poplib.POP3(host, port, timeout=timeout)
    box = poplib.POP3(host, port, timeout=timeout)
    try:
        # STEP: login — user(), then pass_()
        box.user(user)
        box.pass_(password)
        # STEP: dele — box.dele(n) for each number: this only MARKS them (RSET to undo on an error)
        try:
            for number in numbers:
                box.dele(number)
        except poplib.error_proto:
            box.rset()
            raise
    finally:
        # STEP: quit — always; QUIT is what really deletes the marked messages, so its errors must show
        try:
            box.quit()
        finally:
            box.close()
    return len(numbers)
