"""What is measured, one function per section; each returns a :class:`~bench.report.Section`.

Why these numbers: they are what a student and an instructor wait for.

* ``servers``: every test starts and stops at least one fake server, so their start+stop
  latency is paid hundreds of times per submission (the brief for servers: start well
  under 100 ms);
* ``pytest``: ``pytest exercises/`` is the student's loop;
* ``grade``: one submission under ``netlings grade`` with the full default suite (hidden +
  visible), for the reference, the stubs and a typical half-done one;
* ``bulk``: a class of 20 and of 100 seeded submissions, ``-j 1`` and ``-j 2``;
* ``nbgrader``: the same 20 as notebooks through ``nbgrader autograde`` (see
  :mod:`bench.notebooks`), against ``netlings grade`` on the same code.

Harness-heavy numbers are taken with the pre-warmed fork server on (now) and off
(``NETLINGS_FORKSERVER=0``, before it landed), in the same run, so they compare.
"""

from __future__ import annotations

import csv
import importlib
import json
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import submissions
from .measure import command_env, fmt, median, run_timed, spread
from .report import Section, Table


@dataclass
class Config:
    """Counts and switches of one benchmark run (``--quick`` makes them small)."""

    repo: Path
    work: Path
    runs: int = 3
    quick: bool = False
    seed: int = 2024
    server_iterations: int = 20
    bulk_counts: tuple[int, ...] = (20, 100)
    bulk_jobs: tuple[int, ...] = (1, 2)
    bulk_runs: int = 1
    before_counts: tuple[int, ...] = (20,)
    """Class sizes also graded with the fork server off (the "before")."""
    before_jobs: tuple[int, ...] = (2,)
    """``-j`` of those "before" batches (one setting: they are the slowest runs of all)."""
    nb_count: int = 20
    nb_units: tuple[str, ...] | None = None
    """Units exported to nbgrader (None: all; the comparison then uses the default suite)."""
    suite: list[Path] | None = None
    """Test files/folders ``netlings grade`` runs (None: its default suite)."""
    forkserver: tuple[bool, ...] = (False, True)
    """Fork server settings measured: off (the "before") and on."""
    timeout: float = 3600.0
    """Seconds any single measured command may take before it is killed (and reported)."""
    log: Callable[[str], None] = print
    shared: dict[str, Any] = field(default_factory=dict)
    """Measurements one section hands to a later one (the nbgrader comparison reuses bulk's)."""

    @classmethod
    def make(
        cls, repo: Path, work: Path, *, quick: bool, runs: int | None = None, **overrides: Any
    ) -> Config:
        if quick:
            base = cls(
                repo,
                work,
                runs=1,
                quick=True,
                server_iterations=3,
                bulk_counts=(2, 4),
                bulk_jobs=(1, 2),
                bulk_runs=1,
                before_counts=(2,),
                nb_count=2,
                nb_units=("00_basics",),
                timeout=900.0,
            )
        else:
            base = cls(repo, work)
        if runs is not None:
            base.runs = runs
        for key, value in overrides.items():
            if value is not None:
                setattr(base, key, value)
        return base


def _how(cfg: Config, extra: str = "", runs_each: int | None = None) -> str:
    stamp = time.strftime("%Y-%m-%d %H:%M")
    count = cfg.runs if runs_each is None else runs_each
    runs = f"median of {count} runs" if count > 1 else "1 run"
    return f"measured {stamp}, {runs}{'; ' + extra if extra else ''}"


FORK_LABEL = {False: "off (before)", True: "on"}


# -- servers ---------------------------------------------------------------------------------

SERVER_CASES: list[tuple[str, str, str, dict[str, Any]]] = [
    ("FTPServer", "grader.servers.ftp", "FTPServer", {}),
    ("FTPServer (FTPS)", "grader.servers.ftp", "FTPServer", {"tls": True}),
    ("SMTPServer", "grader.servers.smtp", "SMTPServer", {}),
    ("SMTPServer (STARTTLS)", "grader.servers.smtp", "SMTPServer", {"starttls": True}),
    ("POP3Server", "grader.servers.pop3", "POP3Server", {}),
    ("POP3Server (STLS)", "grader.servers.pop3", "POP3Server", {"stls": True}),
    ("UDPPeer", "grader.servers.peers", "UDPPeer", {}),
    ("TCPPeer", "grader.servers.peers", "TCPPeer", {}),
]
START_BUDGET_MS = 100.0


def server_cycle(factory: Callable[[], Any]) -> tuple[float, float]:
    """One start and stop: (start seconds, stop seconds)."""
    started = time.perf_counter()
    server = factory().start()
    up = time.perf_counter()
    server.stop()
    return up - started, time.perf_counter() - up


def bench_servers(cfg: Config) -> Section:
    """Start+stop latency of every fake server, in this process (a test's fixture does the same)."""
    table = Table(
        [
            "server",
            "start ms",
            "stop ms",
            "start+stop ms",
            "spread (runs) ms",
            "slowest start ms",
            "threads left",
        ]
    )
    notes = []
    for label, module, cls_name, options in SERVER_CASES:
        cls = getattr(importlib.import_module(module), cls_name)

        def factory(cls: Any = cls, options: dict[str, Any] = options) -> Any:
            return cls(**options)

        threads_before = threading.active_count()
        server_cycle(factory)  # warm-up: imports, the test CA, first TLS context
        starts, stops, totals, slowest = [], [], [], 0.0
        for _ in range(cfg.runs):
            cycles = [server_cycle(factory) for _ in range(cfg.server_iterations)]
            starts.append(median([c[0] for c in cycles]) * 1000)
            stops.append(median([c[1] for c in cycles]) * 1000)
            totals.append(median([c[0] + c[1] for c in cycles]) * 1000)
            slowest = max(slowest, *(c[0] * 1000 for c in cycles))
        left = threading.active_count() - threads_before
        table.add(
            label,
            fmt(median(starts)),
            fmt(median(stops)),
            fmt(median(totals)),
            spread(totals) or "–",
            fmt(slowest),
            left,
        )
        if slowest >= START_BUDGET_MS:
            notes.append(
                f"{label}: a start took {slowest:.0f} ms (budget: well under {START_BUDGET_MS:.0f} ms)"
            )
        cfg.log(f"  {label}: {median(totals):.2f} ms start+stop")
    return Section(
        "servers",
        "Fake servers: start + stop latency",
        how=_how(cfg, f"{cfg.server_iterations} start/stop cycles per run after one warm-up, in one process"),
        intro="Every test that names a server fixture pays one start and one stop.",
        blocks=[table],
        notes=notes,
    )


# -- pytest exercises/ -------------------------------------------------------------------------

_SUMMARY = re.compile(r"^(?:=+ )?(\d+ (?:passed|failed|error|skipped).*?) in [\d.]+s", re.M)


def pytest_summary(text: str) -> str:
    """``68 passed`` / ``60 failed, 8 passed`` from pytest's summary line (``-q`` or not)."""
    found = _SUMMARY.findall(text)
    return found[-1] if found else "?"


def bench_pytest(cfg: Config) -> Section:
    """``pytest exercises/`` wall time: the stubs (a student's first run) and the reference."""
    table = Table(["tree", "fork server", "wall s", "spread s", "outcome"])
    times: dict[tuple[str, bool], float] = {}
    for tree, extra in (
        ("stubs", []),
        ("reference (--netlings-root solutions)", ["--netlings-root", "solutions"]),
    ):
        for fork in cfg.forkserver:
            seconds, outcome = [], "?"
            for run in range(cfg.runs):
                cmd = [sys.executable, "-m", "pytest", "exercises", "-q", "-p", "no:cacheprovider", *extra]
                timed = run_timed(
                    cmd,
                    cwd=cfg.repo,
                    env=command_env(cfg.repo, forkserver=fork),
                    timeout=cfg.timeout,
                    log=cfg.work / "logs" / f"pytest-{len(extra)}-{fork}-{run}.log",
                )
                if not timed.ok:
                    outcome = "timed out" if timed.timed_out else f"exit {timed.returncode}"
                    break
                seconds.append(timed.seconds)
                outcome = pytest_summary(timed.tail())
            times[(tree, fork)] = median(seconds)
            table.add(tree, FORK_LABEL[fork], fmt(median(seconds)), spread(seconds) or "–", outcome)
            cfg.log(f"  pytest exercises/ {tree}, fork server {FORK_LABEL[fork]}: {median(seconds):.2f} s")
    return Section(
        "pytest",
        "`pytest exercises/`",
        how=_how(cfg),
        intro='What a student runs; the stubs fail at once with "not implemented yet".',
        blocks=[table, _speedups(times)],
    )


def _speedups(times: dict[tuple[str, bool], float]) -> str:
    parts = []
    for key in dict.fromkeys(k for k, _ in times):
        before, after = times.get((key, False)), times.get((key, True))
        if before and after and after == after and before == before:
            parts.append(f"{key}: {before / after:.2f}× faster with the fork server")
    return "Fork server: " + "; ".join(parts) + "." if parts else ""


# -- one submission ---------------------------------------------------------------------------


@dataclass
class Graded:
    """One ``netlings grade`` run: wall time, and what its files say."""

    seconds: float
    ok: bool
    grades: list[dict[str, str]]
    results: dict[str, dict[str, Any]]
    log_tail: str = ""

    def total(self, student: str) -> str:
        for row in self.grades:
            if row.get("student") == student:
                return f"{row.get('total')}/{row.get('max')}"
        return "?"

    def grades_key(self) -> list[tuple[str, ...]]:
        """grades.csv as comparable rows (student and every score)."""
        return sorted(tuple(row.values()) for row in self.grades)


def grade_command(cfg: Config, subs: Sequence[Path], out: Path, jobs: int = 1) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "grader.cli",
        "grade",
        *map(str, subs),
        "--out",
        str(out),
        "-j",
        str(jobs),
        "--no-progress",
        "--force",
    ]
    for path in cfg.suite or []:
        cmd += ["--suite", str(path)]
    return cmd


def run_grade(cfg: Config, subs: Sequence[Path], label: str, *, jobs: int = 1, fork: bool = True) -> Graded:
    """``netlings grade`` of ``subs`` into a fresh folder; its grades.csv and result.json files."""
    out = cfg.work / "out" / f"{label}-{time.monotonic_ns()}"
    timed = run_timed(
        grade_command(cfg, subs, out, jobs),
        cwd=cfg.work,
        env=command_env(cfg.repo, forkserver=fork),
        timeout=cfg.timeout,
        log=out.with_name(out.name + ".log"),
    )
    grades: list[dict[str, str]] = []
    results: dict[str, dict[str, Any]] = {}
    if (out / "grades.csv").is_file():
        with open(out / "grades.csv", encoding="utf-8", newline="") as handle:
            grades = list(csv.DictReader(handle))
        # OUT/students/<id>/ (OUT/<id>/ before: a benchmark compares both versions side by side)
        for path in [*out.glob("*/result.json"), *out.glob("students/*/result.json")]:
            results[path.parent.name] = json.loads(path.read_text(encoding="utf-8"))
    ok = timed.ok and timed.returncode == 0 and bool(grades)
    return Graded(timed.seconds, ok, grades, results, "" if ok else timed.tail())


def _one(cfg: Config) -> dict[str, Path]:
    base = cfg.work / "one"
    made = {}
    for name, mix in (
        ("reference", submissions.reference_mix(cfg.repo)),
        ("stubs", submissions.stub_mix(cfg.repo)),
        ("half-done", submissions.half_done_mix(cfg.repo)),
    ):
        if not (base / name).is_dir():
            submissions.write_submission(base / name, mix, cfg.repo)
        made[name] = base / name
    return made


def bench_grade(cfg: Config) -> Section:
    """One submission, the full default suite: the reference, the stubs, a half-done one."""
    subs = _one(cfg)
    table = Table(
        [
            "submission",
            "score",
            "fork server",
            "wall s",
            "spread s",
            "its pytest run s",
            "suite collection + reports s",
        ]
    )
    slow = Table(["submission", "test", "s"])
    times: dict[tuple[str, bool], float] = {}
    notes = [
        f"half-done: {submissions.describe_mix(submissions.half_done_mix(cfg.repo))} "
        f"({', '.join(submissions.HALF_DONE_BUGS)}; units {', '.join(submissions.HALF_DONE_STUB_UNITS)} "
        "not started)"
    ]
    for name, folder in subs.items():
        for fork in cfg.forkserver:
            walls, runs_s, score, last = [], [], "?", None
            for _ in range(cfg.runs):
                graded = run_grade(cfg, [folder], f"one-{name}-{int(fork)}", fork=fork)
                if not graded.ok:
                    notes.append(
                        f"{name}, fork server {FORK_LABEL[fork]}: the run failed: {graded.log_tail[-300:]!r}"
                    )
                    break
                walls.append(graded.seconds)
                result = graded.results.get(name, {})
                runs_s.append(float(result.get("timing", {}).get("total", float("nan"))))
                score, last = graded.total(name), result
            times[(name, fork)] = median(walls)
            overhead = median(walls) - median(runs_s) if runs_s else float("nan")
            table.add(
                name,
                score,
                FORK_LABEL[fork],
                fmt(median(walls)),
                spread(walls) or "–",
                fmt(median(runs_s)),
                fmt(overhead),
            )
            cfg.log(f"  grade {name}, fork server {FORK_LABEL[fork]}: {median(walls):.2f} s ({score})")
            if fork and last:
                durations = last.get("timing", {}).get("tests", {})
                for nodeid, seconds in sorted(durations.items(), key=lambda kv: -kv[1])[:5]:
                    slow.add(name, f"`{nodeid}`", fmt(seconds))
    return Section(
        "grade",
        "Grading one submission (`netlings grade`, full default suite)",
        how=_how(cfg),
        intro="Wall time of the whole command: suite collection (a `--collect-only` pytest), the "
        "submission's own pytest process (hidden + visible tests), feedback and gradebook. "
        '"its pytest run" is the submission\'s process alone (result.json `timing.total`).',
        blocks=[table, _speedups(times), "Slowest tests (fork server on, last run):", slow],
        notes=notes,
    )


# -- bulk ------------------------------------------------------------------------------------------


def class_of(cfg: Config, count: int) -> list[Path]:
    """The first ``count`` seeded submissions (generated once, for the largest count)."""
    largest = max([count, *cfg.bulk_counts, cfg.nb_count])
    base = cfg.work / f"class-{cfg.seed}"
    if not (base / "mixes.json").is_file():
        submissions.generate(base, largest, cfg.seed, cfg.repo)
    return [base / f"s{i:03d}" for i in range(count)]


def bench_bulk(cfg: Config) -> Section:
    """``netlings grade`` of a class: throughput with -j 1 and -j 2, and how time grows with the count."""
    table = Table(
        [
            "submissions",
            "-j",
            "fork server",
            "runs",
            "wall s",
            "spread s",
            "submissions/min",
            "s per submission",
            "mean score",
        ]
    )
    walls: dict[tuple[int, int, bool], float] = {}
    grades: dict[int, dict[tuple[int, bool], list[tuple[str, ...]]]] = {}
    notes = []
    variants = [(c, j, True) for c in cfg.bulk_counts for j in cfg.bulk_jobs if True in cfg.forkserver]
    variants += [(c, j, False) for c in cfg.before_counts for j in cfg.before_jobs if False in cfg.forkserver]
    for count, jobs, fork in sorted(variants, key=lambda v: (v[0], not v[2], v[1])):
        subs = class_of(cfg, count)
        runs = cfg.bulk_runs if count <= min(cfg.bulk_counts) else 1
        seconds = []
        for _ in range(runs):
            graded = run_grade(cfg, subs, f"bulk-{count}-j{jobs}-{int(fork)}", jobs=jobs, fork=fork)
            if not graded.ok:
                notes.append(
                    f"{count} submissions -j {jobs}, fork server {FORK_LABEL[fork]}: the run failed: "
                    f"{graded.log_tail[-300:]!r}"
                )
                break
            seconds.append(graded.seconds)
            grades.setdefault(count, {})[(jobs, fork)] = graded.grades_key()
            if count == cfg.nb_count and jobs == 1 and fork:
                cfg.shared["netlings_nb"] = (graded.seconds, graded)
        wall = median(seconds)
        walls[(count, jobs, fork)] = wall
        mean = _mean_score(grades.get(count, {}).get((jobs, fork), []))
        table.add(
            count,
            jobs,
            FORK_LABEL[fork],
            len(seconds),
            fmt(wall),
            spread(seconds) or "–",
            fmt(count / wall * 60),
            fmt(wall / count),
            mean,
        )
        cfg.log(f"  bulk {count} -j {jobs}, fork server {FORK_LABEL[fork]}: {wall:.1f} s")
    growth_blocks: list[str | Table] = []
    if len(cfg.bulk_counts) >= 2:
        fork = True in cfg.forkserver
        small, large = min(cfg.bulk_counts), max(cfg.bulk_counts)
        growth = Table(
            [
                "-j",
                *[f"{c} submissions s" for c in cfg.bulk_counts],
                "time ratio",
                "count ratio",
                f"s per submission (first {small})",
                f"s per submission (the other {large - small})",
            ]
        )
        for jobs in cfg.bulk_jobs:
            row = [fmt(walls.get((c, jobs, fork))) for c in cfg.bulk_counts]
            t_small = walls.get((small, jobs, fork), float("nan"))
            t_large = walls.get((large, jobs, fork), float("nan"))
            growth.add(
                jobs,
                *row,
                fmt(t_large / t_small),
                fmt(large / small),
                fmt(t_small / small),
                fmt((t_large - t_small) / (large - small)),
            )
        growth_blocks = [
            f"How time grows with the count (fork server {FORK_LABEL[fork]}). The batch's own cost (suite "
            "collection, reports) is paid once; the last two columns split the time between the first "
            "students and the added ones, whose code (not the batch) then explains any difference.",
            growth,
        ]
    same = [count for count, by in grades.items() if len({tuple(v) for v in by.values()}) == 1]
    differ = [count for count, by in grades.items() if len({tuple(v) for v in by.values()}) > 1]
    notes.append(
        "grades.csv identical across -j and fork server settings for "
        f"{', '.join(map(str, same)) or 'none'} submissions"
        + (f"; DIFFERENT for {', '.join(map(str, differ))}" if differ else "")
    )
    mixes = json.loads((cfg.work / f"class-{cfg.seed}" / "mixes.json").read_text(encoding="utf-8"))
    kinds = {
        s: sum(1 for mix in mixes.values() for c in mix.values() if c.split(":")[0] == s)
        for s in submissions.SOURCES
    }
    total = sum(kinds.values()) or 1
    intro = (
        f"Seeded class (seed {cfg.seed}): each module is the solution, the stub or a known mistake from "
        f"tests/hidden/buggy/ (here {kinds['solution'] / total:.0%} / {kinds['stub'] / total:.0%} / "
        f"{kinds['buggy'] / total:.0%} over {len(mixes)} submissions); a smaller class is the first "
        "students of a larger one. "
        "Wall time of `netlings grade SUBMISSIONS --out DIR -j N` (suite collected once per batch)."
    )
    runs_note = (
        f"the {min(cfg.bulk_counts)}-submission class: {cfg.bulk_runs} run(s) per setting; larger classes: "
        "1 run each (one sample: they take long)"
    )
    return Section(
        "bulk",
        "Bulk grading (`netlings grade`, a class)",
        how=_how(cfg, runs_note, runs_each=cfg.bulk_runs),
        intro=intro,
        blocks=[table, *growth_blocks],
        notes=notes,
    )


def _mean_score(rows: list[tuple[str, ...]]) -> str:
    totals = []
    for row in rows:
        try:
            totals.append(float(row[-2]))
        except (ValueError, IndexError):
            continue
    return fmt(sum(totals) / len(totals)) if totals else "–"


# -- nbgrader -------------------------------------------------------------------------------------


def bench_nbgrader(cfg: Config) -> Section:
    from . import notebooks

    return notebooks.bench(cfg)


SECTIONS: dict[str, Callable[[Config], Section]] = {
    "servers": bench_servers,
    "pytest": bench_pytest,
    "grade": bench_grade,
    "bulk": bench_bulk,
    "nbgrader": bench_nbgrader,
}


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
