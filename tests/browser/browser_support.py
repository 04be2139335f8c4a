"""Open the reports in a real browser: headless Chromium, driven by Playwright, nothing from the network.

Why a real browser: an HTML report can be well-formed text and still be a broken page (a
script error, a chart with the wrong number of bars, a heading pushed below the fold, a
font that has no Chinese glyphs). Only a browser that lays the page out can tell.

Why Debian's ``chromium`` and not Playwright's own download: the browser must come from
the system's packages (CI installs ``chromium`` with apt; Playwright's download needs a
network the graders' machines may not have). Playwright (from PyPI) only drives it, via
``executable_path``. Either one missing: :func:`unavailable` says why, and the tests skip.

Self-contained pages: a report is read from a mail attachment, an LMS, a USB stick, so it
may load nothing from anywhere. :class:`PageWatch` aborts every request that is not a
``file:`` URL and records it, with console errors, uncaught page errors and failed requests;
:meth:`PageWatch.problems` lists them and a test fails on any.

This module is imported by the tests (``tests/browser``) and by ``docs/make_screenshots.py``;
it holds no pytest code and builds the sample class both of them show.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VIEWPORT = {"width": 1280, "height": 800}
"""A laptop's screen: what "above the fold" means here, and the screenshots' width."""
SCREENSHOT_MAX_HEIGHT = 2000
"""Screenshots kept under docs/ are cut here, so the README shows the top of a page, not 12,000 px."""
CHROMIUM_NAMES = ("chromium", "chromium-browser")
"""Debian's package installs ``/usr/bin/chromium``; Ubuntu's and others' ``chromium-browser``."""


def find_chromium() -> str | None:
    """The path of the system's Chromium (``NETLINGS_CHROMIUM`` wins), or None."""
    override = os.environ.get("NETLINGS_CHROMIUM", "").strip()
    if override:
        return override if Path(override).is_file() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def unavailable() -> str | None:
    """Why the browser tests cannot run here (one sentence), or None if they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (python -m pip install -e \".[dev]\" installs it)"
    if find_chromium() is None:
        return ("no Chromium found (looked for " + ", ".join(CHROMIUM_NAMES)
                + "; Debian: apt-get install chromium, or set NETLINGS_CHROMIUM)")
    return None


def launch_args() -> list[str]:
    """Chromium's sandbox needs user namespaces it does not get as root (CI containers run as root)."""
    getuid = getattr(os, "geteuid", None)
    return ["--no-sandbox"] if getuid is not None and getuid() == 0 else []


def launch(playwright: Any) -> Any:
    """A headless Chromium from the system's package (see :func:`find_chromium`)."""
    executable = find_chromium()
    if executable is None:
        raise RuntimeError(unavailable() or "no Chromium")
    return playwright.chromium.launch(executable_path=executable, headless=True, args=launch_args())


@dataclass
class PageWatch:
    """Everything a page did wrong while it was open: the reasons a browser test fails."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    """Requests for anything but a ``file:`` URL: aborted, and a failure (the page is not self-contained)."""

    def attach(self, page: Any) -> None:
        """Listen on ``page`` and block the network for it (``file:`` and inline ``data:`` only)."""
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("requestfailed", self._on_request_failed)
        page.route("**/*", self._route)

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            where = message.location or {}
            if where.get("url") in self.blocked:
                return  # "Failed to load resource": said once, as blocked
            place = f"{where.get('url', '')}:{where.get('lineNumber', '')}"
            self.console_errors.append(f"{message.text} ({place})")

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def _on_request_failed(self, request: Any) -> None:
        if request.url in self.blocked:
            return  # said once, as blocked
        self.failed_requests.append(f"{request.url}: {request.failure}")

    def problems(self) -> list[str]:
        """One line per thing that went wrong, empty for a clean page."""
        return ([f"console error: {x}" for x in self.console_errors]
                + [f"uncaught page error: {x}" for x in self.page_errors]
                + [f"request failed: {x}" for x in self.failed_requests]
                + [f"network request from a self-contained page (blocked): {x}" for x in self.blocked])


def open_report(context: Any, path: Path) -> tuple[Any, PageWatch]:
    """A new page of ``context`` showing ``path`` (a file), loaded, with its :class:`PageWatch`."""
    page = context.new_page()
    watch = PageWatch()
    watch.attach(page)
    page.goto(Path(path).resolve().as_uri(), wait_until="load")
    return page, watch


def screenshot(page: Any, path: Path, max_height: int | None = SCREENSHOT_MAX_HEIGHT) -> Path:
    """A PNG of the whole page (cut at ``max_height`` px: the top is what a reader sees first)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("() => document.documentElement.scrollHeight")
    width = page.viewport_size["width"] if page.viewport_size else VIEWPORT["width"]
    if max_height is None or height <= max_height:
        page.screenshot(path=str(path), full_page=True)
    else:
        page.screenshot(path=str(path), full_page=True,
                        clip={"x": 0, "y": 0, "width": width, "height": max_height})
    return path


# -- what the pages promise (checked by the tests, described where the pages are written) ----------

HISTOGRAM = "svg.histogram"
"""The class dashboard's score histogram: ``data-bins="N"`` and N ``rect.bar``, each with ``data-count``."""
OVERVIEW = ".overview"
"""feedback.html's overview (grade, score per exercise, the mistakes named): the first thing on the page."""


def histogram_counts(page: Any) -> tuple[int, list[int]]:
    """``(data-bins, [data-count of each rect.bar in document order])`` of the page's one histogram."""
    bins, counts = page.evaluate(
        """(selector) => {
            const svgs = document.querySelectorAll(selector);
            if (svgs.length !== 1) throw new Error(`expected one ${selector}, found ${svgs.length}`);
            const svg = svgs[0];
            const count = (r) => parseInt(r.getAttribute('data-count'), 10);
            const bars = [...svg.querySelectorAll('rect.bar')];
            return [parseInt(svg.getAttribute('data-bins'), 10), bars.map(count)];
        }""", HISTOGRAM)
    return bins, counts


def overflowing(page: Any) -> list[str]:
    """What sticks out past the right edge of the window (a reader would have to scroll sideways)."""
    return page.evaluate("""() => {
        if (document.documentElement.scrollWidth <= window.innerWidth) return [];
        const out = (e) => e.getBoundingClientRect().right > window.innerWidth + 0.5;
        return [...document.body.querySelectorAll('*')]
            .filter(e => out(e) && !(e.parentElement && out(e.parentElement)))  // the outermost only
            .map(e => `<${e.tagName.toLowerCase()} class="${e.getAttribute('class') || ''}">`
                      + ` ends at ${Math.round(e.getBoundingClientRect().right)} px: `
                      + (e.innerText || e.textContent || '').trim().slice(0, 80));
    }""")


def overlapping_labels(page: Any) -> list[str]:
    """Pairs of texts of one chart (an inline ``svg``) drawn over each other."""
    return page.evaluate("""() => {
        const found = [];
        for (const svg of document.querySelectorAll('svg')) {
            const texts = [...svg.querySelectorAll('text')]
                .map(t => [t.textContent.trim(), t.getBoundingClientRect()]).filter(([, r]) => r.width > 0);
            for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
                const [a, r] = texts[i], [b, s] = texts[j];
                const across = r.left < s.right - 0.5 && s.left < r.right - 0.5;
                if (across && r.top < s.bottom - 0.5 && s.top < r.bottom - 0.5)
                    found.push(`svg.${svg.getAttribute('class') || ''}: "${a}" over "${b}"`);
            }
        }
        return found;
    }""")


def bin_of(grade: float, top: float, bins: int) -> int:
    """The bin a grade falls in: ``bins`` equal bins over ``[0, top]``, each closed on the left; the
    last one closed on both sides too, so a perfect grade has a bar (as numpy.histogram does)."""
    if top <= 0:
        return 0
    return min(int(grade * bins / top), bins - 1) if grade > 0 else 0


def expected_counts(grades: list[float], top: float, bins: int) -> list[int]:
    counts = [0] * bins
    for grade in grades:
        counts[bin_of(grade, top, bins)] += 1
    return counts


# -- the sample class ------------------------------------------------------------------------------
# Built from the model directly (no grading run: milliseconds, and grades chosen to land in known
# bins). Every exercise of the course has four visible tests of 1 point, so a student's grade is
# their passed quarter-exercises scaled by the manifest weights (out of 100).

TESTS_PER_EXERCISE = 4
SAMPLE_PASSED = (0, 5, 14, 19, 22, 23, 24, 25, 28, 32, 39, 44)
"""Per student, how many of the course's 44 tests (in exercise order) they passed. The grades
(0, 8, 27, 38, 44, 46, 48, 51.5, 62, 72, 88.75, 100) peak in the middle as a class does and give
ten 10-point bins the counts 2 0 1 1 3 1 1 1 1 1; they sit on no edge of a 5-, 10- or 20-point
bin except 0 and 100: any of those bin widths, binned correctly, gives what :func:`expected_counts` says."""
NAMES = {
    "en": ("Ada", "Ben", "Chloé", "Dmitri", "Eve", "Farid", "Grace", "Hiro", "Ines", "José", "Kai", "Lena"),
    "zh": ("张三", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十", "郑一", "冯二", "陈晨", "林琳"),
}
MISTAKE_IDS = ("str_not_bytes", "single_recv", "send_not_sendall", "no_quit", "no_udp_timeout")
"""Named beginner mistakes the sample class makes (keys of grader.messages.mistakes.MISTAKES):
the weaker a student, the more of them, so the dashboard counts each a different number of times."""


def sample_mistakes(passed: int) -> tuple[str, ...]:
    """The mistakes of a student who passed ``passed`` of the 44 tests: the visible failures name
    all but the last; the hidden failures name the last (the feedback must not tell that one)."""
    if passed >= 44:
        return ()
    return MISTAKE_IDS[:min(len(MISTAKE_IDS), 1 + (44 - passed) // 8)]


def failure(mistakes: list[str], function: str, lang: str) -> str:
    """A failure message worded as the harness words one (``mistake_report``), naming ``mistakes``."""
    from grader.messages import msg

    if not mistakes:
        return "assert b'' == b'echo: hi'"
    mistake = mistakes[0]
    return msg("mistake_report", lang, title=msg(f"mistake.{mistake}.title", lang),
               call=f"{function}('127.0.0.1', 40139, '你好, netlings', timeout=1.0)",
               expected="b'\\xe4\\xbd\\xa0\\xe5\\xa5\\xbd, netlings'",
               actual="TypeError: a bytes-like object is required, not 'str'",
               hint=msg(f"mistake.{mistake}.hint", lang))


def sample_result(index: int, lang: str = "en") -> Any:
    """Student ``index`` of the sample class (see :data:`SAMPLE_PASSED`), in ``lang``."""
    from grader.report.model import Identity, Section, Status, SubmissionResult, TestResult
    from grader.report.scale import course_weights

    weights = course_weights()
    passed = SAMPLE_PASSED[index]
    mistakes = sample_mistakes(passed)
    name = NAMES[lang][index]
    transcript = ("C: USER 张三\r\nS: 331 Username ok, send password.\r\nC: RETR 报告.txt\r\n"
                  "S: 550 No such file or directory.\r\n")
    tests = []
    for position in range(len(weights) * TESTS_PER_EXERCISE):
        exercise, number = list(weights)[position // TESTS_PER_EXERCISE], position % TESTS_PER_EXERCISE
        ok = position < passed
        hidden = number == 2
        named = [] if ok or not mistakes else (
            list(mistakes[-1:]) if hidden else [mistakes[position % max(1, len(mistakes) - 1)]])
        unit, short = exercise.split("/")
        # node ids and sentences as long as the real suites' (a page must not overflow because of them)
        test_name = f"test_{short}_step_{number + 1}_survives_a_slow_peer_that_reads_one_byte_at_a_time"
        description = (f"{short} 第 {number + 1} 项：对端每次只读一个字节，2 MB 的数据也要完整送达。"
                       if lang == "zh" else
                       f"{short} step {number + 1}: a 2 MB message to a peer that reads one byte at a time "
                       "arrives complete.")
        tests.append(TestResult(
            nodeid=f"grader/hidden/{unit}/test_{short}_hidden.py::{test_name}", exercise=exercise,
            name=test_name, description=description,
            status=Status.PASS if ok else (Status.TIMEOUT if number == 3 else Status.FAIL),
            visibility="hidden" if hidden else "visible",
            message="" if ok else failure(named, short, lang),
            sections=[] if ok else [Section("what the FTP server saw (C: client, S: server)", transcript)],
            duration=round(0.05 + 0.4 * number + 0.07 * (position // TESTS_PER_EXERCISE) + 0.01 * index, 3),
            mistakes=named,
        ))
    return SubmissionResult(name, tests=tests, weights=weights, lang=lang, content_hash=f"h{index}",
                            identity=Identity(submission=f"{name}.zip", name=name))


def sample_batch(lang: str = "en") -> Any:
    """The sample class: :data:`SAMPLE_PASSED` students, one empty submission, one absent student."""
    from grader.report.model import BatchResult, Identity, Problem

    submissions = [sample_result(i, lang) for i in range(len(SAMPLE_PASSED))]
    first = submissions[3].student
    return BatchResult(
        submissions=submissions, lang=lang, duration=42.0,
        skipped=[Problem("empty_submission", "empty.zip", "the submission holds no file")],
        absent={"2024099": Identity(name="Zoë" if lang == "en" else "缺席者", sis_id="2024099")},
        changes={first: (20.0, submissions[3].grade)},
    )


def write_sample(out: Path, lang: str = "en") -> Any:
    """The sample class written as ``netlings grade`` writes a class: OUT/summary.html, students/…"""
    from grader.report.writers import make_out, student_folder, write_batch, write_submission

    batch = sample_batch(lang)
    batch.out = Path(out)
    make_out(Path(out))
    for result in batch.submissions:
        write_submission(result, student_folder(Path(out), result.student))
    write_batch(batch, Path(out))
    return batch


if __name__ == "__main__":  # python tests/browser/browser_support.py: is this machine ready?
    print(unavailable() or f"ready: {find_chromium()}")
    sys.exit(1 if unavailable() else 0)
