"""The class's problems: one row per student (or submission, or roster entry) something went wrong for.

Why: after grading a class the instructor must see at once whom to look at (a missing
file, a syntax error, ignored files, a time-out, an empty folder that was not graded, a
submission not on the roster, a roster entry with no submission, two submissions that
wanted the same id), without opening sixty feedback files. ``netlings grade`` prints
:func:`render_problems_table` at the end of a batch; the class dashboard shows the same
rows from :func:`class_problems`, so both always agree.

A row says *what kind* of problem in short localised labels (``kinds``, from the
problem codes of :mod:`grader.sandbox.preflight` / :mod:`grader.sandbox.extract`, the
batch's own codes, the notes of the grader and the tests' ``timeout`` status) and gives
the first problem's first line as ``detail``. ``codes`` are the same kinds as stable,
language-free ids (``missing``, ``timeout`` ...) for a page that filters or styles by kind.

The text of a row is raw: ``submission`` and ``detail`` come from what students handed
in. Every writer escapes it (:mod:`grader.report.safe_text`); :func:`render_problems_table`
passes every cell through :func:`~grader.report.safe_text.line`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..messages import CATALOG, LANGUAGES, msg
from .model import BatchResult, Identity, Status, SubmissionResult
from .safe_text import line

KIND_OF_CODE: dict[str, str] = {
    "missing": "missing",
    "syntax": "syntax",
    "encoding": "encoding",
    "ignored": "ignored",
    "shadows_stdlib": "shadows_stdlib",
    "too_large": "too_large",
    "bad_archive": "bad_archive",
    "not_found": "not_found",
    "unsafe_member": "unsafe",
    "bad_name": "unsafe",
    "internal": "grader_error",
    "empty": "empty",
    "id_collision": "id_collision",
    "not_on_roster": "not_on_roster",
    "roster_ambiguous": "roster_ambiguous",
}
"""Problem code -> kind (a key ``class_problems.kind.<kind>``). A code not listed is ``other``;
``more_problems`` (the "and N more" line of a long list) is no kind of its own."""

NO_KIND = frozenset({"more_problems"})

KIND_OF_NOTE: dict[str, str] = {
    "grade.note.timeout": "timeout",
    "grade.note.crashed": "crashed",
    "grade.note.forged": "forged",
    "grade.note.grader_failed": "grader_error",
    "grade.note.report_failed": "grader_error",
    "grade.note.cleanup_failed": "grader_error",
}
"""The grader's notes (sentences in result.json, in the language graded in) -> kind."""

KIND_ORDER = ("empty", "absent", "not_on_roster", "roster_ambiguous", "id_collision", "bad_archive",
              "not_found", "too_large", "unsafe", "missing", "syntax", "encoding", "shadows_stdlib",
              "ignored", "timeout", "crashed", "forged", "grader_error", "other")
"""Labels of one row in this order: what decides the grade most first."""

DETAIL_WIDTH = 80
"""``detail`` is at most this many characters (the table is one line per student)."""
CELL_WIDTH = 40
"""In :func:`render_problems_table`, a student id or submission name wider than this is cut."""


@dataclass
class ProblemRow:
    """One line of the class's problems table.

    ``student``: the student id (its folder ``OUT/students/<id>/``), ``""`` for a
    submission that was not graded (``BatchResult.skipped``) or a roster entry with no
    submission (``BatchResult.absent``: then ``student`` is ``""`` and ``absent_id``
    the roster's id). ``submission``: the submission's original name (``""`` when absent).
    ``kinds``: short localised labels; ``codes``: the same kinds as stable ids.
    ``detail``: the first problem's first line, at most :data:`DETAIL_WIDTH` characters.
    """

    student: str
    submission: str
    kinds: list[str]
    detail: str
    codes: list[str] = field(default_factory=list)
    absent_id: str = ""


def template_pattern(text: str) -> re.Pattern[str]:
    """A catalogue sentence as a regex: its placeholders match anything."""
    parts = re.split(r"\{[^{}]*\}", text)
    return re.compile(".*".join(re.escape(p) for p in parts), re.DOTALL)


_NOTE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (template_pattern(CATALOG[key][lang]), kind)
    for key, kind in KIND_OF_NOTE.items() if key in CATALOG
    for lang in LANGUAGES if CATALOG[key].get(lang)
]


def note_kind(note: str) -> str:
    """The kind of one grader note (``timeout``, ``crashed``...), ``other`` if it is none we know."""
    for pattern, kind in _NOTE_PATTERNS:
        if pattern.fullmatch(note):
            return kind
    return "other"


def _short(text: str, width: int = DETAIL_WIDTH) -> str:
    first = next((row.strip() for row in str(text).splitlines() if row.strip()), "")
    return first if len(first) <= width else first[:width - 1].rstrip() + "…"


def _labels(codes: Iterable[str], lang: str | None) -> tuple[list[str], list[str]]:
    ordered = sorted(set(codes), key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER))
    return [msg(f"class_problems.kind.{k}", lang) for k in ordered], ordered


def result_row(result: SubmissionResult, lang: str | None = None) -> ProblemRow | None:
    """The row of one graded student, or None if nothing went wrong (failing tests are no problem)."""
    kinds: list[str] = []
    for problem in result.problems:
        if problem.code not in NO_KIND:
            kinds.append(KIND_OF_CODE.get(problem.code, "other"))
    kinds += [note_kind(note) for note in result.notes]
    timed_out = [t for t in result.tests if t.status is Status.TIMEOUT]
    if timed_out:
        kinds.append("timeout")
    if not kinds:
        return None
    shown = [p for p in result.problems if p.code not in NO_KIND]
    if shown:
        detail = shown[0].message or shown[0].path
    elif result.notes:
        detail = result.notes[0]
    else:
        detail = msg("class_problems.timed_out_tests", lang, count=len(timed_out),
                     test=timed_out[0].name or timed_out[0].nodeid)
    labels, codes = _labels(kinds, lang)
    return ProblemRow(result.student, result.identity.submission, labels, _short(detail), codes)


def _absent_detail(identity: Identity) -> str:
    who = " ".join(part for part in (identity.name, identity.sis_id and f"({identity.sis_id})") if part)
    return who or identity.login_id or identity.section


def class_problems(batch: BatchResult, lang: str | None = None) -> list[ProblemRow]:
    """Every problem of the batch as rows: graded students (by id), then submissions not graded
    (``skipped``, by name), then roster entries with no submission (``absent``, by id).

    ``lang`` (default the batch's language) is the labels' language; ``detail`` stays in
    the language the problem was written in.
    """
    lang = lang or batch.lang or None
    rows = [row for row in (result_row(r, lang) for r in batch.submissions) if row is not None]
    for problem in sorted(batch.skipped, key=lambda p: p.path):
        labels, codes = _labels([KIND_OF_CODE.get(problem.code, "other")], lang)
        rows.append(ProblemRow("", problem.path, labels, _short(problem.message), codes))
    for absent_id, identity in sorted(batch.absent.items()):
        labels, codes = _labels(["absent"], lang)
        rows.append(ProblemRow("", identity.submission, labels, _short(_absent_detail(identity)), codes,
                               absent_id=absent_id))
    return rows


# -- the terminal's table --------------------------------------------------------------------------


def cell_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: wide (CJK) characters two, combining marks none."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _fit(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` columns (with ``…``)."""
    if cell_width(text) <= width:
        return text
    out, used = "", 0
    for char in text:
        step = cell_width(char)
        if used + step > width - 1:
            break
        out, used = out + char, used + step
    return out + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - cell_width(text))


def render_problems_table(rows: list[ProblemRow], lang: str | None = None) -> str:
    """A short plain-text table of ``rows`` for stdout (heading, header, one line a row); ``""`` if none.

    Every cell goes through :func:`~grader.report.safe_text.line` (a submission name
    cannot move the cursor or forge a line) and columns are aligned by display width,
    so ``张三`` lines up with ``alice``.
    """
    if not rows:
        return ""
    separator = msg("class_problems.separator", lang)
    header = [msg(f"class_problems.col.{c}", lang) for c in ("student", "submission", "kinds", "detail")]
    body = [[_fit(line(row.student or "-"), CELL_WIDTH), _fit(line(row.submission or "-"), CELL_WIDTH),
             line(separator.join(row.kinds)), _fit(line(row.detail), DETAIL_WIDTH)] for row in rows]
    widths = [max(cell_width(r[i]) for r in [header, *body]) for i in range(len(header))]
    lines = [line(msg("class_problems.heading", lang))]
    for cells in [header, ["-" * w for w in widths], *body]:
        lines.append("  " + "  ".join(_pad(c, w) for c, w in zip(cells, widths, strict=True)).rstrip())
    return "\n".join(lines)


__all__ = ["ProblemRow", "cell_width", "class_problems", "note_kind", "render_problems_table", "result_row"]
