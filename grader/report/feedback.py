"""feedback.md and feedback.html: what one student reads about their submission.

Why both: Markdown for a repository or an LMS text box, HTML (self-contained, every
string escaped) to open in a browser or mail. Both come from :func:`feedback_items`,
so they cannot disagree. Order: score, problems found before testing (the first thing
to fix), grader notes, then per exercise each test with ✓/✗, its points, and, when
its visibility allows, the failure message and the server transcripts.

Read as a student reads it: one mistake usually fails several tests in a row with the
same traceback and hint, only the call differing. So a message equal to the one above
is not repeated, and one whose details (all but its first line, the call) were already
shown for this exercise shows just that line; a transcript in which the server saw
nothing at all is left out.

Language: every fixed word comes from the message catalogue (``report.*`` keys) in the
language the submission was graded in (:attr:`SubmissionResult.lang`, recorded in
result.json), else the current one (``--lang`` / ``NETLINGS_LANG``), so headings and
the harness's verdicts under them never mix two languages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..messages import msg
from .model import Problem, Section, Status, SubmissionResult, TestResult, fmt_points
from .safe_text import html_text, md_code_block, md_label, md_text

HIDDEN_NOTE = {
    "after_due_date": "report.hidden_until_due_date",
    "after_published": "report.hidden_until_published",
}
"""Visibilities whose failure details wait, and the catalogue key that says so."""
STATUS_NOTE = {Status.TIMEOUT: "report.timed_out", Status.ERROR: "report.error",
               Status.SKIPPED: "report.skipped"}


@dataclass
class Line:
    """One test as shown to a student."""

    mark: str  # ✓ ✗ –
    status: Status
    description: str
    points: str  # "2/2"
    note: str = ""  # "timed out", "details hidden until the due date"
    message: str = ""
    sections: list[Section] = field(default_factory=list)
    reason: str = ""  # why a skipped test was skipped, as the test said it (inside ``note`` too)


@dataclass
class Block:
    """One exercise: its score, its visible tests, and a summary of its hidden ones."""

    exercise: str
    earned: float
    possible: float
    lines: list[Line]
    hidden_passed: int = 0
    hidden_total: int = 0
    hidden_earned: float = 0.0
    hidden_possible: float = 0.0


def problem_text(problem: Problem) -> str:
    """``01_udp/udp_server.py: your file has a syntax error at line 3: …`` (path once)."""
    if problem.path and problem.path not in problem.message:
        return f"{problem.path}: {problem.message}"
    return problem.message


SAME_AS_ABOVE = "report.same_as_above"
SAME_DETAILS = "report.details_as_above"
_NOTHING_SEEN = re.compile(r"^-- .+: no connections$")


def _says_something(section: Section) -> bool:
    """False for a transcript in which the server saw nothing at all (``-- udp: no connections``)."""
    lines = [line for line in section.text.splitlines() if line.strip()]
    return not lines or not all(_NOTHING_SEEN.match(line) for line in lines)


def feedback_language(result: SubmissionResult, lang: str | None = None) -> str | None:
    """``lang`` if given, else the language ``result`` was graded in, else None (the current one)."""
    return lang or result.lang or None


def _line(test: TestResult, lang: str | None) -> Line:
    mark = "✓" if test.passed else ("–" if test.status is Status.SKIPPED else "✗")
    points = f"{fmt_points(test.earned)}/{fmt_points(test.points)}"
    if test.status is Status.SKIPPED:
        note = (msg("report.skipped_because", lang, reason=test.message) if test.message
                else msg("report.skipped", lang))
        return Line(mark, test.status, test.description, msg("report.not_counted", lang), note,
                    reason=test.message)
    note = msg(STATUS_NOTE[test.status], lang) if test.status in STATUS_NOTE else ""
    if test.visibility in HIDDEN_NOTE and not test.passed:
        return Line(mark, test.status, test.description, points, msg(HIDDEN_NOTE[test.visibility], lang))
    message = "" if test.passed else test.message
    sections = [] if test.passed else [s for s in test.sections if _says_something(s)]
    return Line(mark, test.status, test.description, points, note, message, sections)


def _rest(message: str) -> str:
    return message.partition("\n")[2].strip()


def _with_note(note: str, key: str, lang: str | None) -> str:
    return msg("report.note_separator", lang).join(x for x in (note, msg(key, lang)) if x)


def feedback_items(result: SubmissionResult, lang: str | None = None) -> list[Block]:
    """Per exercise, the lines to show; what the test above already said is not said again.

    The notes (timed out, skipped, same as above …) are in ``lang``, else the result's language.
    """
    lang = feedback_language(result, lang)
    blocks = []
    previous = None
    scores = result.exercise_scores()
    for exercise, tests in result.by_exercise().items():
        earned, possible = scores[exercise]
        block = Block(exercise, earned, possible, [])
        shown: dict[str, Line] = {}  # details already shown in this exercise → their line
        for test in tests:
            if test.visibility == "hidden":
                block.hidden_total += 1
                block.hidden_passed += test.passed
                block.hidden_earned += test.earned
                block.hidden_possible += test.possible
            else:
                line = _line(test, lang)
                if line.message and previous is not None and line.message == previous.message:
                    line.note = _with_note(line.note, SAME_AS_ABOVE, lang)
                    line.message, line.sections = "", []
                elif line.message and _rest(line.message) in shown:
                    earlier = shown[_rest(line.message)]
                    previous = replace(line)
                    line.message = line.message.partition("\n")[0]
                    line.note = _with_note(line.note, SAME_DETAILS, lang)
                    if line.sections == earlier.sections:
                        line.sections = []
                elif line.message:
                    previous = replace(line)
                    if _rest(line.message):
                        shown[_rest(line.message)] = previous
                block.lines.append(line)
        blocks.append(block)
    return blocks


# -- Markdown -------------------------------------------------------------------------------
# Student text (messages, transcripts, problems, notes, the student id) goes through
# safe_text: verbatim in a fence it cannot close, or escaped; the suite's own words
# (descriptions, exercise ids, transcript titles) get the lighter md_label.


def _points(line: Line, lang: str | None, *, markdown: bool = False) -> str:
    """``(2/2)`` or ``(0/1, timed out)``, with the language's own brackets and comma.

    ``markdown``: a skip reason (the test's own words, maybe a value it saw) escaped for Markdown.
    """
    note = line.note
    if markdown and line.reason:
        note = msg("report.skipped_because", lang, reason=md_text(line.reason))
    if note:
        return msg("report.test_points_note", lang, points=line.points, note=note)
    return msg("report.test_points", lang, points=line.points)


def _hidden_summary(block: Block, lang: str | None) -> str:
    return msg("report.hidden_summary", lang, passed=block.hidden_passed, total=block.hidden_total,
               earned=fmt_points(block.hidden_earned), possible=fmt_points(block.hidden_possible))


def _exercise_score(block: Block, lang: str | None, exercise: str) -> str:
    return msg("report.exercise_score", lang, exercise=exercise, earned=fmt_points(block.earned),
               possible=fmt_points(block.possible))


def _score(result: SubmissionResult, lang: str | None) -> str:
    return msg("report.score", lang, score=fmt_points(result.score), max_score=fmt_points(result.max_score))


def render_markdown(result: SubmissionResult, lang: str | None = None) -> str:
    """feedback.md in ``lang`` (default: the language ``result`` was graded in)."""
    lang = feedback_language(result, lang)
    out = [f"# {msg('report.feedback_title', lang, student=md_text(result.student))}", "",
           f"**{_score(result, lang)}**", ""]
    if result.problems:
        out += [f"## {msg('report.problems_heading', lang)}", ""]
        for problem in result.problems:
            first, _, rest = problem_text(problem).partition("\n")
            out.append(f"- {md_text(first)}")
            if rest.strip():
                out += [""] + md_code_block(rest) + [""]
        if out[-1]:
            out.append("")
    if result.notes:
        out += [f"## {msg('report.notes_heading', lang)}", ""]
        out += [f"- {md_text(note)}" for note in result.notes] + [""]
    for block in feedback_items(result, lang):
        out += [f"## {_exercise_score(block, lang, md_label(block.exercise))}", ""]
        for line in block.lines:
            out.append(f"- {line.mark} {md_label(line.description)} {_points(line, lang, markdown=True)}")
            if line.message:
                out += [""] + md_code_block(line.message) + [""]
            for section in line.sections:
                title = msg("report.heading_colon", lang, heading=md_label(section.title))
                out += ([] if out[-1] == "" else [""]) + [f"  {title}", ""]
                out += md_code_block(section.text) + [""]
        if block.hidden_total:
            out.append(f"- {_hidden_summary(block, lang)}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# -- HTML -----------------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { margin-bottom: .2rem; } .score { font-size: 1.3rem; font-weight: bold; }
.problems { background: #fff4e5; border-left: 4px solid #e69500; padding: .5rem 1rem; }
ul.tests { list-style: none; padding-left: 0; } ul.tests li { margin: .4rem 0; }
.pass .mark { color: #1a7f37; } .fail .mark { color: #cf222e; } .mark { font-weight: bold; }
.note { color: #666; } pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; white-space: pre-wrap; }
"""


_SLOT = "\ue000"
"""Where the note goes in the points' sentence (a private-use character: in no catalogue sentence)."""


def render_html(result: SubmissionResult, lang: str | None = None) -> str:
    """feedback.html in ``lang`` (default: the language ``result`` was graded in), every string escaped.

    Escaped by :func:`~grader.report.safe_text.html_text`: no markup, no control character.
    """
    lang = feedback_language(result, lang)
    e = html_text
    title = e(msg("report.feedback_title", lang, student=result.student))
    out = ["<!DOCTYPE html>", f'<html lang="{e(msg("report.html_lang", lang))}">', "<head>",
           '<meta charset="utf-8">', f"<title>{title}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
           f"<h1>{title}</h1>", f'<p class="score">{e(_score(result, lang))}</p>']
    if result.problems:
        out += ['<div class="problems">', f"<h2>{e(msg('report.problems_heading', lang))}</h2>", "<ul>"]
        for problem in result.problems:
            first, _, rest = problem_text(problem).partition("\n")
            out.append(f"<li>{e(first)}" + (f"<pre>{e(rest)}</pre>" if rest.strip() else "") + "</li>")
        out += ["</ul>", "</div>"]
    if result.notes:
        out += [f"<h2>{e(msg('report.notes_heading', lang))}</h2>", "<ul>"]
        out += [f"<li>{e(n)}</li>" for n in result.notes] + ["</ul>"]
    for block in feedback_items(result, lang):
        heading = e(_exercise_score(block, lang, block.exercise))
        out += ["<section>", f"<h2>{heading}</h2>", '<ul class="tests">']
        for line in block.lines:
            css = {Status.PASS: "pass", Status.SKIPPED: "skip"}.get(line.status, "fail")
            points = e(_points(line, lang))
            if line.note:  # the note in its own <span>, inside the language's brackets
                before, _, after = msg("report.test_points_note", lang, points=line.points,
                                       note=_SLOT).partition(_SLOT)
                points = f'{e(before)}<span class="note">{e(line.note)}</span>{e(after)}'
            out.append(f'<li class="{css}"><span class="mark">{e(line.mark)}</span> {e(line.description)} '
                       f"{points}")
            if line.message:
                out.append(f"<pre>{e(line.message)}</pre>")
            for section in line.sections:
                out.append(f"<details><summary>{e(section.title)}</summary><pre>{e(section.text)}</pre></details>")
            out.append("</li>")
        if block.hidden_total:
            out.append(f'<li class="note">{e(_hidden_summary(block, lang))}</li>')
        out += ["</ul>", "</section>"]
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
