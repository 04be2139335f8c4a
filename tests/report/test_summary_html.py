"""The class dashboard (summary.html): one self-contained page, its charts, its links, both languages."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from grader.messages import msg
from grader.report import BatchResult, Problem, Status, SubmissionResult, TestResult
from grader.report.model import Identity
from grader.report.summary_html import render_summary_html
from grader.report.writers import write_batch

WEIGHTS = {"01_udp/udp_server": 40.0, "02_tcp/tcp_client": 60.0}
HOSTILE = '<script>alert(1)</script>" onmouseover="x'
VOID = {"meta", "br", "line", "rect", "img", "hr", "input", "link"}


class _Page(HTMLParser):
    """Every element with its attributes, and whether the open/close tags balance."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.unbalanced: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID and (not self.stack or self.stack[-1] != tag):
            return
        if not self.stack or self.stack[-1] != tag:
            self.unbalanced.append(tag)
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert not parser.unbalanced and parser.stack == [], (parser.unbalanced, parser.stack)
    return parser


def _test(nodeid: str, exercise: str, status: Status, *, mistakes: list[str] | None = None,
          duration: float = 0.1, points: float = 1) -> TestResult:
    return TestResult(nodeid=nodeid, exercise=exercise, name=nodeid, description=f"{nodeid} works",
                      status=status, points=points, mistakes=mistakes or [], duration=duration)


def _student(student: str, udp: Status, tcp: Status, *, mistakes: list[str] | None = None,
             tcp_seconds: float = 0.2) -> SubmissionResult:
    tests = [_test("u.py::test_echo", "01_udp/udp_server", udp, mistakes=mistakes if udp is not Status.PASS
                   else ["str_not_bytes"]),  # a passing test's mistake is no mistake made
             _test("t.py::test_stream", "02_tcp/tcp_client", tcp, duration=tcp_seconds, points=3)]
    return SubmissionResult(student, tests=tests, weights=dict(WEIGHTS), identity=Identity(f"{student}.zip"))


def _batch(lang: str = "en") -> BatchResult:
    return BatchResult(submissions=[
        _student("alice", Status.PASS, Status.PASS),
        _student("张三", Status.FAIL, Status.PASS, mistakes=["send_not_sendall"]),
        _student(HOSTILE, Status.FAIL, Status.TIMEOUT, mistakes=["send_not_sendall", "no_such_mistake"],
                 tcp_seconds=9.5),
        _student("bob", Status.FAIL, Status.FAIL, mistakes=["single_recv"]),
    ], changes={"bob": (80.0, 0.0)}, skipped=[Problem("empty", "empty-folder", "the submission is empty")],
        lang=lang)


def test_the_histogram_follows_the_browser_tests_contract() -> None:
    page = _parse(render_summary_html(_batch()))
    (start,) = [i for i, (t, a) in enumerate(page.elements) if (t, a.get("class")) == ("svg", "histogram")]
    assert page.elements[start][1]["data-bins"] == "10", "bins of 10 points over 0..100"
    end = next(i for i, (tag, a) in enumerate(page.elements) if i > start and tag == "svg")
    bars = [a for tag, a in page.elements[start:end] if tag == "rect" and a.get("class") == "bar"]
    counts = [int(a["data-count"] or -1) for a in bars]
    assert len(bars) == 10 and sum(counts) == 4, counts
    assert counts[0] == 2 and counts[6] == 1 and counts[9] == 1, f"0, 0, 60 and 100 points: {counts}"
    text = render_summary_html(_batch())
    assert "90–100: 1 student</title>" in text and "0–10: 2 students</title>" in text, "tooltips per bin"


def test_mistakes_are_counted_per_student_and_link_to_their_feedback() -> None:
    text = render_summary_html(_batch())
    title = msg("mistake.send_not_sendall.title", "en")
    row = next(r for r in text.split("<tr>") if title in r)
    assert '<td class="num">2</td>' in row, f"two students made it: {row}"
    assert 'href="students/%E5%BC%A0%E4%B8%89/feedback.html">张三</a>' in row, row
    hostile = 'href="students/%3Cscript%3Ealert%281%29%3C%2Fscript%3E%22%20onmouseover%3D%22x/feedback.html"'
    assert hostile in row, row
    assert msg("mistake.single_recv.title", "en") in text
    assert msg("mistake.str_not_bytes.title", "en") not in text, "named by a passing test: not made"
    assert "no_such_mistake" not in text, "only the catalogue's mistakes"


def test_hostile_ids_are_text_and_the_page_needs_no_network() -> None:
    text = render_summary_html(_batch())
    page = _parse(text)
    assert "<script" not in text and 'onmouseover="' not in text, "a student id is never markup"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x" in text
    far = re.search(r"https?://|//[a-z]|@import|url\(|<link|<iframe|<img", text, re.I)
    assert far is None, f"nothing loaded from afar: {far}"
    assert not [a for tag, a in page.elements if tag == "script"], "no script needed"
    for tag, attrs in page.elements:
        assert not any(name.startswith("on") for name in attrs), f"no event handler: {tag} {attrs}"
        href = attrs.get("href")
        if href is not None:
            assert href.startswith("students/") and href.endswith("/feedback.html") and ".." not in href, href


def test_overview_exercises_tests_changes_and_problems() -> None:
    text = render_summary_html(_batch())
    words = " ".join(_parse(text).text)
    assert "Students" in words and "Mean" in words and "Median" in words, "the overview"
    assert "All grades are out of 100." in words
    overview = text.split('id="overview"', 1)[1].split("<h2", 1)[0]
    assert '"value">40.00<' in overview and '"value">30<' in overview, f"mean, median of 100/60/0/0: {text}"
    assert 'class="bar-chart" data-bars="2"' in text, "one bar per exercise"
    assert "25% (1/4)" in words and "50% (2/4)" in words, "pass rates: full marks on udp 1 of 4, tcp 2 of 4"
    slow = text.split('id="slowest"', 1)[1]
    assert slow.index("t.py::test_stream") < slow.index("u.py::test_echo"), "slowest first"
    timeouts = text.split('id="timeouts"', 1)[1].split("<h2", 1)[0]
    assert "t.py::test_stream" in timeouts and '<td class="num">1</td>' in timeouts, timeouts
    changes = text.split('id="changes"', 1)[1].split("<h2", 1)[0]
    assert ">bob</a>" in changes and ">80<" in changes and "-80" in changes, changes
    problems = text.split('id="problems"', 1)[1]
    assert "empty-folder" in problems and "the submission is empty" in problems, problems


def test_the_chinese_dashboard_is_in_chinese() -> None:
    text = render_summary_html(_batch("zh"))
    assert '<html lang="zh-CN">' in text
    headings = re.findall(r"<h[12][^>]*>(.*?)</h[12]>", text)
    for key in ("dashboard.title", "dashboard.histogram.heading", "dashboard.exercises.heading",
                "dashboard.mistakes.heading", "dashboard.changes.heading", "dashboard.problems.heading"):
        assert msg(key, "zh") in headings, f"{key} in Chinese: {headings}"
    assert not [h for h in headings if re.search(r"[A-Za-z]{3,}", h)], f"no English heading: {headings}"
    assert msg("mistake.send_not_sendall.title", "zh") in text and "名学生</title>" in text


def test_write_batch_writes_the_dashboard_and_class_json(tmp_path: Path) -> None:
    batch = _batch()
    batch.absent = {"2024009": Identity("", "李四", "2024009", "lisi", "L01")}
    batch.unmatched = ["alice"]
    write_batch(batch, tmp_path)
    assert (tmp_path / "summary.html").read_text(encoding="utf-8") == render_summary_html(batch)
    document = json.loads((tmp_path / "class.json").read_text(encoding="utf-8"))
    assert document["absent"] == {"2024009": {"submission": "", "name": "李四", "sis_id": "2024009",
                                              "login_id": "lisi", "section": "L01"}}, document
    assert document["unmatched"] == ["alice"] and document["changes"] == {"bob": [80.0, 0.0]}
    skipped = {"code": "empty", "path": "empty-folder", "message": "the submission is empty"}
    assert document["skipped"] == [skipped], document


def test_an_empty_class_still_gives_a_page() -> None:
    text = render_summary_html(BatchResult(skipped=[Problem("empty", "x", "empty")]))
    assert "No submissions were graded." in text and "histogram" not in text
    _parse(text)
