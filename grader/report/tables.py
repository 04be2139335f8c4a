"""grades.csv and summary.md: what the instructor reads about the whole class.

grades.csv is for a gradebook: one row per student, one column per exercise (points
earned), then total and max. summary.md is for teaching: per test, how many students
failed it and the three most common first lines of their messages (ports, object
addresses and temp paths left out, so the same mistake groups), most-failed first, so
the class's shared mistakes stand out.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from .feedback import problem_text
from .model import BatchResult, Status, fmt_points


def render_grades_csv(batch: BatchResult) -> str:
    exercises = batch.exercises()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *exercises, "total", "max"])
    for submission in batch.submissions:
        scores = submission.exercise_scores()
        row = [submission.student]
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


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_summary(batch: BatchResult, top: int = 3) -> str:
    count = len(batch.submissions)
    out = ["# Class summary", ""]
    if not count:
        return "\n".join(out + ["No submissions.", ""])
    scores = [s.score for s in batch.submissions]
    best = max(s.max_score for s in batch.submissions)
    full = sum(1 for s in batch.submissions if s.score == s.max_score)
    out += [f"{count} submission{'s' if count != 1 else ''}; mean score {sum(scores) / count:.2f}/"
            f"{fmt_points(best)}; full marks: {full}.", ""]

    out += ["## Per exercise", "", "| exercise | mean | max | full marks |", "| --- | ---: | ---: | ---: |"]
    for exercise in batch.exercises():
        pairs = [s.exercise_scores().get(exercise, (0.0, 0.0)) for s in batch.submissions]
        possible = max(p for _, p in pairs)
        full = sum(1 for e, p in pairs if e == p)
        out.append(f"| {_cell(exercise)} | {sum(e for e, _ in pairs) / count:.2f} | {fmt_points(possible)} "
                   f"| {full} |")

    failures: dict[str, list[str]] = {}
    described: dict[str, tuple[str, str]] = {}
    for submission in batch.submissions:
        for test in submission.tests:
            described.setdefault(test.nodeid, (test.exercise, test.description))
            failures.setdefault(test.nodeid, [])
            if test.status not in (Status.PASS, Status.SKIPPED):
                failures[test.nodeid].append(common_form(test.message) or f"({test.status.value})")
    out += ["", "## Per test (most failed first)", "",
            "| test | exercise | failed | most common messages |", "| --- | --- | ---: | --- |"]
    for nodeid in sorted(failures, key=lambda n: (-len(failures[n]), n)):
        messages = failures[nodeid]
        common = sorted(Counter(messages).items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        shown = "<br>".join(f"{n}× {_cell(m)}" for m, n in common)
        exercise, description = described[nodeid]
        out.append(f"| {_cell(description)}<br>`{_cell(nodeid)}` | {_cell(exercise)} "
                   f"| {len(messages)}/{count} | {shown} |")

    with_problems = [s for s in batch.submissions if s.problems or s.notes]
    if with_problems:
        out += ["", "## Submissions with problems", ""]
        for submission in with_problems:
            texts = [problem_text(p) for p in submission.problems] + list(submission.notes)
            out.append(f"- {_cell(submission.student)}: " + "; ".join(_cell(first_line(t)) for t in texts))
    return "\n".join(out) + "\n"
