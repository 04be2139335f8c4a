"""Visible tests for 04_smtp/send.py: send a message with smtplib.

``send_email`` talks to a local fake SMTP server (aiosmtpd) that records the whole
conversation and every message it accepts, with its *envelope*:

* ``MAIL FROM`` must be the bare address of the From header (``zhang.san@example.com``,
  no display name);
* one ``RCPT TO`` per recipient: To + Cc + the ``bcc`` list. Blind copies travel only in
  the envelope: the transmitted message must not contain a Bcc header;
* with ``security="starttls"`` the session switches to TLS before logging in; with
  ``security="ssl"`` it is TLS from the first byte. The server's certificate is signed
  by a test authority: trust it with ``ssl.create_default_context(cafile=cafile)``;
* the session ends with ``QUIT``; the function returns the envelope recipients.

Run them with ``pytest exercises/04_smtp/test_send.py``.
"""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from grader.messages.texts import tr
from grader.servers.smtp import DEFAULT_USERS

MODULE = "04_smtp/send.py"
HOST = "127.0.0.1"
USER, PASSWORD = next(iter(DEFAULT_USERS.items()))


def make_message(bcc_header: str | None = None) -> EmailMessage:
    """A message as compose.py would build it (built here, so these tests only grade send.py)."""
    msg = EmailMessage()
    msg["From"] = "张三 <zhang.san@example.com>"
    msg["To"] = "Li Si <li.si@example.com>, wang.wu@example.com"
    msg["Cc"] = "王老师 <teacher@example.edu>"
    if bcc_header:
        msg["Bcc"] = bcc_header
    msg["Subject"] = "第4周作业：SMTP 发信练习"
    msg.set_content("你好，\n这是一封测试邮件。\n")
    return msg


VISIBLE = ["li.si@example.com", "wang.wu@example.com", "teacher@example.edu"]


def one_envelope(server, call: str):
    """The single message the server accepted (fails with the commands it saw otherwise)."""
    server.wait_for_messages(1, timeout=2.0)
    assert len(server.envelopes) == 1, tr(
        "after {call} the server accepted {count} messages, expected 1; commands it received: {commands}",
        call=call, count=len(server.envelopes), commands=server.commands())
    return server.envelopes[0]


def assert_quit(server) -> None:
    """The session must end with QUIT.

    The wait ends as soon as QUIT arrives or every connection has closed: a closed
    connection can send nothing more, so waiting out the 2 s would not change the verdict.
    """
    server.transcript.wait_for(
        lambda t: "QUIT" in server.commands()
        or (t.connections and all(c.closed is not None for c in t.connections)),
        timeout=2.0,
    )
    quit_seen = "QUIT" in server.commands()
    assert quit_seen, tr(
        "the session did not end with QUIT (commands: {commands}); call server.quit() in a finally block",
        commands=server.commands())


def assert_envelope(envelope, recipients: list[str], returned) -> None:
    assert envelope.mail_from == "zhang.san@example.com", tr(
        "MAIL FROM was {mail_from!r}, expected the bare address 'zhang.san@example.com' "
        "(email.utils.parseaddr(msg['From'])[1]), without the display name", mail_from=envelope.mail_from)
    assert sorted(envelope.rcpt_tos) == sorted(recipients), tr(
        "RCPT TO went to {rcpt_tos}, expected {recipients} (To + Cc + bcc, bare addresses, "
        "each once): the envelope decides who gets the message, not the headers",
        rcpt_tos=envelope.rcpt_tos, recipients=recipients)
    assert isinstance(returned, list) and sorted(returned) == sorted(recipients), tr(
        "send_email returned {returned!r}, expected the envelope recipients {recipients}",
        returned=returned, recipients=recipients)


def assert_no_bcc(envelope, hidden: str) -> None:
    message = envelope.message()
    assert message.get_all("Bcc") is None, tr(
        "the transmitted message has a Bcc header {header!r}: every recipient can read it. "
        "Delete it (del msg['Bcc']) before sending; Bcc addresses belong in the envelope only",
        header=message.get_all("Bcc"))
    assert hidden.encode() not in envelope.data, tr(
        "the blind-copy address {hidden!r} appears in the transmitted message: only RCPT TO may carry it",
        hidden=hidden)


@pytest.mark.points(3)
def test_send_plain_with_bcc(student_module, smtp_server) -> None:
    """send_email delivers to To + Cc + bcc, from the bare From address, and never sends the Bcc addresses."""
    send = student_module(MODULE)
    hidden = "secret.reader@example.org"
    returned = send.call("send_email", make_message(), HOST, smtp_server.port, bcc=[hidden])
    envelope = one_envelope(smtp_server, "send_email(...)")
    assert_envelope(envelope, VISIBLE + [hidden], returned)
    assert_no_bcc(envelope, hidden)
    delivered = envelope.message()
    assert str(delivered["Subject"]) == "第4周作业：SMTP 发信练习", tr(
        "the delivered Subject reads {subject!r}: send the message as it is "
        "(server.send_message(msg, ...)), don't rebuild its headers", subject=str(delivered["Subject"]))
    assert not envelope.tls, tr("security='none' (the default) should not use TLS")
    assert_quit(smtp_server)


@pytest.mark.points(2)
def test_bcc_header_in_the_message_is_not_sent(student_module, smtp_server) -> None:
    """A Bcc header in the message gets the message delivered to that address, but is removed from it."""
    send = student_module(MODULE)
    hidden = "boss@example.org"
    returned = send.call("send_email", make_message(bcc_header=hidden), HOST, smtp_server.port)
    envelope = one_envelope(smtp_server, "send_email(...)")
    assert_envelope(envelope, VISIBLE + [hidden], returned)
    assert_no_bcc(envelope, hidden)
    assert_quit(smtp_server)


@pytest.mark.points(3)
@pytest.mark.smtp_server(starttls=True, require_auth=True)
def test_send_with_starttls_and_login(student_module, smtp_server, tls_ca) -> None:
    """With security='starttls' the session switches to TLS (checking the certificate), then logs in."""
    send = student_module(MODULE)
    returned = send.call(
        "send_email", make_message(), HOST, smtp_server.port,
        username=USER, password=PASSWORD, security="starttls", cafile=tls_ca.cafile,
    )
    envelope = one_envelope(smtp_server, "send_email(..., security='starttls')")
    assert_envelope(envelope, VISIBLE, returned)
    commands = smtp_server.commands()
    assert "STARTTLS" in commands, tr("no STARTTLS command was sent; commands: {commands}", commands=commands)
    assert "AUTH" in commands and commands.index("STARTTLS") < commands.index("AUTH"), tr(
        "log in only after STARTTLS, or the password crosses the network in clear text; commands: {commands}",
        commands=commands)
    assert envelope.tls, tr("the message was sent without TLS")
    assert envelope.auth_user == USER, tr(
        "the message was sent by login {user!r}, expected {want!r}: call server.login(username, password)",
        user=envelope.auth_user, want=USER)
    assert_quit(smtp_server)


@pytest.mark.points(2)
@pytest.mark.smtp_server(implicit_tls=True)
def test_send_with_ssl(student_module, smtp_server, tls_ca) -> None:
    """With security='ssl' the connection is TLS from the first byte (smtplib.SMTP_SSL)."""
    send = student_module(MODULE)
    returned = send.call(
        "send_email", make_message(), HOST, smtp_server.port, security="ssl", cafile=tls_ca.cafile,
    )
    envelope = one_envelope(smtp_server, "send_email(..., security='ssl')")
    assert_envelope(envelope, VISIBLE, returned)
    assert envelope.tls, tr("the message was sent without TLS")
    assert "STARTTLS" not in smtp_server.commands(), tr(
        "security='ssl' is TLS from the first byte (smtplib.SMTP_SSL): no STARTTLS needed")
    assert_quit(smtp_server)
