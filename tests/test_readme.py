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


def test_the_readmes_student_ids_are_what_the_grader_makes() -> None:
    """"`张三.zip` is `张三`", "`Ana Maria.zip` → `Ana_Maria-9f6f78`": the README's ids, checked."""
    from grader.grade.identity import student_id

    text = README.read_text(encoding="utf-8")
    pairs = re.findall(r"`([^`]+\.zip)` (?:is|→) `([^`]+)`", text)
    assert len(pairs) >= 5, pairs
    for name, shown in pairs:
        assert student_id(name) == shown, f"README: {name} is {shown}; the grader makes {student_id(name)}"


def test_the_readmes_roster_example_names_its_students() -> None:
    from grader.grade.roster import parse_roster

    block = re.search(r"```csv\n(submission,.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    assert block, "the README shows a roster"
    resolved = parse_roster(block.group(1)).resolve(["张三.zip", "2024002_李四.zip", "wangwu.zip", "eve.zip"])
    assert [e.name if e else None for e in resolved.entries] == ["张三", "李四", "王五", None]
    assert [p.code for p in resolved.problems[3]] == ["not_on_roster"] and not resolved.absent
