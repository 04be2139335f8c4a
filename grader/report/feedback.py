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
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace

from .model import Problem, Section, Status, SubmissionResult, TestResult, fmt_points

HIDDEN_NOTE = {
    "after_due_date": "details hidden until the due date",
    "after_published": "details hidden until grades are published",
}
STATUS_NOTE = {Status.TIMEOUT: "timed out", Status.ERROR: "error", Status.SKIPPED: "skipped"}


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


SAME_AS_ABOVE = "same message as above"
SAME_DETAILS = "details as above"
_NOTHING_SEEN = re.compile(r"^-- .+: no connections$")


def _says_something(section: Section) -> bool:
    """False for a transcript in which the server saw nothing at all (``-- udp: no connections``)."""
    lines = [line for line in section.text.splitlines() if line.strip()]
    return not lines or not all(_NOTHING_SEEN.match(line) for line in lines)


def _line(test: TestResult) -> Line:
    mark = "✓" if test.passed else ("–" if test.status is Status.SKIPPED else "✗")
    points = f"{fmt_points(test.earned)}/{fmt_points(test.points)}"
    if test.status is Status.SKIPPED:
        reason = f": {test.message}" if test.message else ""
        return Line(mark, test.status, test.description, "not counted", f"skipped{reason}")
    note = STATUS_NOTE.get(test.status, "")
    if test.visibility in HIDDEN_NOTE and not test.passed:
        return Line(mark, test.status, test.description, points, HIDDEN_NOTE[test.visibility])
    message = "" if test.passed else test.message
    sections = [] if test.passed else [s for s in test.sections if _says_something(s)]
    return Line(mark, test.status, test.description, points, note, message, sections)


def _rest(message: str) -> str:
    return message.partition("\n")[2].strip()


def feedback_items(result: SubmissionResult) -> list[Block]:
    """Per exercise, the lines to show; what the test above already said is not said again."""
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
                line = _line(test)
                if line.message and previous is not None and line.message == previous.message:
                    line.note = ", ".join(x for x in (line.note, SAME_AS_ABOVE) if x)
                    line.message, line.sections = "", []
                elif line.message and _rest(line.message) in shown:
                    earlier = shown[_rest(line.message)]
                    previous = replace(line)
                    line.message = line.message.partition("\n")[0]
                    line.note = ", ".join(x for x in (line.note, SAME_DETAILS) if x)
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


def _fence(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _code(text: str, indent: str = "  ") -> list[str]:
    fence = _fence(text)
    body = [indent + line if line else "" for line in text.rstrip("\n").splitlines()]
    return [f"{indent}{fence}text", *body, f"{indent}{fence}"]


def _md_inline(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text.replace("\n", " "))


def render_markdown(result: SubmissionResult) -> str:
    out = [f"# Feedback for {_md_inline(result.student)}", "",
           f"**Score: {fmt_points(result.score)}/{fmt_points(result.max_score)}**", ""]
    if result.problems:
        out += ["## Problems found before testing", ""]
        for problem in result.problems:
            first, _, rest = problem_text(problem).partition("\n")
            out.append(f"- {_md_inline(first)}")
            if rest.strip():
                out += [""] + _code(rest) + [""]
        if out[-1]:
            out.append("")
    if result.notes:
        out += ["## Notes from the grader", ""]
        out += [f"- {_md_inline(note)}" for note in result.notes] + [""]
    for block in feedback_items(result):
        score = f"{fmt_points(block.earned)}/{fmt_points(block.possible)} points"
        out += [f"## {_md_inline(block.exercise)}: {score}", ""]
        for line in block.lines:
            note = f", {line.note}" if line.note else ""
            out.append(f"- {line.mark} {_md_inline(line.description)} ({line.points}{note})")
            if line.message:
                out += [""] + _code(line.message) + [""]
            for section in line.sections:
                out += ([] if out[-1] == "" else [""]) + [f"  {_md_inline(section.title)}:", ""]
                out += _code(section.text) + [""]
        if block.hidden_total:
            out.append(f"- hidden tests: {block.hidden_passed} of {block.hidden_total} passed "
                       f"({fmt_points(block.hidden_earned)}/{fmt_points(block.hidden_possible)} points)")
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


def render_html(result: SubmissionResult) -> str:
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>Feedback for {e(result.student)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
           f"<h1>Feedback for {e(result.student)}</h1>",
           f'<p class="score">Score: {fmt_points(result.score)}/{fmt_points(result.max_score)}</p>']
    if result.problems:
        out += ['<div class="problems">', "<h2>Problems found before testing</h2>", "<ul>"]
        for problem in result.problems:
            first, _, rest = problem_text(problem).partition("\n")
            out.append(f"<li>{e(first)}" + (f"<pre>{e(rest)}</pre>" if rest.strip() else "") + "</li>")
        out += ["</ul>", "</div>"]
    if result.notes:
        out += ["<h2>Notes from the grader</h2>", "<ul>"]
        out += [f"<li>{e(n)}</li>" for n in result.notes] + ["</ul>"]
    for block in feedback_items(result):
        score = f"{fmt_points(block.earned)}/{fmt_points(block.possible)} points"
        out += ["<section>", f"<h2>{e(block.exercise)}: {score}</h2>", '<ul class="tests">']
        for line in block.lines:
            css = {Status.PASS: "pass", Status.SKIPPED: "skip"}.get(line.status, "fail")
            note = f', <span class="note">{e(line.note)}</span>' if line.note else ""
            out.append(f'<li class="{css}"><span class="mark">{e(line.mark)}</span> {e(line.description)} '
                       f"({e(line.points)}{note})")
            if line.message:
                out.append(f"<pre>{e(line.message)}</pre>")
            for section in line.sections:
                out.append(f"<details><summary>{e(section.title)}</summary><pre>{e(section.text)}</pre></details>")
            out.append("</li>")
        if block.hidden_total:
            out.append(f'<li class="note">hidden tests: {block.hidden_passed} of {block.hidden_total} passed '
                       f"({fmt_points(block.hidden_earned)}/{fmt_points(block.hidden_possible)} points)</li>")
        out += ["</ul>", "</section>"]
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
