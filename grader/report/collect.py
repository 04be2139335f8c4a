"""pytest plugin that writes one JSON file of per-test results: ``-p grader.report.collect``.

Why: ``netlings grade`` runs each submission in its own pytest process and must learn
what happened as plain data, never by unpickling anything or parsing terminal output.
With ``--netlings-results FILE`` this plugin writes, once the session ends, one JSON
document (a temporary file then ``os.replace``, so a reader never sees half of it),
and, before each test starts, ``FILE.current`` holding that test's node id, so that a
run killed at its deadline can say which test was running. With ``--netlings-key-fd``
the document carries an HMAC (``"mac"``) the orchestrator checks, so student code
running as the same user cannot forge it (see :func:`read_key`).

How a suite author describes a test (hidden suites follow this):

* **Exercise id**: ``@pytest.mark.exercise("01_udp/udp_server")`` on the test, its class,
  or the whole module (``pytestmark = pytest.mark.exercise("01_udp/udp_server")``).
  Without the marker the id comes from the file's place: ``<folder>/<file stem without
  the test_ prefix>``, so ``grader/hidden/01_udp/test_udp_server.py`` and the visible
  ``exercises/01_udp/test_udp_server.py`` both count for ``01_udp/udp_server``. Use the
  marker only when a file's tests belong to another exercise than its name says.
* **Points**: ``@pytest.mark.points(2)``; a test without it is worth 1 point. A test
  earns its points only if it passes; a skipped test counts neither way.
* **Visibility**: ``@pytest.mark.visibility("visible" | "hidden" | "after_due_date" |
  "after_published")``, default ``"visible"``: whether students see the test's message
  in feedback and on Gradescope.
* **Description**: the first line of the test's docstring, in words a student
  understands; without one, the test's name.

What counts as what: an ``AssertionError`` (including the harness's StudentFailure) or
``pytest.fail`` is a *fail*; a pytest-timeout stop or a harness timeout is a *timeout*;
any other exception, or one in a fixture's setup/teardown that is not an assertion, is
an *error*. The message is the failure's own text (what was called, expected vs
actual), not pytest's traceback; the transcripts grader/plugin.py attaches become
sections; the full failure text of errors is kept as instructor-facing details.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path
from typing import Any

import pytest

from ..messages import msg
from ..messages.texts import describe
from .atomic import atomic_write_text
from .model import MESSAGE_LIMIT, OUTPUT_LIMIT, SECTION_LIMIT, VISIBILITIES, Status, clip

COLLECT_FORMAT = "netlings-collect/1"
TRANSCRIPT_PREFIX = "netlings: "
MARKERS = (
    "points(n): how many points this test is worth (default 1)",
    "visibility(v): who sees this test's result: visible (default), hidden, after_due_date, after_published",
    "exercise(id): the exercise this test grades, e.g. '01_udp/udp_server' (default: from the file's place)",
)
_TIMEOUT_TEXT = "from pytest-timeout"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("netlings")
    group.addoption(
        "--netlings-results", default=None, metavar="FILE",
        help="write per-test results (status, points, message, transcripts) as JSON to FILE",
    )
    group.addoption(
        "--netlings-key-fd", default=None, type=int, metavar="FD",
        help="read a secret key from this inherited pipe and sign the results file with it",
    )


def pytest_configure(config: pytest.Config) -> None:
    for line in MARKERS:
        config.addinivalue_line("markers", line)
    target = config.getoption("netlings_results", None)
    if target:
        key = read_key(config.getoption("netlings_key_fd", None))
        config.pluginmanager.register(Collector(Path(target), key), "netlings-collector")


def read_key(fd: int | None) -> bytes | None:
    """The signing key from the orchestrator's pipe, read once, before any student code runs.

    Why a pipe: without the sandbox's user drop, student code runs as the same user as
    this process and could overwrite the results file. It cannot read this key: it is
    in no file, no argument, no environment variable, and the pipe is empty once read.
    """
    if fd is None:
        return None
    chunks = []
    try:
        while chunk := os.read(fd, 256):
            chunks.append(chunk)
            if sum(map(len, chunks)) > 1024:
                break
    finally:
        os.close(fd)
    return b"".join(chunks) or None


def sign(document: dict[str, Any], key: bytes) -> str:
    """HMAC-SHA256 of the document (canonical JSON, without its ``mac``)."""
    body = {k: v for k, v in document.items() if k != "mac"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


# -- what a test is ------------------------------------------------------------------------


def exercise_of(item: pytest.Item) -> str:
    """The exercise id: the ``exercise`` marker, else ``<folder>/<stem without test_>``."""
    marker = item.get_closest_marker("exercise")
    if marker is not None:
        value = marker.args[0] if marker.args else marker.kwargs.get("id")
        if not isinstance(value, str) or not value.strip():
            raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.exercise needs an id "
                                    "like '01_udp/udp_server'")
        return value.strip()
    path = Path(str(item.path))
    stem = path.stem
    if stem.startswith("test_"):
        stem = stem[len("test_"):]
    elif stem.endswith("_test"):
        stem = stem[: -len("_test")]
    return f"{path.parent.name}/{stem}"


def points_of(item: pytest.Item) -> float:
    marker = item.get_closest_marker("points")
    if marker is None:
        return 1.0
    value = marker.args[0] if marker.args else marker.kwargs.get("n")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.points needs a number >= 0, got {value!r}")
    return float(value)


def visibility_of(item: pytest.Item) -> str:
    marker = item.get_closest_marker("visibility")
    if marker is None:
        return "visible"
    value = marker.args[0] if marker.args else marker.kwargs.get("v")
    if value not in VISIBILITIES:
        raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.visibility must be one of "
                                f"{', '.join(VISIBILITIES)}; got {value!r}")
    return str(value)


def description_of(item: pytest.Item) -> str:
    """The docstring's first paragraph in the student's language (plus the parameter id), else the name."""
    first = describe(getattr(getattr(item, "obj", None), "__doc__", None))
    base = getattr(item, "originalname", None) or item.name.split("[")[0]
    text = first or base.removeprefix("test_").replace("_", " ")
    callspec = getattr(item, "callspec", None)
    return f"{text} [{callspec.id}]" if callspec is not None else text


def static_skip(item: pytest.Item) -> str | None:
    """The reason a ``skip``/``skipif`` marker gives for skipping this test here, else None.

    Known at collection, so a submission whose run was killed still has the tests that
    would have been skipped as skipped, and every student has the same maximum.
    """
    try:
        from _pytest.skipping import evaluate_skip_marks

        skip = evaluate_skip_marks(item)
    except (Exception, pytest.fail.Exception):  # noqa: BLE001 - a bad condition decides nothing here
        return None
    return None if skip is None else (skip.reason or "skipped")


def describe_item(item: pytest.Item) -> dict[str, Any]:
    return {"nodeid": item.nodeid, "exercise": exercise_of(item), "name": item.name,
            "description": description_of(item), "points": points_of(item),
            "visibility": visibility_of(item), "skip": static_skip(item)}


# -- what happened to it -------------------------------------------------------------------


def classify(exc: BaseException | None, when: str) -> tuple[Status, str]:
    """Status and student-readable message of a failed phase, from the exception itself.

    The sentences are the catalogue's, in the language of this process (``NETLINGS_LANG``,
    which ``netlings grade`` sets to the batch's language).
    """
    if exc is None:
        return Status.ERROR, msg("grade.no_exception", when=when)
    text = str(getattr(exc, "msg", None) or exc).strip()
    if isinstance(exc, pytest.fail.Exception):
        if _TIMEOUT_TEXT in text and text.startswith("Timeout"):
            seconds = text.split(">", 1)[-1].split("s)", 1)[0]
            return Status.TIMEOUT, msg("grade.test_timeout", seconds=seconds)
        return Status.FAIL, text
    if isinstance(exc, AssertionError):
        result = getattr(exc, "result", None)
        if getattr(result, "timed_out", False):
            return Status.TIMEOUT, text
        return Status.FAIL, text or msg("grade.assertion_failed")
    name = type(exc).__name__
    error = f"{name}: {text}" if text else name
    return Status.ERROR, error if when == "call" else msg("grade.error_in_phase", when=when, error=error)


class Collector:
    """Gathers each test's phases and writes the results file at the end of the session."""

    def __init__(self, target: Path, key: bytes | None = None) -> None:
        self.target = target
        self.key = key
        self.current = target.with_name(target.name + ".current")
        self.meta: dict[str, dict[str, Any]] = {}
        self.results: dict[str, dict[str, Any]] = {}
        self.collect_errors: list[dict[str, str]] = []

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            self.meta[item.nodeid] = describe_item(item)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collect_errors.append({"nodeid": report.nodeid,
                                        "message": clip(report.longreprtext, MESSAGE_LIMIT)})

    def pytest_runtest_logstart(self, nodeid: str) -> None:
        atomic_write_text(self.current, nodeid, durable=False)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        report = yield
        if report.failed:
            exc = call.excinfo.value if call.excinfo is not None else None
            report.netlings_verdict = classify(exc, call.when)  # type: ignore[attr-defined]
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        entry = self.results.setdefault(report.nodeid, {"status": None, "message": "", "details": "",
                                                        "duration": 0.0, "sections": {}, "output": {}})
        entry["duration"] += float(getattr(report, "duration", 0.0) or 0.0)
        for title, text in report.sections:
            if title.startswith(TRANSCRIPT_PREFIX):
                entry["sections"][title[len(TRANSCRIPT_PREFIX):]] = text
            else:
                entry["output"][title] = text
        if entry["status"] not in (None, Status.PASS.value):
            return  # the first phase that went wrong decides
        if report.failed:
            status, message = getattr(report, "netlings_verdict", (Status.ERROR, report.longreprtext))
            entry["status"], entry["message"] = status.value, message
            # the beginner mistakes the failure named (grader/plugin.py sets them on the report)
            entry["mistakes"] = list(getattr(report, "netlings_mistakes", None) or [])[:20]
            if status in (Status.ERROR, Status.TIMEOUT):
                entry["details"] = report.longreprtext
        elif report.skipped:
            entry["status"] = Status.SKIPPED.value
            longrepr = report.longrepr
            reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
            entry["message"] = str(reason).removeprefix("Skipped: ")
        elif report.when == "call":
            entry["status"] = Status.PASS.value

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        tests = []
        for nodeid in sorted(self.meta):
            entry = self.results.get(nodeid, {})
            output = "".join(f"--- {title} ---\n{text}\n" for title, text in entry.get("output", {}).items())
            tests.append({
                **self.meta[nodeid],
                "status": entry.get("status"),
                "message": clip(entry.get("message", ""), MESSAGE_LIMIT),
                "output": clip(output, OUTPUT_LIMIT),
                "sections": [{"title": t, "text": clip(x, SECTION_LIMIT)}
                             for t, x in entry.get("sections", {}).items()],
                "details": clip(entry.get("details", ""), MESSAGE_LIMIT),
                "duration": round(entry.get("duration", 0.0), 3),
                "mistakes": entry.get("mistakes", []),
            })
        document: dict[str, Any] = {"format": COLLECT_FORMAT, "finished": True, "exitstatus": int(exitstatus),
                                    "collect_errors": self.collect_errors, "tests": tests}
        if self.key:
            document["mac"] = sign(document, self.key)
        atomic_write_text(self.target, json.dumps(document, ensure_ascii=False), durable=False)
