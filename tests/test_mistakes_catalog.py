"""The named mistakes: both languages for every one, and every one hunted by a hidden test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.harness.verdict import MistakeFound, fail_mistake
from grader.messages import msg
from grader.messages.mistakes import MISTAKES

HIDDEN = Path(__file__).resolve().parents[1] / "grader" / "hidden"


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_every_mistake_has_a_title_and_hint_in_both_languages(mistake: str) -> None:
    for lang in ("en", "zh"):
        title, hint = MISTAKES[mistake][lang]
        assert title.strip() and hint.strip(), f"{mistake}: empty {lang} text"
    assert msg(f"mistake.{mistake}.title", "zh") != msg(f"mistake.{mistake}.title", "en")


def test_fail_mistake_says_call_expected_actual_and_hint() -> None:
    with pytest.raises(MistakeFound) as info:
        fail_mistake("single_recv", call="tcp_request('127.0.0.1', 5, 'hi')",
                     expected=b"Received: hi", actual=b"R")
    text = str(info.value)
    assert info.value.mistake == "single_recv"
    assert "Likely mistake: one recv() assumed to return the whole message" in text
    assert "Called: tcp_request('127.0.0.1', 5, 'hi')" in text
    assert "Expected: b'Received: hi'" in text and "Actually: b'R'" in text
    assert "Hint: " in text


def hidden_sources() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(HIDDEN.rglob("test_*.py")))


@pytest.mark.skipif(not any(HIDDEN.rglob("test_*.py")), reason="no hidden suites yet")
@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_every_mistake_is_hunted_by_a_hidden_test(mistake: str) -> None:
    assert re.search(rf"[\"']{mistake}[\"']", hidden_sources()), f"no hidden test names {mistake!r}"
