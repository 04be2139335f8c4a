"""The nbgrader side of the comparison: the same submissions as notebooks, through ``nbgrader autograde``.

Why the real pipeline: what an nbgrader course waits for is ``nbgrader autograde`` (a
kernel per notebook, every autograder cell run in it), so that is what is timed. The
course is written by ``netlings nbgrader export`` (:func:`grader.nbgrader.export.export_course`),
released by ``nbgrader generate_assignment``; each student's notebook is the released one
with every ``%%netlings <unit>/<module>.py`` cell's code replaced by that student's module
(what a student who wrote that code in the notebook hands in), as in
tests/nbgrader/test_pipeline.py. The scores nbgrader's gradebook gives are compared with
``netlings grade`` on the same modules: the comparison is only fair if they agree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .measure import command_env, fmt, run_timed
from .report import Section, Table

COURSE_ID = "netlings"


def nbgrader_available() -> str | None:
    """None if nbgrader can be run here, else why not."""
    proc = subprocess.run([sys.executable, "-c", "import nbgrader"], capture_output=True, timeout=120)
    return None if proc.returncode == 0 else "nbgrader is not installed (pip install -e '.[nbgrader]')"


def units_of(repo: Path) -> list[str]:
    return sorted(p.name for p in (repo / "solutions").iterdir() if p.is_dir() and p.name[:2].isdigit())


def _cell_text(cell: dict[str, Any]) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def student_notebook(release: dict[str, Any], submission: Path) -> tuple[dict[str, Any], int]:
    """The released notebook with each ``%%netlings PATH`` cell holding the submission's PATH.

    Returns the notebook and how many code cells were filled in.
    """
    notebook = json.loads(json.dumps(release))
    filled = 0
    for cell in notebook["cells"]:
        if cell.get("cell_type") != "code":
            continue
        text = _cell_text(cell)
        first, _, _ = text.partition("\n")
        if not first.startswith("%%netlings ") or first.startswith("%%netlings_tests"):
            continue
        module = submission / first.split(None, 1)[1].strip()
        if module.is_file():
            cell["source"] = first + "\n" + module.read_text(encoding="utf-8")
            filled += 1
    return notebook, filled


def write_submitted(course: Path, units: list[str], subs: list[Path]) -> int:
    """``submitted/<student>/<unit>/<unit>.ipynb`` for every submission; the number of filled cells."""
    filled = 0
    for unit in units:
        release = json.loads((course / "release" / unit / f"{unit}.ipynb").read_text(encoding="utf-8"))
        for sub in subs:
            notebook, count = student_notebook(release, sub)
            filled += count
            target = course / "submitted" / sub.name / unit / f"{unit}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(notebook, indent=1, ensure_ascii=False), encoding="utf-8")
    return filled


def gradebook_totals(course: Path, units: list[str], students: list[str]) -> dict[str, float]:
    """Each student's total over ``units`` from nbgrader's gradebook (run in a subprocess:
    nbgrader's imports stay out of the benchmark process)."""
    script = (
        "import json, sys\n"
        "from nbgrader.api import Gradebook\n"
        "course, units, students = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])\n"
        "out = {}\n"
        f"with Gradebook('sqlite:///' + course + '/gradebook.db', course_id={COURSE_ID!r}) as gb:\n"
        "    for s in students:\n"
        "        out[s] = round(sum(gb.find_submission_notebook(u, u, s).score for u in units), 4)\n"
        "print(json.dumps(out))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(course), json.dumps(units), json.dumps(students)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-1000:])
    return {k: float(v) for k, v in json.loads(proc.stdout.strip().splitlines()[-1]).items()}


def bench(cfg: Any) -> Section:
    """Export, release, fill in, autograde; compare time and scores with ``netlings grade``."""
    from .sections import _how, class_of, run_grade

    section = Section(
        "nbgrader",
        "nbgrader: the same submissions as notebooks",
        how=_how(cfg.__class__(cfg.repo, cfg.work, runs=1), f"{cfg.nb_count} submissions"),
    )
    missing = nbgrader_available()
    if missing:
        section.notes.append(f"not measured: {missing}")
        return section
    all_units = units_of(cfg.repo)
    units = list(cfg.nb_units or all_units)
    subs = class_of(cfg, cfg.nb_count)
    course = cfg.work / "course"
    shutil.rmtree(course, ignore_errors=True)
    jupyter = cfg.work / "jupyter"
    env = command_env(
        cfg.repo,
        forkserver=True,
        extra={
            "JUPYTER_CONFIG_DIR": str(jupyter / "config"),
            "JUPYTER_RUNTIME_DIR": str(jupyter / "runtime"),
            "JUPYTER_DATA_DIR": str(jupyter / "data"),
        },
    )  # no personal Jupyter/nbgrader config applies
    logs = cfg.work / "logs" / "nbgrader"
    steps = Table(["step", "wall s"])

    def step(label: str, cmd: list[str]) -> float:
        timed = run_timed(cmd, cwd=course, env=env, timeout=cfg.timeout, log=logs / f"{label}.log")
        if not timed.ok or timed.returncode != 0:
            raise RuntimeError(f"{label} failed (exit {timed.returncode}):\n{timed.tail(1500)}")
        return timed.seconds

    try:
        course.mkdir(parents=True)
        unit_args = [a for u in units for a in ("--unit", u)] if cfg.nb_units else []
        steps.add(
            "`netlings nbgrader export`",
            fmt(
                step(
                    "export",
                    [sys.executable, "-m", "grader.cli", "nbgrader", "export", str(course), *unit_args],
                )
            ),
        )
        generate = sum(
            step(f"generate-{u}", [sys.executable, "-m", "nbgrader", "generate_assignment", u]) for u in units
        )
        steps.add(f"`nbgrader generate_assignment` ({len(units)} units)", fmt(generate))
        filled = write_submitted(course, units, subs)
        per_unit = {}
        for unit in units:
            per_unit[unit] = step(f"autograde-{unit}", [sys.executable, "-m", "nbgrader", "autograde", unit])
            cfg.log(f"  nbgrader autograde {unit}: {per_unit[unit]:.1f} s")
        autograde = sum(per_unit.values())
        steps.add(f"`nbgrader autograde` ({len(units)} units × {len(subs)} students)", fmt(autograde))
        nb_scores = gradebook_totals(course, units, [s.name for s in subs])
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        section.notes.append(f"the nbgrader pipeline failed: {exc}")
        return section

    shared = cfg.shared.get("netlings_nb")
    same_suite = cfg.suite is None and sorted(units) == all_units
    if shared is not None and same_suite:
        netlings_s, graded = shared
        reused = "the -j 1 run of the bulk section"
    else:
        saved = cfg.suite
        if not same_suite:
            cfg.suite = [
                cfg.repo / "grader" / "hidden" / u
                for u in units
                if (cfg.repo / "grader" / "hidden" / u).is_dir()
            ]
            cfg.suite += [p for u in units for p in sorted((cfg.repo / "exercises" / u).glob("test_*.py"))]
        try:
            started = time.perf_counter()
            graded = run_grade(cfg, subs, f"nb-netlings-{len(subs)}", jobs=1, fork=True)
            netlings_s = time.perf_counter() - started
        finally:
            cfg.suite = saved
        reused = "measured here"
    netlings_scores = {row["student"]: float(row["total"]) for row in graded.grades}
    agree = [s.name for s in subs if abs(nb_scores.get(s.name, -1) - netlings_scores.get(s.name, -2)) < 1e-6]
    differ = sorted(set(s.name for s in subs) - set(agree))

    table = Table(["grader", "submissions", "wall s", "s per submission", "submissions/min"])
    table.add(
        "`netlings grade -j 1`",
        len(subs),
        fmt(netlings_s),
        fmt(netlings_s / len(subs)),
        fmt(len(subs) / netlings_s * 60),
    )
    table.add(
        f"`nbgrader autograde` ({len(units)} units)",
        len(subs),
        fmt(autograde),
        fmt(autograde / len(subs)),
        fmt(len(subs) / autograde * 60),
    )
    section.intro = (
        f"Units: {', '.join(units)}. The {len(subs)} submissions of the bulk section, each module "
        f"pasted into its `%%netlings` cell of the released notebook ({filled} cells filled). "
        "nbgrader runs one kernel per notebook and every test cell is its own collect + grading "
        "pytest process; `netlings grade` runs one pytest process per submission."
    )
    section.blocks += [
        table,
        f"**Ratio netlings / nbgrader: {netlings_s / autograde:.2f}** "
        f"(netlings is {autograde / netlings_s:.1f}× faster; netlings time: {reused}).",
        "Per unit (`nbgrader autograde`, all students):",
        _unit_table(per_unit),
        "Pipeline steps:",
        steps,
    ]
    section.notes.append(
        f"scores agree (gradebook total = grades.csv total) for {len(agree)}/{len(subs)} "
        "submissions" + (f"; differ: {', '.join(differ)}" if differ else "")
    )
    if os.environ.get("NETLINGS_BENCH_KEEP_COURSE") != "1":
        shutil.rmtree(course / "autograded", ignore_errors=True)
    return section


def _unit_table(per_unit: dict[str, float]) -> Table:
    table = Table(["unit", "autograde s"])
    for unit, seconds in per_unit.items():
        table.add(unit, fmt(seconds))
    return table
