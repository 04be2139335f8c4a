"""The reports as a reader sees them: summary.html and feedback.html, opened in headless Chromium.

The class is built from the model (``browser_support.sample_batch``: 12 students whose grades
fall in known bins) and written by :mod:`grader.report.writers` exactly as ``netlings grade``
writes it, so the page under test is the page an instructor opens. Every page must load with
no console error, no uncaught error and no request leaving ``file:`` (the ``open_page`` fixture).

What the pages promise, and these tests hold them to:

- summary.html: ``svg.histogram`` with ``data-bins="N"`` and exactly N ``rect.bar``, whose
  ``data-count`` are the number of students per bin (N equal bins over 0..grade_max, the last
  one including a perfect grade); nothing loaded from anywhere (the chart is inline SVG); every
  link leads to a file of OUT; headings in the batch's language.
- feedback.html: an ``.overview`` is the first thing under the title, visible without
  scrolling, and shows the course grade (``fmt_grade(result.grade)/fmt_grade(result.grade_max)``),
  never the raw test points, and names the mistakes its visible tests found (never one only a
  hidden test found: that would tell what the hidden test checks).

Screenshots of each page go to the test's tmp_path (``docs/make_screenshots.py`` makes the ones
in the README).
"""

from __future__ import annotations

import importlib.util
import itertools
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    HISTOGRAM,
    OVERVIEW,
    PageWatch,
    expected_counts,
    histogram_counts,
    open_report,
    overflowing,
    overlapping_labels,
    sample_result,
    screenshot,
    unavailable,
    write_sample,
)

from grader.messages import msg
from grader.report.model import fmt_grade, fmt_points
from grader.report.writers import student_folder, write_submission

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LANGS = ("en", "zh")

needs_summary_html = pytest.mark.skipif(
    importlib.util.find_spec("grader.report.summary_html") is None,
    reason="grader.report.summary_html (the class dashboard) is not written yet")


def headings(page: Any) -> list[str]:
    return page.eval_on_selector_all("h1, h2", "els => els.map(e => e.innerText.trim())")


# -- the browser checks themselves: they must catch a broken page ----------------------------------

BROKEN = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>broken</title>
<link rel="stylesheet" href="https://cdn.example.invalid/style.css"></head>
<body><h1>broken</h1><img src="missing.png">
<script>console.error("a console error");</script>
<script>throw new Error("an uncaught error");</script>
</body></html>
"""


def test_a_broken_page_is_caught(browser: Any, tmp_path: Path) -> None:
    """Each way a page can go wrong is reported, and nothing reaches the network."""
    page_file = tmp_path / "broken.html"
    page_file.write_text(BROKEN, encoding="utf-8")
    context = browser.new_context()
    try:
        _, watch = open_report(context, page_file)
        problems = "\n".join(watch.problems())
    finally:
        context.close()
    assert "a console error" in problems, problems
    assert "an uncaught error" in problems, problems
    assert "https://cdn.example.invalid/style.css" in watch.blocked, problems
    assert any("missing.png" in x for x in watch.failed_requests), problems


def test_a_clean_page_has_no_problems(browser: Any, tmp_path: Path) -> None:
    page_file = tmp_path / "clean.html"
    page_file.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><h1>好</h1>'
                         '<svg class="histogram" data-bins="2"><rect class="bar" data-count="3"/>'
                         '<rect class="bar" data-count="0"/></svg></body></html>', encoding="utf-8")
    context = browser.new_context()
    try:
        page, watch = open_report(context, page_file)
        assert histogram_counts(page) == (2, [3, 0])
    finally:
        context.close()
    assert watch.problems() == [] and isinstance(watch, PageWatch)


def test_expected_counts_bins_like_a_histogram() -> None:
    """Left-closed bins, the last one closed on the right too (a perfect grade is counted)."""
    assert expected_counts([0, 9.99, 10, 55, 99.9, 100], 100, 10) == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    grades = [sample_result(i).grade for i in range(12)]
    assert expected_counts(grades, 100, 10) == [2, 0, 1, 1, 3, 1, 1, 1, 1, 1], grades


# -- summary.html: the class dashboard ------------------------------------------------------------


@needs_summary_html
@pytest.mark.parametrize("lang", LANGS)
def test_summary_loads_cleanly_with_one_bar_per_bin(open_page: Any, tmp_path: Path, lang: str) -> None:
    batch = write_sample(tmp_path / "out", lang)
    summary = tmp_path / "out" / "summary.html"
    assert summary.is_file(), "write_batch writes OUT/summary.html"
    page = open_page(summary)
    screenshot(page, tmp_path / f"summary.{lang}.png", max_height=None)

    bins, counts = histogram_counts(page)
    assert bins >= 2, f'{HISTOGRAM} needs data-bins="N" with N >= 2, found {bins}'
    assert len(counts) == bins, f"{bins} bins but {len(counts)} rect.bar"
    grades = [s.grade for s in batch.submissions]
    top = max(s.grade_max for s in batch.submissions)
    assert counts == expected_counts(grades, top, bins), f"grades {grades} in {bins} bins over 0..{top}"
    assert sum(counts) == len(batch.submissions), "every student is in exactly one bar"
    heights = page.eval_on_selector_all(f"{HISTOGRAM} rect.bar", "rs => rs.map(r => r.getBBox().height)")
    assert max(heights) > 0, f"the bars are drawn: {heights}"
    for a, b in itertools.combinations(range(bins), 2):  # the drawing agrees with the data
        if counts[a] != counts[b]:
            assert (counts[a] < counts[b]) == (heights[a] < heights[b]), f"counts {counts}, heights {heights}"
    assert not overlapping_labels(page), "a chart's labels are drawn over each other"


@needs_summary_html
@pytest.mark.parametrize("lang", LANGS)
def test_summary_fits_the_screen(open_page: Any, tmp_path: Path, lang: str) -> None:
    """1280 px wide, long test names and node ids included: nobody scrolls sideways to read a table."""
    write_sample(tmp_path / "out", lang)
    page = open_page(tmp_path / "out" / "summary.html")
    assert not overflowing(page), "summary.html is wider than the window"


@needs_summary_html
@pytest.mark.parametrize("lang", LANGS)
def test_summary_speaks_the_batch_language(open_page: Any, tmp_path: Path, lang: str) -> None:
    write_sample(tmp_path / "out", lang)
    page = open_page(tmp_path / "out" / "summary.html")
    found = headings(page)
    assert found, "the dashboard has headings"
    assert page.get_attribute("html", "lang") == msg("report.html_lang", lang)
    if lang == "zh":
        english = [h for h in found if not CJK.search(h)]
        assert not english, f"headings left in English on a Chinese dashboard: {english}"
    else:
        chinese = [h for h in found if CJK.search(h)]
        assert not chinese, f"Chinese headings on an English dashboard: {chinese}"


@needs_summary_html
def test_summary_is_self_contained_and_its_links_lead_somewhere(open_page: Any, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_sample(out, "zh")
    page = open_page(out / "summary.html")
    loaded = page.eval_on_selector_all(
        "[src], link[href], object[data], image[href]",
        """els => els.filter(e => !/^(data:|#)/.test(e.getAttribute('src') || e.getAttribute('href')
                                                  || e.getAttribute('data') || ''))
                    .map(e => e.outerHTML.slice(0, 200))""")
    assert not loaded, f"a self-contained page loads nothing, not even a local file: {loaded}"
    hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => [a.getAttribute('href'), a.href])")
    feedback_links = 0
    for raw, resolved in hrefs:
        if raw.startswith("#"):
            found = page.evaluate("id => !!document.getElementById(decodeURIComponent(id))", raw[1:])
            assert found, f"link {raw} points at no element"
            continue
        assert resolved.startswith("file:"), f"a link out of OUT: {raw}"
        target = Path(page.evaluate("u => decodeURIComponent(new URL(u).pathname)", resolved))
        assert target.is_file(), f"link {raw!r} leads nowhere ({target})"
        assert out.resolve() in target.resolve().parents, f"link {raw!r} leaves OUT"
        feedback_links += target.name == "feedback.html"
    assert feedback_links, "the mistakes link to the students' feedback (found no link to a feedback.html)"


# -- feedback.html: one student -------------------------------------------------------------------

STUDENT = 6
"""Grade 48 of 100 from 24 of 44 raw test points: a page showing the raw points shows the wrong number."""


@pytest.mark.parametrize("lang", LANGS)
def test_feedback_opens_on_its_overview(open_page: Any, tmp_path: Path, lang: str) -> None:
    result = sample_result(STUDENT, lang)
    folder = student_folder(tmp_path / "out", result.student)
    write_submission(result, folder)
    page = open_page(folder / "feedback.html")
    screenshot(page, tmp_path / f"feedback.{lang}.png", max_height=None)

    overview = page.query_selector(OVERVIEW)
    assert overview is not None, f"feedback.html has an overview ({OVERVIEW}) at the top"
    assert overview.is_visible(), "the overview is shown, not folded away"
    box = overview.bounding_box()
    height = page.viewport_size["height"]
    assert box is not None and box["y"] < height / 2, f"the overview starts in the screen's top half: {box}"
    first = page.evaluate("""(selector) => {
        const overview = document.querySelector(selector);
        const before = [...document.querySelectorAll('section, details, h2, pre, ul, table')]
            .filter(e => !overview.contains(e) && !e.contains(overview)
                    && (e.compareDocumentPosition(overview) & Node.DOCUMENT_POSITION_FOLLOWING));
        return before.map(e => e.tagName + ': ' + e.innerText.slice(0, 80));
    }""", OVERVIEW)
    assert not first, f"the overview comes first, but above it: {first}"

    text = overview.inner_text()
    grade = rf"{re.escape(fmt_grade(result.grade))}\s*/\s*{re.escape(fmt_grade(result.grade_max))}"
    assert re.search(grade, text), f"the overview shows the grade {fmt_grade(result.grade)}: {text!r}"
    raw = f"{fmt_points(result.score)}/{fmt_points(result.max_score)}"
    assert raw not in page.inner_text("body"), f"raw test points ({raw}) shown: one scale, the course's"
    failed = [t for t in result.tests if not t.passed]
    shown = {m for t in failed if t.visibility == "visible" for m in t.mistakes}
    secret = {m for t in failed for m in t.mistakes} - shown
    assert shown and secret, "the sample student makes mistakes in visible and in hidden tests"
    missing = [m for m in sorted(shown) if msg(f"mistake.{m}.title", lang) not in text]
    assert not missing, f"the overview names the mistakes made: {missing} not in {text!r}"
    told = [m for m in sorted(secret) if msg(f"mistake.{m}.title", lang) in page.inner_text("body")]
    assert not told, f"a mistake only a hidden test named tells what it checks: {told}"

    found = headings(page)
    if lang == "zh":
        english = [h for h in found if not CJK.search(h)]
        assert not english, f"headings left in English on Chinese feedback: {english}"
    assert not overflowing(page), "feedback.html is wider than the window"
    unfolded = page.evaluate("() => [...document.querySelectorAll('details')].map(d => d.open = true).length")
    assert unfolded, "the details are folded in <details> below the overview"
    assert not overflowing(page), "feedback.html, every <details> unfolded, is wider than the window"


# -- the README's screenshots: the script that makes them keeps working ---------------------------

REPO = Path(__file__).resolve().parents[2]


def png_size(path: Path) -> tuple[int, int]:
    """``(width, height)`` from a PNG's IHDR chunk (no imaging library needed)."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


@needs_summary_html
def test_make_screenshots_writes_both_pictures(tmp_path: Path) -> None:
    """``docs/make_screenshots.py`` (what the README's pictures come from) runs and keeps them small.

    In a process of its own, as it is run: Playwright's sync API cannot start twice in one thread.
    """
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    command = [sys.executable, str(REPO / "docs" / "make_screenshots.py"), "--out-dir", str(tmp_path),
               "--no-cjk-check", "--lang", "zh"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=50)
    assert done.returncode == 0, done.stdout + done.stderr
    for name in ("summary.png", "feedback.png"):
        width, height = png_size(tmp_path / name)
        assert width == 1280 and 400 <= height <= 2000, f"{name}: {width}x{height}"
