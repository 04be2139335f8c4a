"""Buggy submission: the recipients are given to smtplib as one comma-joined string.

Unit 04 - SMTP: send a message with smtplib.

An SMTP session: the server greets (220), the client introduces itself (EHLO),
optionally switches to TLS (STARTTLS, then EHLO again), logs in (AUTH), gives the
*envelope* (MAIL FROM, one RCPT TO per recipient), sends the message (DATA), and
says QUIT. The envelope, not the To/Cc headers, decides who receives the mail:
that is how Bcc works - blind recipients are in the envelope but in no header.
"""

import copy
import smtplib
import ssl
from collections.abc import Sequence
from email.message import Message
from email.utils import getaddresses, parseaddr


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
    """Send ``message`` through the SMTP server at ``(host, port)``.

    Why the TLS context: ``ssl.create_default_context`` checks the server's
    certificate and name; ``cafile`` lets you trust a private CA (the test servers
    use one). Never turn the checks off: that is what makes TLS worth having.

    Args:
        message: the message to send; its From, To, Cc (and any Bcc) headers give the envelope.
        host: the SMTP server's address.
        port: its port (25/587 for plain or STARTTLS, 465 for SSL).
        username: log in with this account when given.
        password: the account's password.
        security: ``"none"``; ``"starttls"`` (upgrade to TLS before logging in);
            or ``"ssl"`` (TLS from the first byte, ``SMTP_SSL``).
        cafile: a CA certificate file (PEM) to trust, for ``"starttls"`` and ``"ssl"``.
        bcc: blind-copy addresses: in the envelope only, never in a header.
        timeout: seconds any network operation may take.

    Returns:
        The envelope recipients (bare addresses): To, then Cc, then Bcc.

    Raises:
        ValueError: an unknown ``security`` or no From address.
        smtplib.SMTPRecipientsRefused: the server refused some recipients (even if the
            others got the message: a silent partial delivery would hide the problem).
        smtplib.SMTPException: the server refused something else (login, sender, data...).
    """
    ### BEGIN SOLUTION
    if security not in ("none", "starttls", "ssl"):
        raise ValueError(f"security must be 'none', 'starttls' or 'ssl', not {security!r}")
    # STEP: envelope sender — the bare address of From: email.utils.parseaddr(message["From"])[1]
    from_addr = parseaddr(str(message.get("From", "")))[1]
    if not from_addr:
        raise ValueError("the message has no From address")
    # STEP: envelope recipients — bare addresses of To + Cc + bcc: email.utils.getaddresses(...)
    fields = [str(value) for name in ("To", "Cc", "Bcc") for value in message.get_all(name, [])]
    recipients: list[str] = []
    for _name, address in getaddresses(fields + list(bcc)):
        if address and address not in recipients:
            recipients.append(address)
    # STEP: hide Bcc — work on a copy and delete its Bcc header, so blind recipients stay blind
    msg = copy.copy(message)
    del msg["Bcc"]
    # STEP: connect — smtplib.SMTP(host, port, timeout=...), or SMTP_SSL(..., context=...) for "ssl"
    context = ssl.create_default_context(cafile=cafile) if security != "none" else None
    if security == "ssl":
        server = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        server = smtplib.SMTP(host, port, timeout=timeout)
    try:
        # STEP: ehlo — introduce yourself: server.ehlo()
        server.ehlo()
        # STEP: starttls — for "starttls": server.starttls(context=context), then ehlo() again
        if security == "starttls":
            server.starttls(context=context)
            server.ehlo()
        # STEP: login — only when credentials are given, and only after TLS is on
        if username is not None:
            server.login(username, password or "")
        # STEP: send — server.send_message(msg, from_addr, recipients) (encodes the headers correctly)
        refused = server.send_message(msg, from_addr=from_addr, to_addrs=", ".join(recipients))
        # STEP: check — send_message returns the recipients the server refused (when some were accepted)
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)
    finally:
        # STEP: quit — always, even after an error; close() if QUIT itself fails
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            server.close()
    return recipients
    ### END SOLUTION
