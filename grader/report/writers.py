"""Write the model to files, all atomically: per student and per batch.

Layout of a class's ``OUT`` folder::

    OUT/grades.csv, OUT/summary.md          the class
    OUT/summary.html                        the class dashboard (self-contained page)
    OUT/class.json                          skipped, absent, unmatched, changes (for the exports)
    OUT/students/<id>/feedback.md           one folder per student
    OUT/students/<id>/feedback.html
    OUT/students/<id>/result.json           written last
    OUT/students/<id>/history/NNNN.json     the result.json each regrade replaced

Why ``students/``: a student id comes from a folder or zip name the student chose, so
with the students' folders beside the class files, ``grades.csv.zip`` would have taken
the gradebook's name. No id can name a class file now. Per student, result.json is
written last: resume trusts a folder whose result.json exists, so it is written only
once everything else is in place; the result.json it replaces is archived in
``history/`` first (:mod:`grader.report.history`). Gradescope: ``results.json`` at a given path.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from .atomic import atomic_write_json, atomic_write_text
from .feedback import render_html, render_markdown
from .gradescope import to_gradescope
from .history import archive
from .model import BatchResult, SubmissionResult
from .summary_html import class_document, render_summary_html
from .tables import render_grades_csv, render_summary

RESULT_NAME = "result.json"
CLASS_NAME = "class.json"
STUDENTS_DIR = "students"
"""The folder of ``OUT`` that holds one folder per student (nothing else lives in it)."""


def make_out(out: Path) -> None:
    """``OUT`` (when made here) and ``OUT/students`` for the instructor alone: they hold every
    student's code excerpts and scores, which no other user of the machine may read."""
    out = Path(out)
    if not out.exists():
        out.mkdir(parents=True)
        os.chmod(out, 0o700)
    students = out / STUDENTS_DIR
    if not students.is_dir() or students.is_symlink():
        with contextlib.suppress(OSError):
            students.unlink()  # a file (or link) where the folder belongs: never followed
        students.mkdir()
    os.chmod(students, 0o700)


def student_folder(out: Path, student: str) -> Path:
    """``OUT/students/<student>/``: where one student's files go (``student`` is a sanitised id)."""
    return Path(out) / STUDENTS_DIR / student


def write_submission(result: SubmissionResult, folder: Path) -> Path:
    """``feedback.md``, ``feedback.html``, then ``result.json`` into ``folder``; returns the result path.

    Everything is rendered before anything is written, so a result that cannot be rendered
    leaves the folder as it was. A file where the folder should be (left by an older layout,
    in which a student's files sat beside the class files) is replaced by the folder.
    """
    folder = Path(folder)
    markdown, page = render_markdown(result), render_html(result)
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(folder)
    atomic_write_text(folder / "feedback.md", markdown)
    atomic_write_text(folder / "feedback.html", page)
    archive(folder, RESULT_NAME)
    return atomic_write_json(folder / RESULT_NAME, result.to_dict())


def write_batch(batch: BatchResult, out: Path) -> None:
    """grades.csv, summary.md, summary.html and class.json, all rendered before any is written.

    ``batch.changes`` is shown as it is: the caller fills it (:func:`grader.report.history.changes`).
    """
    files = {"grades.csv": render_grades_csv(batch), "summary.md": render_summary(batch),
             "summary.html": render_summary_html(batch)}
    for name, text in files.items():
        atomic_write_text(Path(out) / name, text)
    atomic_write_json(Path(out) / CLASS_NAME, class_document(batch))


def write_gradescope(result: SubmissionResult, path: Path, execution_time: float | None = None) -> Path:
    return atomic_write_json(Path(path), to_gradescope(result, execution_time))
