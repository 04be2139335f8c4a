"""(Re)make the README's screenshots: docs/screenshots/summary.png and docs/screenshots/feedback.png.

Why a script: the pictures must show the pages as the code renders them today, so they are
made, not drawn; run this after changing the look of summary.html or feedback.html, look at
the result, commit it. The pages are opened exactly as the browser tests open them
(``tests/browser/browser_support.py``: headless Chromium from the system's packages, no network).

    python docs/make_screenshots.py                     # the sample class of 12 (the tests' class)
    python docs/make_screenshots.py --lang zh           # the same class, graded in Chinese
    netlings grade examples/submissions --out /tmp/out -j 1
    python docs/make_screenshots.py --graded /tmp/out   # a class graded for real
    python docs/make_screenshots.py --graded /tmp/out --student bob

Needs Chromium (Debian: ``apt-get install chromium``), Playwright (the ``dev`` extra) and, for
Chinese text, a CJK font (Debian: ``apt-get install fonts-noto-cjk``; without one every Chinese
character is drawn as a box, so the script refuses unless given ``--no-cjk-check``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))  # the browser tests' helpers: one way to open a page

import browser_support as support  # noqa: E402

SAMPLE_STUDENT = 6
"""The sample student whose feedback is shown: 67/100, some exercises done, some mistakes named."""


def has_cjk_font() -> bool | None:
    """Whether fontconfig knows a font with Chinese glyphs (None: no fontconfig to ask, e.g. macOS)."""
    if not shutil.which("fc-list"):
        return None
    found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


def weakest_student(out: Path) -> str:
    """The graded student with the lowest grade (the most to show in a feedback page)."""
    results = []
    for path in sorted((out / "students").glob("*/result.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("tests"):
            results.append((data.get("grade", 0), path.parent.name))
    if not results:
        raise SystemExit(f"no graded student under {out / 'students'}")
    return min(results)[1]


def pages(args: argparse.Namespace, scratch: Path) -> tuple[Path, Path]:
    """``(summary.html, feedback.html)`` to photograph: of ``--graded OUT``, else of the sample class."""
    if args.graded:
        out = Path(args.graded)
        student = args.student or weakest_student(out)
    else:
        out = scratch / "out"
        support.write_sample(out, args.lang)
        student = args.student or support.sample_result(SAMPLE_STUDENT, args.lang).student
    summary, feedback = out / "summary.html", out / "students" / student / "feedback.html"
    for page in (summary, feedback):
        if not page.is_file():
            raise SystemExit(f"{page} does not exist")
    return summary, feedback


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--graded", metavar="OUT", help="a folder `netlings grade --out OUT` wrote")
    parser.add_argument("--student", help="whose feedback to show (default: sample student / lowest grade)")
    parser.add_argument("--lang", choices=("en", "zh"), default="en", help="the sample class's language")
    parser.add_argument("--out-dir", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--max-height", type=int, default=support.SCREENSHOT_MAX_HEIGHT,
                        help="cut each picture at this many pixels (default %(default)s)")
    parser.add_argument("--no-cjk-check", action="store_true", help="photograph even without a CJK font")
    args = parser.parse_args(argv)

    reason = support.unavailable()
    if reason:
        print(f"cannot make screenshots: {reason}", file=sys.stderr)
        return 1
    if not args.no_cjk_check and has_cjk_font() is False:
        print("no font with Chinese glyphs (Debian: apt-get install fonts-noto-cjk): Chinese text would be "
              "boxes; --no-cjk-check to go on anyway", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        summary, feedback = pages(args, Path(scratch))
        browser = support.launch(playwright)
        try:
            context = browser.new_context(viewport=support.VIEWPORT, device_scale_factor=1)
            for source, name in ((summary, "summary.png"), (feedback, "feedback.png")):
                page, watch = support.open_report(context, source)
                if watch.problems():
                    print(f"{source}:\n  " + "\n  ".join(watch.problems()), file=sys.stderr)
                    return 1
                target = support.screenshot(page, args.out_dir / name, args.max_height)
                height = page.evaluate("() => document.documentElement.scrollHeight")
                print(f"{target.relative_to(REPO) if REPO in target.parents else target}"
                      f"  (page {height} px tall, from {source})")
                page.close()
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
