"""``netlings reset EXERCISE``: put an exercise back to its stub (asks first; ``--yes`` does not)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..messages import msg
from .errors import CLIError

ORDER = 5  # place in `netlings --help`


def add_parser(sub: Any) -> None:
    from ..companion.session import add_common_options, exercise_argument

    about = msg("companion.reset.help")
    parser = sub.add_parser("reset", help=about, description=about)
    exercise_argument(parser, optional=False)
    parser.add_argument("-y", "--yes", action="store_true", help=msg("companion.reset.yes_help"))
    add_common_options(parser)
    parser.set_defaults(handler=run)


def confirm(question: str) -> bool:
    """Ask on the terminal; anything but y/yes (or end of input) is no."""
    print(question, end="", flush=True)
    answer = sys.stdin.readline()
    if not answer.endswith("\n") or not sys.stdin.isatty():
        print()  # the answer was not echoed by a terminal: end the question's line
    return answer.strip().lower() in ("y", "yes", "是")


def run(args: argparse.Namespace) -> int:
    from rich.text import Text

    from ..companion import reset
    from ..companion.session import open_session

    session = open_session(args)
    workspace, console, lang = session.workspace, session.console, session.lang
    exercise = session.exercise(args.exercise)
    try:
        plan = reset.plan(workspace, exercise)
    except reset.NoStub:
        raise CLIError(msg("companion.reset.no_stub", lang, exercise=exercise.id)) from None
    path, backup = workspace.show(plan.target), workspace.show(plan.backup)
    if not plan.needed:
        console.print(Text(msg("companion.reset.already", lang, path=path)))
        return 0
    if not args.yes and not confirm(msg("companion.reset.confirm", lang, exercise=exercise.id, path=path,
                                        backup=backup)):
        console.print(Text(msg("companion.reset.cancelled", lang)))
        return 1
    saved = reset.apply(workspace, session.state, exercise, plan)
    if saved is None:
        console.print(Text(msg("companion.reset.restored", lang, path=path), style="green"))
    else:
        console.print(Text(msg("companion.reset.done", lang, path=path, backup=backup), style="green"))
    return 0
