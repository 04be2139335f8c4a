"""The gradebook in the import layout of Canvas and Moodle, and as a plain CSV (``netlings export``).

Input: a graded ``OUT`` folder, ``OUT/students/<id>/result.json`` (one per graded student)
and ``OUT/class.json`` (``absent``: the roster entries no submission matched; an older
``OUT`` has no class.json, and then no absent rows). Every number is the course grade on
the one scale (:attr:`SubmissionResult.grade`, of :attr:`~SubmissionResult.grade_max`,
100 for the course), never raw test points.

Why each format looks as it does (the importers' own code was read, not guessed):

**Canvas** (Gradebook > Import). Canvas's importer, ``app/models/gradebook_importer.rb`` in
https://github.com/instructure/canvas-lms, accepts "the same layout the Gradebook export
writes" (``lib/gradebook_exporter.rb``): a header ``Student, ID, [SIS User ID,] SIS Login ID,
[Integration ID, Root Account,] Section, <assignments>``; it checks that the first cell
contains "Student", the second "ID", and that the last student column is "Section". Our
header is ``Student,ID,SIS User ID,SIS Login ID,Section,<Assignment>``, exactly the
export's columns with ``include_sis_id``. The second row is the export's
``"    Points Possible"`` row (the importer looks for a first cell containing "Points
Possible" and reads each assignment's points from it), blank under the student columns.
The Ohio State guide to that import
(https://teaching.resources.osu.edu/toolsets/carmencanvas/guides/calculating-final-grades/import-csv-file-carmen-grades)
lists the same required parts: "Student Name ... OR Student ID OR Student SIS User ID", "SIS Login ID",
"Section", "Assignment Name".

Which columns we fill: ``ID`` is Canvas's own numeric user id, which netlings never sees,
so it is left empty. The importer then finds the student by ``SIS User ID`` (the roster's
``sis_id``), else ``SIS Login ID`` (the roster's ``login_id``), else by name
(``process_student``), and shows the rows it could not match for the instructor to
match by hand. ``Student`` is the roster's name, else the submission's own name (what the
instructor will recognise in that dialog). ``Section`` is the roster's (informative only:
the importer does not match on it). A blank grade is "no change" to Canvas's importer
(``no_score?``: blank or ``-``), so a roster entry with no submission is listed with an
empty grade and nothing already in Canvas is erased. The assignment column is matched by
title, or by Canvas's id when the header is written as Canvas exports it, ``Title (12345)``
(``Assignment.title_and_id``); otherwise Canvas offers to create a new assignment worth the
Points Possible. Two hardening details: a student name containing "Points Possible" would
make Canvas read that row as the points row, so its space becomes a no-break space; every
cell goes through :func:`~grader.report.safe_text.csv_cell` (no formula).

**Moodle** (Grades > Import > CSV file). Moodle's documentation
(https://docs.moodle.org/311/en/Grade_import, the same text since 2.0):
"The import file format is the same as the corresponding export format" and, on the mapping
page, change "Map from"/"Map to" to "Email Address" to "useremail", or "Id Number" to
"useridnumber". We write the columns of Moodle's plain-text export, its default profile
fields and one grade item named as Moodle names it (``<name> (Real)``,
``grade/export/lib.php::format_column_name``): ``First name,Last name,ID number,Email
address,<Assignment> (Real)``. ``ID number`` is the roster's ``sis_id``; ``Email address``
its ``login_id`` when that is an email address. A name is not split into first and last
(which part is the family name depends on the culture: 张三, José García): the whole name is
in ``First name``; Moodle matches on the column the instructor maps from, never on names.
Two facts of Moodle's importer (``grade/import/csv/classes/load_data.php``) decide which
rows are written: a row whose user field is empty is skipped *but its grades go to the
student of the row before* (the student id is not reset per row), and an empty grade is
written as "no grade", erasing a grade entered in Moodle. So a row is written only when it
has the column the instructor will map from (``key``), and the roster entries with no
submission are left out; both are reported (:class:`MoodleExport`).

**Plain CSV**: ``student,submission,name,sis_id,login_id,section,grade,grade_max`` then one
column per exercise (its grade on the course scale), the absent roster entries with empty
grades: for a registrar's spreadsheet or a script.

Encoding: UTF-8 with a byte-order mark, CRLF line ends (RFC 4180). Without the BOM, Excel
opens a UTF-8 CSV in the legacy code page and shows 张三 as mojibake; both importers accept
it (Moodle's ``csv_import_reader`` strips it, ``core_text::trim_utf8_bom``; Canvas's header
check is "contains Student", and Canvas's own export writes a BOM when the user asks for
Excel-friendly files). A script reads the files with ``encoding="utf-8-sig"``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..messages import msg
from .atomic import atomic_write_bytes
from .model import Identity, SubmissionResult, fmt_grade
from .safe_text import csv_cell
from .safe_text import line as one_line

INSTRUCTOR_ONLY = True  # never shipped in the student edition (grader/release/build.py)

FORMATS = ("canvas", "moodle", "csv")
DEFAULT_NAMES = {"canvas": "export-canvas.csv", "moodle": "export-moodle.csv", "csv": "export.csv"}
"""Where each export goes in ``OUT`` unless ``--output`` says otherwise."""
DEFAULT_ASSIGNMENT = "netlings"
CLASS_FILE = "class.json"
CLASS_SIZE_LIMIT = 64 * 1024 * 1024
"""A class.json larger than this was not written by us: not read (the export then has no absent rows)."""

CANVAS_HEADER = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_POINTS_POSSIBLE = "    Points Possible"
"""Canvas's export writes the label with four leading spaces; its importer looks for the words."""
MOODLE_HEADER = ("First name", "Last name", "ID number", "Email address")
MOODLE_KEYS = {"idnumber": ("ID number", "useridnumber"), "email": ("Email address", "useremail")}
"""``--key``: the column a Moodle row must have, and the field to map it to in Moodle's import."""
PLAIN_HEADER = ("student", "submission", "name", "sis_id", "login_id", "section", "grade", "grade_max")

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
BOM = "\ufeff"


class ExportError(ValueError):
    """OUT cannot be exported (not a graded folder, no results): one sentence for the user."""


@dataclass
class Row:
    """One line of a gradebook: a graded student (``result``) or a roster entry with no submission."""

    student: str
    identity: Identity
    result: SubmissionResult | None = None

    @property
    def name(self) -> str:
        """The roster's name, else the submission's own name, else the id: who the instructor recognises."""
        return self.identity.name or self.identity.submission or self.student


@dataclass
class Gradebook:
    """What an export reads from ``OUT``: the graded students and the roster's absent entries."""

    out: Path
    results: list[SubmissionResult] = field(default_factory=list)
    absent: dict[str, Identity] = field(default_factory=dict)

    def rows(self) -> list[Row]:
        """Every student, graded or absent, in one order by id (what a gradebook is sorted by)."""
        rows = [Row(r.student, r.identity, r) for r in self.results]
        graded = {r.student for r in self.results}
        rows += [Row(k, v) for k, v in self.absent.items() if k not in graded]
        return sorted(rows, key=lambda row: (row.student.casefold(), row.student))

    def exercises(self) -> list[str]:
        return sorted({e for r in self.results for e in r.exercise_grades()})

    def grade_max(self) -> float:
        """The assignment's points possible: the course's maximum (100), the largest if results differ."""
        return max((r.grade_max for r in self.results), default=0.0)


def load_gradebook(out: Path) -> Gradebook:
    """Read ``OUT``; raises :class:`ExportError` when it is not a graded folder or holds no result.

    Any result.json that cannot be read (not ours, too large, malformed) is left out, as
    ``netlings grade`` would re-grade it; a class.json that cannot be read gives no absent rows.
    """
    from ..grade.batch import load_result  # the grading side reads result.json the same way

    out = Path(out)
    students = out / "students"
    if not students.is_dir():
        raise ExportError(msg("export.not_graded", path=out))
    results = []
    for folder in sorted(students.iterdir()):
        if not folder.is_dir() or folder.is_symlink():
            continue
        result = load_result(folder / "result.json")
        if result is None:
            continue
        if not result.student:
            result.student = folder.name
        results.append(result)
    if not results:
        raise ExportError(msg("export.no_results", path=students))
    return Gradebook(out, results, load_absent(out / CLASS_FILE))


def load_absent(path: Path) -> dict[str, Identity]:
    """``class.json``'s ``absent`` entries (``{id: identity}``); ``{}`` if it is missing or unreadable."""
    try:
        if path.stat().st_size > CLASS_SIZE_LIMIT:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except Exception:  # noqa: BLE001 - missing, unreadable, not JSON, nested too deep: no absent rows
        return {}
    absent = data.get("absent") if isinstance(data, Mapping) else None
    found: dict[str, Identity] = {}
    if isinstance(absent, Mapping):
        items: Iterable[tuple[Any, Any]] = absent.items()
    elif isinstance(absent, list):  # [{"student": id, ...identity}]
        items = ((entry.get("student"), entry) for entry in absent if isinstance(entry, Mapping))
    else:
        return {}
    for key, value in items:
        if isinstance(key, str) and key:
            found[key[:200]] = Identity.from_dict(value)
    return found


# -- rendering ------------------------------------------------------------------------------


def _csv(rows: Iterable[Iterable[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return BOM + buffer.getvalue()


def _grade(row: Row) -> str:
    return fmt_grade(row.result.grade) if row.result is not None else ""


def _canvas_name(name: str) -> str:
    """A name Canvas cannot read as its "Points Possible" row (the importer tests ``include?``).

    Cleaned first: a control character between the words would otherwise be dropped later
    (by :func:`csv_cell`) and join them again.
    """
    return one_line(name).replace("Points Possible", "Points\u00a0Possible")


def render_canvas(book: Gradebook, assignment: str = DEFAULT_ASSIGNMENT) -> str:
    """The Canvas Gradebook import file (see the module): header, Points Possible, one row per student."""
    blank = [""] * (len(CANVAS_HEADER) - 1)
    lines: list[list[str]] = [[*CANVAS_HEADER, assignment],
                              [CANVAS_POINTS_POSSIBLE, *blank, fmt_grade(book.grade_max())]]
    for row in book.rows():
        ident = row.identity
        lines.append([_canvas_name(row.name), "", ident.sis_id, ident.login_id, ident.section, _grade(row)])
    return _csv(lines)


def email_of(identity: Identity) -> str:
    """The roster's login id when it is an email address (what Moodle's "Email address" holds), else ""."""
    login = identity.login_id.strip()
    return login if _EMAIL.fullmatch(login) else ""


@dataclass
class MoodleExport:
    """The Moodle file, and who is not in it (each reported: a silent gap is a missing grade)."""

    text: str
    key: str
    """``idnumber`` or ``email``: the column every written row has, to map from in Moodle."""
    written: int = 0
    no_key: list[str] = field(default_factory=list)
    """Graded students without that column: Moodle would give their grade to the row before."""
    absent: list[str] = field(default_factory=list)
    """Roster entries with no submission: an empty grade would erase a grade entered in Moodle."""

    @property
    def column(self) -> str:
        return MOODLE_KEYS[self.key][0]

    @property
    def map_to(self) -> str:
        """The user field of Moodle's import to map :attr:`column` to."""
        return MOODLE_KEYS[self.key][1]


def _moodle_key_value(row: Row, key: str) -> str:
    return row.identity.sis_id.strip() if key == "idnumber" else email_of(row.identity)


def choose_moodle_key(book: Gradebook) -> str:
    """``idnumber`` when any graded student has one (the registrar's id), else ``email``."""
    graded = [row for row in book.rows() if row.result is not None]
    return "idnumber" if any(_moodle_key_value(r, "idnumber") for r in graded) else "email"


def render_moodle(book: Gradebook, assignment: str = DEFAULT_ASSIGNMENT,
                  key: str | None = None) -> MoodleExport:
    """Moodle's grade import file (see the module); ``key``: ``idnumber``/``email``, default chosen."""
    key = key or choose_moodle_key(book)
    if key not in MOODLE_KEYS:
        raise ValueError(f"unknown Moodle key {key!r}")
    export = MoodleExport("", key)
    lines: list[list[str]] = [[*MOODLE_HEADER, f"{assignment} (Real)"]]
    for row in book.rows():
        if row.result is None:
            export.absent.append(row.student)
            continue
        if not _moodle_key_value(row, key):
            export.no_key.append(row.student)
            continue
        ident = row.identity
        lines.append([row.name, "", ident.sis_id, email_of(ident), _grade(row)])
        export.written += 1
    export.text = _csv(lines)
    return export


def render_plain(book: Gradebook) -> str:
    """The plain gradebook: identity, grade, grade_max, then each exercise's grade; absent rows empty."""
    exercises = book.exercises()
    lines: list[list[str]] = [[*PLAIN_HEADER, *exercises]]
    for row in book.rows():
        ident = row.identity
        cells = [row.student, ident.submission, ident.name, ident.sis_id, ident.login_id, ident.section]
        if row.result is None:
            lines.append(cells + [""] * (2 + len(exercises)))
            continue
        grades = row.result.exercise_grades()
        cells += [fmt_grade(row.result.grade), fmt_grade(row.result.grade_max)]
        cells += [fmt_grade(grades[e][0]) if e in grades else "" for e in exercises]
        lines.append(cells)
    return _csv(lines)


def write_export(path: Path, text: str) -> Path:
    """Write ``text`` (already holding its BOM) atomically, readable by its owner only.

    Why owner-only: the file holds every student's grade and SIS id, and ``--output`` may
    put it outside ``OUT`` (a folder only the instructor can open).
    """
    path = atomic_write_bytes(Path(path), text.encode("utf-8", "replace"))
    os.chmod(path, 0o600)
    return path


__all__ = ["DEFAULT_ASSIGNMENT", "DEFAULT_NAMES", "FORMATS", "ExportError", "Gradebook", "MoodleExport",
           "load_absent", "load_gradebook", "render_canvas", "render_moodle", "render_plain", "write_export"]
