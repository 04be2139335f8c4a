"""``netlings nbgrader export|extract``: the course as nbgrader notebooks, and back.

``export COURSE_DIR`` writes an nbgrader course (``nbgrader_config.py``,
``source/<unit>/<unit>.ipynb``) whose autograder cells run the same tests as
``netlings grade``, for the same points. Then, in COURSE_DIR::

    nbgrader generate_assignment 01_udp
    nbgrader autograde 01_udp
    nbgrader generate_feedback 01_udp

``extract SUBMITTED_DIR --out DIR`` turns nbgrader's ``submitted/<student>/<unit>/*.ipynb``
into ``DIR/<student>/<unit>/<module>.py``, ready for ``netlings grade DIR/*``.
Needs ``pip install -e ".[nbgrader]"`` only to run nbgrader itself, not for these commands.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .errors import CLIError

ORDER = 70  # place in `netlings --help`


def add_parser(sub: Any) -> None:
    from ..nbgrader.kernel import DEFAULT_CELL_TIMEOUT

    parser = sub.add_parser("nbgrader", help="export the course as nbgrader notebooks (and extract code)",
                            description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = parser.add_subparsers(dest="nbgrader_command", metavar="ACTION")
    export = actions.add_parser("export", help="write an nbgrader course folder")
    export.add_argument("course_dir", type=Path, metavar="COURSE_DIR")
    export.add_argument("--unit", action="append", metavar="UNIT",
                        help="export only this unit (repeatable; default: every unit)")
    export.add_argument("--course-id", default="netlings", help="nbgrader's course id (default: netlings)")
    export.add_argument("--cell-timeout", type=float, default=DEFAULT_CELL_TIMEOUT, metavar="SECONDS",
                        help=f"limit for one test cell (default {DEFAULT_CELL_TIMEOUT:g}); nbgrader's "
                             "ExecutePreprocessor.timeout is set a minute above it")
    export.add_argument("--exchange", type=Path, default=None, metavar="DIR",
                        help="nbgrader's exchange folder (default: COURSE_DIR/exchange)")
    export.add_argument("--lang", choices=("en", "zh"), default=None,
                        help="language of the notebooks' own text (default: NETLINGS_LANG or the locale)")
    export.add_argument("--suite", type=Path, action="append", metavar="PATH",
                        help="test file or folder (repeatable; default: what `netlings grade` runs)")
    export.set_defaults(handler=run_export)
    extract = actions.add_parser("extract", help="write the code of submitted notebooks as exercise folders")
    extract.add_argument("submitted", type=Path, metavar="SUBMITTED_DIR",
                         help="nbgrader's submitted/ (or autograded/) folder: <student>/<unit>/*.ipynb")
    extract.add_argument("--out", "-o", type=Path, required=True, metavar="DIR")
    extract.set_defaults(handler=run_extract)
    parser.set_defaults(handler=lambda _args: parser.print_help() or 0)


def run_export(args: argparse.Namespace) -> int:
    from ..curriculum.build import StubError
    from ..nbgrader.export import ExportError, export_course

    try:
        result = export_course(args.course_dir, units=args.unit, course_id=args.course_id,
                               cell_timeout=args.cell_timeout, exchange=args.exchange, lang=args.lang,
                               suite=args.suite)
    except (ExportError, StubError) as exc:
        raise CLIError(str(exc)) from exc
    points = result.exercise_points()
    for notebook in result.notebooks:
        print(f"wrote {notebook}")
    print(f"wrote {result.config}")
    total = sum(points.values())
    print(f"{len(result.notebooks)} notebook(s), {len(points)} exercise(s), {total:g} points; next: "
          f"cd {result.course_dir} && nbgrader generate_assignment {result.notebooks[0].parent.name}"
          if result.notebooks else "nothing exported")
    return 0


def run_extract(args: argparse.Namespace) -> int:
    from ..nbgrader.extract import extract_submitted

    if not args.submitted.is_dir():
        raise CLIError(f"no such folder: {args.submitted}")
    found = extract_submitted(args.submitted, args.out)
    for student, files in found.items():
        print(f"{student}: {len(files)} module(s)")
    print(f"extracted {len(found)} submission(s) -> {args.out}; "
          f"next: netlings grade {args.out}/* --out grades/")
    return 0
