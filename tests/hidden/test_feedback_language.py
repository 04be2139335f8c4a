"""Real feedback in Chinese: the suites' own sentences, not only the catalogue's, reach the student.

One submission (the reference with each module that has a hand-written mistake replaced
by one such buggy module) is graded with ``lang="zh"`` through the real pipeline
against every hidden and visible suite. Then every test description must be Chinese,
and no failure message may keep an English sentence: what is left once the code in it
is taken out (quoted values, the C:/S: transcript, and what Python and pytest print
themselves: exception texts, tracebacks, pytest's comparison of the values) must hold
no run of three English words.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from grader.grade.batch import grade_batch
from grader.report.model import Status

REPO = Path(__file__).resolve().parents[2]
BUGGY = Path(__file__).with_name("buggy")
CJK = re.compile(r"[\u4e00-\u9fff]")
PROSE = re.compile(r"[A-Za-z']{2,}[,:;]? +[A-Za-z']{2,}[,:;]? +[A-Za-z']{2,}")

CODE = [
    re.compile(r"(?ms)^(Your traceback:|你的代码的回溯信息：|Traceback \(most recent call last\):)"
               r".*?(?=\n\n|\Z)"),
    re.compile(r"(?ms)^assert .*?(?=\n\n|\Z)"),                 # pytest's comparison of the values
    re.compile(r"(?m)^\s*[CS\*]: .*$"),                        # transcript lines
    re.compile(r"(?m)^.*(─|══|--- ).*$"),                      # transcript headings and rules
    re.compile(r"\b\w*(Error|Exception|Timeout)\w*: [^\n]*"),  # Python's own exception texts
    re.compile(r"`[^`\n]*`"),
    re.compile(r"""(?<!\w)b?'(?:[^'\\\n]|\\.)*'|(?<!\w)b?"(?:[^"\\\n]|\\.)*\""""),   # reprs
    re.compile(r"<[^<>\n]*>"),                                 # <placeholders>, <addresses>
    re.compile(r"\b(None|True|False)\b"),
]


def english_left(message: str) -> list[str]:
    """Runs of three English words in ``message`` once its code is taken out."""
    for pattern in CODE:
        message = pattern.sub(" ", message)
    return PROSE.findall(message)


def test_the_scrub_keeps_an_english_sentence() -> None:
    """The check can fail: English prose survives the scrub, code does not."""
    assert english_left("serve_once(sock) returned 'a b c' instead of the text")
    assert english_left("serve_once(sock) 返回了 'hello world again'，期望 b'x y z'") == []


@pytest.mark.timeout(900)
def test_a_buggy_submission_graded_in_chinese_reads_chinese(tmp_path: Path) -> None:
    folder = tmp_path / "subs" / "buggy"
    shutil.copytree(REPO / "solutions", folder, ignore=shutil.ignore_patterns("__pycache__"))
    replaced = {}
    for path in sorted(BUGGY.glob("*/*/*.py")):
        module = f"{path.parent.name}/{path.name}"
        if module not in replaced:
            replaced[module] = path.parts[-3]
            shutil.copy(path, folder / module)
    suite = [REPO / "grader" / "hidden", *sorted((REPO / "exercises").glob("*/test_*.py"))]
    batch = grade_batch([folder], tmp_path / "out", suite=suite, jobs=1, progress=False,
                        timeout_per_submission=600, lang="zh")
    result = batch.get("buggy")
    assert len(result.tests) >= 180, f"only {len(result.tests)} tests ran"

    english = [f"{t.nodeid}: {t.description}" for t in result.tests if not CJK.search(t.description)]
    assert not english, "descriptions without Chinese:\n" + "\n".join(english)

    failed = [t for t in result.tests if t.status not in (Status.PASS, Status.SKIPPED)]
    exercises = {t.exercise for t in failed}
    assert len(exercises) >= len(replaced), f"every buggy module loses points: {sorted(exercises)} {replaced}"
    problems = [f"{t.nodeid}: {left}\n{t.message}" for t in failed if (left := english_left(t.message))]
    problems += [f"{t.nodeid}: no Chinese at all\n{t.message}" for t in failed if not CJK.search(t.message)]
    assert not problems, "\n\n".join(problems)
