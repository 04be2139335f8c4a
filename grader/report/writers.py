"""Write the model to files, all atomically: per student and per batch.

Per student (``DIR/<student>/``): ``feedback.md``, ``feedback.html`` and, last,
``result.json``: resume trusts a folder whose result.json exists, so it is written
only once everything else is in place. Per batch (``DIR/``): ``grades.csv`` and
``summary.md``. Gradescope: ``results.json`` at a given path.
"""

from __future__ import annotations

from pathlib import Path

from .atomic import atomic_write_json, atomic_write_text
from .feedback import render_html, render_markdown
from .gradescope import to_gradescope
from .model import BatchResult, SubmissionResult
from .tables import render_grades_csv, render_summary

RESULT_NAME = "result.json"


def write_submission(result: SubmissionResult, folder: Path) -> Path:
    """``feedback.md``, ``feedback.html``, then ``result.json`` into ``folder``; returns the result path."""
    folder = Path(folder)
    atomic_write_text(folder / "feedback.md", render_markdown(result))
    atomic_write_text(folder / "feedback.html", render_html(result))
    return atomic_write_json(folder / RESULT_NAME, result.to_dict())


def write_batch(batch: BatchResult, out: Path) -> None:
    atomic_write_text(Path(out) / "grades.csv", render_grades_csv(batch))
    atomic_write_text(Path(out) / "summary.md", render_summary(batch))


def write_gradescope(result: SubmissionResult, path: Path, execution_time: float | None = None) -> Path:
    return atomic_write_json(Path(path), to_gradescope(result, execution_time))
