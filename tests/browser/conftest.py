"""Fixtures for the browser tests: one headless Chromium per test module, one watched page per test.

``browser``: launched once per module (about a second), shared by its tests; skipped with the
reason when Playwright or the system's Chromium is missing (CI installs both: ``.ci/run``).
Not once per session: while Playwright's sync API is open, the main thread has a *running*
asyncio loop (its dispatcher), so every later test of the session that calls ``asyncio.run``
(the SMTP fake server does) would fail with "cannot be called from a running event loop".
Closed at the end of the module, it leaves nothing behind for the rest of the suite.
``open_page(path)``: a fresh context (1280x800, nothing shared between tests) showing a
file; the page fails the test on a console error, an uncaught error, a failed request or
any request that is not a ``file:`` URL, checked once loaded and again when the test ends
(an error thrown late, by a timer or a click, still counts).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import VIEWPORT, PageWatch, launch, open_report, unavailable


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here is a ``browser`` test (``-m "not browser"`` leaves them out)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


def assert_clean(watch: PageWatch, what: str, known: frozenset[str] = frozenset()) -> None:
    """Fail on any of ``watch``'s problems but the ``known`` ones (already reported)."""
    problems = [p for p in watch.problems() if p not in known]
    assert not problems, f"{what}:\n  " + "\n  ".join(problems)


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[[Path], Any]]:
    """``open_page(path)`` → a loaded Playwright page of ``path``, already checked for errors."""
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    opened: list[tuple[Path, PageWatch, frozenset[str]]] = []

    def opener(path: Path) -> Any:
        page, watch = open_report(context, path)
        opened.append((Path(path), watch, frozenset(watch.problems())))
        assert_clean(watch, f"{Path(path).name} did not load cleanly")
        return page

    try:
        yield opener
        for path, watch, at_load in opened:  # what went wrong later, while the test used the page
            assert_clean(watch, f"{path.name} went wrong while the test used it", at_load)
    finally:
        context.close()
