"""Regrade history: the ``result.json`` a new grading replaces is kept, numbered, in ``history/``.

Why: an instructor re-grades after a fixed test, a late submission or a new roster, and must
be able to say whose score changed and by how much (summary.md, summary.html), and to show
a student what they had before. So before a student's ``result.json`` is replaced,
:func:`archive` copies it to ``OUT/students/<id>/history/<NNNN>.json`` (``0001``, ``0002``
… in order; atomic like every other write), keeping the newest :data:`KEEP`.

:func:`changes` then compares, for each student graded in this run, the new grade with the
newest archived one. It is called *after* the students' files are written, so that the
newest archived entry is the result this run replaced. A reused result (unchanged
submission) is not re-graded and is never reported as changed.

Only the course grade (``"grade"``, see :mod:`grader.report.scale`) is compared. A
``result.json`` without it (an older netlings) has no grade on this scale, so it is
never reported as a change, rather than as a jump from raw test points to 100.
"""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from typing import Any

from .atomic import atomic_write_bytes
from .model import GRADE_DECIMALS, BatchResult

HISTORY_DIR = "history"
KEEP = 20
"""Archived results kept per student: enough for every regrade of a term, bounded on disk."""
READ_LIMIT = 64 * 1024 * 1024
"""A history entry larger than this is not read (ours are far smaller: every text is capped)."""
_ENTRY = re.compile(r"^(\d{4,9})\.json$")


def history_folder(folder: Path) -> Path:
    """``OUT/students/<id>/history``."""
    return Path(folder) / HISTORY_DIR


def entries(folder: Path) -> list[Path]:
    """The archived results of the student in ``folder``, oldest first (by number, not by name)."""
    found = []
    with contextlib.suppress(OSError):
        for path in history_folder(folder).iterdir():
            match = _ENTRY.match(path.name)
            if match and path.is_file() and not path.is_symlink():
                found.append((int(match[1]), path))
    return [path for _, path in sorted(found)]


def archive(folder: Path, name: str = "result.json") -> Path | None:
    """Copy ``folder/name`` to the next ``history/NNNN.json``; the path written, or None.

    Nothing to archive (no file, or a link where the file should be) is no error. Neither is
    a failure to archive (a full disk): a grade matters more than its history, and the
    caller is about to write the new result in any case. The oldest entries beyond
    :data:`KEEP` are removed.
    """
    source = Path(folder) / name
    try:
        if source.is_symlink() or not source.is_file():
            return None
        data = source.read_bytes()
    except OSError:
        return None
    existing = entries(folder)
    number = int(_ENTRY.match(existing[-1].name)[1]) + 1 if existing else 1  # type: ignore[index]
    target = history_folder(folder) / f"{number:04d}.json"
    try:
        history = history_folder(folder)
        if history.is_symlink() or (history.exists() and not history.is_dir()):
            history.unlink()  # never write through a link planted where the folder belongs
        atomic_write_bytes(target, data)
    except OSError:
        return None
    for old in (existing + [target])[:-KEEP]:
        with contextlib.suppress(OSError):
            old.unlink()
    return target


def _grade(path: Path) -> float | None:
    try:
        if path.stat().st_size > READ_LIMIT:
            return None
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    grade = data.get("grade") if isinstance(data, dict) else None
    if isinstance(grade, bool) or not isinstance(grade, (int, float)) or grade != grade:
        return None
    return round(float(grade), GRADE_DECIMALS)


def previous_grade(folder: Path) -> float | None:
    """The course grade of the newest archived result of the student in ``folder`` (None: none readable)."""
    newest = entries(folder)[-1:]
    return _grade(newest[0]) if newest else None  # not an older entry: the newest is what was replaced


def changes(batch: BatchResult, out: Path) -> dict[str, tuple[float, float]]:
    """``{student: (previous grade, grade)}`` for the students graded in this run whose grade changed.

    Call it once the students' files are written (so each one's newest history entry is
    the result this run replaced) and set :attr:`BatchResult.changes` with it before
    :func:`~grader.report.writers.write_batch`. Students in ``batch.reused`` were not re-graded.
    """
    from .writers import student_folder  # writers imports this module

    reused = set(batch.reused)
    found: dict[str, tuple[float, float]] = {}
    for submission in batch.submissions:
        if submission.student in reused:
            continue
        before = previous_grade(student_folder(out, submission.student))
        if before is not None and before != submission.grade:
            found[submission.student] = (before, submission.grade)
    return found


__all__ = ["HISTORY_DIR", "KEEP", "archive", "changes", "entries", "history_folder", "previous_grade"]
