"""grades.csv and summary.md: what the instructor reads about the whole class, on the course's one scale.

grades.csv is for a gradebook: one row per student with who they are (id, the submission's
original name, and the roster's name, SIS id and section), one column per exercise (the
grade earned of the exercise's weight), then ``total`` (the course grade) and ``max``.
Every number is the course grade of :mod:`grader.report.scale` (the course totals 100),
never raw test points (those stay in result.json).

The max row: the first data row holds what each column is worth (each exercise's weight,
the course's maximum under ``total`` and ``max``). It is marked by ``student`` = ``max``
*and an empty* ``submission`` cell: a student's row always names a submission (their
original file or folder name, or their id when it is not known), so a student who is
really called ``max`` is never taken for it. Readers skip a row by that pair, not by the
name alone. Columns: ``student,submission,name,sis_id,section,<exercise...>,total,max``.

summary.md is for teaching: the class on the one scale (mean and best out of 100; per
exercise the mean grade of its weight and the pass rate, the share of students with full
marks on it), per test how many students failed it and the three most common first lines
of their messages (ports, object addresses and temp paths left out, so the same mistake
groups), most-failed first, so the class's shared mistakes stand out; then the students
whose grade changed since the last run (:attr:`BatchResult.changes`) and the class's
problems (:func:`grader.report.problems.class_problems`, the same rows the command line
and summary.html show).

Language: summary.md's headings and sentences follow the batch's language (the one its
students' feedback is in). grades.csv's header does not: its column names are keys that
gradebook imports and scripts match by name, so a class graded in Chinese gives the same
columns as one graded in English.

Safety: much of summary.md is the students' words (their messages, problems, ids), so
every such text is escaped by :func:`~grader.report.safe_text.md_text` (no HTML, no link,
no cell border, no control character); the suite's own words by ``md_label``; node ids
are code spans. Every grades.csv cell is :func:`~grader.report.safe_text.csv_cell` (one
line, and a cell a spreadsheet would run as a formula is neutralised).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass

from ..messages import CATALOG, LANGUAGES, msg
from .model import BatchResult, Status, fmt_grade
from .problems import ProblemRow, class_problems, template_pattern
from .safe_text import csv_cell, md_code_span, md_label, md_text

IDENTITY_COLUMNS = ("student", "submission", "name", "sis_id", "section")
"""grades.csv's first columns: who a row is. The exercises, ``total`` and ``max`` follow."""
MAX_ROW = "max"
"""The ``student`` cell of grades.csv's max row (whose ``submission`` cell is empty)."""


def exercise_weights(batch: BatchResult) -> dict[str, float]:
    """``{exercise: weight}`` on the course's scale for every exercise of the batch.

    The largest any student's result gives: the same for all when every test ran, and an
    exercise a student's run skipped entirely (``(0, 0)``) does not lower it.
    """
    weights = {e: 0.0 for e in batch.exercises()}
    for submission in batch.submissions:
        for exercise, (_, weight) in submission.exercise_grades().items():
            weights[exercise] = max(weights.get(exercise, 0.0), weight)
    return weights


def course_max(batch: BatchResult) -> float:
    """The course's maximum grade (100 as shipped): the largest ``grade_max`` of the batch."""
    return max((s.grade_max for s in batch.submissions), default=0.0)


def is_max_row(row: dict[str, str]) -> bool:
    """True for grades.csv's max row (read with :class:`csv.DictReader`)."""
    return row.get("student") == MAX_ROW and not row.get("submission")


def render_grades_csv(batch: BatchResult) -> str:
    """grades.csv (see the module): the header, the max row, then one row per student by id."""
    exercises = batch.exercises()
    weights = exercise_weights(batch)
    top = fmt_grade(course_max(batch))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_cell(c) for c in (*IDENTITY_COLUMNS, *exercises, "total", "max")])
    max_row = [MAX_ROW, "", "", "", "", *(fmt_grade(weights[e]) for e in exercises), top, top]
    writer.writerow([csv_cell(cell) for cell in max_row])
    for submission in batch.submissions:
        identity = submission.identity
        grades = submission.exercise_grades()
        row = [submission.student, identity.submission or submission.student, identity.name,
               identity.sis_id, identity.section]
        row += [fmt_grade(grades[e][0]) if e in grades else "" for e in exercises]
        row += [fmt_grade(submission.grade), fmt_grade(submission.grade_max)]
        writer.writerow([csv_cell(cell) for cell in row])
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


@dataclass(frozen=True)
class ExerciseStat:
    """One exercise across the class on the course's scale (summary.md's and summary.html's row)."""

    exercise: str
    weight: float
    mean: float  # mean grade of ``weight``, a student without the exercise counted as 0
    full: int  # students with full marks on it
    count: int  # students in the batch

    @property
    def pass_rate(self) -> float:
        """The share of students with full marks, 0..1 (what "difficulty" means here)."""
        return self.full / self.count if self.count else 0.0

    @property
    def share(self) -> float:
        """The mean as a share of the weight, 0..1."""
        return self.mean / self.weight if self.weight else 0.0


def exercise_stats(batch: BatchResult) -> list[ExerciseStat]:
    """Per exercise, in course order: weight, mean grade and how many had full marks."""
    count = len(batch.submissions)
    stats = []
    for exercise, weight in exercise_weights(batch).items():
        earned = [s.exercise_grades().get(exercise, (0.0, 0.0))[0] for s in batch.submissions]
        full = sum(1 for e in earned if weight > 0 and e >= weight)
        stats.append(ExerciseStat(exercise, weight, sum(earned) / count if count else 0.0, full, count))
    return stats


def percent(share: float) -> str:
    """``0.4`` → ``40%`` (whole percents: a class is rarely large enough for more)."""
    return f"{share * 100:.0f}%"


def signed(value: float) -> str:
    """A change of grade with its sign: ``+5``, ``-2.5``, ``0``."""
    text = fmt_grade(abs(value))
    return text if text == "0" else ("+" if value > 0 else "-") + text


def render_summary(batch: BatchResult, top: int = 3, lang: str | None = None) -> str:
    """summary.md in ``lang`` (default: the batch's language, else the current one)."""
    lang = lang or batch.lang or None
    count = len(batch.submissions)
    out = [f"# {msg('report.summary.title', lang)}", ""]
    if not count:
        return "\n".join(out + [msg("report.summary.none", lang), ""] + _problems_md(batch, lang)) + "\n"
    grades = [s.grade for s in batch.submissions]
    full = sum(1 for s in batch.submissions if s.grade_max and s.grade >= s.grade_max)
    submissions = msg("report.summary.submissions_one" if count == 1 else "report.summary.submissions_many",
                      lang, count=count)
    out += [msg("report.summary.overview", lang, submissions=submissions, mean=f"{sum(grades) / count:.2f}",
                best=fmt_grade(course_max(batch)), full=full), ""]

    out += [f"## {msg('report.summary.per_exercise', lang)}", "",
            msg("dashboard.md.exercise_columns", lang), "| --- | ---: | ---: | ---: |"]
    for stat in exercise_stats(batch):
        rate = msg("dashboard.pass_rate", lang, rate=percent(stat.pass_rate), full=stat.full, count=count)
        out.append(f"| {md_label(stat.exercise)} | {fmt_grade(stat.weight)} | {stat.mean:.2f} | {rate} |")

    failures: dict[str, list[str]] = {}
    unstarted: Counter[str] = Counter()
    described: dict[str, tuple[str, str]] = {}
    for submission in batch.submissions:
        missing = {p.path for p in submission.problems if p.code == "missing"}
        for test in submission.tests:
            described.setdefault(test.nodeid, (test.exercise, test.description))
            failures.setdefault(test.nodeid, [])
            if test.status in (Status.PASS, Status.SKIPPED):
                continue
            if f"{test.exercise}.py" in missing or not_implemented(test.message):
                unstarted[test.nodeid] += 1
                continue
            failures[test.nodeid].append(common_form(test.message) or msg(
                "report.summary.status", lang, status=msg(f"report.status.{test.status.value}", lang)))
    out += ["", f"## {msg('report.summary.per_test', lang)}", "", msg("report.summary.not_started", lang), "",
            msg("report.summary.test_columns", lang), "| --- | --- | ---: | ---: | --- |"]
    for nodeid in sorted(failures, key=lambda n: (-len(failures[n]), -unstarted[n], n)):
        messages = failures[nodeid]
        common = sorted(Counter(messages).items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        shown = "<br>".join(f"{n}× {md_text(m)}" for m, n in common)
        exercise, description = described[nodeid]
        test = f"{md_label(description)}<br>{md_code_span(nodeid, in_table=True)}"
        failed = f"{len(messages)}/{count}"
        out.append(f"| {test} | {md_label(exercise)} | {failed} | {unstarted[nodeid]} | {shown} |")

    if batch.changes:
        out += ["", f"## {msg('dashboard.changes.heading', lang)}", ""]
        for student, (before, now) in sorted(batch.changes.items()):
            out.append(msg("dashboard.changes.line", lang, student=md_text(student), before=fmt_grade(before),
                           now=fmt_grade(now), change=signed(now - before)))
    return "\n".join(out + _problems_md(batch, lang)) + "\n"


_NOT_IMPLEMENTED = [template_pattern(CATALOG["not_implemented"][lang]) for lang in LANGUAGES]
"""The harness's "f() is not implemented yet" sentence, in every language, as patterns."""


def not_implemented(message: str) -> bool:
    """Whether a failure is the stub's own "not implemented yet": work not started, not a mistake.

    summary.md counts those apart, so its most-failed tests are the class's mistakes rather
    than the exercises half the class has not reached.
    """
    first = message.partition("\n")[0]
    return any(pattern.fullmatch(first) for pattern in _NOT_IMPLEMENTED)


def who(row: ProblemRow) -> str:
    """Whom a problem row is about: the student id, else the roster's id, else the submission's name."""
    return row.student or row.absent_id or row.submission


def _problems_md(batch: BatchResult, lang: str | None) -> list[str]:
    """summary.md's problems section: one line per row of :func:`class_problems` (none: no section)."""
    rows = class_problems(batch, lang)
    if not rows:
        return []
    out = ["", f"## {msg('report.summary.with_problems', lang)}", ""]
    separator = msg("report.note_separator", lang)
    for row in rows:
        kinds = separator.join(row.kinds)
        problems = kinds
        if row.detail:
            problems = msg("dashboard.problems.kinds_detail", lang, kinds=kinds, detail=row.detail)
        out.append(msg("report.summary.student_problems", lang, student=md_text(who(row)),
                       problems=md_text(problems)))
    return out


__all__ = ["ExerciseStat", "course_max", "exercise_stats", "exercise_weights", "is_max_row", "percent",
           "render_grades_csv", "render_summary", "signed", "who"]
