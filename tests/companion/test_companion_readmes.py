"""Every unit README exists in Chinese, and the translation keeps everything that is not prose.

Why: a translation drifts silently when the English README changes. Headings, list
items, code (inline and blocks) and links are what a student copies or follows, so
they must match one for one; only the sentences around them differ.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from grader.curriculum.manifest import REPO_ROOT, load_manifest

UNITS = [unit.id for unit in load_manifest().units]
FENCE = re.compile(r"```.*?```", re.S)


def structure(text: str) -> dict[str, object]:
    blocks = FENCE.findall(text)
    prose = FENCE.sub("", text)
    links = [url.replace("docs.python.org/zh-cn/3/", "docs.python.org/3/")
             for url in re.findall(r"\]\((\S+?)\)", prose)]
    return {
        "headings": [len(m) for m in re.findall(r"^(#+) ", prose, flags=re.M)],
        "numbered items": len(re.findall(r"^\d+\. ", prose, flags=re.M)),
        "bullets": len(re.findall(r"^- ", prose, flags=re.M)),
        "table rows": len(re.findall(r"^\|", prose, flags=re.M)),
        "code blocks": blocks,
        "inline code": Counter(re.findall(r"`[^`\n]+`", prose)),
        "links": links,
    }


@pytest.mark.parametrize("unit", UNITS)
def test_the_chinese_readme_matches_the_english_one(unit: str) -> None:
    folder = REPO_ROOT / "exercises" / unit
    chinese = folder / "README.zh.md"
    assert chinese.is_file(), f"{unit}: add README.zh.md, a translation of README.md"
    en, zh = structure((folder / "README.md").read_text(encoding="utf-8")), structure(
        chinese.read_text(encoding="utf-8"))
    for part in en:
        assert zh[part] == en[part], f"{unit}/README.zh.md: {part} differ from README.md"
    assert re.search(r"[\u4e00-\u9fff]", chinese.read_text(encoding="utf-8")), f"{unit}: not translated"


def test_the_chinese_readmes_link_the_chinese_python_docs() -> None:
    for unit in UNITS:
        text = (REPO_ROOT / "exercises" / unit / "README.zh.md").read_text(encoding="utf-8")
        assert "docs.python.org/3/" not in text, f"{unit}: link docs.python.org/zh-cn/3/ for Chinese readers"


def test_the_check_is_able_to_fail(tmp_path: Path) -> None:
    english = "# T\n\n## A\n1. `x()` then [doc](https://docs.python.org/3/a)\n"
    assert structure(english) == structure("# T\n\n## 甲\n1. `x()` 然后 [文档](https://docs.python.org/zh-cn/3/a)\n")
    assert structure(english) != structure("# T\n\n## 甲\n1. `y()` 然后 [文档](https://docs.python.org/zh-cn/3/a)\n")
