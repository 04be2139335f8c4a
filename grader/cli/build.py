"""``netlings build``: regenerate the exercise stubs from the reference solutions."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

ORDER = 60  # place in `netlings --help`


def add_parser(sub: Any) -> None:
    from ..curriculum.build import REPO_ROOT

    parser = sub.add_parser("build", help="write exercises/ stubs from solutions/")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a stub is stale")
    parser.add_argument("--solutions", type=Path, default=REPO_ROOT / "solutions", help="solutions folder")
    parser.add_argument("--exercises", type=Path, default=REPO_ROOT / "exercises", help="exercises folder")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..curriculum.build import main

    argv = ["--solutions", str(args.solutions), "--exercises", str(args.exercises)]
    return main(argv + (["--check"] if args.check else []))
