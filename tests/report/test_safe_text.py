"""Student text in every report: shown, but never as markup, a link, or a terminal command.

What a student's code controls reaches the reports through messages, transcripts,
pre-flight problems (file names), notes and the student id. Each writer is given a
result full of hostile text and must render it harmlessly: no control character or
bidi override anywhere, no HTML tag or link a renderer would make of it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from markdown_it import MarkdownIt

from grader.report import BatchResult, Problem, Section, Status, SubmissionResult, TestResult
from grader.report.feedback import render_html, render_markdown
from grader.report.gradescope import to_gradescope
from grader.report.safe_text import clean, html_text, line, md_code_block, md_code_span, md_text
from grader.report.tables import render_grades_csv, render_summary
from grader.report.writers import RESULT_NAME, student_folder, write_submission

SCRIPT = "<script>alert(1)</script>"
LINK = "[x](javascript:alert(1))"
HOSTILE = [
    SCRIPT, LINK, "\x1b[2J\x1b]0;pwned\x07", "\u202egnp.exe\u202c", "\u2066isolated\u2069",
    "<img src=x onerror=alert(1)>", "<javascript:alert(1)>", "![i](javascript:alert(1))",
    "http://evil.example/ www.evil.example a@evil.example", "&lt;script&gt;", "| cell | break |",
    "\\|<b>after a backslash</b>", "``` fence", "- [ ] list", "# heading",
    "\x00\x07\x08\x0b\x0c\r\x7f\x85\x9b", "\ud800",
]
TEXT = " ".join(HOSTILE)
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _test(name: str, message: str, **options) -> TestResult:
    return TestResult(nodeid=f"u.py::{name}", exercise="01_udp/udp_client", name=name,
                      description=f"{name} works", status=options.pop("status", Status.FAIL), message=message,
                      **options)


def _hostile(student: str = "mallory") -> SubmissionResult:
    return SubmissionResult(
        student,
        problems=[Problem("syntax", f"01_udp/{TEXT}.py", f"{TEXT} has a syntax error\n{TEXT}")],
        notes=[f"stopped while running {TEXT}"],
        tests=[
            _test("test_a", f"udp_request() raised ValueError: {TEXT}\n\nYour traceback:\n{TEXT}",
                  sections=[Section("what the UDP server saw", f"C: {TEXT}\r\n")]),
            _test("test_b", f"{TEXT} first\nsecond"),
            _test("test_skip", f"skipped because {TEXT}", status=Status.SKIPPED),
        ])


def _rendered(markdown: str) -> str:
    """HTML of ``markdown`` by a CommonMark renderer with tables, any link scheme let through."""
    md = MarkdownIt("commonmark").enable("table")
    md.validateLink = lambda url: True
    return md.render(markdown)


def _no_markup(html: str, what: str) -> None:
    for tag in ("<script", "<img", "<a ", "<b>", "href="):
        assert tag not in html, f"{what}: student text became {tag!r}:\n{html}"


def test_clean_keeps_newlines_and_tabs_and_drops_every_other_control() -> None:
    assert clean("a\tb\nc\r\nd") == "a\tb\nc\nd"
    assert clean("\x1b[2Jred\x1b[31m!\x1b[0m") == "red!", "escape sequences go whole, not just their ESC"
    assert clean("\x1b]0;title\x07rest") == "rest"
    assert clean("x\x00\x07\x08\x0b\x0c\r\x7f\x85\x9by") == "xy"
    assert clean("\u202egnp.exe\u202c \u2066a\u2069 \u202a\u202b\u202d") == "gnp.exe a "
    assert clean("\ud800") == "\ufffd", "a lone surrogate could not be written as UTF-8"
    assert clean("中文 ✓ é") == "中文 ✓ é", "ordinary text is left alone"
    assert not UNSAFE.search(clean(TEXT))
    assert line("one\ntwo\tthree") == "one two three"


def test_md_text_is_plain_text_to_a_markdown_renderer() -> None:
    escaped = md_text(TEXT)
    assert "<" not in escaped and "javascript:" not in escaped and "\n" not in escaped
    for context in (f"- {escaped}", f"# {escaped}", f"| a | b |\n| --- | --- |\n| {escaped} | x |"):
        html = _rendered(context)
        _no_markup(html, context[:20])
        assert "alert(1)" in html, "the text itself is still shown"
    table = _rendered(f"| a | b |\n| --- | --- |\n| {escaped} | x |")
    assert table.count("<td>") == 2, f"no | of the student's may add a cell:\n{table}"
    assert md_text("- item") == "\\- item" and md_text("1. item") == "1\\. item"
    assert md_text("www.evil.example") == "www\\.evil.example" and md_text("a@b") == "a\\@b"


def test_code_blocks_and_spans_cannot_be_closed_from_inside() -> None:
    block = md_code_block("a\n````\nb " + SCRIPT)
    assert block[0] == "  `````text" and block[-1] == "  `````", block
    html = _rendered("\n".join(["- item", ""] + block))
    assert "&lt;script&gt;" in html and "<script" not in html
    span = md_code_span("x\\|" + SCRIPT + "|`y`", in_table=True)
    html = _rendered(f"| a | b |\n| --- | --- |\n| {span} | z |")
    assert html.count("<td>") == 2 and "<script" not in html, html


def test_feedback_markdown_shows_student_text_only_inside_code() -> None:
    text = render_markdown(_hostile())
    assert not UNSAFE.search(text), "no control or bidi character in feedback.md"
    _no_markup(_rendered(text), "feedback.md")
    assert "alert(1)" in text


def test_feedback_html_escapes_every_student_string() -> None:
    page = render_html(_hostile(f"x{SCRIPT}"))
    assert not UNSAFE.search(page), "no control or bidi character in feedback.html"
    _no_markup(page, "feedback.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_summary_escapes_every_student_string() -> None:
    batch = BatchResult(submissions=[_hostile("mallory"), _hostile(f"eve{LINK}")])
    summary = render_summary(batch)
    assert not UNSAFE.search(summary), "no control or bidi character in summary.md"
    assert "<script" not in summary and "javascript:" not in summary, "not even in summary.md's raw text"
    html = _rendered(summary)
    _no_markup(html, "summary.md")
    rows = [r for r in html.split("<tr>") if "u.py::test_b" in r]
    assert rows and all(r.count("<td") == 5 for r in rows), "the student's | breaks no table row"
    csv_text = render_grades_csv(batch)
    assert not UNSAFE.search(csv_text), "no control or bidi character in grades.csv"
    assert len(csv_text.splitlines()) == 4, "the header, the max row and one line per student: no forged row"


def test_gradescope_text_has_no_control_characters() -> None:
    document = to_gradescope(_hostile())
    assert not UNSAFE.search(json.dumps(document, ensure_ascii=False)), "no control or bidi character"
    assert {t["output_format"] for t in document["tests"]} == {"text"} and document["output_format"] == "text"
    assert any(SCRIPT in t["output"] for t in document["tests"]), "text format: Gradescope escapes it itself"


def test_html_text_escapes_quotes_for_attributes() -> None:
    assert html_text('"\'<>&') == "&quot;&#x27;&lt;&gt;&amp;"


def test_an_odd_and_huge_message_is_written(tmp_path: Path) -> None:
    """5 MB ending in a lone surrogate (valid in JSON, not in UTF-8): the files are still written."""
    result = SubmissionResult("odd", tests=[_test("test_a", "x" * 5_000_000 + "\x00\ud800 lone surrogate")])
    folder = student_folder(tmp_path, "odd")
    write_submission(result, folder)
    assert sorted(p.name for p in folder.iterdir()) == ["feedback.html", "feedback.md", RESULT_NAME]
    assert json.loads((folder / RESULT_NAME).read_text(encoding="utf-8"))["student"] == "odd"
