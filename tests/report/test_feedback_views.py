"""The per-student views on one scale, and feedback.html's overview with the details folded below.

One scale: feedback.md, feedback.html, Gradescope's results.json and grades.csv show the same
course grade for the same SubmissionResult (each exercise its grade of its manifest weight,
100 for the course), never the raw test points. feedback.html opens with an overview (the
score, one row per exercise, the beginner mistakes named); each exercise's details are a
``<details>``, open when there is something to fix; a transcript is shown once per exercise.
"""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from grader.messages import msg
from grader.report import BatchResult, Problem, Section, Status, SubmissionResult, TestResult
from grader.report.feedback import named_mistakes, render_html, render_markdown
from grader.report.gradescope import to_gradescope
from grader.report.model import fmt_grade
from grader.report.scale import exercise_title
from grader.report.tables import render_grades_csv

UDP, TCP, FTP = "01_udp/udp_client", "02_tcp/tcp_client", "03_ftp/ftp_client"
WEIGHTS = {UDP: 8.0, TCP: 12.0, FTP: 80.0}
TRANSCRIPT = Section("what the UDP server saw",
                     "-- udp connection 1 from 127.0.0.1:5000\n   [  0.001] C: 你好")


def _t(nodeid: str, exercise: str, status: Status, points: float, *, visibility: str = "visible",
       message: str = "", sections: list[Section] | None = None, mistakes: list[str] | None = None,
       description: str = "") -> TestResult:
    name = nodeid.split("::")[-1]
    return TestResult(nodeid=nodeid, exercise=exercise, name=name, description=description or f"{name} works",
                      status=status, points=points, visibility=visibility, message=message,
                      sections=sections or [], mistakes=mistakes or [])


def _weighted(lang: str = "en") -> SubmissionResult:
    """Raw points 19 (udp), 7 (tcp), 26 (ftp) scaled to 8, 12 and 80: no grade is a raw sum."""
    missing = Problem("missing", "03_ftp/ftp_client.py", "03_ftp/ftp_client.py is missing")
    return SubmissionResult("张三", lang=lang, weights=dict(WEIGHTS), problems=[missing], tests=[
        _t("u.py::test_a", UDP, Status.PASS, 5),
        _t("u.py::test_b", UDP, Status.FAIL, 3, message="sent str\n\nhint: encode", sections=[TRANSCRIPT],
           mistakes=["str_not_bytes"]),
        _t("u.py::test_c", UDP, Status.FAIL, 3, message="sent str again", sections=[TRANSCRIPT],
           mistakes=["str_not_bytes", "str_not_bytes"]),
        _t("u.py::test_d", UDP, Status.TIMEOUT, 4, message="too slow", sections=[TRANSCRIPT],
           mistakes=["no_udp_timeout"]),
        _t("u.py::test_e", UDP, Status.PASS, 2, visibility="hidden"),
        _t("u.py::test_f", UDP, Status.FAIL, 2, visibility="hidden", message="SECRET",
           mistakes=["single_recv"]),
        _t("v.py::test_a", TCP, Status.PASS, 3),
        _t("v.py::test_b", TCP, Status.PASS, 4),
        _t("v.py::test_skip", TCP, Status.SKIPPED, 9, message="Windows only"),
        _t("w.py::test_a", FTP, Status.FAIL, 20, message="no file"),
        _t("w.py::test_b", FTP, Status.PASS, 6),
    ])


def _score_in(text: str, lang: str = "en") -> str:
    pattern = re.escape(msg("report.score", lang, score="\0", max_score="\1"))
    pattern = pattern.replace("\\\0", r"([\d.]+)").replace("\\\1", r"([\d.]+)")
    pattern = pattern.replace("\0", r"([\d.]+)").replace("\1", r"([\d.]+)")
    match = re.search(pattern, text)
    assert match, f"no score line in:\n{text[:500]}"
    return f"{match[1]}/{match[2]}"


# -- one scale --------------------------------------------------------------------------------


def test_every_view_shows_the_same_course_grade() -> None:
    result = _weighted()
    grade, top = result.grade, result.grade_max
    assert (grade, top) == (round(8 * 7 / 19 + 12 + 80 * 6 / 26, 2), 100.0), "the fixture is on the scale"
    expected = f"{fmt_grade(grade)}/{fmt_grade(top)}"
    assert expected == "33.41/100"

    markdown, page = render_markdown(result), render_html(result)
    assert _score_in(markdown) == expected and f"**Score: {expected}**" in markdown
    assert _score_in(page) == expected and f'<p class="score">Score: {expected}</p>' in page

    document = to_gradescope(result, execution_time=1)
    assert document["score"] == grade, "Gradescope takes the top-level score: the course grade"
    assert _score_in(document["output"]) == expected
    assert abs(sum(t["score"] for t in document["tests"]) - grade) < 0.01, "the tests add up to it too"
    assert abs(sum(t["max_score"] for t in document["tests"]) - top) < 0.01

    sheet = render_grades_csv(BatchResult([result]))
    rows = {row["student"]: row for row in csv.DictReader(sheet.splitlines())}
    assert float(rows["张三"]["total"]) == grade, "grades.csv's total is the same grade"
    for exercise, (earned, weight) in result.exercise_grades().items():
        assert float(rows["张三"][exercise]) == earned
        heading = msg("report.exercise_score", "en", exercise=exercise, earned=fmt_grade(earned),
                      possible=fmt_grade(weight))
        assert heading in page and heading.replace("_", "\\_") in markdown, heading
        in_gradescope = sum(t["score"] for t in document["tests"] if t["tags"] == [exercise])
        assert abs(in_gradescope - earned) < 0.01, (exercise, in_gradescope, earned)
        assert heading in document["output"], "Gradescope's overall text lists each exercise's grade"


def test_no_raw_test_point_is_shown_beside_the_scaled_ones() -> None:
    result = _weighted()
    markdown, page = render_markdown(result), render_html(result)
    for raw in ("/19", "/7 ", "/26", "/52", "(5/5)", "(0/3)", "(0/20)", "/9)"):
        assert raw not in markdown and raw not in page, f"raw points {raw!r} in the feedback"
    assert "- ✓ test\\_a works (2.11/2.11)" in markdown, "a test shows its share of its exercise's weight"
    assert "- ✗ test\\_a works (0/61.54)" in markdown
    assert "hidden tests: 1 of 2 passed (0.84/1.68 points)" in markdown, markdown
    document = to_gradescope(result)
    first = next(t for t in document["tests"] if t["name"] == f"{UDP}: test_a works")
    assert (first["score"], first["max_score"]) == (2.1053, 2.1053), "8 × 5/19, to 4 decimals"


# -- the overview -----------------------------------------------------------------------------


class _Outline(HTMLParser):
    """The page's body as (tag, attributes) in order, and the text of each <details>' summary."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.summaries: list[str] = []
        self._summary: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "summary":
            self._summary = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "summary" and self._summary is not None:
            self.summaries.append("".join(self._summary))
            self._summary = None

    def handle_data(self, data: str) -> None:
        if self._summary is not None:
            self._summary.append(data)


def _outline(page: str) -> _Outline:
    parser = _Outline()
    parser.feed(page)
    return parser


def test_the_overview_comes_first_then_the_problems_then_the_folded_details() -> None:
    page = render_html(_weighted())
    body = page.split("<body>", 1)[1]
    first = re.search(r"<(div|section|details|ul|table|p)\b[^>]*>", body)
    assert first and first[0] == '<div class="overview">', f"the overview opens the page: {body[:200]}"
    order = [page.index(s) for s in ('<div class="overview">', '<table class="exercises">',
                                      '<div class="problems">', '<details class="exercise"')]
    assert order == sorted(order), "score and overview, then the problems found before testing, then details"
    overview = page.split('<div class="overview">', 1)[1].split('<div class="problems">', 1)[0]
    rows = re.findall(r"<tr class=\"(\w+)\"><td><code>([^<]*)</code>.*?</td><td class=\"num\">(.*?)</td>"
                      r"<td class=\"num\">(\d+)/(\d+)</td></tr>", overview)
    title = '<code>01_udp/udp_client</code> <span class="title">A UDP client and a UDP pinger</span>'
    assert title in overview, "each exercise is named by its manifest title too"
    assert rows == [
        ("partial", UDP, "2.95/8", "2", "6"),
        ("full", TCP, '<span class="mark">✓</span> 12/12', "2", "2"),
        ("partial", FTP, "18.46/80", "1", "2"),
    ], rows
    assert "<script" not in page and "<a " not in page and "href" not in page, "self-contained, no script"


def test_exercises_to_fix_are_open_and_full_marks_are_folded() -> None:
    outline = _outline(render_html(_weighted()))
    exercises = [a for tag, a in outline.tags if tag == "details" and a.get("class") == "exercise"]
    assert len(exercises) == 3, "one <details> per exercise"
    assert ["open" in attrs for attrs in exercises] == [True, False, True], \
        "what lost points is open; full marks are folded"
    assert outline.summaries[0].startswith(f"{UDP}: 2.95/8 points"), outline.summaries


def test_the_mistakes_named_are_counted_per_test_and_hidden_ones_stay_hidden() -> None:
    result = _weighted()
    assert named_mistakes(result) == [("str_not_bytes", 2), ("no_udp_timeout", 1)], \
        "two tests named str_not_bytes (one of them twice); the hidden test's single_recv is not said"
    page, markdown = render_html(result), render_markdown(result)
    overview = page.split('<div class="problems">', 1)[0]
    title = msg("mistake.str_not_bytes.title", "en")
    assert f'<li>{title} <span class="note">(named by 2 tests)</span></li>' in overview, overview
    assert "(named by 1 test)" in overview and msg("mistake.single_recv.title", "en") not in page
    assert f"- {title} (named by 2 tests)" in markdown
    chinese = render_html(_weighted("zh"))
    assert msg("mistake.str_not_bytes.title", "zh") in chinese and "（2 项测试指出）" in chinese


def test_markdown_gets_the_same_overview_table() -> None:
    markdown = render_markdown(_weighted())
    overview = markdown.split("## Overview", 1)[1].split("## Problems found before testing", 1)[0]
    html = MarkdownIt("commonmark").enable("table").render(overview)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html)
    udp, tcp, ftp = (f"{e} {exercise_title(e, 'en')}" for e in (UDP, TCP, FTP))
    assert cells == [udp, "2.95/8", "2/6", tcp, "✓ 12/12", "2/2", ftp, "18.46/80", "1/2"], cells
    assert markdown.index("## Overview") < markdown.index("## Problems found before testing") \
        < markdown.index(f"## {UDP}".replace("_", "\\_"))


def test_a_transcript_repeated_by_several_failed_tests_is_shown_once() -> None:
    result = _weighted()
    page, markdown = render_html(result), render_markdown(result)
    assert page.count("C: 你好") == 1 and markdown.count("C: 你好") == 1, "the transcript once per exercise"
    again = "what the UDP server saw: same transcript as above"
    assert page.count(again) == 2 and markdown.count(again) == 2
    assert page.index("C: 你好") < page.index(again), "shown under the first test, named after"
    other = SubmissionResult("x", tests=[
        _t("a::t1", UDP, Status.FAIL, 1, message="m1", sections=[TRANSCRIPT]),
        _t("b::t1", TCP, Status.FAIL, 1, message="m2", sections=[TRANSCRIPT]),
        _t("b::t2", TCP, Status.FAIL, 1, message="m3", sections=[Section(TRANSCRIPT.title, "other")]),
    ])
    page = render_html(other)
    assert page.count("C: 你好") == 2 and "same transcript" not in page, \
        "once per exercise (each exercise folds alone); a different transcript is shown"


def test_hostile_text_in_the_overview_is_escaped() -> None:
    hostile = "<script>alert(1)</script> [x](javascript:alert(1)) | cell"
    result = SubmissionResult(hostile, weights={hostile: 10}, tests=[
        _t("a::t1", hostile, Status.FAIL, 1, message=hostile, description=hostile,
           mistakes=[hostile, "str_not_bytes"], sections=[Section(hostile, hostile), ]),
        _t("a::t2", hostile, Status.FAIL, 1, message="m", description=hostile,
           mistakes=["str_not_bytes"], sections=[Section(hostile, hostile)]),
    ])
    page, markdown = render_html(result), render_markdown(result)
    assert "<script" not in page and "&lt;script&gt;" in page
    assert named_mistakes(result) == [("str_not_bytes", 2)], "an id the catalogue does not know is not shown"
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    for tag in ("<script", "<a ", "href="):
        assert tag not in rendered, f"{tag} in the rendered feedback.md"
    table = rendered.split("<table>", 1)[1].split("</table>", 1)[0]
    assert all(row.count("<td") == 3 for row in table.split("<tr>")[2:]), "a | in an exercise breaks no row"


def test_transcripts_differing_only_in_times_and_client_ports_are_the_same() -> None:
    """Each test starts its own server: the same conversation comes back with new times and ports."""
    def seen(port: int, start: float, reply: str) -> Section:
        return Section("what the SMTP server saw", f"-- smtp connection 1 from 127.0.0.1:{port}\n"
                       f"   [{start:7.3f}] S: 220 ready\n   [{start + 0.001:7.3f}] C: EHLO [::1]:{port}\n"
                       f"   [{start + 0.002:7.3f}] S: {reply}")
    result = SubmissionResult("x", tests=[
        _t("a::t1", UDP, Status.FAIL, 1, message="m1", sections=[seen(55012, 0.025, "250 OK")]),
        _t("a::t2", UDP, Status.FAIL, 1, message="m2", sections=[seen(40446, 0.033, "250 OK")]),
        _t("a::t3", UDP, Status.FAIL, 1, message="m3", sections=[seen(40447, 0.034, "550 no")]),
    ])
    page = render_html(result)
    assert "127.0.0.1:55012" in page and "127.0.0.1:40446" not in page, "the second is the first again"
    assert "127.0.0.1:40447" in page and "S: 550 no" in page, "a transcript with another line is shown"
    assert page.count("same transcript as above") == 1


def test_problems_naming_other_students_stay_with_the_instructor() -> None:
    """An id collision names the other submission (``Victim.zip``): grades.csv/summary may say it,
    the student's own views never do (a classmate's name is not theirs to read)."""
    result = _weighted()
    result.problems.append(Problem("id_collision", "", "victim.zip and Victim.zip would share the id victim"))
    result.problems.append(Problem("roster_ambiguous", "", "matches 2 roster entries: 李四, 王五"))
    views = [render_markdown(result), render_html(result), str(to_gradescope(result))]
    for view in views:
        assert "Victim.zip" not in view and "王五" not in view, view[:2000]
        assert "is missing" in view, "the student's own problems still show"


def test_an_exercise_failing_for_one_reason_is_folded_with_the_reason_shown() -> None:
    """bob's page was 10,000 px of "not implemented yet": an exercise where nothing passed and every
    failure says the same is folded, its one reason beside the heading; one with a real mix stays open."""
    stub = "framing() is not implemented yet: open exercises/02_tcp/framing.py"
    result = SubmissionResult("bob", weights={"02_tcp/framing": 8.0, UDP: 8.0}, tests=[
        *(_t(f"f.py::test_{n}", "02_tcp/framing", Status.FAIL, 1, message=stub) for n in range(5)),
        _t("u.py::test_a", UDP, Status.PASS, 1),
        _t("u.py::test_b", UDP, Status.FAIL, 1, message="sent str"),
    ])
    page = render_html(result)
    framing = re.search(r'(<details class="exercise"[^>]*>)\s*'
                        r'<summary><h2>02_tcp/framing[^<]*</h2>(.*?)</summary>', page, re.S)
    assert framing and " open" not in framing.group(1) and stub in framing.group(2), page[:3000]
    udp = re.search(r'(<details class="exercise"[^>]*>)\s*<summary><h2>01_udp/udp_client', page)
    assert udp and " open" in udp.group(1), "an exercise with something to fix and no single cause is open"
