"""``netlings hint [EXERCISE]``: one more hint step (a nudge, the concept, then the API)."""

from __future__ import annotations

import argparse
from typing import Any

from ..messages import msg

ORDER = 4  # place in `netlings --help`


def add_parser(sub: Any) -> None:
    from ..companion.session import add_common_options, exercise_argument

    parser = sub.add_parser("hint", help=msg("companion.hint.help"), description=msg("companion.hint.help"))
    exercise_argument(parser, optional=True)
    parser.add_argument("--all", action="store_true", help=msg("companion.hint.all_help"))
    add_common_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..companion import hints, progress, render
    from ..companion.session import open_session

    session = open_session(args)
    if args.exercise:
        exercise = session.exercise(args.exercise)
    else:
        target = progress.current(session.workspace, session.state)
        exercise = target.exercise if target else session.workspace.manifest.exercises[-1]
    shown = hints.reveal(session.state, exercise, session.lang, all_steps=args.all)
    render.hints(session.console, session.workspace, exercise, shown, session.lang)
    return 0
