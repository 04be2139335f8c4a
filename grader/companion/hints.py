"""Hints, one step at a time: a nudge (a question), then the concept, then the exact API.

Why steps, remembered: rustlings and exercism learners do best when the answer is not
handed over at the first sign of trouble. Each ``netlings hint`` shows one more step
(and the steps already seen); the count lives in ``.netlings/state.json``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..curriculum.manifest import Exercise
from .state import State


@dataclass(frozen=True)
class Hints:
    steps: tuple[str, ...]
    """Every step, in the student's language."""
    shown: int
    """How many are revealed now (>= 1)."""
    new: bool
    """Whether this call revealed a step (False when all were already shown)."""

    @property
    def visible(self) -> tuple[str, ...]:
        return self.steps[: self.shown]

    @property
    def left(self) -> int:
        return len(self.steps) - self.shown


def steps(exercise: Exercise, lang: str) -> tuple[str, ...]:
    return exercise.hints_zh if lang == "zh" else exercise.hints


def reveal(state: State, exercise: Exercise, lang: str, *, all_steps: bool = False) -> Hints:
    """Reveal the next step (every step with ``all_steps``) and remember it."""
    texts = steps(exercise, lang)
    before = min(state.hints_shown(exercise.id), len(texts))
    shown = len(texts) if all_steps else min(before + 1, len(texts))
    if shown != state.hints_shown(exercise.id):
        state.set_hints_shown(exercise.id, shown)
    return Hints(texts, shown, shown > before)
