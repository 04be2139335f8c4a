"""Where the student stands on each exercise: done, not yet, not started.

* **not started**: the file is still the untouched stub (compared by content with the
  stub recorded in ``exercises/.stubs.json``, else generated from ``solutions/``,
  else the file as the companion first saw it). No test is run for it.
* **done**: its visible tests pass.
* **not yet**: changed but its tests do not pass (yet).

Results are cached in :class:`~.state.State` by the content of the files tested, so
only exercises changed since their last run are run again.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..curriculum.manifest import Exercise
from .runner import CheckResult, cache_key, run_check
from .state import State
from .workspace import Workspace, file_digest

Runner = Callable[[Workspace, Exercise], CheckResult]
"""Runs an exercise's visible tests (:func:`.runner.run_check` with the language bound)."""


class Status(str, enum.Enum):
    DONE = "done"
    NOT_YET = "not_yet"
    NOT_STARTED = "not_started"
    MISSING = "missing"
    """The student's file is gone (``netlings reset`` brings the stub back)."""


@dataclass
class Entry:
    exercise: Exercise
    status: Status
    result: CheckResult | None = None
    """The run the status comes from (None when no run was needed or allowed)."""


def is_untouched(workspace: Workspace, state: State, exercise: Exercise) -> bool | None:
    """Whether the student's file is still the stub; None when the file is missing."""
    digest = file_digest(workspace.file(exercise))
    if digest is None:
        return None
    stub = workspace.stub_digest(exercise)
    if stub is None:  # no record of the stub anywhere: the first version seen stands in for it
        stub = state.baseline(exercise.id)
        if stub is None:
            state.set_baseline(exercise.id, digest)
            return True
    return digest == stub


def cached_result(workspace: Workspace, state: State, exercise: Exercise) -> CheckResult | None:
    """The stored run for the files as they are now, if any."""
    stored = state.result(exercise.id, cache_key(workspace, exercise))
    if stored is None:
        return None
    try:
        return CheckResult.from_dict(stored)
    except (KeyError, TypeError, ValueError):
        return None


def check(workspace: Workspace, state: State, exercise: Exercise, runner: Runner) -> CheckResult:
    """Run the tests now and remember the result."""
    result = runner(workspace, exercise)
    state.store_result(exercise.id, result.to_dict())
    return result


def entry(workspace: Workspace, state: State, exercise: Exercise, runner: Runner | None,
          on_run: Callable[[Exercise], None] | None = None) -> Entry:
    """The status of one exercise.

    Its tests are run only when its files changed since the last run and ``runner`` is given.
    """
    untouched = is_untouched(workspace, state, exercise)
    if untouched is None:
        return Entry(exercise, Status.MISSING)
    if untouched:
        return Entry(exercise, Status.NOT_STARTED)
    result = cached_result(workspace, state, exercise)
    if result is None and runner is not None:
        if on_run is not None:
            on_run(exercise)
        result = check(workspace, state, exercise, runner)
    done = result is not None and result.passed
    return Entry(exercise, Status.DONE if done else Status.NOT_YET, result)


def entries(workspace: Workspace, state: State, runner: Runner | None = None,
            on_run: Callable[[Exercise], None] | None = None) -> Iterator[Entry]:
    """Every exercise in course order, evaluated lazily (stop early and nothing more is run)."""
    for exercise in workspace.manifest.exercises:
        yield entry(workspace, state, exercise, runner, on_run)


def current(workspace: Workspace, state: State, runner: Runner | None = None,
            on_run: Callable[[Exercise], None] | None = None) -> Entry | None:
    """The first exercise that is not done, or None when all are."""
    return next((e for e in entries(workspace, state, runner, on_run) if e.status is not Status.DONE), None)


def default_runner(lang: str) -> Runner:
    def run(workspace: Workspace, exercise: Exercise) -> CheckResult:
        return run_check(workspace, exercise, lang=lang)

    return run
