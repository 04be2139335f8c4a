"""Verdicts that name a beginner mistake: what was called, expected vs actual, and a hint.

Used by visible tests (shipped to students) and hidden suites alike, so it lives in the harness.

Which mistake a failed test named is recorded for the class dashboard (``TestResult.mistakes``):
:func:`named_mistakes` reads it from the failure, for the pytest plugin to put in the results.
A :class:`MistakeFound` carries its id. A :func:`suspect` sentence does not fail anything
itself: suites compute it eagerly (as ``awaiting=`` of a call that may well pass, or once at
import), so the id counts only when the failure's text holds that sentence, never merely
because the sentence was made.
"""

from __future__ import annotations

from typing import Any, NoReturn

from ..messages import msg
from ..messages.mistakes import MISTAKES

_SUSPECTED: dict[str, str] = {}
"""``{sentence: mistake id}`` of every :func:`suspect` sentence made in this process (a few per
mistake and language: bounded by the catalogue)."""


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
    sentence = msg("mistake_suspected", title=title(mistake), hint=hint(mistake))
    if mistake in MISTAKES:
        _SUSPECTED[_words(sentence)] = mistake
    return sentence


def _words(text: str) -> str:
    """``text`` with every run of white space as one space: pytest indents a message's later lines."""
    return " ".join(text.split())


def named_mistakes(exc: BaseException | None, text: str | None = None) -> list[str]:
    """Ids of the catalogue's mistakes a failure names, in order, each once.

    From a :class:`MistakeFound` in ``exc`` or its cause/context chain, then from every
    :func:`suspect` sentence found in ``text`` (default ``str(exc)``). Ids not in
    :data:`~grader.messages.mistakes.MISTAKES` are dropped: the dashboard names only known ones.
    """
    found: list[str] = []
    seen: set[int] = set()
    link = exc
    while link is not None and id(link) not in seen and len(seen) < 20:
        seen.add(id(link))
        mistake = getattr(link, "mistake", None) if isinstance(link, MistakeFound) else None
        if isinstance(mistake, str) and mistake in MISTAKES and mistake not in found:
            found.append(mistake)
        link = link.__cause__ or link.__context__
    text = _words(str(exc) if text is None and exc is not None else (text or ""))
    for sentence, mistake in list(_SUSPECTED.items()):
        if sentence and sentence in text and mistake not in found:
            found.append(mistake)
    return found


def check(condition: bool, mistake: str, *, call: str, expected: Any, actual: Any, detail: str = "") -> None:
    """``fail_mistake`` unless ``condition`` holds."""
    __tracebackhide__ = True
    if not condition:
        fail_mistake(mistake, call=call, expected=expected, actual=actual, detail=detail)
