"""Unit 04 - SMTP: compose e-mail messages with the email package.

A message is headers (From, To, Cc, Subject, Date...) plus a body. Headers must be
ASCII on the wire: a Chinese name or subject is encoded (RFC 2047,
``=?utf-8?b?...?=``). A body with HTML, attachments or both text and HTML is a
*multipart* message: a tree of parts, each with its own Content-Type.

``email.message.EmailMessage`` (with the modern default policy) does all the
encoding for you: set headers with ``msg["Subject"] = ...``, the content with
``set_content``, and add parts with ``add_attachment`` / ``add_alternative``.
"""

import mimetypes
import os
from collections.abc import Sequence
from email.message import EmailMessage, Message
from email.utils import formatdate, make_msgid, parseaddr


def plain_email(sender: str, to: Sequence[str], subject: str, body: str, cc: Sequence[str] = ()) -> Message:
    """Build a plain-text message.

    Args:
        sender: the From address, optionally with a display name: ``"张三 <zhang@example.com>"``.
        to: the To addresses (a list, even for one recipient).
        subject: the subject, any language.
        body: the text of the message.
        cc: the Cc addresses, if any.

    Returns:
        The message: ``text/plain; charset="utf-8"``, with From, To, Cc (when given),
        Subject, Date and Message-ID headers.
    """
    # STEP: message — msg = EmailMessage() (its default policy encodes non-ASCII headers for you)
    msg = EmailMessage()
    # STEP: headers — From, To and Cc (lists joined with ", "), Subject; plus Date and Message-ID
    msg["From"] = sender
    if to:
        msg["To"] = ", ".join(to)
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or "localhost")
    # STEP: body — msg.set_content(body): text/plain, charset utf-8
    msg.set_content(body)
    return msg


def html_email(sender: str, to: Sequence[str], subject: str, html: str, cc: Sequence[str] = ()) -> Message:
    """Build an HTML message (``text/html; charset="utf-8"``).

    Args:
        sender: the From address.
        to: the To addresses.
        subject: the subject.
        html: the HTML document or fragment.
        cc: the Cc addresses, if any.

    Returns:
        The message, with the same headers as :func:`plain_email`.
    """
    # STEP: headers — start from plain_email(...) with an empty body: same headers
    msg = plain_email(sender, to, subject, "", cc)
    # STEP: body — replace the content with the HTML: msg.set_content(html, subtype="html")
    msg.set_content(html, subtype="html")
    return msg


def email_with_attachment(
    sender: str,
    to: Sequence[str],
    subject: str,
    body: str,
    attachment_path: str,
    cc: Sequence[str] = (),
) -> Message:
    """Build a text message with one file attached (``multipart/mixed``).

    The file is base64-encoded under its own name (the last part of the path), with
    a Content-Type guessed from its extension (``application/octet-stream`` when
    unknown).

    Args:
        sender: the From address.
        to: the To addresses.
        subject: the subject.
        body: the text part.
        attachment_path: the file to attach.
        cc: the Cc addresses, if any.

    Returns:
        A ``multipart/mixed`` message: the text part, then the attachment.

    Raises:
        FileNotFoundError: ``attachment_path`` does not exist.
    """
    # STEP: read — the file's bytes (open with "rb"): an attachment is binary data
    with open(attachment_path, "rb") as f:
        data = f.read()
    # STEP: type — mimetypes.guess_type(path); unknown (or compressed) means application/octet-stream
    content_type, encoding = mimetypes.guess_type(attachment_path)
    if content_type is None or encoding is not None:
        content_type = "application/octet-stream"
    maintype, subtype = content_type.split("/", 1)
    # STEP: text part — plain_email(...) with the body
    msg = plain_email(sender, to, subject, body, cc)
    # STEP: attach — msg.add_attachment(data, maintype=..., subtype=..., filename=os.path.basename(path))
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=os.path.basename(attachment_path))
    return msg


def alternative_email(
    sender: str, to: Sequence[str], subject: str, text: str, html: str, cc: Sequence[str] = ()
) -> Message:
    """Build a message with the same content as text and as HTML (``multipart/alternative``).

    The reader's mail program shows the best version it can: the HTML one, or the
    text one in a terminal. The simplest version comes first.

    Args:
        sender: the From address.
        to: the To addresses.
        subject: the subject.
        text: the plain-text version.
        html: the HTML version.
        cc: the Cc addresses, if any.

    Returns:
        A ``multipart/alternative`` message: text/plain first, then text/html.
    """
    # STEP: text part — plain_email(...) with the text version
    msg = plain_email(sender, to, subject, text, cc)
    # STEP: alternative — msg.add_alternative(html, subtype="html") turns it into multipart/alternative
    msg.add_alternative(html, subtype="html")
    return msg
