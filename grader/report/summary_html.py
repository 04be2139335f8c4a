"""summary.html: the class dashboard, one self-contained page an instructor opens after grading.

Why a page beside summary.md: summary.md is a long per-test table for whoever fixes the
teaching; the dashboard answers at a glance how the class did (overview and the score
histogram), which exercise was hard (each exercise's mean grade of its weight and its
pass rate, the share with full marks), which named beginner mistakes were common (with
links to the feedback of the students who made each), which tests were slow or timed
out, whose grade changed since the last run, and which students had problems.

Self-contained: inline CSS and inline SVG charts (:mod:`grader.report.svg`), no script,
no font file, no URL at all, so it opens from a zip, a mail or an air-gapped lab, and a
browser test sees no console error. Every number is the course grade
(:mod:`grader.report.scale`), as in grades.csv and the feedback.

Language: every fixed word is the catalogue's (``dashboard.*``, ``report.*``) in the
batch's language; the suite's words (exercise ids, test descriptions) and the students'
(ids, submission names, problem details) are shown as they are, escaped by
:func:`~grader.report.safe_text.html_text`. A link to a student's feedback is
``students/<id>/feedback.html`` with the id URL-quoted (``quote(id, safe="")``): no id can
leave ``students/`` or name a scheme.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from urllib.parse import quote

from ..messages import msg
from ..messages.mistakes import MISTAKES
from .model import BatchResult, Status, fmt_grade
from .problems import class_problems
from .safe_text import html_text as e
from .scale import exercise_title
from .svg import bar_chart, histogram
from .tables import course_max, exercise_stats, percent, signed, who

BIN_WIDTH = 10
"""Points per histogram bin: 10 bins for a course out of 100 (a grade of 100 is in 90–100)."""
SLOWEST = 10
"""How many of the slowest tests the dashboard lists."""

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.45; color: #1f2328; }
h1 { margin-bottom: .2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; }
.overview { display: flex; flex-wrap: wrap; gap: 1rem; padding: 0; list-style: none; }
.overview li { border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem 1rem; min-width: 7rem; }
.overview .value { display: block; font-size: 1.6rem; font-weight: bold; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #d0d7de; padding: .25rem .6rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; } td { overflow-wrap: anywhere; }
.note { color: #57606a; } code { background: #f6f8fa; padding: 0 .2rem; } code.ex { white-space: nowrap; }
.up { color: #1a7f37; } .down { color: #cf222e; }
svg { max-width: 100%; height: auto; display: block; margin: .5rem 0; }
"""


def feedback_link(student: str) -> str:
    """``students/<id>/feedback.html``, the id URL-quoted, as an escaped ``href`` value."""
    from .writers import STUDENTS_DIR  # writers imports this module

    return e(f"{STUDENTS_DIR}/{quote(student, safe='')}/feedback.html")


def _table(headers: list[tuple[str, bool]], rows: list[list[str]]) -> list[str]:
    """A table; ``headers`` are (text, numeric) with text already escaped, ``rows`` cells too."""
    numeric = [n for _, n in headers]
    head = "".join(f'<th class="num">{h}</th>' if n else f"<th>{h}</th>" for h, n in headers)
    out = ["<table>", f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    for row in rows:
        out.append("<tr>" + "".join(f'<td class="num">{c}</td>' if n else f"<td>{c}</td>"
                                    for c, n in zip(row, numeric, strict=True)) + "</tr>")
    return out + ["</tbody>", "</table>"]


def _col(key: str, lang: str | None, numeric: bool = False) -> tuple[str, bool]:
    return e(msg(f"dashboard.col.{key}", lang)), numeric


def _heading(key: str, lang: str | None, anchor: str) -> str:
    return f'<h2 id="{anchor}">{e(msg(key, lang))}</h2>'


def _overview(batch: BatchResult, lang: str | None) -> list[str]:
    grades = [s.grade for s in batch.submissions]
    full = sum(1 for s in batch.submissions if s.grade_max and s.grade >= s.grade_max)
    items = [("dashboard.overview.students", str(len(grades))),
             ("dashboard.overview.mean", f"{statistics.fmean(grades):.2f}"),
             ("dashboard.overview.median", fmt_grade(statistics.median(grades))),
             ("dashboard.overview.full", str(full))]
    out = [_heading("dashboard.overview.heading", lang, "overview"), '<ul class="overview">']
    out += [f'<li><span class="value">{e(value)}</span>{e(msg(key, lang))}</li>' for key, value in items]
    out_of = msg("dashboard.overview.out_of", lang, max=fmt_grade(course_max(batch)))
    return out + ["</ul>", f"<p>{e(out_of)}</p>"]


def _histogram(batch: BatchResult, lang: str | None) -> list[str]:
    top = course_max(batch) or 100.0
    bins = max(1, math.ceil(top / BIN_WIDTH))

    def tooltip(low: float, high: float, count: int) -> str:
        key = "dashboard.histogram.bar_one" if count == 1 else "dashboard.histogram.bar_many"
        return msg(key, lang, low=fmt_grade(low), high=fmt_grade(high), count=count)

    chart = histogram([s.grade for s in batch.submissions], bins, low=0.0, high=top,
                      title=msg("dashboard.histogram.heading", lang),
                      x_label=msg("dashboard.histogram.x", lang, max=fmt_grade(top)),
                      y_label=msg("dashboard.histogram.y", lang), tooltip=tooltip)
    return [_heading("dashboard.histogram.heading", lang, "distribution"), chart]


def _exercises(batch: BatchResult, lang: str | None) -> list[str]:
    stats = exercise_stats(batch)
    out = [_heading("dashboard.exercises.heading", lang, "exercises"),
           f'<p class="note">{e(msg("dashboard.exercises.explain", lang))}</p>']
    if not stats:
        return out
    tips = [msg("dashboard.exercises.bar", lang, exercise=s.exercise, mean=f"{s.mean:.2f}",
                weight=fmt_grade(s.weight), rate=percent(s.pass_rate)) for s in stats]
    shown = [f"{s.mean:.2f}/{fmt_grade(s.weight)} · {percent(s.pass_rate)}" for s in stats]
    out.append(bar_chart([s.exercise for s in stats], [s.share * 100 for s in stats], high=100.0,
                         x_label=msg("dashboard.exercises.chart_x", lang), value_text=shown, tooltips=tips))
    rows = [[f'<code class="ex">{e(s.exercise)}</code> {e(exercise_title(s.exercise, lang))}',
             e(fmt_grade(s.weight)), e(f"{s.mean:.2f}"),
             e(msg("dashboard.pass_rate", lang, rate=percent(s.pass_rate), full=s.full, count=s.count))]
            for s in stats]
    return out + _table([_col("exercise", lang), _col("weight", lang, True), _col("mean", lang, True),
                         _col("pass_rate", lang, True)], rows)


def mistakes_by_student(batch: BatchResult) -> dict[str, list[str]]:
    """``{mistake id: [students who made it]}``, most common first; only ids of the catalogue.

    A mistake counts for a test that did not pass (a passing test names no mistake made);
    a student is counted once per mistake however many tests named it.
    """
    found: dict[str, set[str]] = defaultdict(set)
    for submission in batch.submissions:
        for test in submission.tests:
            if test.status in (Status.PASS, Status.SKIPPED):
                continue
            for mistake in test.mistakes:
                if mistake in MISTAKES:
                    found[mistake].add(submission.student)
    return {m: sorted(found[m]) for m in sorted(found, key=lambda m: (-len(found[m]), m))}


def _mistakes(batch: BatchResult, lang: str | None) -> list[str]:
    out = [_heading("dashboard.mistakes.heading", lang, "mistakes"),
           f'<p class="note">{e(msg("dashboard.mistakes.explain", lang))}</p>']
    found = mistakes_by_student(batch)
    if not found:
        return out + [f"<p>{e(msg('dashboard.mistakes.none', lang))}</p>"]
    rows = []
    for mistake, students in found.items():
        links = ", ".join(f'<a href="{feedback_link(s)}">{e(s)}</a>' for s in students)
        rows.append([f"{e(msg(f'mistake.{mistake}.title', lang))}<br><code>{e(mistake)}</code>",
                     str(len(students)), links])
    return out + _table([_col("mistake", lang), _col("students", lang, True), _col("who", lang)], rows)


def _tests(batch: BatchResult, lang: str | None) -> list[str]:
    durations: dict[str, list[float]] = defaultdict(list)
    timed_out: dict[str, int] = defaultdict(int)
    described: dict[str, tuple[str, str]] = {}
    for submission in batch.submissions:
        for test in submission.tests:
            described.setdefault(test.nodeid, (test.exercise, test.description))
            if test.duration > 0:
                durations[test.nodeid].append(test.duration)
            if test.status is Status.TIMEOUT:
                timed_out[test.nodeid] += 1

    def name(nodeid: str) -> str:
        return f"{e(described[nodeid][1])}<br><code>{e(nodeid)}</code>"

    def exercise(nodeid: str) -> str:
        return f'<code class="ex">{e(described[nodeid][0])}</code>'

    def seconds(value: float) -> str:
        return e(msg("dashboard.seconds", lang, seconds=f"{value:.2f}"))

    out = [_heading("dashboard.slow.heading", lang, "slowest")]
    means = {n: statistics.fmean(d) for n, d in durations.items()}
    slowest = sorted(means, key=lambda n: (-means[n], n))[:SLOWEST]
    if slowest:
        rows = [[name(n), exercise(n), seconds(means[n]), seconds(max(durations[n]))]
                for n in slowest]
        out += _table([_col("test", lang), _col("exercise", lang), _col("mean_duration", lang, True),
                       _col("longest", lang, True)], rows)
    else:
        out.append(f"<p>{e(msg('dashboard.slow.none', lang))}</p>")
    out.append(_heading("dashboard.timeouts.heading", lang, "timeouts"))
    if not timed_out:
        return out + [f"<p>{e(msg('dashboard.timeouts.none', lang))}</p>"]
    rows = [[name(n), exercise(n), str(timed_out[n])]
            for n in sorted(timed_out, key=lambda n: (-timed_out[n], n))]
    return out + _table([_col("test", lang), _col("exercise", lang), _col("timed_out", lang, True)], rows)


def _changes(batch: BatchResult, lang: str | None) -> list[str]:
    out = [_heading("dashboard.changes.heading", lang, "changes")]
    if not batch.changes:
        return out + [f"<p>{e(msg('dashboard.changes.none', lang))}</p>"]
    rows = []
    for student, (before, now) in sorted(batch.changes.items()):
        css = "up" if now > before else "down"
        rows.append([f'<a href="{feedback_link(student)}">{e(student)}</a>', e(fmt_grade(before)),
                     e(fmt_grade(now)), f'<span class="{css}">{e(signed(now - before))}</span>'])
    return out + _table([_col("student", lang), _col("before", lang, True), _col("now", lang, True),
                         _col("change", lang, True)], rows)


def _problems(batch: BatchResult, lang: str | None) -> list[str]:
    out = [_heading("dashboard.problems.heading", lang, "problems")]
    rows = class_problems(batch, lang)
    if not rows:
        return out + [f"<p>{e(msg('dashboard.problems.none', lang))}</p>"]
    separator = msg("report.note_separator", lang)
    cells = []
    for row in rows:
        person = e(who(row))
        if row.student:  # a graded student has feedback to open
            person = f'<a href="{feedback_link(row.student)}">{person}</a>'
        cells.append([person, e(row.submission), e(separator.join(row.kinds)), e(row.detail)])
    return out + _table([_col("student", lang), _col("submission", lang), _col("problem", lang),
                         _col("detail", lang)], cells)


def render_summary_html(batch: BatchResult, lang: str | None = None) -> str:
    """summary.html in ``lang`` (default: the batch's language, else the current one); see the module."""
    lang = lang or batch.lang or None
    title = e(msg("dashboard.title", lang))
    out = ["<!DOCTYPE html>", f'<html lang="{e(msg("report.html_lang", lang))}">', "<head>",
           '<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{title}</title>", f"<style>{_CSS}</style>", "</head>", "<body>", f"<h1>{title}</h1>",
           f'<p class="note">{e(msg("dashboard.see_also", lang))}</p>']
    if batch.submissions:
        out += _overview(batch, lang) + _histogram(batch, lang) + _exercises(batch, lang)
        out += _mistakes(batch, lang) + _tests(batch, lang) + _changes(batch, lang)
    else:
        out.append(f"<p>{e(msg('dashboard.none', lang))}</p>")
    out += _problems(batch, lang) + ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def class_document(batch: BatchResult) -> dict[str, object]:
    """``OUT/class.json``: what the class has beyond its students' result.json files.

    ``skipped`` (submissions not graded, as problems), ``absent`` (``{roster id: identity}``),
    ``unmatched`` (ids not on the roster) and ``changes`` (``{student: [before, now]}``):
    the exports read ``absent`` from it, so an LMS gradebook lists every rostered student.
    """
    return {
        "format": 1,
        "lang": batch.lang,
        "skipped": [p.to_dict() for p in batch.skipped],
        "absent": {k: v.to_dict() for k, v in sorted(batch.absent.items())},
        "unmatched": sorted(batch.unmatched),
        "changes": {k: [before, now] for k, (before, now) in sorted(batch.changes.items())},
    }


__all__ = ["class_document", "feedback_link", "mistakes_by_student", "render_summary_html"]
