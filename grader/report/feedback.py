"""feedback.md and feedback.html: what one student reads about their submission.

Why both: Markdown for a repository or an LMS text box, HTML (self-contained, every
string escaped, no script) to open in a browser or mail. Both come from
:func:`feedback_items` and :func:`overview_rows`, so they cannot disagree.

One scale: every number is the course grade (:attr:`SubmissionResult.grade` of
:attr:`~SubmissionResult.grade_max`, 100 for the course), each exercise its grade of its
weight, each test its share of that weight (:meth:`SubmissionResult.test_grade`), all
formatted by :func:`~grader.report.model.fmt_grade`. The raw test points never appear
here (they stay in result.json), so the feedback, grades.csv and Gradescope agree.

Order, as a beginner reads it: the score and an overview (one row per exercise: its grade,
✓ when full, tests passed; then the beginner mistakes the tests named, with how many
tests named each), the problems found before testing (the first thing to fix), grader
notes, then per exercise each test with ✓/✗, its share, and, when its visibility allows,
the failure message and the server transcripts. In HTML each exercise is a ``<details>``:
open when it lost points (what there is to fix), closed at full marks.

Read as a student reads it: one mistake usually fails several tests in a row with the
same traceback, hint and transcript, only the call differing. So a message equal to the
one above is not repeated, one whose details (all but its first line, the call) were
already shown for this exercise shows just that line, a transcript already shown for this
exercise (times and client ports aside: :func:`transcript_key`) is replaced by "same
transcript as above", and a transcript in which the server saw nothing at all is left out.

Language: every fixed word comes from the message catalogue (``report.*`` and
``feedback_view.*`` keys) in the language the submission was graded in
(:attr:`SubmissionResult.lang`, recorded in result.json), else the current one
(``--lang`` / ``NETLINGS_LANG``), so headings and the harness's verdicts under them never
mix two languages.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from ..messages import CATALOG, msg
from .model import Problem, Section, Status, SubmissionResult, TestResult, fmt_grade
from .safe_text import html_text, md_code_block, md_label, md_text
from .scale import exercise_title

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
    points: str  # "0.67/0.67": the test's share of its exercise's weight, on the course's scale
    note: str = ""  # "timed out", "details hidden until the due date"
    message: str = ""
    sections: list[Section] = field(default_factory=list)
    reason: str = ""  # why a skipped test was skipped, as the test said it (inside ``note`` too)
    repeated: list[str] = field(default_factory=list)
    """Titles of this test's transcripts that were already shown above in the exercise (said, not shown)."""


@dataclass
class Block:
    """One exercise: its grade of its weight, its visible tests, and a summary of its hidden ones."""

    exercise: str
    earned: float  # on the course's scale
    possible: float  # the exercise's weight (0: every test skipped)
    lines: list[Line]
    hidden_passed: int = 0
    hidden_total: int = 0
    hidden_earned: float = 0.0
    hidden_possible: float = 0.0
    passed: int = 0
    """Tests that passed, hidden ones included (skipped ones count neither way)."""
    total: int = 0
    causes: set[str] = field(default_factory=set)
    """The first lines of the visible failures' messages (what went wrong, once each)."""

    @property
    def one_cause(self) -> str:
        """The one reason, when nothing here passed and every visible failure says the same.

        That is a stub not started yet, or one crash at import, failing 15 tests alike:
        the HTML keeps such an exercise folded with the reason beside its heading, so a
        half-done submission's page is not 10,000 px of the same sentence.
        """
        return next(iter(self.causes)) if self.passed == 0 and len(self.causes) == 1 else ""

    @property
    def full(self) -> bool:
        """Full marks: nothing left to fix here (an exercise whose every test was skipped is not "full")."""
        return self.possible > 0 and self.earned >= self.possible

    @property
    def to_fix(self) -> bool:
        """A test here did not pass: the student has something to do (its details start open)."""
        return self.passed < self.total


def problem_text(problem: Problem) -> str:
    """``01_udp/udp_server.py: your file has a syntax error at line 3: …`` (path once)."""
    if problem.path and problem.path not in problem.message:
        return f"{problem.path}: {problem.message}"
    return problem.message


SAME_AS_ABOVE = "report.same_as_above"
SAME_DETAILS = "report.details_as_above"
SAME_TRANSCRIPT = "feedback_view.same_transcript"
_NOTHING_SEEN = re.compile(r"^-- .+: no connections$")


def _says_something(section: Section) -> bool:
    """False for a transcript in which the server saw nothing at all (``-- udp: no connections``)."""
    lines = [line for line in section.text.splitlines() if line.strip()]
    return not lines or not all(_NOTHING_SEEN.match(line) for line in lines)


def feedback_language(result: SubmissionResult, lang: str | None = None) -> str | None:
    """``lang`` if given, else the language ``result`` was graded in, else None (the current one)."""
    return lang or result.lang or None


def grade_text(earned: float, possible: float) -> str:
    """``5.33/8``: a grade of its maximum on the course's scale."""
    return f"{fmt_grade(earned)}/{fmt_grade(possible)}"


def _line(result: SubmissionResult, test: TestResult, lang: str | None) -> Line:
    mark = "✓" if test.passed else ("–" if test.status is Status.SKIPPED else "✗")
    points = grade_text(*result.test_grade(test))
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


_TIMESTAMP = re.compile(r"^(\s*)\[\s*\d+\.\d+\]", re.M)
_PEER_PORT = re.compile(r"(?<![\w.:])(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]|localhost):\d{1,5}\b")


def transcript_key(text: str) -> str:
    """What makes two transcripts "the same" to a student: their lines, not their times or client ports.

    Every test starts a new server, so two runs of one conversation differ in their
    timestamps (``[  0.036]``) and the client's port (``from 127.0.0.1:55012``) and in
    nothing a beginner reads; compared raw, no transcript would ever repeat.
    """
    return _PEER_PORT.sub(r"\1:…", _TIMESTAMP.sub(r"\1[…]", text))


def _once(line: Line, shown: set[str]) -> None:
    """Keep the transcripts not yet shown in this exercise; name the others in ``line.repeated``."""
    fresh = []
    for section in line.sections:
        key = transcript_key(section.text)
        if key in shown:
            line.repeated.append(section.title)
        else:
            shown.add(key)
            fresh.append(section)
    line.sections = fresh


def feedback_items(result: SubmissionResult, lang: str | None = None) -> list[Block]:
    """Per exercise, the lines to show; what the test above already said is not said again.

    The notes (timed out, skipped, same as above …) are in ``lang``, else the result's language.
    """
    lang = feedback_language(result, lang)
    blocks = []
    previous = None
    grades = result.exercise_grades()
    for exercise, tests in result.by_exercise().items():
        earned, possible = grades[exercise]
        block = Block(exercise, earned, possible, [])
        shown: dict[str, Line] = {}  # details already shown in this exercise → their line
        transcripts: set[str] = set()  # transcripts already shown in this exercise (transcript_key)
        for test in tests:
            if test.status is not Status.SKIPPED:
                block.total += 1
                block.passed += test.passed
            if test.visibility == "hidden":
                test_earned, test_possible = result.test_grade(test)
                block.hidden_total += 1
                block.hidden_passed += test.passed
                block.hidden_earned += test_earned
                block.hidden_possible += test_possible
                continue
            line = _line(result, test, lang)
            if line.message:
                block.causes.add(line.message.partition("\n")[0])
            if line.message and previous is not None and line.message == previous.message:
                line.note = _with_note(line.note, SAME_AS_ABOVE, lang)
                line.message = ""
            elif line.message and _rest(line.message) in shown:
                previous = replace(line)
                line.message = line.message.partition("\n")[0]
                line.note = _with_note(line.note, SAME_DETAILS, lang)
            elif line.message:
                previous = replace(line)
                if _rest(line.message):
                    shown[_rest(line.message)] = previous
            _once(line, transcripts)
            block.lines.append(line)
        blocks.append(block)
    return blocks


def named_mistakes(result: SubmissionResult) -> list[tuple[str, int]]:
    """``[(mistake id, number of tests that named it)]``, most named first, for the overview.

    Only tests whose details the student may see count (visible ones): a hidden test's
    mistake would tell what it checks. Ids the catalogue does not know are left out (a
    result.json is read back from a process that ran student code: its ids are not trusted).
    """
    counts: Counter[str] = Counter()
    for test in result.tests:
        if test.visibility != "visible" or test.passed or test.status is Status.SKIPPED:
            continue
        for mistake in dict.fromkeys(test.mistakes):  # one test names a mistake once
            if f"mistake.{mistake}.title" in CATALOG:
                counts[mistake] += 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


@dataclass(frozen=True)
class OverviewRow:
    """One exercise in the overview table."""

    exercise: str
    grade: str  # "5.33/8"
    full: bool
    passed: int
    total: int
    title: str = ""  # the manifest's title in the feedback's language ("" when it has none)


def overview_rows(blocks: list[Block], lang: str | None = None) -> list[OverviewRow]:
    return [OverviewRow(b.exercise, grade_text(b.earned, b.possible), b.full, b.passed, b.total,
                        exercise_title(b.exercise, lang)) for b in blocks]


def _mistake_line(mistake: str, count: int, lang: str | None) -> tuple[str, str]:
    """``(title, "named by 3 tests")`` of one named mistake."""
    return (msg(f"mistake.{mistake}.title", lang),
            msg("feedback_view.named_by_one" if count == 1 else "feedback_view.named_by_many", lang,
                count=count))


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
               earned=fmt_grade(block.hidden_earned), possible=fmt_grade(block.hidden_possible))


def _exercise_score(block: Block, lang: str | None, exercise: str) -> str:
    return msg("report.exercise_score", lang, exercise=exercise, earned=fmt_grade(block.earned),
               possible=fmt_grade(block.possible))


def _score(result: SubmissionResult, lang: str | None) -> str:
    return msg("report.score", lang, score=fmt_grade(result.grade), max_score=fmt_grade(result.grade_max))


def _columns(lang: str | None) -> list[str]:
    return [msg(f"feedback_view.column_{name}", lang) for name in ("exercise", "grade", "tests")]


def _markdown_overview(result: SubmissionResult, blocks: list[Block], lang: str | None) -> list[str]:
    rows = overview_rows(blocks, lang)
    if not rows:
        return []
    out = [f"## {msg('feedback_view.overview_heading', lang)}", "",
           "| " + " | ".join(md_label(c) for c in _columns(lang)) + " |", "| --- | ---: | ---: |"]
    for row in rows:
        grade = f"✓ {row.grade}" if row.full else row.grade
        title = f" {md_label(row.title)}" if row.title else ""
        out.append(f"| {md_label(row.exercise)}{title} | {grade} | {row.passed}/{row.total} |")
    out.append("")
    mistakes = named_mistakes(result)
    if mistakes:
        out += [f"**{msg('feedback_view.mistakes_heading', lang)}**", ""]
        for mistake, count in mistakes:
            title, named = _mistake_line(mistake, count, lang)
            out.append(f"- {md_label(title)} {msg('report.test_points', lang, points=named)}")
        out.append("")
    return out


def _repeated(title: str, lang: str | None) -> str:
    return msg(SAME_TRANSCRIPT, lang, title=title)


def render_markdown(result: SubmissionResult, lang: str | None = None) -> str:
    """feedback.md in ``lang`` (default: the language ``result`` was graded in)."""
    lang = feedback_language(result, lang)
    blocks = feedback_items(result, lang)
    out = [f"# {msg('report.feedback_title', lang, student=md_text(result.student))}", "",
           f"**{_score(result, lang)}**", ""]
    out += _markdown_overview(result, blocks, lang)
    if result.student_problems():
        out += [f"## {msg('report.problems_heading', lang)}", ""]
        for problem in result.student_problems():
            first, _, rest = problem_text(problem).partition("\n")
            out.append(f"- {md_text(first)}")
            if rest.strip():
                out += [""] + md_code_block(rest) + [""]
        if out[-1]:
            out.append("")
    if result.notes:
        out += [f"## {msg('report.notes_heading', lang)}", ""]
        out += [f"- {md_text(note)}" for note in result.notes] + [""]
    for block in blocks:
        out += [f"## {_exercise_score(block, lang, md_label(block.exercise))}", ""]
        for line in block.lines:
            out.append(f"- {line.mark} {md_label(line.description)} {_points(line, lang, markdown=True)}")
            if line.message:
                out += [""] + md_code_block(line.message) + [""]
            for section in line.sections:
                title = msg("report.heading_colon", lang, heading=md_label(section.title))
                out += ([] if out[-1] == "" else [""]) + [f"  {title}", ""]
                out += md_code_block(section.text) + [""]
            for title in line.repeated:
                out += ([] if out[-1] == "" else [""]) + [f"  {_repeated(md_label(title), lang)}", ""]
        if block.hidden_total:
            out.append(f"- {_hidden_summary(block, lang)}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# -- HTML -----------------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { margin-bottom: .2rem; } .score { font-size: 1.3rem; font-weight: bold; }
.overview { border: 1px solid #d0d7de; border-radius: 6px; padding: .2rem 1rem .6rem; margin: 1rem 0; }
.overview table { border-collapse: collapse; margin: .4rem 0; }
.overview th, .overview td { padding: .2rem .8rem; border-bottom: 1px solid #eaeef2; text-align: left; }
.overview td.num { text-align: right; white-space: nowrap; } .overview tr.full .mark { color: #1a7f37; }
.overview h2 { font-size: 1.05rem; margin: .6rem 0 .2rem; }
.problems { background: #fff4e5; border-left: 4px solid #e69500; padding: .5rem 1rem; }
details.exercise { margin: .6rem 0; } details.exercise > summary { cursor: pointer; }
details.exercise > summary h2 { display: inline; font-size: 1.2rem; }
details.exercise > summary p.cause { margin: .2rem 0 0 1.2rem; color: #cf222e; }
ul.tests { list-style: none; padding-left: 0; } ul.tests li { margin: .4rem 0; }
.pass .mark { color: #1a7f37; } .fail .mark { color: #cf222e; } .mark { font-weight: bold; }
.note { color: #666; } pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; white-space: pre-wrap; }
"""


_SLOT = "\ue000"
"""Where the note goes in the points' sentence (a private-use character: in no catalogue sentence)."""


def _html_overview(result: SubmissionResult, blocks: list[Block], lang: str | None) -> list[str]:
    """The top of the page: the score, one row per exercise, the mistakes named.

    No links (the exercise's details follow in the same order): a page with no ``href`` at
    all is one where no student text can have become a link.
    """
    e = html_text
    out = ['<div class="overview">', f'<p class="score">{e(_score(result, lang))}</p>']
    rows = overview_rows(blocks, lang)
    if rows:
        head = "".join(f"<th>{e(c)}</th>" for c in _columns(lang))
        out += ['<table class="exercises">', f"<thead><tr>{head}</tr></thead>", "<tbody>"]
        for row in rows:
            mark = '<span class="mark">✓</span> ' if row.full else ""
            css = "full" if row.full else "partial"
            title = f' <span class="title">{e(row.title)}</span>' if row.title else ""
            out.append(f'<tr class="{css}"><td><code>{e(row.exercise)}</code>{title}</td>'
                       f'<td class="num">{mark}{e(row.grade)}</td>'
                       f'<td class="num">{row.passed}/{row.total}</td></tr>')
        out += ["</tbody>", "</table>"]
    mistakes = named_mistakes(result)
    if mistakes:
        out += [f"<h2>{e(msg('feedback_view.mistakes_heading', lang))}</h2>", '<ul class="mistakes">']
        for mistake, count in mistakes:
            title, named = _mistake_line(mistake, count, lang)
            out.append(f'<li>{e(title)} <span class="note">{e(msg("report.test_points", lang, points=named))}'
                       "</span></li>")
        out.append("</ul>")
    out.append("</div>")
    return out


def render_html(result: SubmissionResult, lang: str | None = None) -> str:
    """feedback.html in ``lang`` (default: the language ``result`` was graded in), every string escaped.

    Escaped by :func:`~grader.report.safe_text.html_text`: no markup, no control character.
    Self-contained (inline CSS, no script, nothing fetched); folding is ``<details>``.
    """
    lang = feedback_language(result, lang)
    e = html_text
    blocks = feedback_items(result, lang)
    title = e(msg("report.feedback_title", lang, student=result.student))
    out = ["<!DOCTYPE html>", f'<html lang="{e(msg("report.html_lang", lang))}">', "<head>",
           '<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{title}</title>", f"<style>{_CSS}</style>", "</head>", "<body>", f"<h1>{title}</h1>"]
    out += _html_overview(result, blocks, lang)
    if result.student_problems():
        out += ['<div class="problems">', f"<h2>{e(msg('report.problems_heading', lang))}</h2>", "<ul>"]
        for problem in result.student_problems():
            first, _, rest = problem_text(problem).partition("\n")
            out.append(f"<li>{e(first)}" + (f"<pre>{e(rest)}</pre>" if rest.strip() else "") + "</li>")
        out += ["</ul>", "</div>"]
    if result.notes:
        out += [f"<h2>{e(msg('report.notes_heading', lang))}</h2>", "<ul>"]
        out += [f"<li>{e(n)}</li>" for n in result.notes] + ["</ul>"]
    for number, block in enumerate(blocks, start=1):
        heading = e(_exercise_score(block, lang, block.exercise))
        opened = " open" if block.to_fix and not block.one_cause else ""
        cause = f'<p class="cause">{e(block.one_cause)}</p>' if block.one_cause else ""
        out += ["<section>", f'<details class="exercise" id="exercise-{number}"{opened}>',
                f"<summary><h2>{heading}</h2>{cause}</summary>", '<ul class="tests">']
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
            for repeated in line.repeated:
                out.append(f'<p class="note">{e(_repeated(repeated, lang))}</p>')
            out.append("</li>")
        if block.hidden_total:
            out.append(f'<li class="note">{e(_hidden_summary(block, lang))}</li>')
        out += ["</ul>", "</details>", "</section>"]
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
