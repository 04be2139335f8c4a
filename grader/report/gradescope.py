"""Gradescope's ``results.json``, from one SubmissionResult.

Follows Gradescope's autograder specification: a top-level ``score``, ``execution_time``
in seconds, ``output`` for the whole submission (each exercise's grade, pre-flight
problems and grader notes), ``stdout_visibility`` (hidden: run_autograder's stdout is
for the instructor), and ``tests``, each with ``name``, ``number``, ``score``,
``max_score``, ``status`` ("passed"/"failed"), ``output`` and ``visibility`` (the test's
``visibility`` marker: visible, hidden, after_due_date, after_published). Skipped tests
are left out: they count for nothing.

One scale: a test's ``score``/``max_score`` is its share of its exercise's weight
(:meth:`SubmissionResult.test_grade`, rounded to 4 decimals), and the top-level ``score`` is
the course grade :attr:`SubmissionResult.grade`, which Gradescope takes over the tests'
sum when it is present. So the Gradescope total is the total of grades.csv and of the
feedback (out of 100 for the course), never a sum of raw test points or of rounded shares.

Language: ``output`` is in the language the submission was graded in (the one recorded in
``netlings-autograder.json`` at build time); the spec's own values (``passed``, the
visibilities) are identifiers and never change.

Safety: every text goes out as ``output_format: "text"``, which Gradescope shows as plain
text (its markup escaped, never interpreted: not "html", "md" nor "ansi"), and is first
passed through :func:`~grader.report.safe_text.clean`, so no terminal escape sequence,
control character or bidi override a student's code printed reaches the page.
"""

from __future__ import annotations

from typing import Any

from ..messages import msg
from .feedback import HIDDEN_NOTE, feedback_language, problem_text
from .model import Status, SubmissionResult, TestResult, fmt_grade
from .safe_text import clean
from .safe_text import line as one_line

VISIBILITY = {"visible": "visible", "hidden": "hidden", "after_due_date": "after_due_date",
              "after_published": "after_published"}


def test_output(test: TestResult) -> str:
    """The failure message and transcripts; Gradescope shows it in a collapsed <pre>."""
    if test.passed:
        return ""
    parts = [test.message] if test.message else []
    for section in test.sections:
        parts.append(f"--- {section.title} ---\n{section.text}")
    return clean("\n\n".join(parts))


def overview(result: SubmissionResult, lang: str | None = None) -> str:
    """The whole submission's text: score, problems, notes, each exercise's grade.

    In ``lang``, else the result's language. Problems come right under the score, as in the
    feedback: they are the first thing to fix.
    """
    lang = feedback_language(result, lang)
    lines = [msg("report.score", lang, score=fmt_grade(result.grade), max_score=fmt_grade(result.grade_max))]
    if result.student_problems():
        lines += ["", msg("report.heading_colon", lang, heading=msg("report.problems_heading", lang))]
        lines += [f"- {problem_text(p)}" for p in result.student_problems()]
    if result.notes:
        lines += ["", msg("report.heading_colon", lang, heading=msg("report.notes_heading", lang))]
        lines += [f"- {n}" for n in result.notes]
    grades = result.exercise_grades()
    if grades:
        lines.append("")
        lines += [msg("report.exercise_score", lang, exercise=exercise, earned=fmt_grade(earned),
                      possible=fmt_grade(weight)) for exercise, (earned, weight) in grades.items()]
    hidden = [t for t in result.tests if t.visibility in HIDDEN_NOTE]
    if hidden:
        lines += ["", msg("report.gradescope_later", lang, count=len(hidden))]
    return clean("\n".join(lines))


SHARE_DECIMALS = 4
"""A test's share of the course grade is rounded to this many decimals (Gradescope shows two)."""


def to_gradescope(result: SubmissionResult, execution_time: float | None = None) -> dict[str, Any]:
    """``results.json`` for ``result``, every score on the course's scale (see the module)."""
    tests: list[dict[str, Any]] = []
    for number, (exercise, group) in enumerate(result.by_exercise().items(), start=1):
        shown = [t for t in group if t.status is not Status.SKIPPED]
        for index, test in enumerate(shown, start=1):
            earned, possible = result.test_grade(test)
            tests.append({
                "name": one_line(f"{exercise}: {test.description}"),
                "number": f"{number}.{index}",
                "score": round(earned, SHARE_DECIMALS),
                "max_score": round(possible, SHARE_DECIMALS),
                "status": "passed" if test.passed else "failed",
                "output": test_output(test),
                "output_format": "text",
                "tags": [one_line(exercise)],
                "visibility": VISIBILITY.get(test.visibility, "visible"),
            })
    document: dict[str, Any] = {
        "score": result.grade,
        "output": overview(result),
        "output_format": "text",
        "stdout_visibility": "hidden",
        "tests": tests,
    }
    seconds = result.duration if execution_time is None else execution_time
    document["execution_time"] = max(0, round(seconds))
    return document
