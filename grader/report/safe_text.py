"""Student text made safe to show: no control characters, no markup, no links.

Why one module: a student's code decides much of what the reports show (exception
messages, returned values, server transcripts, file names in pre-flight problems, the
student id from a folder or zip name). Shown raw, that text can run script in a browser
(``<script>``, ``[x](javascript:…)``), clear or rewrite the instructor's terminal
(``ESC [2J``), or reorder what is read (bidi overrides). Every writer (feedback.md and
.html, summary.md, grades.csv, Gradescope's text, the CLI's lines) goes through these
few functions, so a hole is fixed in one place.

* :func:`clean`: the base of all others. Keeps ``\\n`` and ``\\t``; drops terminal escape
  sequences, every other C0/C1 control character and the bidi embedding/override/isolate
  characters (U+202A-U+202E, U+2066-U+2069); a lone surrogate (possible in JSON) becomes
  U+FFFD, so writing the text as UTF-8 cannot fail.
* :func:`html_text`: :func:`clean` then :func:`html.escape` (quotes too: safe in attributes).
* :func:`md_text`: one line of student text inside Markdown prose or a table cell,
  escaped so that no renderer sees markup, HTML, a link or a table border in it.
* :func:`md_label`: the lighter escape for the suite's own words (exercise ids, test
  descriptions), which read better with their punctuation left alone.
* :func:`md_code_block` / :func:`md_code_span`: verbatim text in a fence (or a span)
  longer than any backtick run inside, so it cannot close early.
* :func:`line`: one line for a terminal (no newline can forge a second line).
"""

from __future__ import annotations

import html
import re
from typing import Any

_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, clear screen
    r"|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlinks (never past a line)
    r"|\x1b[@-_]"  # any other two-character escape
)
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: Any) -> str:
    """``text`` as a string without control characters but ``\\n`` and ``\\t`` (see the module)."""
    text = "" if text is None else str(text)
    text = text.replace("\r\n", "\n")
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _UNSAFE.sub("", text)
    return _SURROGATE.sub("\ufffd", text)


def line(text: Any) -> str:
    """One line for a terminal or a single-line field: :func:`clean`, newlines and tabs as spaces."""
    return re.sub(r"[\n\t]", " ", clean(text))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def csv_cell(text: Any) -> str:
    """One CSV cell a spreadsheet will not run: :func:`line`, and a leading ``'`` before a formula sign.

    Why: a roster name or submission name such as ``=HYPERLINK(...)`` is a formula to Excel,
    LibreOffice and Google Sheets when the instructor opens grades.csv (OWASP's "CSV
    injection"). A number such as ``-1`` or ``+3`` is left alone: it is a grade, not a formula.
    """
    cell = line(text)
    if cell.startswith(_FORMULA_START) and not re.fullmatch(r"[+-]?\d+(\.\d+)?", cell):
        return "'" + cell
    return cell


def html_text(text: Any) -> str:
    """Text for an HTML page: :func:`clean`, then escaped (``<``, ``>``, ``&`` and both quotes)."""
    return html.escape(clean(text), quote=True)


# -- Markdown -------------------------------------------------------------------------------

_MD_PUNCT = re.compile(r"([\\`*_\[\]()|#~!:{}])")
"""What starts or ends Markdown syntax in running text: emphasis, code, links and images,
table cells, headings, strikethrough; ``:`` so no scheme (``javascript:``, ``http:``) is
left whole for a renderer that links bare URLs."""
_MD_LABEL = re.compile(r"([\\`*_\[\]|#~])")
_LEADING_BLOCK = re.compile(r"^(?:[-+=]|\d+\.)")
_WWW = re.compile(r"(?i)(?<=www)\.")


def _entities(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def md_text(text: Any) -> str:
    """One line of student text for Markdown prose or a table cell, every piece of syntax escaped.

    ``<`` ``>`` ``&`` become entities (no HTML, no autolink, and no ``<script`` even in the
    file's raw text); the punctuation of :data:`_MD_PUNCT` gets a backslash (so ``[x](…)``
    is no link and ``|`` no cell border); ``www.`` and ``@`` lose what makes GFM link them;
    a leading ``-``, ``+``, ``=`` or ``1.`` cannot start a list or a heading.
    """
    text = _MD_PUNCT.sub(r"\\\1", _entities(line(text).strip()))
    text = _WWW.sub(r"\\.", text).replace("@", "\\@")
    return _LEADING_BLOCK.sub(_no_block, text, count=1)


def _no_block(match: re.Match[str]) -> str:
    """``\\-`` or ``1\\.``: a line that starts so is no list item or heading."""
    mark = match[0]
    return mark[:-1] + "\\." if mark.endswith(".") else "\\" + mark


def md_label(text: Any) -> str:
    """The suite's own words (an exercise id, a test's description) for Markdown prose or a table cell.

    Lighter than :func:`md_text`: brackets and parentheses are what these read with
    (``countdown(3) counts down``), and the suite is the instructor's; still no HTML, no
    link, no emphasis and no cell border.
    """
    return _MD_LABEL.sub(r"\\\1", _entities(line(text)))


def _longest_backticks(text: str) -> int:
    return max((len(m) for m in re.findall(r"`+", text)), default=0)


def md_code_block(text: Any, indent: str = "  ", info: str = "text") -> list[str]:
    """``text`` verbatim in a fenced block (as lines), the fence longer than any backtick run in it."""
    text = clean(text)
    fence = "`" * max(3, _longest_backticks(text) + 1)
    body = [indent + row if row else "" for row in text.rstrip("\n").split("\n")]
    return [f"{indent}{fence}{info}", *body, f"{indent}{fence}"]


def md_code_span(text: Any, *, in_table: bool = False) -> str:
    """``text`` (one line) as an inline code span; ``in_table``: its ``|`` escaped as GFM tables need.

    In a table, a ``|`` right after a backslash would end the cell whatever we add (the
    renderer reads ``\\\\`` as one escaped backslash), so a space is put between the two first.
    """
    text = line(text)
    if not text.strip():
        return md_text(text)
    if in_table:
        text = text.replace("\\|", "\\ |").replace("|", "\\|")
    ticks = "`" * (_longest_backticks(text) + 1)
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


__all__ = ["clean", "html_text", "line", "md_code_block", "md_code_span", "md_label", "md_text"]
