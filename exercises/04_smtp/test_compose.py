"""Visible tests for 04_smtp/compose.py: build e-mail messages with the email package.

Each of your functions returns a message object. The test turns it into the bytes
that would go over the wire (``msg.as_bytes()``) and parses those bytes again, the
way the receiver's mail program would. So what counts is what a receiver reads:

* the headers From, To, Cc and Subject, with Chinese names and subjects decoded back
  correctly; on the wire every header must be ASCII (RFC 2047 ``=?utf-8?b?...?=``);
* the content type (text/plain, text/html, multipart/mixed, multipart/alternative)
  and the structure of the parts;
* an attachment's filename and its exact bytes (base64-encoded in the message).

Both ``email.message.EmailMessage`` and the ``email.mime`` classes are accepted.

Run them with ``pytest exercises/04_smtp/test_compose.py``.
"""

from __future__ import annotations

import email.message
import email.utils
from pathlib import Path

import pytest

from grader.harness.runner import EmailValue
from grader.messages.texts import tr

MODULE = "04_smtp/compose.py"
SENDER = "张三 <zhang.san@example.com>"
TO = ["Li Si <li.si@example.com>", "wang.wu@example.com"]
CC = ["王老师 <teacher@example.edu>"]
SUBJECT = "第4周作业：SMTP 发信练习"
BODY = "你好，\n\n这是一封测试邮件。Hello from netlings!\n"  # tr: data
HTML = "<html><body><h1>你好</h1><p>Hello from <b>netlings</b>!</p></body></html>\n"


def as_message(value, call: str) -> email.message.EmailMessage:
    """The returned message, parsed again from its bytes (what a receiver would get)."""
    assert isinstance(value, EmailValue), tr(
        "{call} returned {value!r}; it must return the message object itself "
        "(an email.message.EmailMessage or an email.mime object), not a string or bytes",
        call=call, value=value
    )
    assert value.raw is not None, tr(
        "the message returned by {call} cannot be turned into bytes (msg.as_bytes() fails: {error}); "
        "let the email package encode the headers and body", call=call, error=value.error
    )
    return value.message()


def raw_header_block(value: EmailValue) -> bytes:
    assert value.raw is not None
    raw = value.raw.replace(b"\r\n", b"\n")
    return raw.split(b"\n\n", 1)[0]


def header_lines(value: EmailValue, name: str) -> list[bytes]:
    """The raw (unfolded) lines of header ``name`` as they would go over the wire."""
    unfolded = raw_header_block(value).replace(b"\n ", b" ").replace(b"\n\t", b" ")
    prefix = name.lower().encode() + b":"
    return [line for line in unfolded.split(b"\n") if line.lower().startswith(prefix)]


def addresses(msg: email.message.EmailMessage, name: str) -> list[str]:
    return [addr for _name, addr in email.utils.getaddresses([str(v) for v in msg.get_all(name, [])])]


def check_headers(value: EmailValue, call: str, *, cc: list[str]) -> email.message.EmailMessage:
    """The checks every kind of message shares: ASCII headers, decoded From/To/Cc/Subject."""
    msg = as_message(value, call)
    block = raw_header_block(value)
    bad = [line for line in block.split(b"\n") if any(b >= 0x80 for b in line)]
    assert not bad, tr(
        "the headers of the message from {call} are not ASCII on the wire: {bad!r}. "
        "Non-ASCII names and subjects must be RFC 2047-encoded (=?utf-8?b?...?=); "
        "EmailMessage does it for you, with email.mime use email.header.Header(text, 'utf-8')",
        call=call, bad=bad[:3]
    )
    subject = msg.get("Subject")
    assert subject is not None and str(subject) == SUBJECT, tr(
        "the Subject a receiver decodes is {subject!r}, expected {want!r}; raw header lines: {raw!r}",
        subject=str(subject) if subject is not None else None, want=SUBJECT,
        raw=header_lines(value, "Subject")
    )
    assert any(b"=?" in line for line in header_lines(value, "Subject")), tr(
        "the Chinese Subject should be RFC 2047-encoded on the wire; raw: {raw!r}",
        raw=header_lines(value, "Subject")
    )
    sender = addresses(msg, "From")
    assert sender == ["zhang.san@example.com"], tr(
        "the From address a receiver reads is {sender!r} (raw: {raw!r}), expected "
        "['zhang.san@example.com']. Only the display name may be encoded, never the <address> part: "
        "EmailMessage does this right; with email.mime use "
        "email.utils.formataddr((str(Header('张三', 'utf-8')), 'zhang.san@example.com'))",
        sender=sender, raw=header_lines(value, "From")
    )
    froms = msg.get_all("From", [])
    display = froms[0].addresses[0].display_name if froms and froms[0].addresses else None
    assert display == "张三", tr(
        "the From display name decodes to {display!r}, expected '张三'", display=display)
    to = addresses(msg, "To")
    assert to == ["li.si@example.com", "wang.wu@example.com"], tr(
        "the To addresses a receiver reads are {to!r}, "
        "expected ['li.si@example.com', 'wang.wu@example.com']; "
        "raw To lines: {raw!r}. Put the whole list in ONE To header: ', '.join(to)",
        to=to, raw=header_lines(value, "To")
    )
    got_cc = addresses(msg, "Cc")
    want_cc = [email.utils.parseaddr(a)[1] for a in cc]
    assert got_cc == want_cc, (
        tr("the Cc addresses a receiver reads are {got!r}, expected {want!r}", got=got_cc, want=want_cc)
        + ("" if cc else tr(": with no cc given, leave the Cc header out"))
    )
    return msg


def text_of(part: email.message.EmailMessage) -> str:
    return part.get_content().replace("\r\n", "\n")


def same_text(got: str, want: str) -> bool:
    """Equal up to trailing newlines (set_content adds one when it is missing)."""
    return got.rstrip("\n") == want.rstrip("\n")


# -- plain_email -------------------------------------------------------------------------


@pytest.mark.points(3)
def test_plain_email(student_module) -> None:
    """plain_email builds a text/plain message with Chinese From name, To, Cc, Subject and body."""
    compose = student_module(MODULE)
    value = compose.call("plain_email", SENDER, TO, SUBJECT, BODY, cc=CC)
    msg = check_headers(value, "plain_email(...)", cc=CC)
    assert msg.get_content_type() == "text/plain", tr(
        "the message is {kind}, expected text/plain (one part, no multipart)", kind=msg.get_content_type()
    )
    assert same_text(text_of(msg), BODY), tr(
        "the body a receiver decodes is {got!r}, expected {want!r}: encode it as UTF-8 "
        "(msg.set_content(body), or MIMEText(body, 'plain', 'utf-8'))", got=text_of(msg), want=BODY
    )


def test_plain_email_without_cc(student_module) -> None:
    """plain_email without cc has no Cc header, and one To address is still a list."""
    compose = student_module(MODULE)
    value = compose.call("plain_email", "alice@example.org", ["bob@example.net"], "Hello", "Hi Bob!\n")
    msg = as_message(value, "plain_email(...)")
    assert msg.get_all("Cc") is None, tr(
        "no cc was given, but the message has Cc: {cc!r}", cc=msg.get_all("Cc"))
    assert addresses(msg, "To") == ["bob@example.net"], tr(
        "To should be bob@example.net, the receiver reads {to!r} "
        "(to is a list: join it, don't str() it)", to=addresses(msg, "To")
    )
    assert addresses(msg, "From") == ["alice@example.org"], tr(
        "From reads {sender!r}", sender=addresses(msg, "From"))
    assert str(msg.get("Subject")) == "Hello", tr("Subject reads {subject!r}", subject=msg.get("Subject"))


# -- html_email --------------------------------------------------------------------------


@pytest.mark.points(2)
def test_html_email(student_module) -> None:
    """html_email builds a text/html message with the same headers as plain_email."""
    compose = student_module(MODULE)
    value = compose.call("html_email", SENDER, TO, SUBJECT, HTML, cc=CC)
    msg = check_headers(value, "html_email(...)", cc=CC)
    assert msg.get_content_type() == "text/html", tr(
        "the message is {kind}, expected text/html "
        "(msg.set_content(html, subtype='html'), or MIMEText(html, 'html', 'utf-8'))",
        kind=msg.get_content_type()
    )
    assert same_text(text_of(msg), HTML), tr(
        "the HTML a receiver reads is {got!r}, expected {want!r}", got=text_of(msg), want=HTML)


# -- email_with_attachment ---------------------------------------------------------------


@pytest.mark.points(2)
def test_email_with_attachment(student_module, tmp_path: Path) -> None:
    """email_with_attachment builds multipart/mixed: the text, then the file (base64) under its own name."""
    data = b"%PDF-1.4 fake\r\nbinary \x00\x01\x02 \xff\xfe\x80\n" + bytes(range(256)) * 4
    path = tmp_path / "files" / "report.pdf"
    path.parent.mkdir()
    path.write_bytes(data)
    compose = student_module(MODULE)
    value = compose.call("email_with_attachment", SENDER, TO, SUBJECT, BODY, str(path), cc=CC)
    msg = check_headers(value, "email_with_attachment(...)", cc=CC)
    assert msg.get_content_type() == "multipart/mixed", tr(
        "the message is {kind}, expected multipart/mixed "
        "(msg.add_attachment(...) or MIMEMultipart('mixed'))", kind=msg.get_content_type()
    )
    leaves = [p for p in msg.walk() if not p.is_multipart()]
    texts = [p for p in leaves if p.get_content_type() == "text/plain" and p.get_filename() is None]
    files = [p for p in leaves if p.get_filename() is not None]
    assert texts and same_text(text_of(texts[0]), BODY), tr(
        "no text/plain part with the body {body!r}; parts: {parts}",
        body=BODY, parts=[p.get_content_type() for p in leaves]
    )
    assert len(files) == 1, tr(
        "expected exactly one attachment (a part with a filename), found {count}; parts: {parts}",
        count=len(files), parts=[(p.get_content_type(), p.get_filename()) for p in leaves]
    )
    part = files[0]
    assert part.get_filename() == "report.pdf", tr(
        "the attachment's filename is {name!r}, expected 'report.pdf': "
        "use the file's own name (os.path.basename), not its whole path", name=part.get_filename()
    )
    assert leaves.index(texts[0]) < leaves.index(part), tr("the text part should come before the attachment")
    assert part.get_content_disposition() == "attachment", tr(
        "the file part's Content-Disposition is {disposition!r}, expected 'attachment'",
        disposition=part.get_content_disposition()
    )
    cte = str(part.get("Content-Transfer-Encoding", "")).lower()
    assert cte == "base64", tr(
        "the attachment's Content-Transfer-Encoding is {cte!r}, expected 'base64'", cte=cte)
    got = part.get_payload(decode=True)
    assert got == data, tr(
        "the attachment decodes to {size} bytes {head!r}..., expected the file's "
        "{want_size} bytes {want_head!r}...: read the file with open(path, 'rb')",
        size=len(got or b""), head=(got or b"")[:24], want_size=len(data), want_head=data[:24]
    )


# -- alternative_email -------------------------------------------------------------------


@pytest.mark.points(2)
def test_alternative_email(student_module) -> None:
    """alternative_email builds multipart/alternative: text/plain first, then text/html."""
    text = "你好！Hello from netlings (text version).\n"  # tr: data
    compose = student_module(MODULE)
    value = compose.call("alternative_email", SENDER, TO, SUBJECT, text, HTML, cc=CC)
    msg = check_headers(value, "alternative_email(...)", cc=CC)
    assert msg.get_content_type() == "multipart/alternative", tr(
        "the message is {kind}, expected multipart/alternative "
        "(msg.add_alternative(html, subtype='html') or MIMEMultipart('alternative'))",
        kind=msg.get_content_type()
    )
    parts = list(msg.iter_parts())
    kinds = [p.get_content_type() for p in parts]
    assert kinds == ["text/plain", "text/html"], tr(
        "the alternative parts are {kinds}, expected ['text/plain', 'text/html'] "
        "(the simplest version first: mail programs show the LAST one they can display)", kinds=kinds
    )
    assert same_text(text_of(parts[0]), text), tr(
        "the text part reads {got!r}, expected {want!r}", got=text_of(parts[0]), want=text)
    assert same_text(text_of(parts[1]), HTML), tr(
        "the HTML part reads {got!r}, expected {want!r}", got=text_of(parts[1]), want=HTML)
