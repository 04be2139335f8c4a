"""Hidden tests for 04_smtp/compose.py: what a receiver's mail program makes of the message.

Every message is judged from its bytes (``msg.as_bytes()``, parsed again with the
modern policy), so ``EmailMessage`` and the ``email.mime`` classes are judged alike:
structure and decoded text, never the class. The mistake these tests hunt above all
is a non-ASCII header put on the wire raw: either as 8-bit bytes, or (``email.mime``
with the compat32 policy) as one encoded word that swallows the ``<address>`` too, so
the receiver sees a name and no address.
"""

from __future__ import annotations

import email.header
import email.message
import email.utils
import random
import re
from pathlib import Path
from typing import Any

import pytest

from grader.harness.runner import EmailValue
from grader.hidden.support import fail_mistake, show
from grader.messages.texts import tr

pytestmark = pytest.mark.exercise("04_smtp/compose")

MODULE = "04_smtp/compose.py"
SENDER = "张三 <zhang.san@example.com>"
TO = ["李四 <li.si@example.com>", '"Doe, John" <john.doe@example.com>', "wang.wu@example.com"]
CC = ["王老师 <teacher@example.edu>", "助教 <ta@example.edu>"]
SUBJECT = "第4周作业 🎉 SMTP 发信练习 ✓"
BODY = "你好，\n\n这是一封测试邮件 📧。\nHello from netlings!\n"  # tr: data
HTML = "<html><body><h1>你好 🎉</h1><p>Hello from <b>netlings</b>!</p></body></html>\n"

WANT_FROM = [("张三", "zhang.san@example.com")]
WANT_TO = [("李四", "li.si@example.com"), ("Doe, John", "john.doe@example.com"), ("", "wang.wu@example.com")]
WANT_CC = [("王老师", "teacher@example.edu"), ("助教", "ta@example.edu")]


# -- evidence from the bytes ---------------------------------------------------------------


def parsed(value: Any, call: str) -> email.message.EmailMessage:
    """The returned message as a receiver parses it from its bytes."""
    assert isinstance(value, EmailValue), tr(
        "{call} returned {value}; it must return the message object itself "
        "(an email.message.EmailMessage or an email.mime object), not a string or bytes",
        call=call, value=show(value)
    )
    assert value.raw is not None, tr(
        "the message returned by {call} cannot be turned into bytes (msg.as_bytes() fails: {error})",
        call=call, error=value.error
    )
    return value.message()


def raw_headers(part: email.message.Message) -> list[tuple[str, str]]:
    """Header (name, value) pairs exactly as parsed from the wire (8-bit bytes as surrogates)."""
    return [(name, str(val)) for name, val in part.raw_items()]


def wire(text: str) -> bytes:
    """A raw header value back as the bytes that were on the wire."""
    return text.encode("utf-8", "surrogateescape")


def eight_bit_headers(msg: email.message.Message) -> list[bytes]:
    """Every header line, of the message and of each part, that is not pure ASCII."""
    bad = []
    for part in msg.walk():
        for name, val in raw_headers(part):
            line = wire(f"{name}: {val}")
            if any(b >= 0x80 for b in line):
                bad.append(line)
    return bad


def check_ascii(msg: email.message.Message, call: str) -> None:
    bad = eight_bit_headers(msg)
    if bad:
        fail_mistake("header_not_encoded", call=call,
                     expected=tr("ASCII header lines, non-ASCII text as RFC 2047 encoded words "
                                 "(=?utf-8?b?...?=)"),
                     actual=tr("8-bit header lines on the wire: {lines}", lines=show(bad[:3])))


def raw_values(msg: email.message.Message, name: str) -> list[str]:
    return [val for key, val in raw_headers(msg) if key.lower() == name.lower()]


def address_swallowed(raw: str) -> bool:
    """True when an encoded word hides an ``@``: the address was encoded together with the name."""
    try:
        pieces = email.header.decode_header(raw)
    except Exception:  # noqa: BLE001 - a header too broken to decode: not this diagnosis
        return False
    for chunk, charset in pieces:
        if charset is None or not isinstance(chunk, bytes):
            continue
        if "@" in chunk.decode(charset, "replace"):
            return True
    return False


def pairs(msg: email.message.EmailMessage, name: str) -> list[tuple[str, str]]:
    """(display name, bare address) pairs a receiver reads from header ``name``."""
    out = []
    for header in msg.get_all(name, []):
        addresses = getattr(header, "addresses", None)
        if addresses is None:
            out += email.utils.getaddresses([str(header)])
            continue
        out += [(a.display_name, a.addr_spec) for a in addresses]
    return out


def check_addresses(msg: email.message.EmailMessage, name: str, want: list[tuple[str, str]],
                    call: str) -> None:
    got = pairs(msg, name)
    if got == want:
        return
    raws = raw_values(msg, name)
    if any(address_swallowed(r) for r in raws):
        fail_mistake("header_not_encoded", call=call,
                     expected=tr("{name} read back as {want!r}", name=name, want=want),
                     actual=tr("{got!r}, from the raw header {raw}",
                               got=got, raw=show([wire(r) for r in raws])),
                     detail=tr("The whole header, <address> included, was encoded as one word, so a receiver "
                               "finds a name and no address. Only the display name may be encoded: use "
                               "EmailMessage, or email.utils.formataddr((name, address)) for each address."))
    raise AssertionError(tr(
        "{call}: a receiver reads {name} as {got!r}, expected {want!r} (display name, address); "
        "raw header: {raw}. Join the addresses as given with ', ' into ONE "
        "{name} header, keeping their display names",
        call=call, name=name, got=got, want=want, raw=show([wire(r) for r in raws])
    ))


def check_subject(msg: email.message.EmailMessage, want: str, call: str) -> None:
    got = msg.get("Subject")
    got_text = None if got is None else str(got)
    assert got_text == want, tr(
        "{call}: a receiver decodes the Subject as {got!r}, expected {want!r}; raw header: {raw}",
        call=call, got=got_text, want=want, raw=show([wire(r) for r in raw_values(msg, "Subject")])
    )


def judge_headers(value: Any, call: str, *, cc: bool = True) -> email.message.EmailMessage:
    """ASCII on the wire, and From/To/Cc/Subject decode back to exactly what was given."""
    msg = parsed(value, call)
    check_ascii(msg, call)
    check_addresses(msg, "From", WANT_FROM, call)
    check_addresses(msg, "To", WANT_TO, call)
    if cc:
        check_addresses(msg, "Cc", WANT_CC, call)
    else:
        cc_headers = msg.get_all("Cc")
        assert cc_headers is None, tr(
            "{call}: no cc was given, yet the message has Cc {cc!r}", call=call, cc=cc_headers)
    check_subject(msg, SUBJECT, call)
    return msg


def text_of(part: email.message.EmailMessage) -> str:
    return part.get_content().replace("\r\n", "\n")


def same_text(got: str, want: str) -> bool:
    """Equal up to trailing newlines (set_content adds one when it is missing)."""
    return got.rstrip("\n") == want.rstrip("\n")


def leaves(msg: email.message.EmailMessage) -> list[email.message.EmailMessage]:
    return [p for p in msg.walk() if not p.is_multipart()]


# -- headers -------------------------------------------------------------------------------


def _args(func: str, tmp_path: Path) -> tuple[tuple[Any, ...], dict[str, Any]]:
    if func == "plain_email":
        return (SENDER, TO, SUBJECT, BODY), {"cc": CC}
    if func == "html_email":
        return (SENDER, TO, SUBJECT, HTML), {"cc": CC}
    if func == "email_with_attachment":
        path = tmp_path / "notes.txt"
        path.write_bytes(b"attached\n")
        return (SENDER, TO, SUBJECT, BODY, str(path)), {"cc": CC}
    return (SENDER, TO, SUBJECT, BODY, HTML), {"cc": CC}


@pytest.mark.points(1)
@pytest.mark.parametrize("func", ["plain_email", "html_email", "email_with_attachment", "alternative_email"])
def test_chinese_names_and_emoji_subject_survive_the_wire(student_module, tmp_path: Path, func: str) -> None:
    """Chinese display names in From/To/Cc and an emoji subject are encoded on the wire and decode back."""
    compose = student_module(MODULE)
    args, kwargs = _args(func, tmp_path)
    value = compose.call(func, *args, **kwargs)
    judge_headers(value, f"{func}(...)")


@pytest.mark.points(1)
def test_long_subject_is_folded_and_decodes(student_module) -> None:
    """A very long Chinese subject stays ASCII, is folded into short lines, and decodes back unchanged."""
    subject = "关于第4周网络编程作业的说明：" + "请按时提交 SMTP 与 POP3 练习，" * 8 + "谢谢！🙏"
    compose = student_module(MODULE)
    call = tr("plain_email(..., subject=<a 150-character Chinese subject>, ...)")
    value = compose.call("plain_email", SENDER, TO, subject, BODY)
    msg = parsed(value, call)
    check_ascii(msg, call)
    check_subject(msg, subject, call)
    assert value.raw is not None
    long_lines = [line for line in value.raw.split(b"\n") if len(line.rstrip(b"\r")) > 998]
    assert not long_lines, tr(
        "{call}: {count} line(s) longer than 998 bytes, the hard limit of RFC 5322: "
        "{line}. Let the email package fold long headers",
        call=call, count=len(long_lines), line=show(long_lines[0], 120)
    )


@pytest.mark.points(1)
def test_plain_email_has_date_and_message_id(student_module) -> None:
    """plain_email adds a Date a mail program can parse and a Message-ID like <...@...>."""
    compose = student_module(MODULE)
    value = compose.call("plain_email", "alice@example.org", ["bob@example.net"], "Hello", "Hi Bob!\n")
    msg = parsed(value, "plain_email(...)")
    date = msg.get("Date")
    assert date is not None, tr("the message has no Date header: add email.utils.formatdate(localtime=True)")
    try:
        when = email.utils.parsedate_to_datetime(str(date))
    except (TypeError, ValueError):
        when = None
    assert when is not None, tr(
        "the Date header {date!r} is not an RFC 5322 date (email.utils.formatdate)", date=str(date))
    mid = msg.get("Message-ID")
    assert mid is not None and re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", str(mid).strip()), tr(
        "the Message-ID is {mid!r}, expected '<unique@domain>' (email.utils.make_msgid())",
        mid=None if mid is None else str(mid)
    )


# -- bodies --------------------------------------------------------------------------------


@pytest.mark.points(2)
def test_tricky_body_is_kept_exactly(student_module) -> None:
    """A body with lines starting with '.', 'From ', emoji and a 1500-character line arrives unchanged."""
    body = ("第一行\n.\n..两个点\n.leading dot\nFrom the start of a line\n"  # tr: data
            + "很长的一行 long line " * 100 + "\n最后一行 🎉\n")
    compose = student_module(MODULE)
    call = tr("plain_email(..., body=<dots, 'From ', a 1500-character line>)")
    value = compose.call("plain_email", SENDER, TO, SUBJECT, body)
    msg = parsed(value, call)
    assert msg.get_content_type() == "text/plain", tr(
        "{call}: the message is {kind}", call=call, kind=msg.get_content_type())
    assert same_text(text_of(msg), body), tr(
        "{call}: the body a receiver decodes differs from the body given.\n"
        "expected: {want}\nactual:   {got}", call=call, want=show(body, 200), got=show(text_of(msg), 200)
    )
    assert value.raw is not None
    long_lines = [line for line in value.raw.split(b"\n") if len(line.rstrip(b"\r")) > 998]
    assert not long_lines, tr(
        "{call}: a line of {size} bytes is on the wire (limit 998): let the email package "
        "pick the transfer encoding (set_content / MIMEText(body, 'plain', 'utf-8'))",
        call=call, size=len(long_lines[0])
    )


@pytest.mark.points(1)
def test_html_email_is_utf8_html_only(student_module) -> None:
    """html_email is one text/html part, charset utf-8, decoding to the exact HTML; no cc means no Cc."""
    compose = student_module(MODULE)
    value = compose.call("html_email", SENDER, TO, SUBJECT, HTML)
    msg = judge_headers(value, "html_email(...)", cc=False)
    assert msg.get_content_type() == "text/html", tr(
        "html_email made a {kind} message, expected text/html (a single part)", kind=msg.get_content_type()
    )
    charset = msg.get_content_charset()
    assert charset == "utf-8", tr(
        "the HTML part declares charset {charset!r}, expected 'utf-8'", charset=charset)
    assert same_text(text_of(msg), HTML), tr(
        "the HTML reads {got}, expected {want}", got=show(text_of(msg)), want=show(HTML))


# -- attachments ---------------------------------------------------------------------------


@pytest.mark.points(2)
def test_attachment_with_chinese_filename_and_large_binary(student_module, tmp_path: Path) -> None:
    """A 200 KB binary file named '第4周 报告 (最终版).pdf' keeps its name (RFC 2231) and every byte."""
    rng = random.Random(4)
    data = bytes(range(256)) + b"\r\n\r\n.\r\n" + rng.randbytes(200_000)
    name = "第4周 报告 (最终版).pdf"
    path = tmp_path / "资料" / name
    path.parent.mkdir()
    path.write_bytes(data)
    compose = student_module(MODULE)
    call = f"email_with_attachment(..., {str(path)!r})"
    value = compose.call("email_with_attachment", SENDER, TO, SUBJECT, BODY, str(path), cc=CC)
    msg = judge_headers(value, call)
    files = [p for p in leaves(msg) if p.get_content_disposition() == "attachment" or p.get_filename()]
    assert len(files) == 1, tr(
        "{call}: expected one attachment, found {count}; parts: {parts}",
        call=call, count=len(files), parts=[(p.get_content_type(), p.get_filename()) for p in leaves(msg)]
    )
    part = files[0]
    assert part.get_filename() == name, tr(
        "{call}: the attachment's filename reads {got!r}, expected {want!r} "
        "(the file's own name; non-ASCII names are encoded by add_attachment(filename=...) or "
        "add_header('Content-Disposition', 'attachment', filename=name))",
        call=call, got=part.get_filename(), want=name
    )
    got = part.get_payload(decode=True) or b""
    differ = [i for i, (a, b) in enumerate(zip(got, data, strict=False)) if a != b][:1]
    assert got == data, (
        tr("{call}: the attachment decodes to {size} bytes, expected the file's {want_size} bytes",
           call=call, size=len(got), want_size=len(data))
        + (tr("; first difference at byte {offset}", offset=differ[0]) if differ else "")
        + tr(". Read it with open(path, 'rb') and let it be base64-encoded")
    )


@pytest.mark.points(1)
@pytest.mark.parametrize(("filename", "content_type"), [
    ("photo.png", "image/png"),
    ("results.netlings-data", "application/octet-stream"),
])
def test_attachment_content_type_from_extension(student_module, tmp_path: Path, filename: str,
                                                content_type: str) -> None:
    """The attachment's Content-Type is guessed from its extension, application/octet-stream when unknown."""
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
    path = tmp_path / filename
    path.write_bytes(data)
    compose = student_module(MODULE)
    call = f"email_with_attachment(..., {filename!r})"
    value = compose.call("email_with_attachment", "alice@example.org", ["bob@example.net"], "File",
                         "See file.\n", str(path))
    msg = parsed(value, call)
    files = [p for p in leaves(msg) if p.get_filename() == filename]
    names = [p.get_filename() for p in leaves(msg)]
    assert len(files) == 1, tr(
        "{call}: no single part named {filename!r}: {names}", call=call, filename=filename, names=names)
    assert files[0].get_content_type() == content_type, tr(
        "{call}: the attachment is {kind}, expected {want} "
        "(mimetypes.guess_type(path); application/octet-stream when it returns None)",
        call=call, kind=files[0].get_content_type(), want=content_type
    )
    assert files[0].get_payload(decode=True) == data, tr("{call}: the attachment's bytes changed", call=call)


@pytest.mark.points(1)
def test_missing_attachment_raises_file_not_found(student_module, tmp_path: Path) -> None:
    """email_with_attachment raises FileNotFoundError for a file that does not exist."""
    compose = student_module(MODULE)
    missing = str(tmp_path / "no-such-file.pdf")
    compose.call_raises(FileNotFoundError, "email_with_attachment", "alice@example.org", ["bob@example.net"],
                        "File", "See file.\n", missing)


# -- alternative ---------------------------------------------------------------------------


@pytest.mark.points(1)
def test_alternative_has_exactly_text_then_html_in_utf8(student_module) -> None:
    """alternative_email has exactly two parts, text/plain then text/html, both UTF-8 and exact; no Cc."""
    text = "你好！这是文本版本 📄。\n.line with a dot\n"
    compose = student_module(MODULE)
    value = compose.call("alternative_email", SENDER, TO, SUBJECT, text, HTML)
    msg = judge_headers(value, "alternative_email(...)", cc=False)
    assert msg.get_content_type() == "multipart/alternative", tr(
        "the message is {kind}, expected multipart/alternative at the top", kind=msg.get_content_type()
    )
    parts = list(msg.iter_parts())
    kinds = [p.get_content_type() for p in parts]
    assert kinds == ["text/plain", "text/html"], tr(
        "the alternative parts are {kinds}, expected exactly ['text/plain', 'text/html']", kinds=kinds
    )
    for part, want in zip(parts, (text, HTML), strict=True):
        kind, charset = part.get_content_type(), part.get_content_charset()
        assert charset == "utf-8", tr(
            "the {kind} part declares charset {charset!r}, expected utf-8", kind=kind, charset=charset)
        assert part.get_content_disposition() != "attachment", tr(
            "the {kind} part is marked as an attachment: alternatives are inline",
            kind=part.get_content_type()
        )
        assert same_text(text_of(part), want), tr(
            "the {kind} part reads {got}, expected {want}",
            kind=part.get_content_type(), got=show(text_of(part)), want=show(want)
        )
