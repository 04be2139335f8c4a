"""grades.csv and summary.md: what the instructor reads about the whole class.

grades.csv is for a gradebook: one row per student, one column per exercise (points
earned), then total and max. summary.md is for teaching: per test, how many students
failed it and the three most common first lines of their messages (ports, object
addresses and temp paths left out, so the same mistake groups), most-failed first, so
the class's shared mistakes stand out.

Language: summary.md's headings and sentences follow the batch's language (the one its
students' feedback is in). grades.csv's header does not: ``student``/``total``/``max``
and the exercise ids are column keys that gradebook imports and scripts match by name,
so a class graded in Chinese gives the same columns as one graded in English.

Safety: much of summary.md is the students' words (their messages, problems, ids), so
every such text is escaped by :func:`~grader.report.safe_text.md_text` (no HTML, no link,
no cell border, no control character); the suite's own words by ``md_label``; node ids
are code spans. grades.csv's cells are :func:`~grader.report.safe_text.line` (no control
character, no line break) too.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from ..messages import msg
from .feedback import problem_text
from .model import BatchResult, Status, fmt_points
from .safe_text import line as one_line
from .safe_text import md_code_span, md_label, md_text


def render_grades_csv(batch: BatchResult) -> str:
    exercises = batch.exercises()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *(one_line(e) for e in exercises), "total", "max"])
    for submission in batch.submissions:
        scores = submission.exercise_scores()
        row = [one_line(submission.student)]
        row += [fmt_points(scores[e][0]) if e in scores else "" for e in exercises]
        row += [fmt_points(submission.score), fmt_points(submission.max_score)]
        writer.writerow(row)
    return buffer.getvalue()


def first_line(text: str, limit: int = 160) -> str:
    line = next((x.strip() for x in text.splitlines() if x.strip()), "")
    return line if len(line) <= limit else line[: limit - 3] + "..."


_RUN_SPECIFIC = [
    (re.compile(r"\b0x[0-9a-fA-F]{6,}\b"), "0x…"),  # <EmailMessage object at 0x7f63a9ca05d0>
    (re.compile(r"((?:'127\.0\.0\.1'|'::1'|'localhost'), )\d{2,5}\b"), r"\1<port>"),  # call arguments
    (re.compile(r"\b(127\.0\.0\.1|localhost|\[::1\]):\d{2,5}\b"), r"\1:<port>"),
    (re.compile(r"(<tmp>|<scratch>)/[^\s'\",)]*"), r"\1/…"),
]
"""What differs between two runs of the same mistake: object addresses, the fake servers'
random ports, temp paths. summary.md groups messages without them, so one mistake made
by twenty students is counted as one message twenty times."""


def common_form(text: str) -> str:
    """A message's first line with run-specific details replaced (see :data:`_RUN_SPECIFIC`)."""
    line = next((x.strip() for x in text.splitlines() if x.strip()), "")
    for pattern, replacement in _RUN_SPECIFIC:
        line = pattern.sub(replacement, line)
    return first_line(line)


def render_summary(batch: BatchResult, top: int = 3, lang: str | None = None) -> str:
    """summary.md in ``lang`` (default: the batch's language, else the current one)."""
    lang = lang or batch.lang or None
    count = len(batch.submissions)
    out = [f"# {msg('report.summary.title', lang)}", ""]
    if not count:
        return "\n".join(out + [msg("report.summary.none", lang), ""])
    scores = [s.score for s in batch.submissions]
    best = max(s.max_score for s in batch.submissions)
    full = sum(1 for s in batch.submissions if s.score == s.max_score)
    submissions = msg("report.summary.submissions_one" if count == 1 else "report.summary.submissions_many",
                      lang, count=count)
    out += [msg("report.summary.overview", lang, submissions=submissions, mean=f"{sum(scores) / count:.2f}",
                best=fmt_points(best), full=full), ""]

    out += [f"## {msg('report.summary.per_exercise', lang)}", "",
            msg("report.summary.exercise_columns", lang), "| --- | ---: | ---: | ---: |"]
    for exercise in batch.exercises():
        pairs = [s.exercise_scores().get(exercise, (0.0, 0.0)) for s in batch.submissions]
        possible = max(p for _, p in pairs)
        full = sum(1 for e, p in pairs if e == p)
        mean = sum(e for e, _ in pairs) / count
        out.append(f"| {md_label(exercise)} | {mean:.2f} | {fmt_points(possible)} | {full} |")

    failures: dict[str, list[str]] = {}
    described: dict[str, tuple[str, str]] = {}
    for submission in batch.submissions:
        for test in submission.tests:
            described.setdefault(test.nodeid, (test.exercise, test.description))
            failures.setdefault(test.nodeid, [])
            if test.status not in (Status.PASS, Status.SKIPPED):
                failures[test.nodeid].append(common_form(test.message) or msg(
                    "report.summary.status", lang, status=msg(f"report.status.{test.status.value}", lang)))
    out += ["", f"## {msg('report.summary.per_test', lang)}", "",
            msg("report.summary.test_columns", lang), "| --- | --- | ---: | --- |"]
    for nodeid in sorted(failures, key=lambda n: (-len(failures[n]), n)):
        messages = failures[nodeid]
        common = sorted(Counter(messages).items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        shown = "<br>".join(f"{n}× {md_text(m)}" for m, n in common)
        exercise, description = described[nodeid]
        test = f"{md_label(description)}<br>{md_code_span(nodeid, in_table=True)}"
        out.append(f"| {test} | {md_label(exercise)} | {len(messages)}/{count} | {shown} |")

    with_problems = [s for s in batch.submissions if s.problems or s.notes]
    if with_problems:
        out += ["", f"## {msg('report.summary.with_problems', lang)}", ""]
        separator = msg("report.summary.problem_separator", lang)
        for submission in with_problems:
            texts = [problem_text(p) for p in submission.problems] + list(submission.notes)
            shown = separator.join(md_text(first_line(t)) for t in texts)
            out.append(msg("report.summary.student_problems", lang, student=md_text(submission.student),
                           problems=shown))
    return "\n".join(out) + "\n"
