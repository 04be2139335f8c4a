"""``netlings grade SUBMISSION... --out DIR [-j N]``: grade a class.

Each SUBMISSION is one student's folder or .zip (the student id is the folder name or
the zip's stem), or a class folder holding several of them: a folder is taken as a
class folder when it holds .zip files, or when exercise units (``NN_name/*.py``) are
found under two or more of its sub-folders. Per student, DIR/students/<student>/ gets
result.json, feedback.md and feedback.html; DIR gets grades.csv and summary.md (no
student id can take their names).
``--roster FILE.csv`` names the students (columns submission, id, name, sis_id,
login_id, section; see grader/grade/roster.py). At the end, the students with problems
(missing files, syntax errors, time-outs, empty submissions, ...) are listed in a table.
Re-running skips students whose submission and suite are unchanged (``--force`` to
re-grade). The suite is the hidden suite (grader/hidden/) plus the instructor's copy of
the visible tests (exercises/*/test_*.py), unless ``--suite`` is given.

Feedback is in the class's language: ``netlings --lang zh grade ...`` (or
``NETLINGS_LANG=zh``, else the locale); each result.json records it, and a re-run in
another language re-grades rather than mixing two languages.

``netlings grade --self [--root DIR]`` grades your own exercises/ (of the current folder,
or DIR) the same way, with the hidden suite if this checkout has it, else the visible
tests only, and writes .netlings/feedback.md. In the student edition it is the only form.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from pathlib import Path
from typing import Any

from ..grade.batch import SandboxUnavailable, grade_batch
from ..grade.roster import RosterError, load_roster
from ..grade.runner import DEFAULT_TEST_TIMEOUT, PACKAGE_PARENT, SuiteError
from ..messages import current_language, msg
from ..report.problems import class_problems, render_problems_table
from ..report.safe_text import line as one_line
from ..sandbox.users import WorkerUsersUnavailable

UNIT_DIR = re.compile(r"^\d\d_\w+$")
_WALK_LIMIT = 5000


ORDER = 20  # place in `netlings --help`


def add_parser(sub: Any) -> None:
    about = msg("grade.help")
    parser = sub.add_parser("grade", help=about, description=__doc__ if current_language() == "en" else about,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("submissions", nargs="*", type=Path, metavar="SUBMISSION",
                        help=msg("grade.help.submissions"))
    parser.add_argument("--out", "-o", type=Path, metavar="DIR", help=msg("grade.help.out"))
    parser.add_argument("--self", dest="self_grade", action="store_true", help=msg("grade.help.self"))
    parser.add_argument("--root", type=Path, metavar="DIR", help=msg("grade.help.root"))
    parser.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help=msg("grade.help.jobs"))
    parser.add_argument("--force", action="store_true", help=msg("grade.help.force"))
    parser.add_argument("--roster", type=Path, metavar="FILE.csv", help=msg("roster.help"))
    parser.add_argument("--unsafe-shared-host", action="store_true",
                        help=msg("grade.help.unsafe_shared_host"))
    parser.add_argument("--suite", type=Path, action="append", metavar="PATH", help=msg("grade.help.suite"))
    parser.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                        help=msg("grade.help.timeout"))
    parser.add_argument("--test-timeout", type=float, default=DEFAULT_TEST_TIMEOUT, metavar="SECONDS",
                        help=msg("grade.help.test_timeout", seconds=f"{DEFAULT_TEST_TIMEOUT:g}"))
    progress = parser.add_mutually_exclusive_group()
    progress.add_argument("--progress", dest="progress", action="store_true", default=None,
                          help=msg("grade.help.progress"))
    progress.add_argument("--no-progress", dest="progress", action="store_false",
                          help=msg("grade.help.no_progress"))
    parser.set_defaults(handler=run)


def default_suite(project: Path = PACKAGE_PARENT) -> list[Path]:
    """grader/hidden/ (if present) + exercises/*/test_*.py of this project."""
    paths: list[Path] = []
    hidden = project / "grader" / "hidden"
    if hidden.is_dir():
        paths.append(hidden)
    paths += sorted((project / "exercises").glob("*/test_*.py"))
    return paths


def _unit_holders(folder: Path) -> set[str]:
    """Names of ``folder``'s direct children under which an exercise unit folder or file sits.

    A file counts by its contract name (``udp_server.py``) as well: the grader finds a
    student's files wherever they sit, so ``class/alice/wire.py``, ``class/bob/wire.py`` is a
    class of two flat submissions, not one student with duplicates.
    """
    from ..sandbox.prepare import contract_modules

    names = {Path(module).name for module in contract_modules()}
    holders: set[str] = set()
    seen = 0
    for path in folder.rglob("*"):
        seen += 1
        if seen > _WALK_LIMIT:
            break
        unit = path.is_dir() and UNIT_DIR.match(path.name) and any(path.glob("*.py"))
        if unit or (path.name in names and path.is_file()):
            rel = path.relative_to(folder).parts
            holders.add(rel[0] if len(rel) > 1 else "")
    return holders


def expand(paths: list[Path]) -> list[Path]:
    """Turn class folders into their submissions; keep students' folders and zips as they are."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            children = sorted(p for p in path.iterdir() if not p.name.startswith("."))
            zips = [p for p in children if p.is_file() and p.suffix.lower() == ".zip"]
            holders = _unit_holders(path)
            if zips or (len(holders) >= 2 and "" not in holders):
                found += [p for p in children if p.is_dir() or p in zips]
                continue
        found.append(path)
    return found


def run(args: argparse.Namespace) -> int:
    from ..edition import is_student_edition
    from .errors import CLIError

    if args.self_grade:
        return run_self(args)
    if is_student_edition():
        raise CLIError(msg("grade.cli.for_instructors"))
    if not args.submissions or args.out is None:
        raise CLIError(msg("grade.cli.usage"))
    suite = args.suite or default_suite()
    if not suite:
        raise CLIError(msg("grade.cli.no_suite"))
    missing = [str(p) for p in args.submissions if not p.exists()]
    if missing:
        raise CLIError(msg("grade.cli.no_such_submission", paths=", ".join(missing)))
    submissions = expand(list(args.submissions))
    if not submissions:
        raise CLIError(msg("grade.cli.no_submissions"))
    roster = None
    if args.roster is not None:
        try:
            roster = load_roster(args.roster)
        except RosterError as exc:
            raise CLIError(str(exc)) from exc
    try:
        batch = grade_batch(submissions, args.out, suite=suite, jobs=args.jobs, force=args.force,
                            timeout_per_submission=args.timeout, test_timeout=args.test_timeout,
                            progress=args.progress, unsafe_shared_host=args.unsafe_shared_host,
                            roster=roster)
    except (SuiteError, SandboxUnavailable, WorkerUsersUnavailable) as exc:
        raise CLIError(str(exc)) from exc
    for notice in batch.notices:
        print(f"netlings: {one_line(notice)}", file=sys.stderr)
    print(one_line(batch.summary_line()))
    table = render_problems_table(class_problems(batch), batch.lang or None)
    if table:
        print(table)
    return 0


def run_self(args: argparse.Namespace) -> int:
    """``--self``: one submission, the caller's own exercises/ (see :mod:`grader.grade.selfgrade`)."""
    from ..grade.selfgrade import find_exercises, grade_self
    from ..report.model import fmt_grade
    from .errors import CLIError

    if args.submissions or args.out is not None:
        raise CLIError(msg("grade.cli.self_usage"))
    try:
        exercises = find_exercises(args.root or Path.cwd())
        graded = grade_self(exercises, suite=args.suite, force=args.force, timeout=args.timeout,
                            test_timeout=args.test_timeout, progress=args.progress)
    except FileNotFoundError as exc:
        raise CLIError(str(exc)) from exc
    except SuiteError as exc:
        raise CLIError(str(exc)) from exc
    result = graded.result
    if not graded.hidden:
        print(f"netlings: {msg('grade.cli.visible_only')}", file=sys.stderr)
    scores = {one_line(name): score for name, score in result.exercise_grades().items()}
    width = max((len(name) for name in scores), default=0)
    for name, (earned, possible) in scores.items():
        print(f"  {name:<{width}}  {fmt_grade(earned)}/{fmt_grade(possible)}")
    for problem in result.problems:
        print(f"  ! {one_line(problem.message)}")
    feedback = graded.feedback
    with contextlib.suppress(ValueError):
        feedback = feedback.relative_to(Path.cwd())
    again = msg("grade.cli.unchanged") if graded.reused else ""
    print(one_line(msg("grade.cli.self_score", score=fmt_grade(result.grade),
                       max_score=fmt_grade(result.grade_max), again=again, feedback=feedback)))
    return 0
