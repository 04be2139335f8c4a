"""The message catalogue: every sentence in both languages, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from grader.messages import CATALOG, current_language, msg


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_message_exists_in_both_languages_with_the_same_placeholders(key: str) -> None:
    entry = CATALOG[key]
    assert entry.get("en") and entry.get("zh"), f"{key}: needs both 'en' and 'zh'"
    assert placeholders(entry["en"]) == placeholders(entry["zh"]), f"{key}: placeholders differ"


def test_language_comes_from_netlings_lang_then_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETLINGS_LANG", "zh")
    assert current_language() == "zh"
    assert "还没有实现" in msg("not_implemented", func="f", path="p", exercise="e")
    monkeypatch.setenv("NETLINGS_LANG", "")
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    assert current_language() == "zh"
    monkeypatch.setenv("LC_ALL", "C")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert current_language() == "en"
