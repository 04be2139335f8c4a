"""Grading a class in Chinese: ``netlings --lang zh grade``, end to end.

The language reaches every part that speaks: the per-submission pytest process (the
harness's verdicts), the orchestrator's verdicts and notes, the writers; result.json
records it, so a re-run in the same language keeps results and one in another language
re-grades instead of mixing two languages in one class.
"""

from __future__ import annotations

import functools
import json
import re
import zipfile
from pathlib import Path

import pytest
from grading_support import SUITE, VARIANTS, fake_prepare, make_submission

from grader.cli import grade as grade_cli
from grader.cli import main
from grader.cli.gradescope import build_zip, run_autograder
from grader.grade import grade_batch
from grader.report import SubmissionResult

LIMIT = "4"
STUDENTS = ["complete", "empty", "hang", "stub"]


def _grade(klass: Path, out: Path, lang: str, capsys: pytest.CaptureFixture[str]) -> str:
    code = main(["--lang", lang, "grade", str(klass), "--out", str(out), "--suite", str(SUITE), "-j", "2",
                 "--timeout", LIMIT, "--no-progress"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def _result(out: Path, student: str) -> SubmissionResult:
    path = out / "students" / student / "result.json"
    return SubmissionResult.from_dict(json.loads(path.read_text(encoding="utf-8")))


def _feedback(out: Path, student: str, name: str = "feedback.md") -> str:
    return (out / "students" / student / name).read_text(encoding="utf-8")


def test_a_class_graded_in_chinese_then_in_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(grade_cli, "grade_batch", functools.partial(grade_batch, prepare=fake_prepare))
    monkeypatch.delenv("NETLINGS_LANG", raising=False)
    klass = tmp_path / "class"
    for name in ("complete", "stub", "hang"):
        make_submission(klass, name, VARIANTS[name])
    make_submission(klass, "empty", None)
    out = tmp_path / "out"

    line = _grade(klass, out, "zh", capsys)
    assert line.startswith("已评分 4 份提交，1 份有问题，用时 "), line
    assert all(_result(out, s).lang == "zh" for s in STUDENTS), "result.json records the language"
    stub = _feedback(out, "stub")
    assert stub.startswith("# stub 的评分反馈\n\n**得分：0/10**"), stub[:80]
    assert "## 99\\_demo/demo：0/7 分" in stub and "- 隐藏测试：1 项中通过 0 项（0/2 分）" in stub, stub
    assert "（0/1，详情在截止日期之后显示）" in stub, stub
    assert "add() 还没有实现" in stub, "the pytest process got the language: the harness's verdict is Chinese"
    hang = _result(out, "hang")
    assert f"测试你的提交用时超过了 {LIMIT} 秒" in hang.tests[0].message, hang.tests[0].message
    assert hang.notes and hang.notes[0].startswith(f"{LIMIT} 秒后被终止"), hang.notes
    assert "无法运行任何测试：" in _result(out, "empty").tests[0].message
    assert '<html lang="zh-CN">' in _feedback(out, "stub", "feedback.html")
    assert (out / "summary.md").read_text(encoding="utf-8").startswith("# 全班汇总\n\n4 份提交；")

    # No English left in a real Chinese feedback.md but the test files' own words (descriptions,
    # skip reasons), the student's id, the exercise ids and the code blocks.
    text = re.sub(r"^( *)(`{3,})text\n.*?^\1\2$", "", stub, flags=re.S | re.M)
    for test in _result(out, "stub").tests:
        text = text.replace(test.description.replace("_", "\\_").replace("[", "\\[").replace("]", "\\]"), "")
        text = text.replace(test.message, "") if test.status.value == "skipped" else text
    text = text.replace("99\\_demo/demo", "").replace("99\\_demo/bonus", "").replace("# stub ", "# ")
    assert re.findall(r"[A-Za-z]{2,}", text) == [], text

    grades_zh = (out / "grades.csv").read_text(encoding="utf-8")
    again = _grade(klass, out, "zh", capsys)
    assert again.startswith("已评分 0 份提交，4 份未改动"), f"the same language keeps results: {again}"

    line = _grade(klass, out, "en", capsys)
    assert line.startswith("graded 4 submissions, 1 with problems in "), \
        f"another language re-grades every submission: {line}"
    assert all(_result(out, s).lang == "en" for s in STUDENTS)
    stub = _feedback(out, "stub")
    assert stub.startswith("# Feedback for stub\n\n**Score: 0/10**"), stub[:80]
    assert "add() is not implemented yet" in stub and "还没有" not in stub, "no Chinese left after re-grading"
    assert _result(out, "hang").notes[0].startswith(f"stopped after {LIMIT} s"), _result(out, "hang").notes
    grades_en = (out / "grades.csv").read_text(encoding="utf-8")
    assert grades_en == grades_zh, "the same numbers in either language"


def test_a_chinese_gradescope_autograder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The language is chosen at build time: Gradescope's machine says nothing about the class."""
    monkeypatch.setenv("NETLINGS_LANG", "en")
    zipped = build_zip(tmp_path / "ag.zip", suite=[SUITE], timeout=60, test_timeout=30, lang="zh")
    root = tmp_path / "autograder"
    with zipfile.ZipFile(zipped) as archive:
        archive.extractall(root / "source")
        assert json.loads(archive.read("netlings-autograder.json"))["lang"] == "zh"
    (root / "results").mkdir()
    make_submission(root, "submission", VARIANTS["half"])
    document = run_autograder(root, prepare=fake_prepare)
    assert document["score"] == 5 and document["output"].startswith("得分：5/10"), document["output"]
    bonus = next(t for t in document["tests"] if t["name"].endswith("bonus() returns 42"))
    assert "bonus() 还没有实现" in bonus["output"], bonus["output"]
    assert bonus["status"] == "failed", "the spec's values stay as they are"
