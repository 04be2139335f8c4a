"""Put an exercise back to its stub, keeping the student's version aside.

Why a backup: "reset" is typed in frustration, and an hour of work should survive a
``y`` typed too quickly. The previous file goes to ``.netlings/backup/<unit>/<module>.py``
(one per exercise, the latest reset). The stub comes from ``exercises/.stubs.json``,
so this works in the student edition, which has no ``solutions/``.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from ..curriculum.build import text_digest
from ..curriculum.manifest import Exercise
from .state import State
from .workspace import STATE_DIR, Workspace, file_digest


class NoStub(LookupError):
    """This copy has no record of the exercise's stub (no ``.stubs.json`` entry, no ``solutions/``)."""


@dataclass(frozen=True)
class ResetPlan:
    target: Path
    stub: str
    backup: Path
    needed: bool
    """False when the file already is the stub."""


def backup_path(workspace: Workspace, exercise: Exercise) -> Path:
    return workspace.root / STATE_DIR / "backup" / exercise.path


def plan(workspace: Workspace, exercise: Exercise) -> ResetPlan:
    """What a reset would do (nothing is changed).

    Raises:
        NoStub: the stub is not known.
    """
    stub = workspace.stub_text(exercise)
    if stub is None:
        raise NoStub(exercise.id)
    target = workspace.file(exercise)
    needed = file_digest(target) != text_digest(stub)
    return ResetPlan(target, stub, backup_path(workspace, exercise), needed)


def apply(workspace: Workspace, state: State, exercise: Exercise, reset: ResetPlan) -> Path | None:
    """Back the current file up, write the stub; return the backup (None if there was no file)."""
    backup = None
    if reset.target.is_file():
        reset.backup.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(reset.target, reset.backup)
        backup = reset.backup
    reset.target.parent.mkdir(parents=True, exist_ok=True)
    with reset.target.open("w", encoding="utf-8", newline="\n") as f:
        f.write(reset.stub)
    state.store_result(exercise.id, None)
    return backup
