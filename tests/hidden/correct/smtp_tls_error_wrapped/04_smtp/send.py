"""Correct submission that reports a failed TLS set-up as its own smtplib.SMTPException.

The certificate test demands evidence that the certificate was refused, not a particular
exception class: here the client's own check refuses the certificate (the server sees the
"unknown CA" alert), and the student re-raises it with a friendlier message. That is an
honest refusal and must keep its point.

Unit 04 - SMTP: send a message with smtplib.
"""

import copy
import smtplib
import ssl
from collections.abc import Sequence
from email.message import Message
from email.utils import getaddresses, parseaddr


class TLSSetupError(smtplib.SMTPException):
    """The encrypted channel could not be set up (the certificate was refused, most often)."""


def _connect(host: str, port: int, security: str, context: ssl.SSLContext | None,
             timeout: float) -> smtplib.SMTP:
    try:
        if security == "ssl":
            server = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            server = smtplib.SMTP(host, port, timeout=timeout)
    except ssl.SSLError as exc:
        raise TLSSetupError(f"could not set up TLS with {host}:{port}: {exc}") from exc
    if security == "starttls":
        try:
            server.ehlo()
            server.starttls(context=context)
        except ssl.SSLError as exc:
            server.close()
            raise TLSSetupError(f"STARTTLS with {host}:{port} failed: {exc}") from exc
    return server


def send_email(
    message: Message,
    host: str,
    port: int,
    *,
    username: str | None = None,
    password: str | None = None,
    security: str = "none",
    cafile: str | None = None,
    bcc: Sequence[str] = (),
    timeout: float = 10.0,
) -> list[str]:
    """Send ``message`` through the SMTP server at ``(host, port)``; return the envelope recipients."""
    if security not in ("none", "starttls", "ssl"):
        raise ValueError(f"unknown security {security!r}")
    from_addr = parseaddr(str(message.get("From", "")))[1]
    if not from_addr:
        raise ValueError("the message has no From address")
    fields = [str(value) for name in ("To", "Cc", "Bcc") for value in message.get_all(name, [])]
    recipients: list[str] = []
    for _name, address in getaddresses(fields + list(bcc)):
        if address and address not in recipients:
            recipients.append(address)
    msg = copy.copy(message)
    del msg["Bcc"]
    context = ssl.create_default_context(cafile=cafile) if security != "none" else None
    server = _connect(host, port, security, context, timeout)
    try:
        server.ehlo()
        if username is not None:
            server.login(username, password or "")
        refused = server.send_message(msg, from_addr=from_addr, to_addrs=recipients)
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)
    finally:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            server.close()
    return recipients
