"""Hidden tests for 04_smtp/send.py: the envelope, Bcc, TLS order and errors, judged from the wire.

The fake SMTP server records every command line and every accepted envelope. The
envelope is what decides delivery, so that is where these tests look: one ``RCPT TO``
per recipient, a bare ``MAIL FROM``, no blind-copy address in the transmitted data,
``STARTTLS`` before ``AUTH``, ``QUIT`` at the end even after a refusal.

When ``send_email`` fails, the tests first look at what the server saw and name the
mistake it shows; only then do they report the exception itself.
"""

from __future__ import annotations

import email.utils
import re
from email.message import EmailMessage
from typing import Any

import pytest

from grader.harness import StudentException
from grader.harness.student import StudentFailure, StudentModule
from grader.hidden.support import check, fail_mistake, show
from grader.messages.texts import tr
from grader.servers.smtp import DEFAULT_USERS, Envelope, SMTPServer

pytestmark = pytest.mark.exercise("04_smtp/send")

MODULE = "04_smtp/send.py"
HOST = "127.0.0.1"
USER, PASSWORD = next(iter(DEFAULT_USERS.items()))
SENDER = "张三 <zhang.san@example.com>"
BARE_SENDER = "zhang.san@example.com"
TO = "Li Si <li.si@example.com>, wang.wu@example.com"
CC = "王老师 <teacher@example.edu>"
VISIBLE = ["li.si@example.com", "wang.wu@example.com", "teacher@example.edu"]
TIMEOUT = 3.0
"""The ``timeout=`` given to send_email: a hang becomes the student's own timeout error."""
DEADLINE = 8.0


def make_message(sender: str = SENDER, *, bcc: str | None = None, subject: str = "第4周作业：SMTP 发信练习",
                 body: str = "你好，\n这是一封测试邮件。\n") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = TO
    msg["Cc"] = CC
    if bcc:
        msg["Bcc"] = bcc
    msg["Subject"] = subject
    msg.set_content(body)
    return msg


def loaded(student_module: Any) -> StudentModule:
    return student_module(MODULE, timeout=DEADLINE)


# -- running and reading the evidence -------------------------------------------------------


def attempt(send: StudentModule, *args: Any, **kwargs: Any) -> tuple[Any, StudentFailure | None]:
    """Call send_email; a failure is returned (to be judged with the transcript), a stub fails at once."""
    __tracebackhide__ = True
    kwargs.setdefault("timeout", TIMEOUT)
    try:
        return send.call("send_email", *args, **kwargs), None
    except StudentFailure as failure:
        result = failure.result
        exc = result.exception if result is not None else None
        if result is None or (exc is not None and (exc.not_implemented or exc.phase == "import")):
            raise
        return None, failure


def settle(server: SMTPServer) -> None:
    """Wait until every connection is closed, so the transcript is complete (no sleeping)."""
    server.transcript.wait_for(lambda t: all(c.closed is not None for c in t.connections), timeout=2.0)


def command_lines(server: SMTPServer) -> list[str]:
    """Every command line the clients sent (DATA content left out), as text without CRLF."""
    out: list[str] = []
    for conn in server.transcript.connections:
        pending = in_data = False
        for event in conn.events:
            if event.direction == "S":
                if pending and event.data.startswith(b"354"):
                    in_data = True
                pending = False
                continue
            if event.direction != "C":
                continue
            if in_data:
                if event.data.rstrip(b"\r\n") == b".":
                    in_data = False
                continue
            text = event.data.decode("utf-8", "replace").rstrip("\r\n")
            out.append(text)
            pending = text.strip().upper() == "DATA"
    return out


def verbs(server: SMTPServer) -> list[str]:
    return [line.split(" ", 1)[0].strip().upper() for line in command_lines(server)]


def arguments(server: SMTPServer, prefix: str) -> list[str]:
    """What followed ``MAIL FROM:`` / ``RCPT TO:`` in each such command."""
    n = len(prefix)
    return [line[n:].strip() for line in command_lines(server) if line[:n].upper() == prefix]


def mailbox(argument: str) -> str:
    """``<a@x> SIZE=12`` -> ``<a@x>``: the path without ESMTP parameters."""
    end = argument.rfind(">")
    return argument[: end + 1] if argument.startswith("<") and end > 0 else argument


def failure_detail(failure: StudentFailure | None) -> str:
    if failure is None:
        return ""
    text = str(failure)
    return tr("\nWhat send_email did:\n") + (text if len(text) <= 1500 else text[:1500] + " ...")


def bare(addresses: str) -> list[str]:
    return [addr for _name, addr in email.utils.getaddresses([addresses])]


# -- judges: each names its mistake from the evidence ------------------------------------------


def judge_recipients(server: SMTPServer, call: str, want: list[str], failure: StudentFailure | None) -> None:
    """One RCPT TO per recipient; a comma inside one, or a lone RCPT for many, is the joined string."""
    rcpts = [mailbox(a) for a in arguments(server, "RCPT TO:")]
    joined = [r for r in rcpts if "," in r]
    if joined or (len(want) > 1 and len(rcpts) == 1):
        fail_mistake("recipients_joined", call=call,
                     expected=tr("{count} RCPT TO commands: {addresses}", count=len(want),
                                 addresses=", ".join(f"<{a}>" for a in want)),
                     actual=tr("{count} RCPT TO command(s): {addresses}", count=len(rcpts),
                               addresses=", ".join(rcpts)),
                     detail=failure_detail(failure))


def judge_sender(server: SMTPServer, call: str, display: str, failure: StudentFailure | None) -> None:
    """MAIL FROM carries ``<bare@address>`` only, never the display name."""
    froms = [mailbox(a) for a in arguments(server, "MAIL FROM:")]
    for sent in froms:
        if sent == f"<{BARE_SENDER}>":
            continue
        if display in sent or '"' in sent or sent.count("<") > 1 or " " in sent:
            fail_mistake("display_name_in_envelope", call=call, expected=f"MAIL FROM:<{BARE_SENDER}>",
                         actual=f"MAIL FROM:{sent}", detail=failure_detail(failure))
        raise AssertionError(tr("{call}: MAIL FROM was {sent!r}, expected '<{bare}>'",
                                call=call, sent=sent, bare=BARE_SENDER) + failure_detail(failure))
    exc = failure.result.exception if failure is not None and failure.result is not None else None
    # smtplib sends commands as ASCII: a Chinese name in a hand-written MAIL FROM never leaves the client.
    if (not froms and exc is not None and exc.is_a("UnicodeEncodeError") and "EHLO" in verbs(server)
            and ("putcmd" in exc.traceback or "MAIL" in exc.traceback)):
        fail_mistake("display_name_in_envelope", call=call, expected=f"MAIL FROM:<{BARE_SENDER}>",
                     actual=tr("no MAIL FROM: smtplib could not send a command holding the name {display!r} "
                               "(commands are ASCII)", display=display),
                     detail=failure_detail(failure))


def judge_tls(server: SMTPServer, call: str, failure: StudentFailure | None) -> None:
    """STARTTLS, then AUTH: never AUTH first, never a login attempt without STARTTLS."""
    seen = verbs(server)
    if "AUTH" in seen and ("STARTTLS" not in seen or seen.index("STARTTLS") > seen.index("AUTH")):
        fail_mistake("tls_order", call=call, expected="EHLO, STARTTLS, EHLO, AUTH ...",  # tr: data
                     actual=", ".join(seen), detail=failure_detail(failure))
    if "EHLO" in seen and "STARTTLS" not in seen:
        fail_mistake("tls_order", call=call, expected="EHLO, STARTTLS, EHLO, AUTH ...",  # tr: data
                     actual=", ".join(seen) + tr("  (no STARTTLS: security='starttls' means TLS before any "
                                                 "login; this server does not even offer AUTH in clear)"),
                     detail=failure_detail(failure))


def judge_bcc(envelope: Envelope, call: str, hidden: list[str]) -> None:
    """No Bcc header and no blind address anywhere in the data; To and Cc exactly as given."""
    message = envelope.message()
    data = envelope.data.lower()
    leaked = [h for h in hidden if h.lower().encode() in data]
    if message.get_all("Bcc") is not None or leaked:
        fail_mistake("bcc_leaked", call=call,
                     expected=tr("no Bcc header and none of {hidden} in the transmitted data", hidden=hidden),
                     actual=tr("Bcc header: {header!r}; blind addresses found in the data: {leaked}",
                               header=message.get_all("Bcc"), leaked=leaked))
    for name, value in (("To", TO), ("Cc", CC)):
        got = [addr for _n, addr in email.utils.getaddresses([str(v) for v in message.get_all(name, [])])]
        assert got == bare(value), tr(
            "{call}: the delivered {name} header reads {got}, expected {want}: send the message's "
            "headers as they are", call=call, name=name, got=got, want=bare(value))


CERTIFICATE_ALERTS = (b"ALERT_UNKNOWN_CA", b"ALERT_BAD_CERTIFICATE", b"ALERT_CERTIFICATE_UNKNOWN")
"""TLS alerts a client sends when its certificate check fails, as the server's handshake error names them."""


def certificate_alert(server: SMTPServer) -> bool:
    """The server saw a client break off the TLS handshake because it did not trust the certificate."""
    notes = b" ".join(e.data for c in server.transcript.connections for e in c.events if e.direction == "*")
    return any(alert in notes.upper() for alert in CERTIFICATE_ALERTS)


def judge_certificate_refused(server: SMTPServer, security: str, call: str, exc: StudentException,
                              failure: StudentFailure | None) -> None:
    """Raising is not refusing: the refusal must come from a TLS handshake with this server.

    Evidence, either of: the server saw the client's certificate alert (then any exception
    the student raises from it is fine), or the client reached the handshake (a connection
    for SMTPS, STARTTLS sent) and the call raised an ``ssl.SSLError``. An empty module, or a
    function that raises before connecting, shows neither and earns nothing.
    """
    if certificate_alert(server):
        return
    if security == "ssl":
        assert server.transcript.connections, tr(
            "{call} raised {error} without connecting to the server: the certificate is checked in "
            "the TLS handshake, so connect with smtplib.SMTP_SSL(host, port, context=context) and "
            "let the handshake refuse the server", call=call, error=exc) + failure_detail(failure)
    else:
        seen = verbs(server)
        assert "STARTTLS" in seen, tr(
            "{call} raised {error} without sending STARTTLS (commands: {commands}): the certificate is "
            "checked in the TLS handshake that follows it, so call server.starttls(context=context) and "
            "let the handshake refuse the server", call=call, error=exc,
            commands=", ".join(seen) or tr("no commands")) + failure_detail(failure)
    assert exc.is_a("SSLError"), tr(
        "{call} raised {error}, but not because the certificate was refused (expected "
        "ssl.SSLCertVerificationError from the TLS handshake): check it with "
        "ssl.create_default_context(cafile=cafile) and let the handshake refuse the server",
        call=call, error=exc) + failure_detail(failure)


def one_envelope(server: SMTPServer, call: str) -> Envelope:
    """The one message the server accepted; fails with the commands it saw otherwise.

    The wait ends as soon as a message is in or every connection has closed (none opened
    included): the server records a message before it answers 250, so once send_email has
    returned and its connections are closed, no message can still arrive.
    """
    server.transcript.wait_for(
        lambda t: bool(server.envelopes) or all(c.closed is not None for c in t.connections), timeout=2.0)
    assert len(server.envelopes) == 1, tr(
        "after {call} the server accepted {count} messages, expected 1; commands it received: {commands}",
        call=call, count=len(server.envelopes), commands=verbs(server))
    return server.envelopes[0]


def judge_quit(server: SMTPServer, call: str) -> None:
    settle(server)
    seen = verbs(server)
    check("QUIT" in seen, "no_quit", call=call, expected="... QUIT",
          actual=", ".join(seen) or tr("no commands"))


# -- the envelope --------------------------------------------------------------------------


@pytest.mark.points(3)
def test_one_rcpt_to_per_recipient(student_module, smtp_server) -> None:
    """Each of To + Cc + bcc gets its own RCPT TO command: the envelope is a list, not a joined string."""
    send = loaded(student_module)
    hidden = "secret.reader@example.org"
    want = VISIBLE + [hidden]
    call = tr("send_email(<To: 2 addresses, Cc: 1>, ..., bcc=['secret.reader@example.org'])")
    returned, failure = attempt(send, make_message(), HOST, smtp_server.port, bcc=[hidden])
    settle(smtp_server)
    judge_recipients(smtp_server, call, want, failure)
    if failure is not None:
        raise failure
    envelope = one_envelope(smtp_server, call)
    assert sorted(envelope.rcpt_tos) == sorted(want), tr(
        "{call}: RCPT TO went to {rcpt_tos}, expected {want}", call=call, rcpt_tos=envelope.rcpt_tos,
        want=want)


@pytest.mark.points(1)
def test_returns_envelope_recipients_to_cc_bcc(student_module, smtp_server) -> None:
    """send_email returns the bare envelope addresses, To then Cc then Bcc, exactly those the server got."""
    send = loaded(student_module)
    want = VISIBLE + ["audit@example.org"]
    call = "send_email(..., bcc=['审计 <audit@example.org>'])"
    returned, failure = attempt(send, make_message(), HOST, smtp_server.port,
                                bcc=["审计 <audit@example.org>"])
    settle(smtp_server)
    judge_recipients(smtp_server, call, want, failure)
    if failure is not None:
        raise failure
    envelope = one_envelope(smtp_server, call)
    assert sorted(envelope.rcpt_tos) == sorted(want), tr(
        "{call}: RCPT TO went to {rcpt_tos}, expected {want}", call=call, rcpt_tos=envelope.rcpt_tos,
        want=want)
    assert returned == want, tr(
        "{call} returned {returned}, expected {want}: the bare addresses (email.utils.getaddresses) "
        "of To, then Cc, then Bcc", call=call, returned=show(returned), want=want)


@pytest.mark.points(3)
def test_bcc_stays_blind(student_module, smtp_server) -> None:
    """Bcc from the header and from bcc= are delivered, yet no Bcc header or blind address is transmitted."""
    send = loaded(student_module)
    header_bcc = "老板 <boss@example.org>, audit@example.org"
    hidden = ["boss@example.org", "audit@example.org", "secret.reader@example.org"]
    call = tr("send_email(<message with Bcc: 老板 <boss@example.org>, audit@example.org>, ..., "
              "bcc=['secret.reader@example.org'])")
    returned, failure = attempt(send, make_message(bcc=header_bcc), HOST, smtp_server.port,
                                bcc=["secret.reader@example.org"])
    settle(smtp_server)
    for envelope in smtp_server.envelopes:
        judge_bcc(envelope, call, hidden)
    judge_recipients(smtp_server, call, VISIBLE + hidden, failure)
    if failure is not None:
        raise failure
    envelope = one_envelope(smtp_server, call)
    assert sorted(envelope.rcpt_tos) == sorted(VISIBLE + hidden), tr(
        "{call}: RCPT TO went to {rcpt_tos}, expected {want}: blind copies are "
        "recipients too, in the envelope only", call=call, rcpt_tos=envelope.rcpt_tos, want=VISIBLE + hidden)
    assert sorted(returned or []) == sorted(VISIBLE + hidden), tr(
        "{call} returned {returned}", call=call, returned=show(returned))


@pytest.mark.points(1)
@pytest.mark.parametrize(("sender", "display"), [
    ("张三 <zhang.san@example.com>", "张三"),
    ("Zhang San <zhang.san@example.com>", "Zhang San"),
    ('"San, Zhang (TA)" <zhang.san@example.com>', "San, Zhang"),
], ids=["chinese-name", "ascii-name", "quoted-name"])
def test_envelope_sender_is_the_bare_address(student_module, smtp_server, sender: str, display: str) -> None:
    """MAIL FROM carries only the bare address of From, whatever display name the From header has."""
    send = loaded(student_module)
    call = tr("send_email(<message From: {sender}>, ...)", sender=sender)
    returned, failure = attempt(send, make_message(sender), HOST, smtp_server.port)
    settle(smtp_server)
    judge_sender(smtp_server, call, display, failure)
    if failure is not None:
        raise failure
    envelope = one_envelope(smtp_server, call)
    check(envelope.mail_from == BARE_SENDER, "display_name_in_envelope", call=call,
          expected=BARE_SENDER, actual=envelope.mail_from)
    delivered = envelope.message()
    assert email.utils.parseaddr(str(delivered["From"])) == email.utils.parseaddr(sender), tr(
        "{call}: the delivered From header reads {header!r}: keep the header as it is, "
        "only the envelope takes the bare address", call=call, header=str(delivered["From"]))


# -- TLS and login ---------------------------------------------------------------------------


@pytest.mark.points(3)
@pytest.mark.smtp_server(starttls=True, require_auth=True)
def test_login_only_after_starttls(student_module, smtp_server, tls_ca) -> None:
    """With security='starttls' the session is EHLO, STARTTLS, EHLO, AUTH: the password goes encrypted."""
    send = loaded(student_module)
    call = "send_email(..., username=..., password=..., security='starttls', cafile=...)"
    returned, failure = attempt(send, make_message(), HOST, smtp_server.port, username=USER,
                                password=PASSWORD, security="starttls", cafile=tls_ca.cafile)
    settle(smtp_server)
    judge_tls(smtp_server, call, failure)
    if failure is not None:
        raise failure
    envelope = one_envelope(smtp_server, call)
    check(envelope.tls, "tls_order", call=call, expected=tr("the message sent inside TLS"),
          actual=tr("sent in clear text"))
    assert envelope.auth_user == USER, tr(
        "{call}: the message was sent as {user!r}, expected {want!r}", call=call, user=envelope.auth_user,
        want=USER)
    judge_quit(smtp_server, call)


@pytest.mark.points(1)
@pytest.mark.smtp_server(require_auth=True)
def test_login_on_a_plain_server(student_module, smtp_server) -> None:
    """With security='none' and credentials, send_email logs in without TLS when the server allows it."""
    send = loaded(student_module)
    call = "send_email(..., username=..., password=..., security='none')"
    returned, failure = attempt(send, make_message(), HOST, smtp_server.port, username=USER,
                                password=PASSWORD)
    if failure is not None:
        raise failure
    envelope = one_envelope(smtp_server, call)
    assert envelope.auth_user == USER, tr(
        "{call}: the message was sent as {user!r}, expected {want!r}: log in whenever a "
        "username is given; commands: {commands}", call=call, user=envelope.auth_user, want=USER,
        commands=verbs(smtp_server))
    seen = verbs(smtp_server)
    assert "STARTTLS" not in seen, tr("security='none' must not use STARTTLS: {commands}", commands=seen)


@pytest.mark.points(1)
@pytest.mark.smtp_server(implicit_tls=True, require_auth=True)
def test_login_over_ssl(student_module, smtp_server, tls_ca) -> None:
    """With security='ssl' and credentials, send_email logs in inside TLS from the first byte."""
    send = loaded(student_module)
    call = "send_email(..., username=..., password=..., security='ssl', cafile=...)"
    returned, failure = attempt(send, make_message(), HOST, smtp_server.port, username=USER,
                                password=PASSWORD, security="ssl", cafile=tls_ca.cafile)
    if failure is not None:
        raise failure
    envelope = one_envelope(smtp_server, call)
    assert envelope.tls and envelope.auth_user == USER, tr(
        "{call}: sent with tls={tls} as {user!r}, expected TLS as {want!r}", call=call, tls=envelope.tls,
        user=envelope.auth_user, want=USER)
    assert "STARTTLS" not in verbs(smtp_server), tr("SMTP_SSL is TLS from the first byte: no STARTTLS")
    judge_quit(smtp_server, call)


@pytest.mark.points(1)
@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_server_certificate_is_checked(student_module, make_smtp_server, security: str) -> None:
    """Without cafile, the test server's certificate is untrusted: send_email must refuse to send."""
    server = make_smtp_server(implicit_tls=True) if security == "ssl" else make_smtp_server(starttls=True)
    send = loaded(student_module)
    call = f"send_email(..., username=..., password=..., security={security!r}, cafile=None)"
    returned, failure = attempt(send, make_message(), HOST, server.port, username=USER, password=PASSWORD,
                                security=security)
    settle(server)
    assert not server.envelopes and "AUTH" not in verbs(server), tr(
        "{call} logged in and sent the message although the server's certificate is signed by an authority "
        "it was not told to trust (no cafile): check certificates with "
        "ssl.create_default_context(cafile=cafile) and pass it as context=...; smtplib's defaults "
        "(SMTP_SSL(host, port), starttls()) check nothing", call=call)
    exc = failure.result.exception if failure is not None and failure.result is not None else None
    assert exc is not None, (
        tr("{call} should raise (e.g. ssl.SSLCertVerificationError); it returned {returned}",
           call=call, returned=show(returned))
        + ("" if failure is None else f"\n{failure}")
    )
    judge_certificate_refused(server, security, call, exc, failure)


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.points(2)
@pytest.mark.smtp_server(fail_rcpt={"wang.wu@example.com": (550, "5.1.1 unknown user")})
def test_refused_recipient_raises_and_quits(student_module, smtp_server) -> None:
    """A 550 on one RCPT makes send_email raise SMTPRecipientsRefused (not pass silently), and still QUIT."""
    send = loaded(student_module)
    call = tr("send_email(...) with wang.wu@example.com refused (550)")
    send.call_raises("SMTPRecipientsRefused", "send_email", make_message(), HOST, smtp_server.port,
                     timeout=TIMEOUT)
    judge_quit(smtp_server, call)


@pytest.mark.points(1)
@pytest.mark.smtp_server(fail_mail=(550, "5.7.1 sender rejected"))
def test_refused_sender_raises_and_quits(student_module, smtp_server) -> None:
    """A 550 on MAIL FROM makes send_email raise an SMTPException, and the session still ends with QUIT."""
    send = loaded(student_module)
    call = tr("send_email(...) with MAIL FROM refused (550)")
    send.call_raises("SMTPException", "send_email", make_message(), HOST, smtp_server.port, timeout=TIMEOUT)
    judge_quit(smtp_server, call)


@pytest.mark.points(1)
def test_unknown_security_raises_value_error(student_module, smtp_server) -> None:
    """security='tls' (not one of none/starttls/ssl) raises ValueError."""
    send = loaded(student_module)
    send.call_raises(ValueError, "send_email", make_message(), HOST, smtp_server.port, security="tls",
                     timeout=TIMEOUT)
    assert not smtp_server.envelopes, tr("a message was sent although security='tls' is not a valid choice")


@pytest.mark.points(1)
def test_message_without_from_raises_value_error(student_module, smtp_server) -> None:
    """A message with no From header raises ValueError instead of sending from an empty address."""
    msg = make_message()
    del msg["From"]
    send = loaded(student_module)
    send.call_raises(ValueError, "send_email", msg, HOST, smtp_server.port, timeout=TIMEOUT)
    assert not smtp_server.envelopes, tr("a message without From was sent anyway")


# -- the data ---------------------------------------------------------------------------------


@pytest.mark.points(2)
def test_emoji_subject_and_dotted_body_arrive_intact(student_module, smtp_server) -> None:
    """A Chinese + emoji subject and body lines starting with '.' arrive exactly as composed."""
    subject = "周报 🎉 Weekly report ✓"
    body = "第一行\n.\n..two dots\n.leading dot\n. a dot and a space\n最后一行 📧\n"
    # (no line starting with "From ": smtplib.send_message writes it as ">From ", by design)
    send = loaded(student_module)
    call = tr("send_email(<message with a dotted body and an emoji subject>, ...)")
    returned, failure = attempt(send, make_message(subject=subject, body=body), HOST, smtp_server.port)
    settle(smtp_server)
    judge_recipients(smtp_server, call, VISIBLE, failure)
    if failure is not None:
        raise failure
    envelope = one_envelope(smtp_server, call)
    bare_lf = re.search(rb"(?<!\r)\n", envelope.data) is not None
    assert not bare_lf, tr(
        "{call}: the data has bare LF line ends (\\n without \\r): {data}. "
        "SMTP lines end with CRLF; sendmail() sends bytes exactly as given, so use "
        "server.send_message(msg, ...) (or msg.as_bytes(policy=email.policy.SMTP))",
        call=call, data=show(envelope.data[:160]))
    delivered = envelope.message()
    assert str(delivered["Subject"]) == subject, tr(
        "{call}: the delivered Subject reads {got!r}, expected {subject!r}: send the "
        "message object as it is (server.send_message(msg, ...))", call=call, got=str(delivered["Subject"]),
        subject=subject)
    got = delivered.get_content().replace("\r\n", "\n")
    assert got == body, tr(
        "{call}: the delivered body is {got}, expected {body}: let smtplib send the data "
        "(it doubles leading dots, the server removes them)", call=call, got=show(got), body=show(body))
    judge_quit(smtp_server, call)
