"""The README's examples are code a reader will paste: run them so they can't rot."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def python_examples() -> list[str]:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    return [b for b in blocks if "def test_" in b]


def test_the_readme_has_a_plugin_example() -> None:
    assert python_examples(), "the README should show a test that uses the plugin"


@pytest.mark.parametrize("source", python_examples())
def test_readme_example_passes(pytester: pytest.Pytester, source: str) -> None:
    pytester.makepyfile(source)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=source.count("def test_"))
