"""Verdicts that name a beginner mistake: what was called, expected vs actual, and a hint.

Used by visible tests (shipped to students) and hidden suites alike, so it lives in the harness.
"""

from __future__ import annotations

from typing import Any, NoReturn

from ..messages import msg


class MistakeFound(AssertionError):
    """A hidden test found a named beginner mistake; the message explains it."""

    def __init__(self, mistake: str, text: str) -> None:
        super().__init__(text)
        self.mistake = mistake


def title(mistake: str) -> str:
    return msg(f"mistake.{mistake}.title")


def hint(mistake: str) -> str:
    return msg(f"mistake.{mistake}.hint")


def show(value: Any, limit: int = 300) -> str:
    """``repr`` for bytes and everything else, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def fail_mistake(mistake: str, *, call: str, expected: Any, actual: Any, detail: str = "") -> NoReturn:
    """Fail the test naming ``mistake``: what was called, expected vs actual, a hint."""
    __tracebackhide__ = True
    text = msg("mistake_report", title=title(mistake), call=call,
               expected=expected if isinstance(expected, str) else show(expected),
               actual=actual if isinstance(actual, str) else show(actual), hint=hint(mistake))
    if detail:
        text += "\n" + detail
    raise MistakeFound(mistake, text)


def suspect(mistake: str) -> str:
    """A sentence for ``awaiting=``/assert messages: "Likely mistake: …  Hint: …"."""
    return msg("mistake_suspected", title=title(mistake), hint=hint(mistake))


def check(condition: bool, mistake: str, *, call: str, expected: Any, actual: Any, detail: str = "") -> None:
    """``fail_mistake`` unless ``condition`` holds."""
    __tracebackhide__ = True
    if not condition:
        fail_mistake(mistake, call=call, expected=expected, actual=actual, detail=detail)
