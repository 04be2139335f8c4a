"""``netlings grade --self``: grade your own ``exercises/`` the way the course's grader will.

Why through :func:`~grader.grade.batch.grade_batch`, on a batch of one: the same
preparation (only the contract modules are copied into a clean root; the student's
conftest and pytest settings are ignored), the same suite collection, deadlines and
feedback writer as when the class is graded. Nothing here decides a score.

Which tests: in the instructor's checkout (``grader/hidden/`` present), the hidden
suites plus the instructor's visible tests, exactly what ``netlings grade`` runs; in
the student edition, the visible tests only, and the result says so, because the
course's grade may count tests the student cannot see.

No sandbox: it is the student's own code on their own machine (the per-test and
per-submission deadlines still hold), so no isolation notice is printed either.

Output: ``.netlings/feedback.md`` (+ ``feedback.html``, ``result.json``) next to the
graded ``exercises/``; the batch files live in ``.netlings/grade/``, so a second run
with unchanged modules and suite returns at once (the batch's content hash).
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..edition import is_student_edition
from ..messages import msg
from ..report.atomic import atomic_write_text
from ..report.model import SubmissionResult
from ..report.writers import student_folder
from .batch import PrepareFn, grade_batch
from .identity import student_id
from .roster import Roster, RosterEntry
from .runner import DEFAULT_TEST_TIMEOUT, PACKAGE_PARENT

MANIFEST = "netlings.toml"
SELF_DIR = ".netlings"
UNIT_DIR = re.compile(r"^\d\d_\w+$")
VISIBLE_ONLY_NOTE = msg("grade.self.visible_only_note", "en")
"""The note atop a visible-only feedback.md, in English (the feedback's language is the result's)."""


@dataclass
class SelfGrade:
    """One self-grading run: the result, where the feedback went, and what was (not) tested."""

    result: SubmissionResult
    exercises: Path
    feedback: Path
    hidden: bool
    """Whether the hidden suites were part of the run (instructor checkout)."""
    reused: bool
    """Nothing changed since the last run: its result was kept."""
    notices: list[str] = field(default_factory=list)


def _has_units(folder: Path) -> bool:
    try:
        return any(p.is_dir() and UNIT_DIR.match(p.name) and any(p.glob("*.py")) for p in folder.iterdir())
    except OSError:
        return False


def find_exercises(start: Path) -> Path:
    """The exercises folder for ``start``: ``start/exercises``, ``start`` itself, or the one above.

    In order: a folder holding ``netlings.toml`` at or above ``start`` (so it works from
    inside ``exercises/01_udp``), a project folder whose ``exercises/`` holds it, then
    any folder with unit folders (``01_udp/*.py``). FileNotFoundError otherwise.
    """
    start = Path(start).resolve()
    for folder in (start, *start.parents):
        if (folder / MANIFEST).is_file():
            return folder
        if (folder / "exercises" / MANIFEST).is_file():
            return folder / "exercises"
    for folder in (start / "exercises", start):
        if folder.is_dir() and _has_units(folder):
            return folder
    raise FileNotFoundError(msg("grade.self.no_exercises", folder=start))


def default_self_suite(exercises: Path, project: Path = PACKAGE_PARENT) -> tuple[list[Path], bool]:
    """(suite paths, hidden included?): hidden suites when present, plus the visible tests.

    The visible tests are the installed project's copies when it has them (the
    instructor's, or the student edition's own), else those next to the graded modules.
    """
    paths: list[Path] = []
    hidden = project / "grader" / "hidden"
    with_hidden = hidden.is_dir() and not is_student_edition()
    if with_hidden:
        paths.append(hidden)
    visible = sorted((project / "exercises").glob("*/test_*.py"))
    visible = visible or sorted(Path(exercises).glob("*/test_*.py"))
    return paths + visible, with_hidden


def _user() -> str:
    try:
        return getpass.getuser() or "student"
    except Exception:  # noqa: BLE001 - no login name (containers, odd Windows setups): any name will do
        return "student"


def grade_self(
    exercises: Path,
    *,
    suite: Sequence[Path] | None = None,
    force: bool = False,
    timeout: float = 300,
    test_timeout: float = DEFAULT_TEST_TIMEOUT,
    progress: bool | None = None,
    prepare: PrepareFn | None = None,
    student: str | None = None,
) -> SelfGrade:
    """Grade ``exercises`` with the default self suite (or ``suite``); feedback into ``../.netlings/``.

    Raises :class:`~grader.grade.runner.SuiteError` when the suite itself is broken.
    """
    exercises = Path(exercises).resolve()
    if suite is None:
        paths, with_hidden = default_self_suite(exercises)
    else:
        paths = [Path(p) for p in suite]
        with_hidden = any("hidden" in p.resolve().parts for p in paths)
    name = student or _user()
    if prepare is None:
        def prepare(source: Path, workdir: Path) -> Any:
            from ..sandbox import prepare_submission

            return prepare_submission(source, workdir, student=name)

    base = exercises.parent / SELF_DIR
    out = base / "grade"
    # The batch names a student after the submission (here always "exercises"); a roster of one
    # names them after the user, as their feedback's title should.
    you = Roster([RosterEntry(line=0, submission=exercises.name, id=student_id(name), name=name)])
    batch = grade_batch([exercises], out, suite=paths, force=force, timeout_per_submission=timeout,
                        test_timeout=test_timeout, progress=progress, prepare=prepare,
                        wrap=None, sandbox_env={}, roster=you)
    result = batch.submissions[0]
    graded = student_folder(out, result.student)
    feedback = base / "feedback.md"
    markdown = (graded / "feedback.md").read_text(encoding="utf-8")
    if not with_hidden:
        title, _, rest = markdown.partition("\n")
        markdown = f"{title}\n\n> {msg('grade.self.visible_only_note', result.lang or None)}\n{rest}"
    atomic_write_text(feedback, markdown)
    for extra in ("feedback.html", "result.json"):
        if (graded / extra).is_file():
            atomic_write_text(base / extra, (graded / extra).read_text(encoding="utf-8"))
    return SelfGrade(result=result, exercises=exercises, feedback=feedback, hidden=with_hidden,
                     reused=result.student in batch.reused, notices=list(batch.notices))


__all__ = ["SelfGrade", "VISIBLE_ONLY_NOTE", "default_self_suite", "find_exercises", "grade_self"]
