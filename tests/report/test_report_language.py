"""Reports in Chinese: the same numbers as in English, every fixed word from the catalogue.

A class's language is picked at grading time and recorded in each result (``lang``), so
a student's feedback speaks one language from heading to verdict. The strongest check:
render a result whose every student- or test-provided text is Chinese, strip the
identifiers (exercise ids, node ids) and code blocks, and no Latin word may remain.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from grader.report import BatchResult, Problem, Section, Status, SubmissionResult, TestResult
from grader.report.feedback import render_html, render_markdown
from grader.report.gradescope import overview, to_gradescope
from grader.report.scale import exercise_title
from grader.report.tables import render_summary

EXERCISES = ("01_udp/udp_client", "02_tcp/tcp_client")


def _t(nodeid: str, status: Status, *, exercise: str = EXERCISES[0], points: float = 1.0,
       visibility: str = "visible", message: str = "", description: str = "",
       sections: list[Section] | None = None) -> TestResult:
    return TestResult(nodeid=nodeid, exercise=exercise, name=nodeid.split("::")[-1],
                      description=description or f"{nodeid.split('::')[-1]} works", status=status,
                      points=points, visibility=visibility, message=message, sections=sections or [])


def _alice(lang: str = "") -> SubmissionResult:
    """The writers' test student: every kind of line once (problem, note, hidden, timed out, skipped)."""
    problem = Problem("shadows_stdlib", "01_udp/socket.py", "shadows socket")
    return SubmissionResult("alice", lang=lang, notes=["stopped after 300 s"], problems=[problem], tests=[
        _t("u.py::test_ok", Status.PASS, points=2),
        _t("u.py::test_bytes", Status.FAIL, message="sent 'hi' (str)",
           sections=[Section("what the UDP server saw", "C: hi\r\n")]),
        _t("u.py::test_later", Status.FAIL, visibility="after_due_date", message="SECRET-LATER"),
        _t("u.py::test_hidden", Status.PASS, visibility="hidden", points=3),
        _t("u.py::test_hidden2", Status.FAIL, visibility="hidden", message="SECRET-HIDDEN"),
        _t("v.py::test_slow", Status.TIMEOUT, exercise=EXERCISES[1], message="took too long"),
        _t("v.py::test_win", Status.SKIPPED, exercise=EXERCISES[1], message="Windows only"),
    ])


def _numbers(text: str) -> list[str]:
    return sorted(re.findall(r"\d+(?:\.\d+)?", text))


def test_chinese_feedback_has_chinese_headings_and_the_same_numbers() -> None:
    english, chinese = render_markdown(_alice(), lang="en"), render_markdown(_alice(), lang="zh")
    assert chinese.startswith("# alice 的评分反馈\n\n**得分：5/9**"), chinese[:60]
    headings = ("## 测试前发现的问题", "## 评分程序的说明", "## 01\\_udp/udp\\_client：5/8 分",
                "## 02\\_tcp/tcp\\_client：0/1 分")
    order = [chinese.index(s) for s in headings]
    assert order == sorted(order), f"the same order as in English: {order}"
    for expected in ("- ✓ test\\_ok works （2/2）", "（0/1，详情在截止日期之后显示）",
                     "- 隐藏测试：2 项中通过 1 项（3/4 分）", "（0/1，超时）",
                     "（不计分，已跳过：Windows only）", "  what the UDP server saw："):
        assert expected in chinese, f"missing {expected!r} in:\n{chinese}"
    assert "SECRET-LATER" not in chinese and "SECRET-HIDDEN" not in chinese, "visibility holds in Chinese"
    assert _numbers(chinese) == _numbers(english), "a translation changes words, never a number"
    assert english.startswith("# Feedback for alice\n\n**Score: 5/9**"), "English unchanged"


def test_the_feedback_speaks_the_language_the_result_was_graded_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETLINGS_LANG", "en")
    assert render_markdown(_alice(lang="zh")).startswith("# alice 的评分反馈"), \
        "a result graded in Chinese renders in Chinese whatever the current language"
    assert render_markdown(_alice(lang="en"), lang="zh").startswith("# alice 的评分反馈"), "lang= wins"
    monkeypatch.setenv("NETLINGS_LANG", "zh")
    assert render_markdown(_alice()).startswith("# alice 的评分反馈"), "no recorded language: the current one"
    assert render_markdown(_alice(lang="en")).startswith("# Feedback for alice")


def test_chinese_html_says_its_language() -> None:
    page = render_html(_alice(lang="zh"))
    assert '<html lang="zh-CN">' in page, page[:120]
    assert "<title>alice 的评分反馈</title>" in page and '<p class="score">得分：5/9</p>' in page
    assert '（0/1，<span class="note">超时</span>）' in page, "the note's span sits in Chinese brackets"
    assert '<html lang="en">' in render_html(_alice(lang="en"))


def test_result_json_records_the_language() -> None:
    data = _alice(lang="zh").to_dict()
    assert data["lang"] == "zh"
    assert SubmissionResult.from_dict(data).lang == "zh"
    assert SubmissionResult.from_dict({**data, "lang": "<script>"}).lang == "", "only a known language"
    assert SubmissionResult.from_dict({k: v for k, v in data.items() if k != "lang"}).lang == ""


# -- no English left ------------------------------------------------------------------------------


def _all_chinese() -> SubmissionResult:
    """Every line kind the writers know, with only Chinese in what students and tests provide."""
    detail = "\n\n回溯信息：\n  第 37 行\n类型错误"
    transcript = [Section("服务器看到的通信", "客户端：你好\r\n")]
    e1, e2 = EXERCISES
    return SubmissionResult("小明", lang="zh", notes=["评分程序的记录"],
                            problems=[Problem("syntax", "01/甲", "无法编译\n第 3 行"),
                                      Problem("missing", "", "缺少文件")], tests=[
        _t("a::t1", Status.PASS, description="通过的测试", points=2),
        _t("a::t2", Status.FAIL, description="失败的测试", message="错误一", sections=transcript),
        _t("a::t3", Status.FAIL, description="同样的错误", message="错误一"),
        _t("a::t4", Status.FAIL, description="调用甲", message="调用甲出错" + detail),
        _t("a::t5", Status.FAIL, description="调用乙", message="调用乙出错" + detail, sections=transcript),
        _t("a::t6", Status.TIMEOUT, description="超时的测试", message="太慢"),
        _t("a::t7", Status.ERROR, description="出错的测试", message="异常"),
        _t("a::t8", Status.FAIL, description="截止后", visibility="after_due_date", message="秘密"),
        _t("a::t9", Status.FAIL, description="公布后", visibility="after_published", message="秘密"),
        _t("a::u1", Status.PASS, description="隐藏一", visibility="hidden", points=3),
        _t("a::u2", Status.FAIL, description="隐藏二", visibility="hidden", message="秘密"),
        _t("b::t1", Status.SKIPPED, exercise=e2, description="跳过的测试", message="只在视窗系统上"),
        _t("b::t2", Status.SKIPPED, exercise=e2, description="没有原因的跳过"),
        _t("b::t3", Status.TIMEOUT, exercise=e2, description="第二个练习", message="太慢"),
    ])


def _latin_words(text: str) -> list[str]:
    """Latin words left once identifiers (exercise ids, node ids, the manifest's Chinese titles) are out.

    A Chinese title may name a protocol (``UDP 客户端与 UDP Ping 程序``): the course's own words.
    """
    for exercise in EXERCISES:
        text = text.replace(exercise, "").replace(exercise.replace("_", "\\_"), "")
        text = text.replace(exercise_title(exercise, "zh") or "\0", "")
    text = re.sub(r"`[^`\n]*::[^`\n]*`", "", text).replace("<br>", "")  # node ids, line breaks in summary.md
    return re.findall(r"[A-Za-z]{2,}", text)


def _without_code_blocks(markdown: str) -> str:
    return re.sub(r"^( *)(`{3,})text\n.*?^\1\2$", "", markdown, flags=re.S | re.M)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("style", "pre")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "pre")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def test_no_english_fixed_phrase_remains_in_chinese_feedback() -> None:
    result = _all_chinese()
    markdown = render_markdown(result)
    assert "信息同上" in markdown and "详情同上" in markdown and "详情在成绩公布之后显示" in markdown, \
        "the test covers the repeated-message notes and both delayed visibilities"
    assert "（不计分，已跳过）" in markdown, "a skip without a reason"
    assert _latin_words(_without_code_blocks(markdown)) == [], markdown

    parser = _Text()
    page = render_html(result)
    parser.feed(page)
    assert _latin_words("".join(parser.parts)) == [], page
    assert _latin_words(overview(result)) == [], overview(result)


def test_chinese_summary_and_summary_line() -> None:
    other = _all_chinese()
    other.student = "小红"
    batch = BatchResult(submissions=[_all_chinese(), other], reused=["小红"], duration=2.04, lang="zh")
    summary = render_summary(batch)
    assert summary.startswith("# 全班汇总\n\n2 份提交；平均分"), summary[:80]
    for heading in ("## 各练习", "## 各测试（失败最多的在前）", "## 有问题的提交"):
        assert heading in summary, summary
    assert _latin_words(summary) == [], summary
    line = batch.summary_line()
    expected = "已评分 1 份提交，1 份未改动（沿用上次结果），2 份有问题，用时 2.0 秒；平均分"
    assert line.startswith(expected), line
    assert BatchResult(lang="zh").summary_line() == "已评分 0 份提交"
    english = BatchResult(submissions=batch.submissions, reused=["小红"], duration=2.04).summary_line("en")
    assert english.startswith("graded 1 submission, 1 unchanged (kept), 2 with problems in 2.0 s"), english


def test_gradescope_output_in_chinese_keeps_the_specs_values() -> None:
    document = to_gradescope(_alice(lang="zh"), execution_time=3)
    assert document["output"].startswith("得分：5/9\n\n测试前发现的问题：\n- "), document["output"]
    assert "1 项测试的详情将在截止日期之后显示。" in document["output"], document["output"]
    assert {t["status"] for t in document["tests"]} == {"passed", "failed"}, "spec values never translated"
