"""What the student reads: progress, check results, hints, laid out with ``rich``.

Why ``rich``: colour and alignment on a terminal (including the width of Chinese
characters), and plain text when the output is a file or a pipe (no escape codes
for graders, CI logs or our tests). Every sentence comes from the message catalogue;
text from tests and hints is wrapped in :class:`~rich.text.Text`, never parsed as
markup (a ``[brackets]`` message must print as written).
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator, Sequence
from typing import IO

from rich.console import Console, Group
from rich.padding import Padding
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from ..curriculum.manifest import Exercise, Unit
from ..messages import CATALOG, LANGUAGES, msg
from .hints import Hints
from .progress import Entry, Status
from .runner import CheckResult, TestOutcome
from .workspace import Workspace

FIRST_LINES = 6
"""Lines of a failure message shown without ``--verbose``."""
PLAIN_WIDTH = 160
"""Width of plain (non-terminal) output when ``COLUMNS`` does not say: tables take only what they need."""

MARKS = {"passed": "✓", "skipped": "–", "failed": "✗", "error": "✗"}
STATUS_MARKS = {Status.DONE: "✓", Status.NOT_YET: "✗", Status.NOT_STARTED: "·", Status.MISSING: "!"}
STATUS_STYLES = {
    Status.DONE: "green", Status.NOT_YET: "red", Status.NOT_STARTED: "dim", Status.MISSING: "yellow",
}


class _PlainStream:
    """A text stream without trailing blanks on its lines (rich pads tables and blocks to the width).

    Only for plain output: captured or piped text should be what a person would
    type, so that logs and golden tests stay clean. Resolves ``sys.stdout`` on each
    write when given no stream, like rich itself (pytest swaps it).
    """

    _TRAILING = re.compile(r"[ \t]+(?=\n)")

    def __init__(self, stream: IO[str] | None) -> None:
        self._stream = stream

    @property
    def stream(self) -> IO[str]:
        return self._stream if self._stream is not None else sys.stdout

    def write(self, text: str) -> int:
        return self.stream.write(self._TRAILING.sub("", text))

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:
        return getattr(self.stream, "encoding", None) or "utf-8"


def make_console(file: IO[str] | None = None) -> Console:
    """A console on ``file`` (default: stdout): styled on a terminal, plain text elsewhere.

    Plain text is not wrapped (a pipe has no width) and has no trailing blanks.
    """
    console = Console(file=file, highlight=False, emoji=False)
    if console.is_terminal:
        return console
    width = console.width if "COLUMNS" in os.environ else max(console.width, PLAIN_WIDTH)
    return Console(file=_PlainStream(file), highlight=False, emoji=False, soft_wrap=True, width=width)


def title(item: Exercise | Unit, lang: str) -> str:
    return item.title_zh if lang == "zh" else item.title


def status_text(entry: Entry, lang: str) -> Text:
    text = Text(f"{STATUS_MARKS[entry.status]} {msg(f'companion.status.{entry.status.value}', lang)}",
                style=STATUS_STYLES[entry.status])
    if entry.status is Status.NOT_YET and entry.result is not None and entry.result.tests:
        passed, total = entry.result.counts
        text.append(f"  ({msg('companion.status.tests', lang, passed=passed, total=total)})", style="dim")
    return text


def indented(console: Console, lines: Sequence[Text], indent: int, style: str | None = None) -> None:
    """Lines set in by ``indent``: wrapped inside the margin on a terminal, never cut elsewhere."""
    if console.is_terminal:
        console.print(Padding(Group(*lines), (0, 0, 0, indent), expand=False), style=style)
        return
    for line in lines:
        console.print(Text(" " * indent) + line)


def bar(done: int, total: int, width: int = 44) -> Text:
    """A progress bar as one line of text (terminal only)."""
    filled = round(width * done / total) if total else width
    return Text("━" * filled, style="green") + Text("─" * (width - filled), style="grey35")


@contextlib.contextmanager
def working(console: Console, text: str) -> Iterator[None]:
    """A spinner with ``text`` on a terminal; the line itself elsewhere."""
    if console.is_terminal:
        with console.status(Text(text), spinner="dots"):
            yield
    else:
        console.print(Text(text, style="dim"))
        yield


# -- netlings list ----------------------------------------------------------------------------


def progress(console: Console, workspace: Workspace, entries: Sequence[Entry], lang: str) -> None:
    """The progress table, the totals and what to do next."""
    done = [e for e in entries if e.status is Status.DONE]
    points = sum(e.exercise.points for e in done)
    console.print(Text(msg("companion.list.heading", lang, done=len(done), total=len(entries), points=points,
                           total_points=workspace.manifest.total_points), style="bold"))
    if console.is_terminal:
        console.print(bar(len(done), len(entries)))
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column(msg("companion.list.col.unit", lang), no_wrap=True)
    table.add_column(msg("companion.list.col.exercise", lang), no_wrap=True)
    table.add_column(msg("companion.list.col.title", lang), overflow="fold")
    table.add_column(msg("companion.list.col.status", lang), no_wrap=True)
    shown_unit = None
    for index, entry in enumerate(entries):
        unit = entry.exercise.unit
        unit_cell = Text(unit, style="bold") if unit != shown_unit else Text("")
        shown_unit = unit
        last_of_unit = index == len(entries) - 1 or entries[index + 1].exercise.unit != unit
        table.add_row(unit_cell, Text(entry.exercise.id, style="cyan"), Text(title(entry.exercise, lang)),
                      status_text(entry, lang), end_section=last_of_unit)
    console.print(table)
    counts = {status: sum(e.status is status for e in entries) for status in Status}
    not_started = counts[Status.NOT_STARTED] + counts[Status.MISSING]
    console.print(Text(msg("companion.list.counts", lang, done=counts[Status.DONE],
                           not_yet=counts[Status.NOT_YET], not_started=not_started), style="dim"))
    console.print()
    next_exercise(console, workspace, next((e for e in entries if e.status is not Status.DONE), None), lang)


def next_exercise(console: Console, workspace: Workspace, entry: Entry | None, lang: str, *,
                  watching: bool = False) -> None:
    """``Next: …`` for ``entry`` (how to check it, unless ``watching``), or the congratulations."""
    if entry is None:
        console.print(Text(msg("companion.all_done", lang, total=len(workspace.manifest.exercises)),
                           style="bold green"))
        return
    exercise = entry.exercise
    key = "companion.watch.next" if watching else "companion.next"
    console.print(Text(msg(key, lang, exercise=exercise.id, title=title(exercise, lang),
                           path=workspace.show(workspace.file(exercise))), style="bold"))


# -- netlings check ---------------------------------------------------------------------------


def _describe(test: TestOutcome) -> str:
    if test.description:
        return test.description
    return test.name.removeprefix("test_").replace("_", " ")


def _advice_start(lines: Sequence[str]) -> int | None:
    """Index of the "Likely mistake: …" paragraph a test appends, if any (kept even when cut)."""
    prefixes = tuple(CATALOG["mistake_suspected"][lang].split("{", 1)[0] for lang in LANGUAGES)
    return next((i for i, line in enumerate(lines) if line.lstrip().startswith(prefixes)), None)


def _message_lines(message: str, verbose: bool, lang: str) -> list[Text]:
    """The first lines of a failure message, and its named-mistake advice wherever it is."""
    lines = message.rstrip().splitlines() or [""]
    if verbose or len(lines) <= FIRST_LINES:
        return [Text(line) for line in lines]
    advice = _advice_start(lines)
    tail = lines[advice:] if advice is not None and advice >= FIRST_LINES else []
    more = len(lines) - FIRST_LINES - len(tail)
    shown = [Text(line) for line in lines[:FIRST_LINES]]
    if more > 0:
        shown.append(Text(msg("companion.check.more_lines", lang, count=more), style="dim"))
    return shown + [Text(line, style="bold") for line in tail]


def check_result(console: Console, workspace: Workspace, exercise: Exercise, result: CheckResult, lang: str,
                 *, verbose: bool = False) -> None:
    """Each test with ✓/✗, the first lines of each failure, then the verdict and what to do."""
    console.print(Text(msg("companion.check.heading", lang, exercise=exercise.id, title=title(exercise, lang),
                           path=workspace.show(workspace.file(exercise))), style="bold"))
    previous_message = None
    for test in result.tests:
        style = "green" if test.ok else "red"
        console.print(Text(f" {MARKS.get(test.outcome, '?')} ", style=style) + Text(_describe(test)))
        if test.ok:
            continue
        if test.message == previous_message and not verbose:
            indented(console, [Text(msg("companion.check.same_message", lang), style="dim")], 5)
            continue
        previous_message = test.message
        indented(console, _message_lines(test.message, verbose, lang), 5,
                 style="yellow" if test.outcome == "error" else None)
        if verbose:
            for heading, text in test.sections:
                title_line = Text(heading.removeprefix("netlings:").strip(), style="bold dim")
                indented(console, [title_line, *(Text(line) for line in text.splitlines())], 5)
    if result.error:
        console.print(Text(msg("companion.check.error", lang, exercise=exercise.id), style="bold red"))
        error_lines = _message_lines(result.error, verbose, lang) if not verbose else [Text(result.error)]
        indented(console, error_lines, 5)
    passed, total = result.counts
    if result.passed:
        console.print(Text(msg("companion.check.passed", lang, total=total, exercise=exercise.id),
                           style="bold green"))
    else:
        if total:
            summary = msg("companion.check.failed", lang, passed=passed, total=total)
            console.print(Text(summary, style="bold red"))
        console.print(Text(msg("companion.check.stuck", lang, exercise=exercise.id), style="dim"))


# -- netlings hint ----------------------------------------------------------------------------


def hints(console: Console, workspace: Workspace, exercise: Exercise, shown: Hints, lang: str) -> None:
    """The steps revealed so far, the newest one highlighted, and how many are left."""
    console.print(Text(msg("companion.hint.heading", lang, exercise=exercise.id, title=title(exercise, lang)),
                       style="bold"))
    total = len(shown.steps)
    for number, step in enumerate(shown.visible, start=1):
        newest = number == shown.shown
        console.print(Text(f"▸ {msg('companion.hint.step', lang, step=number, total=total)}",
                           style="bold cyan" if newest else "dim"))
        indented(console, [Text(step, style=None if newest else "dim")], 2)
    console.print()
    if shown.left:
        more = msg("companion.hint.more", lang, exercise=exercise.id, left=shown.left)
        console.print(Text(more, style="dim"))
    else:
        readme = workspace.exercises / exercise.unit / ("README.zh.md" if lang == "zh" else "README.md")
        if not readme.is_file():
            readme = workspace.exercises / exercise.unit / "README.md"
        console.print(Text(msg("companion.hint.last", lang, readme=workspace.show(readme)), style="dim"))


# -- netlings solution ------------------------------------------------------------------------


def source(console: Console, text: str) -> None:
    """Python source: highlighted on a terminal, verbatim elsewhere."""
    if console.is_terminal:
        console.print(Syntax(text, "python", line_numbers=False, word_wrap=True))
    else:
        console.print(Text(text.rstrip("\n")), soft_wrap=True)
