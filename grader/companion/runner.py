"""Run one exercise's visible tests in a separate pytest process and bring back plain data.

Why a subprocess: the student's code is imported fresh on every check (an edited file
is really re-read), a hang or crash never takes the companion down, and the tests run
exactly as ``pytest exercises/<unit>/test_<module>.py`` would run them. The
:mod:`.pytest_report` plugin writes one JSON line per test; the terminal output is kept
only to explain a run that produced no results.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..curriculum.manifest import Exercise
from ..messages import msg
from .pytest_report import REPORT_ENV
from .workspace import Workspace, file_digest

DEFAULT_TIMEOUT = 300.0
"""Seconds a whole check may take before it is stopped (the harness stops each call much sooner)."""
OUTPUT_TAIL = 40
"""Lines of pytest's own output kept to explain a run that reported no test."""


@dataclass
class TestOutcome:
    """One visible test as the student sees it."""

    __test__ = False  # not a pytest test class, despite the name

    name: str
    description: str
    outcome: str
    """``passed``, ``failed``, ``error`` (setup/teardown) or ``skipped``."""
    message: str = ""
    sections: list[tuple[str, str]] = field(default_factory=list)
    """Transcripts of the fake servers the test used, as (heading, text)."""

    @property
    def ok(self) -> bool:
        return self.outcome in ("passed", "skipped")


@dataclass
class CheckResult:
    """The result of running an exercise's visible tests once."""

    exercise: str
    key: str
    """What was tested (:func:`cache_key`): a result is reused only for the same key."""
    tests: list[TestOutcome] = field(default_factory=list)
    error: str = ""
    """Why the tests could not run at all (collection error, crash, timeout); empty otherwise."""

    @property
    def passed(self) -> bool:
        """Every test passed (or was skipped) and at least one passed."""
        return not self.error and any(t.outcome == "passed" for t in self.tests) and all(
            t.ok for t in self.tests
        )

    @property
    def counts(self) -> tuple[int, int]:
        """(tests passed, tests run)."""
        return sum(t.outcome == "passed" for t in self.tests), len(self.tests)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckResult:
        tests = [
            TestOutcome(
                name=str(t["name"]), description=str(t.get("description", "")), outcome=str(t["outcome"]),
                message=str(t.get("message", "")),
                sections=[(str(a), str(b)) for a, b in t.get("sections", [])],
            )
            for t in data.get("tests", [])
        ]
        return cls(exercise=str(data["exercise"]), key=str(data["key"]), tests=tests,
                   error=str(data.get("error", "")))


def cache_key(workspace: Workspace, exercise: Exercise) -> str:
    """What a run of ``exercise`` depends on: the student's file and the visible test file."""
    parts = [file_digest(workspace.file(exercise)) or "-", file_digest(workspace.test_file(exercise)) or "-"]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def pytest_command(workspace: Workspace, exercise: Exercise) -> list[str]:
    return [
        sys.executable, "-m", "pytest", str(workspace.test_file(exercise)),
        "-q", "--no-header", "-p", "no:cacheprovider", "-p", "grader.companion.pytest_report",
    ]


def run_check(workspace: Workspace, exercise: Exercise, *, lang: str, timeout: float = DEFAULT_TIMEOUT,
              env: dict[str, str] | None = None) -> CheckResult:
    """Run the visible tests of ``exercise`` and return what each test said.

    ``lang`` is passed on (``NETLINGS_LANG``) so the tests' messages come in the
    student's language. No ``.pyc`` files are written into ``exercises/`` (they would
    wake up ``netlings watch``). The whole run is stopped after ``timeout`` seconds,
    and at once on Ctrl-C, together with everything it started.
    """
    key = cache_key(workspace, exercise)
    if not workspace.test_file(exercise).is_file():
        missing = workspace.show(workspace.test_file(exercise))
        return CheckResult(exercise.id, key, error=msg("companion.check.no_test_file", lang, path=missing))
    fd, report = tempfile.mkstemp(prefix="netlings-check-", suffix=".jsonl")
    os.close(fd)
    child_env = {**os.environ, **(env or {}), REPORT_ENV: report, "NETLINGS_LANG": lang,
                 "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8"}
    try:
        output, returncode = _run(pytest_command(workspace, exercise), workspace.root, child_env, timeout)
        records = _read_records(Path(report))
    finally:
        Path(report).unlink(missing_ok=True)
    return _result(exercise.id, key, records, output, returncode, timeout, lang)


def _run(command: list[str], cwd: Path, env: dict[str, str], timeout: float) -> tuple[str, int | None]:
    """Run ``command``; return (its output, its exit status or None if stopped after ``timeout``).

    On POSIX it gets its own process group, so stopping it also stops the processes
    the harness started for the student's code.
    """
    posix = os.name == "posix"
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=posix,
    )
    try:
        out, _ = process.communicate(timeout=timeout)
        return out.decode("utf-8", "replace"), process.returncode
    except subprocess.TimeoutExpired:
        _stop(process, posix)
        out, _ = process.communicate()
        return out.decode("utf-8", "replace"), None
    except BaseException:  # Ctrl-C: nothing may outlive the companion
        _stop(process, posix)
        process.communicate()
        raise


def _stop(process: subprocess.Popen[bytes], posix: bool) -> None:
    if posix:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    else:  # pragma: no cover - Windows
        process.kill()


def _read_records(path: Path) -> list[dict[str, Any]]:
    records = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    for line in lines:
        try:
            records.append(json.loads(line))
        except ValueError:
            continue  # a line cut short by a stopped run
    return records


def _result(exercise_id: str, key: str, records: list[dict[str, Any]], output: str, returncode: int | None,
            timeout: float, lang: str) -> CheckResult:
    tests: dict[str, TestOutcome] = {}
    errors = []
    for record in records:
        if "collect_error" in record:
            errors.append(str(record["collect_error"]))
            continue
        nodeid = str(record.get("nodeid", ""))
        outcome = TestOutcome(
            name=str(record.get("name", nodeid)), description=str(record.get("description", "")),
            outcome=str(record.get("outcome", "failed")), message=str(record.get("message", "")),
            sections=[(str(a), str(b)) for a, b in record.get("sections", [])],
        )
        earlier = tests.get(nodeid)
        if earlier is None or (earlier.ok and not outcome.ok):  # a teardown error spoils a pass
            tests[nodeid] = outcome
    tail = "\n".join(output.strip().splitlines()[-OUTPUT_TAIL:])
    if returncode is None:
        errors.append(msg("companion.check.timeout", lang, seconds=f"{timeout:g}"))
    elif not tests and not errors:
        errors.append(tail or msg("companion.check.no_result", lang, code=returncode))
    elif returncode not in (0, 1) and not errors:
        errors.append(tail)
    return CheckResult(exercise_id, key, list(tests.values()), "\n".join(errors).strip())
