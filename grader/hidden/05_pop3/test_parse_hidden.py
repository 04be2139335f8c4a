"""Hidden tests for 05_pop3/parse.py: what the visible tests do not show.

No server here: the evidence is what the functions return and, for
``save_attachments``, every file on disk around the test's folder. The mistakes
hunted here: only the first RFC 2047 encoded word of a header decoded, a body's
declared charset ignored (decoded as UTF-8 or Latin-1 regardless), and an
attachment's filename trusted as a path (``../../x`` written outside the folder).
"""

from __future__ import annotations

import base64
import email
import email.header
import os
import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from grader.harness import StudentModule, call, describe_call
from grader.hidden.support import check, show
from grader.messages import msg
from grader.messages.texts import tr
from grader.servers.pop3 import DEFAULT_MESSAGES, DEFAULT_SUBJECTS, GBK_BODY_TEXT

pytestmark = pytest.mark.exercise("05_pop3/parse")

MODULE = "05_pop3/parse.py"
DEADLINE = 5.0


def message(headers: str, body: bytes) -> bytes:
    """A raw message in wire form (CRLF everywhere) from header lines and a body."""
    head = "".join(f"{line.strip()}\r\n" for line in headers.strip().splitlines())
    return head.encode("ascii") + b"\r\n" + body.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def b64(data: bytes) -> bytes:
    return base64.encodebytes(data)


def word(text: str, charset: str) -> str:
    """One RFC 2047 B-encoded word."""
    return f"=?{charset}?b?{base64.b64encode(text.encode(charset)).decode('ascii')}?="


BASE_HEADERS = "From: sender@example.org\nTo: student@netlings.test\nSubject: test\nMIME-Version: 1.0\n"

# -- bodies in other charsets (text, raw message) -------------------------------------------------
LATIN1_TEXT = "Café crème brûlée, à bientôt: a soft line break joins this line.\n"  # tr: data
LATIN1_QP = message(
    BASE_HEADERS + 'Content-Type: text/plain; charset="iso-8859-1"\n'
    'Content-Transfer-Encoding: quoted-printable',
    b"Caf=E9 cr=E8me br=FBl=E9e, =E0 bient=F4t: a soft line break jo=\nins this line.\n",
)
BIG5_TEXT = "繁體中文的正文。\n第二行：測試。\n"
BIG5_B64 = message(
    BASE_HEADERS + 'Content-Type: text/plain; charset="big5"\nContent-Transfer-Encoding: base64',
    b64(BIG5_TEXT.replace("\n", "\r\n").encode("big5")),
)
KOI8_TEXT = "Привет, мир!\nДо свидания.\n"
KOI8_8BIT = message(
    BASE_HEADERS + 'Content-Type: text/plain; charset="koi8-r"\nContent-Transfer-Encoding: 8bit',
    KOI8_TEXT.encode("koi8-r"),
)


def charset_bodies() -> list[tuple[str, bytes, str]]:
    """(label, raw message, its text), labels in the student's language (so built at call time)."""
    return [
        (tr("gbk, base64 (the seeded Chinese message)"), DEFAULT_MESSAGES[1], GBK_BODY_TEXT),
        ("iso-8859-1, quoted-printable", LATIN1_QP, LATIN1_TEXT),
        ("big5, base64", BIG5_B64, BIG5_TEXT),
        ("koi8-r, 8bit", KOI8_8BIT, KOI8_TEXT),
    ]


# -- where is the text/plain part? ----------------------------------------------------------------
HTML_ONLY = message(
    BASE_HEADERS + 'Content-Type: text/html; charset="utf-8"\nContent-Transfer-Encoding: 7bit',
    b"<html><body><p>only HTML here</p></body></html>\n",
)
ALTERNATIVE_HTML_FIRST = message(
    BASE_HEADERS + 'Content-Type: multipart/alternative; boundary="alt-7"',
    b"--alt-7\nContent-Type: text/html; charset=\"utf-8\"\n\n<p>the HTML version</p>\n"
    b"--alt-7\nContent-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: base64\n\n"
    + b64("the plain version ✓\n".encode()) + b"--alt-7--\n",  # tr: data
)
ATTACHED_TEXT_FIRST = message(
    BASE_HEADERS + 'Content-Type: multipart/mixed; boundary="mix-9"',
    b"--mix-9\nContent-Type: text/plain; charset=\"us-ascii\"\n"
    b"Content-Disposition: attachment; filename=\"notes.txt\"\n\nthese are attached notes\n"
    b"--mix-9\nContent-Type: text/plain; charset=\"us-ascii\"\n\nthe real body\n\n--mix-9--\n",
)

# -- attachments with non-ASCII names -------------------------------------------------------------
PDF_BYTES = b"%PDF-1.4\r\n%\xe2\xe3\xcf\xd3\r\n1 0 obj\n<<>>\nendobj\n\x00\xff" * 40
CSV_BYTES = "姓名,成绩\n张三,95\n李四,88\n".encode("gbk")
PNG_BYTES = bytes(range(256)) * 3
ATTACHMENTS = message(
    BASE_HEADERS + 'Content-Type: multipart/mixed; boundary="att-3"',
    b"--att-3\nContent-Type: text/plain; charset=\"utf-8\"\n\nthree files attached\n"
    b"--att-3\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n"
    b"Content-Disposition: attachment; filename*=utf-8''%E6%8A%A5%E5%91%8A.pdf\n\n" + b64(PDF_BYTES)
    + b"--att-3\nContent-Type: text/csv; charset=\"gbk\"\nContent-Transfer-Encoding: base64\n"
    + f'Content-Disposition: attachment; filename="{word("数据.csv", "gbk")}"\n\n'.encode()  # tr: data
    + b64(CSV_BYTES)
    + b"--att-3\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n"
    b"Content-Disposition: inline; filename=\"pixel map.png\"\n\n" + b64(PNG_BYTES) + b"--att-3--\n",
)
ATTACHMENT_FILES = [("报告.pdf", PDF_BYTES), ("数据.csv", CSV_BYTES), ("pixel map.png", PNG_BYTES)]


# -- helpers --------------------------------------------------------------------------------------


def invoke(mod: StudentModule, func: str, *args: Any) -> tuple[Any, Any]:
    """(value, exception) of one call: stubs, crashes at import and timeouts fail here."""
    __tracebackhide__ = True
    what = describe_call(func, args, {})
    with mod.run([call(func, *args)], deadline=DEADLINE) as run:
        result = run.result()
    exc = result.exception
    if exc is None or exc.phase != "call" or exc.not_implemented:
        mod.check(result, what, func)
    return result.value, exc


def no_exception(what: str, exc: Any, advice: str = "") -> None:
    """Fail with the student's traceback when their call raised."""
    __tracebackhide__ = True
    if exc is not None:
        pytest.fail(tr("{what} raised {error}{advice}\n\nYour traceback:\n{traceback}",
                       what=what, error=exc, advice=advice, traceback=exc.traceback))


def make_dir(base: Path, *parts: str) -> Path:
    """Folders the student's code may write into, also when the grader drops privileges."""
    path = base
    for part in parts:
        path = path / part
        path.mkdir(exist_ok=True)
        os.chmod(path, 0o777)
    return path


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def local(tmp_path: Path, path: object) -> Path:
    """A path the student's code returned (relative ones are from its working dir, tmp_path)."""
    return (tmp_path / str(path)).resolve()


def raw_subject(raw: bytes) -> str:
    """The Subject exactly as it stands in the message (folded, still encoded)."""
    value = email.message_from_bytes(raw)["Subject"]
    return str(value)


def check_decoded(mod: StudentModule, value: str, expected: str) -> None:
    __tracebackhide__ = True
    got, exc = invoke(mod, "decode_header_value", value)
    what = f"decode_header_value({value!r})"
    no_exception(what, exc, tr("; expected {expected!r}", expected=expected))
    if got == expected:
        return
    pieces = email.header.decode_header(value)
    data, charset = pieces[0]
    try:
        first = data.decode(charset or "ascii", "replace") if isinstance(data, bytes) else data
    except LookupError:
        first = ""
    only_first = isinstance(got, str) and got != value and (
        (got.strip() and expected.startswith(got.strip())) or (got.startswith(first.strip()) and "=?" in got))
    check(not only_first, "first_encoded_word_only", call=what, expected=expected, actual=got,
          detail=tr("The header holds {count} pieces once decoded: {pieces}",
                    count=len(pieces), pieces=[show(p) for p in pieces]))
    pytest.fail(tr("{what} returned {got!r}, expected {expected!r}", what=what, got=got, expected=expected))


# -- decode_header_value --------------------------------------------------------------------------


@pytest.mark.points(2)
def test_decode_seeded_chinese_subject(student_module) -> None:
    """decode_header_value decodes the seeded subject: four encoded words (GBK and UTF-8), folded."""
    parse = student_module(MODULE)
    check_decoded(parse, raw_subject(DEFAULT_MESSAGES[1]), DEFAULT_SUBJECTS[1])


@pytest.mark.points(2)
def test_decode_words_mixed_with_text(student_module) -> None:
    """decode_header_value decodes every word between plain text, in Q and B, across charsets and lines."""
    parse = student_module(MODULE)
    cases = [
        (f"[Netlings] {word('你好', 'gb2312')} - =?utf-8?q?r=C3=A9sum=C3=A9?=", "[Netlings] 你好 - résumé"),
        (f"=?us-ascii?q?Week_3:?= {word('你好', 'gbk')}\r\n {word('世界', 'utf-8')} =?iso-8859-1?q?caf=E9?=",
         "Week 3: 你好世界café"),
        ("=?UTF-8?B?5L2g5aW9?==?UTF-8?B?5LiW55WM?=", "你好世界"),
    ]
    for value, expected in cases:
        check_decoded(parse, value, expected)


@pytest.mark.points(1)
def test_decode_never_raises(student_module) -> None:
    """decode_header_value survives an unknown charset and invalid bytes (U+FFFD), never raising."""
    parse = student_module(MODULE)
    check_decoded(parse, "=?x-unknown-charset?q?report?=", "report")
    check_decoded(parse, "=?utf-8?b?/w==?= ok", "\ufffd ok")


# -- text_body ------------------------------------------------------------------------------------


@pytest.mark.points(2)
def test_text_body_uses_the_declared_charset(student_module) -> None:
    """text_body decodes each body with the charset it declares: gbk, iso-8859-1, big5, koi8-r."""
    parse = student_module(MODULE)
    for label, raw, expected in charset_bodies():
        what = f"text_body(<message, {label}>)"
        got, exc = invoke(parse, "text_body", raw)
        payload = email.message_from_bytes(raw).get_payload(decode=True)
        if exc is not None:
            check(not exc.is_a("UnicodeDecodeError"), "charset_ignored", call=what,
                  expected=show(expected, 160), actual=str(exc),
                  detail=msg("your_traceback", traceback=exc.traceback))
            no_exception(what, exc)
        if got == expected:
            continue
        wrong = set()
        for charset in ("utf-8", "latin-1", "ascii", "gbk"):
            for errors in ("replace", "ignore"):
                try:
                    text = payload.decode(charset, errors)
                except UnicodeDecodeError:  # pragma: no cover - only "strict" raises
                    continue
                wrong |= {text, text.replace("\r\n", "\n")}
        check(not (isinstance(got, str) and (got in wrong or "\ufffd" in got)), "charset_ignored", call=what,
              expected=show(expected, 160), actual=show(got, 160))
        pytest.fail(tr("{what} returned {got}, expected {expected!r}",
                       what=what, got=show(got), expected=expected))


@pytest.mark.points(1)
def test_text_body_without_plain_part(student_module) -> None:
    """text_body of a message with only an HTML part returns ''."""
    parse = student_module(MODULE)
    what = tr("text_body(<HTML-only message>)")
    got, exc = invoke(parse, "text_body", HTML_ONLY)
    no_exception(what, exc)
    assert got == "", tr(
        "{what} returned {got}, expected '' (there is no text/plain part: "
        "msg.get_body(preferencelist=('plain',)) is None)", what=what, got=show(got))


@pytest.mark.points(1)
def test_text_body_finds_the_plain_part(student_module) -> None:
    """text_body picks text/plain after an HTML alternative, and skips a text file sent as attachment."""
    parse = student_module(MODULE)
    cases = [(tr("HTML first, then plain text"), ALTERNATIVE_HTML_FIRST, "the plain version ✓\n"),  # tr: data
             (tr("attached notes.txt, then the body"), ATTACHED_TEXT_FIRST, "the real body\n")]  # tr: data
    for label, raw, expected in cases:
        got, exc = invoke(parse, "text_body", raw)
        no_exception(f"text_body(<{label}>)", exc)
        assert got == expected, tr(
            "text_body(<{label}>) returned {got}, expected {expected!r}: the body is the first "
            "text/plain part that is not an attachment (msg.get_body(preferencelist=('plain',)))",
            label=label, got=show(got), expected=expected)


# -- list_attachments / save_attachments ------------------------------------------------------------


@pytest.mark.points(2)
def test_list_attachments_non_ascii_names(student_module) -> None:
    """list_attachments decodes RFC 2231 and RFC 2047 filenames ('报告.pdf', '数据.csv') and sizes."""
    parse = student_module(MODULE)
    what = tr("list_attachments(<3 attachments>)")
    got, exc = invoke(parse, "list_attachments", ATTACHMENTS)
    no_exception(what, exc)
    expected = [(name, len(data)) for name, data in ATTACHMENT_FILES]
    pairs = [tuple(x) if isinstance(x, (list, tuple)) else x for x in got] if isinstance(got, list) else got
    assert pairs == expected, tr(
        "{what} returned {got}, expected {expected!r}. part.get_filename() "
        "decodes RFC 2231 (filename*=utf-8''...); an =?charset?b?...?= name still needs decode_header_value; "
        "the size is len(part.get_payload(decode=True))", what=what, got=show(got), expected=expected)


@pytest.mark.points(2)
def test_save_attachments_non_ascii_names(student_module, tmp_path: Path) -> None:
    """save_attachments writes 报告.pdf, 数据.csv, 'pixel map.png' byte for byte, in a folder it creates."""
    dest = make_dir(tmp_path, "inbox") / "new folder"
    parse = student_module(MODULE)
    got, exc = invoke(parse, "save_attachments", ATTACHMENTS, str(dest))
    no_exception(f"save_attachments(raw, {str(dest)!r})", exc)
    assert dest.is_dir(), tr("save_attachments must create {dest!r} when it is missing (os.makedirs)",
                             dest=str(dest))
    expected = [dest / name for name, _ in ATTACHMENT_FILES]
    assert isinstance(got, list) and [local(tmp_path, p) for p in got] == [p.resolve() for p in expected], tr(
        "save_attachments(raw, {dest!r}) returned {got}, expected {expected}",
        dest=str(dest), got=show(got), expected=[str(p) for p in expected])
    for name, data in ATTACHMENT_FILES:
        stored = (dest / name).read_bytes()
        assert stored == data, tr("{name} holds {size} bytes {start!r}..., expected {want_size} bytes",
                                  name=name, size=len(stored), start=stored[:20], want_size=len(data))


@pytest.mark.points(3)
def test_save_attachments_never_escapes(student_module, tmp_path: Path) -> None:
    """Attachment names like '../../x', '..\\..\\x' or an absolute path never write outside the folder."""
    outside = tmp_path / "escape3.txt"
    names = [
        ("filename*=utf-8''" + urllib.parse.quote("../../escape1.txt", safe=""), "escape1.txt"),
        ("filename*=utf-8''" + urllib.parse.quote("..\\..\\escape2.txt", safe=""), "escape2.txt"),
        ("filename*=utf-8''" + urllib.parse.quote(str(outside), safe=""), "escape3.txt"),
        ('filename="=?utf-8?q?=2E=2E/=2E=2E/escape4.txt?="', "escape4.txt"),
    ]
    body = b"--evil-1\nContent-Type: text/plain\n\nsee attached\n"
    for i, (param, _) in enumerate(names, 1):
        body += (f"--evil-1\nContent-Type: text/plain\nContent-Disposition: attachment; {param}\n\n"
                 f"gotcha {i}\n").encode()
    raw = message(BASE_HEADERS + 'Content-Type: multipart/mixed; boundary="evil-1"', body + b"--evil-1--\n")
    dest = make_dir(tmp_path, "home", "mail", "attachments")
    parse = student_module(MODULE)
    what = f"save_attachments(raw, {str(dest)!r})"
    got, exc = invoke(parse, "save_attachments", raw, str(dest))
    escaped = [str(p) for p in files_under(tmp_path) if dest.resolve() not in p.resolve().parents]
    check(not escaped, "path_traversal", call=what, expected=tr("files only inside {dest!r}", dest=str(dest)),
          actual=tr("files written outside it: {escaped}", escaped=escaped),
          detail=tr("The names were: {names}", names=", ".join(p for p, _ in names)))
    no_exception(what, exc)
    saved = sorted(p.name for p in files_under(dest))
    want = sorted(name for _, name in names)
    assert saved == want, tr(
        "{what} saved {saved}, expected {want}: keep the LAST part of each name (treat '\\\\' like '/') "
        "and save it inside the folder", what=what, saved=saved, want=want)
    assert isinstance(got, list) and all(os.path.dirname(local(tmp_path, p)) == str(dest.resolve())
                                         for p in got), tr(
        "{what} returned {got}: every path must be directly inside {dest!r}",
        what=what, got=show(got), dest=str(dest))


@pytest.mark.points(1)
def test_save_attachments_skips_dot_names(student_module, tmp_path: Path) -> None:
    """Attachments named '..' or '.' are skipped (no error); the others are still saved."""
    body = b"--dots-2\nContent-Type: text/plain\n\nbody\n"
    for name in ("..", ".", "ok.txt"):
        body += (f'--dots-2\nContent-Type: text/plain\nContent-Disposition: attachment; filename="{name}"\n\n'
                 f"data of {name}\n").encode()  # tr: data
    raw = message(BASE_HEADERS + 'Content-Type: multipart/mixed; boundary="dots-2"', body + b"--dots-2--\n")
    dest = make_dir(tmp_path, "saved")
    parse = student_module(MODULE)
    what = f"save_attachments(<'..', '.', 'ok.txt'>, {str(dest)!r})"
    got, exc = invoke(parse, "save_attachments", raw, str(dest))
    escaped = [str(p) for p in files_under(tmp_path) if dest.resolve() not in p.resolve().parents]
    check(not escaped, "path_traversal", call=what, expected=tr("files only inside {dest!r}", dest=str(dest)),
          actual=tr("files written outside it: {escaped}", escaped=escaped))
    no_exception(what, exc, tr(": skip names that are '', '.' or '..'"))
    assert [p.name for p in files_under(dest)] == ["ok.txt"], tr(
        "{what} left {names} in the folder, expected only ['ok.txt']",
        what=what, names=[p.name for p in files_under(dest)])
    assert isinstance(got, list) and [local(tmp_path, p) for p in got] == [(dest / "ok.txt").resolve()], tr(
        "{what} returned {got}, expected [{path!r}]", what=what, got=show(got), path=str(dest / "ok.txt"))
