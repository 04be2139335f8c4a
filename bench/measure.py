"""Timing commands and summarising runs.

Why wall-clock time of whole commands: what an instructor waits for is the command
(``netlings grade`` with its suite collection, its processes, its reports), not a
function inside it. Every command has a timeout, so a benchmark never hangs; a run that
fails is reported as failed, never silently timed.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

FORKSERVER_ENV = "NETLINGS_FORKSERVER"


@dataclass
class Timed:
    """One run of one command."""

    seconds: float
    returncode: int | None
    timed_out: bool
    log: Path

    @property
    def ok(self) -> bool:
        return not self.timed_out and self.returncode is not None

    def tail(self, limit: int = 2000) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-limit:]
        except OSError:
            return ""


def command_env(repo: Path, *, forkserver: bool, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured command: this checkout's ``grader`` first, English messages.

    ``NETLINGS_FORKSERVER`` is always set explicitly, so "before" (0) and "after" (1)
    never depend on what the caller's shell happened to export.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(repo)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    )
    env["NETLINGS_LANG"] = "en"
    env[FORKSERVER_ENV] = "1" if forkserver else "0"
    env.update(extra or {})
    return env


def run_timed(cmd: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float, log: Path) -> Timed:
    """Run ``cmd`` with its output in ``log``; at ``timeout`` kill it (its whole session on POSIX)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    kwargs = {"start_new_session": True} if os.name == "posix" else {}
    started = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            list(cmd),
            cwd=str(cwd),
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            **kwargs,
        )
        try:
            proc.wait(timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill(proc)
        except BaseException:  # Ctrl-C: never leave a grading run behind
            _kill(proc)
            raise
    return Timed(time.perf_counter() - started, proc.returncode, timed_out, log)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if os.name == "posix":
        import signal

        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
    proc.kill()
    proc.wait(30)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: Sequence[float]) -> str:
    """``12.3–14.0`` (min–max) when there are several runs, else an empty string."""
    if len(values) < 2:
        return ""
    return f"{min(values):.{_digits(min(values))}f}–{max(values):.{_digits(max(values))}f}"


def _digits(value: float) -> int:
    return 3 if abs(value) < 0.1 else 2 if abs(value) < 10 else 1


def fmt(value: float | None, unit: str = "") -> str:
    """A number with sensible precision for a table (``0.042``, ``3.85``, ``142.0``)."""
    if value is None or value != value:  # None or NaN
        return "–"
    return f"{value:.{_digits(value)}f}{unit}"


def load_average() -> str:
    """``2.61 3.30 3.20`` (1/5/15 min) where the OS tells, else ``n/a``."""
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except (AttributeError, OSError):
        return "n/a"
