"""Correct submission written with the email.mime classes (compat32): the hidden suite must accept it.

Unit 04 - SMTP: compose e-mail messages with the email package (the email.mime way).
"""

import mimetypes
import os
from collections.abc import Sequence
from email import encoders
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, getaddresses, make_msgid, parseaddr


def _addresses(values: Sequence[str]) -> str:
    """One header value: each display name encoded on its own, the <address> left bare."""
    return ", ".join(formataddr((name, addr), charset="utf-8") for name, addr in getaddresses(list(values)))


def _headers(msg: Message, sender: str, to: Sequence[str], subject: str, cc: Sequence[str]) -> None:
    msg["From"] = _addresses([sender])
    if to:
        msg["To"] = _addresses(to)
    if cc:
        msg["Cc"] = _addresses(cc)
    msg["Subject"] = Header(subject, "utf-8")
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or "localhost")


def plain_email(sender: str, to: Sequence[str], subject: str, body: str, cc: Sequence[str] = ()) -> Message:
    msg = MIMEText(body, "plain", "utf-8")
    _headers(msg, sender, to, subject, cc)
    return msg


def html_email(sender: str, to: Sequence[str], subject: str, html: str, cc: Sequence[str] = ()) -> Message:
    msg = MIMEText(html, "html", "utf-8")
    _headers(msg, sender, to, subject, cc)
    return msg


def email_with_attachment(
    sender: str,
    to: Sequence[str],
    subject: str,
    body: str,
    attachment_path: str,
    cc: Sequence[str] = (),
) -> Message:
    with open(attachment_path, "rb") as f:
        data = f.read()
    content_type, encoding = mimetypes.guess_type(attachment_path)
    if content_type is None or encoding is not None:
        content_type = "application/octet-stream"
    maintype, subtype = content_type.split("/", 1)
    msg = MIMEMultipart("mixed")
    _headers(msg, sender, to, subject, cc)
    msg.attach(MIMEText(body, "plain", "utf-8"))
    part = MIMEBase(maintype, subtype)
    part.set_payload(data)
    encoders.encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename=os.path.basename(attachment_path))
    msg.attach(part)
    return msg


def alternative_email(
    sender: str, to: Sequence[str], subject: str, text: str, html: str, cc: Sequence[str] = ()
) -> Message:
    msg = MIMEMultipart("alternative")
    _headers(msg, sender, to, subject, cc)
    msg.attach(MIMEText(text, "plain", "utf-8"))
    msg.attach(MIMEText(html, "html", "utf-8"))
    return msg
