"""``python -m bench [--quick] [--only SECTION] [--runs N]``: measure, then write ``bench/RESULTS.md``.

Sections (in order): servers, pytest, grade, bulk, nbgrader (see :mod:`bench.sections`).
A full run grades about 300 submissions and takes the better part of an hour on two
cores; ``--quick`` (tiny counts, one run each) takes a few minutes and is the smoke check.
``--only`` re-measures the named sections and keeps the others' last results in the file.

Run it from the checkout to measure: it puts that checkout's ``grader`` first on the
path of everything it starts, so the numbers are this tree's.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # measure this checkout's grader, whatever is installed
    sys.path.insert(0, str(REPO))

from .measure import load_average  # noqa: E402
from .report import Section, header, write  # noqa: E402
from .sections import SECTIONS, Config  # noqa: E402

DEFAULT_OUT = Path(__file__).with_name("RESULTS.md")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small counts, 1 run each (a smoke check)")
    parser.add_argument(
        "--only",
        action="append",
        choices=list(SECTIONS),
        metavar="SECTION",
        help=f"measure only this section (repeatable): {', '.join(SECTIONS)}",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=None,
        metavar="N",
        help="runs per measurement, the median is reported (default 3; --quick: 1)",
    )
    parser.add_argument(
        "--bulk-runs",
        type=int,
        default=None,
        metavar="N",
        help="runs of the smallest class in the bulk section (default 1; larger classes: 1)",
    )
    parser.add_argument(
        "--counts",
        type=lambda s: tuple(int(x) for x in s.split(",")),
        default=None,
        metavar="N,M",
        help="class sizes of the bulk section (default 20,100)",
    )
    parser.add_argument(
        "--forkserver",
        choices=("both", "on", "off"),
        default="both",
        help="measure with the fork server on, off (NETLINGS_FORKSERVER=0) or both (default)",
    )
    parser.add_argument("--seed", type=int, default=None, help="seed of the generated class (default 2024)")
    parser.add_argument(
        "--suite",
        type=Path,
        action="append",
        metavar="PATH",
        help="grade with this suite instead of the default one (repeatable; for tests)",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"where to write (default {DEFAULT_OUT})"
    )
    parser.add_argument(
        "--label",
        default=None,
        metavar="TEXT",
        help="what is measured, for the header (default: this checkout's git commit)",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        metavar="DIR",
        help="work in DIR and keep it (submissions, gradebooks, logs); default: a temp dir",
    )
    args = parser.parse_args(argv)
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def git_describe(repo: Path) -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True, timeout=30
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=repo,
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head}{' + uncommitted changes' if dirty else ''}" if head else "not a git checkout"


def machine_header(
    cfg: Config, started: float, load_before: str, command: str, label: str | None = None
) -> str:
    lines = [
        f"Last written by `{command}` on {time.strftime('%Y-%m-%d %H:%M')} "
        f"in {time.monotonic() - started:.0f} s (each section says when it was measured).",
        "",
        "| machine | |",
        "|---|---|",
        f"| CPU cores | {os.cpu_count()} |",
        f"| Python | {platform.python_version()} ({platform.python_implementation()}) |",
        f"| OS | {platform.system()} {platform.release()} ({platform.machine()}) |",
        f"| load average before / after (1, 5, 15 min) | {load_before} / {load_average()} |",
        f"| checkout | {label or git_describe(cfg.repo)} |",
        f"| PYTHONDONTWRITEBYTECODE | {os.environ.get('PYTHONDONTWRITEBYTECODE', 'unset')} |",
        "",
        'All traffic is on loopback. Times are wall-clock seconds (ms for servers); "spread" is the min–max '
        "over the runs. The fork server (`grader/harness/forkserver.py`) is switched off with "
        '`NETLINGS_FORKSERVER=0`: "off (before)" is how student children started before it landed. '
        "The machine may be shared: the load average says how busy it was.",
    ]
    return header(lines)


LOCAL_OPTIONS = ("--out", "--keep", "--label")
"""Options that say where things go, not what is measured: left out of the header."""


def describe_command(argv: list[str]) -> str:
    """``python -m bench --only grade``: the measuring options of this run, for the header."""
    kept, skip = [], False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in LOCAL_OPTIONS:
            skip = True
            continue
        if arg.split("=", 1)[0] in LOCAL_OPTIONS:
            continue
        kept.append(arg)
    return " ".join(["python -m bench", *kept])


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    command = describe_command(sys.argv[1:] if argv is None else argv)
    started = time.monotonic()
    load_before = load_average()
    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="netlings-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.chmod(work, 0o755)  # the sandbox's dropped user passes through to the graded copies

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    cfg = Config.make(
        REPO,
        work,
        quick=args.quick,
        runs=args.runs,
        bulk_runs=args.bulk_runs,
        bulk_counts=args.counts,
        seed=args.seed,
        suite=[p.resolve() for p in args.suite] if args.suite else None,
        log=log,
    )
    cfg.forkserver = {"both": (False, True), "on": (True,), "off": (False,)}[args.forkserver]
    if args.counts:
        cfg.before_counts = (min(args.counts),)
        cfg.nb_count = min(cfg.nb_count, max(args.counts))
    names = [n for n in SECTIONS if not args.only or n in args.only]
    sections: list[Section] = []
    try:
        for name in names:
            log(f"bench: {name} …")
            began, load = time.monotonic(), load_average()
            section = SECTIONS[name](cfg)
            section.how += f" (took {time.monotonic() - began:.0f} s; load average {load} → {load_average()})"
            sections.append(section)
            write(
                args.out,
                machine_header(cfg, started, load_before, command, args.label),
                sections,
                list(SECTIONS),
            )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    log(f"bench: wrote {args.out} in {time.monotonic() - started:.0f} s")
    return 0
