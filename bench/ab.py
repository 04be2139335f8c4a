"""``python -m bench.ab BEFORE AFTER SUBMISSION [--rounds N]``: two checkouts, interleaved, one table.

Why interleaved: on a shared machine the speed drifts over minutes, so two blocks of
runs measured one after the other (``python -m bench`` in each checkout) can differ by
more than the change being measured. Alternating before/after runs of the same
command puts both under the same drift. Each run is ``netlings grade SUBMISSION --out
TMP --force`` with that checkout's ``grader`` first on the path; the table gives the
median and the spread of the wall times, and the load average around the whole run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .measure import load_average


def grade_once(checkout: Path, submission: Path, extra: list[str]) -> float:
    """Wall seconds of one ``netlings grade`` of ``submission`` by ``checkout``'s grader."""
    with tempfile.TemporaryDirectory(prefix="netlings-ab-") as out:
        env = {**os.environ, "PYTHONPATH": str(checkout)}
        cmd = [sys.executable, "-m", "grader.cli", "grade", str(submission), "--out", out, "--force",
               "--no-progress", *extra]
        started = time.perf_counter()
        done = subprocess.run(cmd, cwd=checkout, env=env, capture_output=True, text=True, timeout=1800)
        seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{checkout}: netlings grade failed:\n{done.stderr[-2000:]}")
    return seconds


def compare(before: Path, after: Path, submission: Path, rounds: int, extra: list[str]) -> str:
    """The Markdown table of ``rounds`` interleaved before/after gradings."""
    times: dict[str, list[float]] = {"before": [], "after": []}
    load_before = load_average()
    for _ in range(rounds):
        times["before"].append(grade_once(before, submission, extra))
        times["after"].append(grade_once(after, submission, extra))
    load_after = load_average()
    b, a = statistics.median(times["before"]), statistics.median(times["after"])
    return "\n".join([
        f"_{rounds} rounds, interleaved; load average {load_before} → {load_after}_",
        "",
        "| submission | before s (median, spread) | after s (median, spread) | change |",
        "|---|---|---|---|",
        f"| {submission.name} | {b:.2f} ({min(times['before']):.2f}–{max(times['before']):.2f}) "
        f"| {a:.2f} ({min(times['after']):.2f}–{max(times['after']):.2f}) | {(a / b - 1) * 100:+.1f} % |",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ab", description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="the checkout before the change")
    parser.add_argument("after", type=Path, help="the checkout after the change")
    parser.add_argument("submission", type=Path, help="what both grade (a folder or .zip)")
    parser.add_argument("--rounds", type=int, default=5, help="before/after pairs (default 5)")
    parser.add_argument("--suite", type=Path, action="append", default=[],
                        help="grade with this suite (repeatable; default: each checkout's own)")
    args = parser.parse_args(argv)
    extra = [arg for path in args.suite for arg in ("--suite", str(path.resolve()))]
    print(compare(args.before.resolve(), args.after.resolve(), args.submission.resolve(), args.rounds, extra))
    return 0


if __name__ == "__main__":
    sys.exit(main())
