"""Visible tests for 05_pop3/parse.py: decode headers, bodies and attachments.

No server here: your functions get raw messages as bytes, exactly as
``fetch_message`` returns them. The messages are those of the POP3 exercise's
mailbox:

1. "Welcome to netlings": plain ASCII text;
2. a Chinese subject in several RFC 2047 encoded words, body in GBK (base64);
3. text plus an attachment, ``gradient.png`` (binary: CR, LF and NUL bytes included).

The last test sends an attachment whose filename tries to climb out of the folder
(``../../evil.txt``): nothing may be written outside the folder you were given.

Run them with ``pytest exercises/05_pop3/test_parse.py``.
"""

from __future__ import annotations

import os
from email.message import EmailMessage
from pathlib import Path

import pytest

from grader.messages.texts import tr
from grader.servers.pop3 import (
    ATTACHMENT_BYTES,
    ATTACHMENT_FILENAME,
    DEFAULT_MESSAGES,
    GBK_BODY_TEXT,
    MIXED_BODY_TEXT,
    PLAIN_BODY_TEXT,
)

MODULE = "05_pop3/parse.py"
PLAIN, CHINESE, MIXED = DEFAULT_MESSAGES


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def local(tmp_path: Path, path: object) -> Path:
    """A path the student's code returned, relative paths taken from its working directory."""
    return (tmp_path / str(path)).resolve()


# -- decode_header_value ------------------------------------------------------------------


@pytest.mark.points(0.5)
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=?gbk?b?xOO6ww==?=", "你好"),
        ("=?utf-8?b?5L2g5aW9?= world", "你好 world"),
        ("=?gbk?b?xOO6ww==?= =?utf-8?b?5LiW55WM?=", "你好世界"),
        ("=?utf-8?q?caf=C3=A9_au_lait?=", "café au lait"),
        ("Re: =?GB2312?B?xOO6ww==?= (no. 2)", "Re: 你好 (no. 2)"),
        ("Hello, plain world", "Hello, plain world"),  # tr: data
    ],
    ids=["gbk-base64", "utf8-and-text", "two-words-two-charsets", "quoted-printable", "text-word-text",
         "plain"],
)
def test_decode_header_value(student_module, value: str, expected: str) -> None:
    """decode_header_value turns RFC 2047 encoded words (any charset, B or Q) into text."""
    parse = student_module(MODULE)
    got = parse.call("decode_header_value", value)
    assert got == expected, tr(
        "decode_header_value({value!r}) returned {got!r}, expected {expected!r}. "
        "email.header.decode_header(value) gives (bytes, charset) pieces; "
        "str(email.header.make_header(pieces)) decodes and joins them (no space between two encoded words)",
        value=value, got=got, expected=expected)


# -- text_body ----------------------------------------------------------------------------


@pytest.mark.points(0.5)
@pytest.mark.parametrize(
    ("raw", "expected"),
    [(PLAIN, PLAIN_BODY_TEXT), (CHINESE, GBK_BODY_TEXT), (MIXED, MIXED_BODY_TEXT)],
    ids=["ascii", "gbk-base64", "multipart-with-attachment"],
)
def test_text_body(student_module, raw: bytes, expected: str) -> None:
    """text_body returns the text/plain part, decoded from its transfer encoding and charset."""
    parse = student_module(MODULE)
    got = parse.call("text_body", raw)
    assert isinstance(got, str), tr("text_body(...) returned a {kind}, expected str", kind=type(got).__name__)
    if got != expected and got.replace("\r\n", "\n") == expected:
        pytest.fail(tr("text_body(...) kept the \\r\\n line endings of the raw message: return them as \\n"))
    assert got == expected, tr(
        "text_body(...) returned {got!r}..., expected {expected!r}... "
        "Parse with email.message_from_bytes(raw, policy=email.policy.default), then "
        "msg.get_body(preferencelist=('plain',)).get_content(): it undoes base64 and the charset (gbk here)",
        got=got[:120], expected=expected[:120])


# -- list_attachments ---------------------------------------------------------------------


@pytest.mark.points(1.5)
def test_list_attachments(student_module) -> None:
    """list_attachments gives (filename, size of the decoded bytes) for each attachment."""
    parse = student_module(MODULE)
    got = parse.call("list_attachments", MIXED)
    expected = [(ATTACHMENT_FILENAME, len(ATTACHMENT_BYTES))]
    assert isinstance(got, list) and [tuple(x) for x in got if isinstance(x, (tuple, list))] == expected, tr(
        "list_attachments(...) returned {got!r}, expected {expected!r}. The size is that of the decoded "
        "bytes (part.get_payload(decode=True)), not of the base64 text", got=got, expected=expected)


@pytest.mark.points(0.5)
def test_list_attachments_none(student_module) -> None:
    """list_attachments of a message without attachments is an empty list."""
    parse = student_module(MODULE)
    got = parse.call("list_attachments", PLAIN)
    assert got == [], tr("list_attachments(...) of a plain text message returned {got!r}, expected []",
                         got=got)


# -- save_attachments ---------------------------------------------------------------------


@pytest.mark.points(1.5)
def test_save_attachments(student_module, tmp_path: Path) -> None:
    """save_attachments writes gradient.png byte for byte into the folder and returns its path."""
    dest = tmp_path / "attachments"
    dest.mkdir()
    parse = student_module(MODULE)
    got = parse.call("save_attachments", MIXED, str(dest))
    expected = dest / ATTACHMENT_FILENAME
    assert isinstance(got, list) and [local(tmp_path, p) for p in got] == [expected.resolve()], tr(
        "save_attachments(raw, {dest!r}) returned {got!r}, expected [{path!r}] "
        "(os.path.join(dest_dir, filename) for each file written)",
        dest=str(dest), got=got, path=str(expected))
    assert expected.is_file(), tr("{path} was not written", path=expected)
    data = expected.read_bytes()
    assert data == ATTACHMENT_BYTES, tr(
        "{name} holds {size} bytes {start!r}..., expected {want_size} bytes "
        "{want_start!r}...: write part.get_payload(decode=True) to a file opened with 'wb'",
        name=ATTACHMENT_FILENAME, size=len(data), start=data[:16], want_size=len(ATTACHMENT_BYTES),
        want_start=ATTACHMENT_BYTES[:16])
    others = [p for p in files_under(tmp_path) if p != expected]
    assert others == [], tr("save_attachments wrote other files too: {files}", files=[str(p) for p in others])


@pytest.mark.points(1)
def test_save_attachments_never_writes_outside(student_module, tmp_path: Path) -> None:
    """An attachment named '../../evil.txt' must not be written outside the folder."""
    msg = EmailMessage()
    msg["From"] = "mallory@example.com"
    msg["To"] = "student@netlings.test"
    msg["Subject"] = "totally harmless"
    msg.set_content("see attached\n")
    msg.add_attachment(b"gotcha\n", maintype="text", subtype="plain", filename="../../evil.txt")
    raw = msg.as_bytes().replace(b"\n", b"\r\n")
    dest = tmp_path / "inbox" / "mail" / "attachments"
    dest.mkdir(parents=True)
    parse = student_module(MODULE)
    got = parse.call("save_attachments", raw, str(dest))
    outside = [str(p) for p in files_under(tmp_path) if dest.resolve() not in p.resolve().parents]
    assert outside == [], tr(
        "save_attachments wrote {outside}, outside {dest!r}: the filename comes from the sender. "
        "Keep only os.path.basename(filename) and check the final path is inside dest_dir",
        outside=outside, dest=str(dest))
    assert isinstance(got, list), tr("save_attachments(...) returned {got!r}, expected a list of paths",
                                     got=got)
    for path in got:
        where = local(tmp_path, path)
        assert os.path.dirname(where) == str(dest.resolve()), tr(
            "save_attachments returned {path!r}, which is not directly inside {dest!r}",
            path=path, dest=str(dest))
