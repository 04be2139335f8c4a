"""A pytest plugin, loaded only by ``netlings check``: one JSON line per test outcome.

Why a plugin rather than parsing pytest's terminal output: the companion needs each
test's outcome, its one-line description (the docstring) and the failure message the
test wrote for the student, not pytest's traceback layout, which is neither stable
nor meant for beginners. Lines are appended and flushed as tests finish, so a run that
is stopped part-way still tells what it saw. The file comes from the environment
variable :data:`REPORT_ENV`; without it the plugin does nothing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Generator
from typing import Any

import pytest

from ..messages.texts import describe

REPORT_ENV = "NETLINGS_CHECK_REPORT"
"""Path of the JSON-lines file the plugin appends to."""
SECTION_PREFIX = "netlings:"
"""Report sections kept for the student: the transcripts the netlings plugin attaches."""


def _append(record: dict[str, Any]) -> None:
    path = os.environ.get(REPORT_ENV)
    if not path:
        return
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")
        f.flush()


def _description(item: pytest.Item) -> str:
    """The docstring's first paragraph on one line, in the student's language; parameters appended."""
    first = describe(getattr(getattr(item, "obj", None), "__doc__", None))
    callspec = getattr(item, "callspec", None)
    if first and callspec is not None:
        first += f" [{callspec.id}]"
    return first


def failure_message(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    """What the test said went wrong, as the student should read it.

    An ``AssertionError`` (a harness ``StudentFailure`` included) or ``pytest.fail``
    carries a message written for the student: keep it as is. Anything else is
    named with its type.
    """
    value = excinfo.value
    if isinstance(value, (AssertionError, pytest.fail.Exception, pytest.skip.Exception)):
        text = getattr(value, "msg", None) if not isinstance(value, AssertionError) else None
        return str(text if text is not None else value).strip() or excinfo.exconly()
    return excinfo.exconly().strip()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    if report.when == "call" or not report.passed:
        if report.passed:
            outcome = "passed"
        elif report.skipped:
            outcome = "skipped"
        else:
            outcome = "failed" if report.when == "call" else "error"
        message = failure_message(call.excinfo) if call.excinfo is not None and not report.passed else ""
        _append({
            "nodeid": item.nodeid,
            "name": item.name,
            "description": _description(item),
            "when": report.when,
            "outcome": outcome,
            "message": message,
            "sections": [[head, text] for head, text in report.sections if head.startswith(SECTION_PREFIX)],
            "duration": round(report.duration, 3),
        })
    return report


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.failed:
        _append({"nodeid": report.nodeid, "collect_error": str(report.longreprtext)})
