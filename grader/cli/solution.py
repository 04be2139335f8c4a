"""``netlings solution EXERCISE``: the reference solution, once the student's version passes."""

from __future__ import annotations

import argparse
from typing import Any

from ..messages import msg

ORDER = 6  # place in `netlings --help`


def add_parser(sub: Any) -> None:
    from ..companion.session import add_common_options, exercise_argument

    parser = sub.add_parser("solution", help=msg("companion.solution.help"),
                            description=msg("companion.solution.help"))
    exercise_argument(parser, optional=False)
    add_common_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Exit status 0 when the solution (or the "your instructor has it" note) is shown, 1 when locked."""
    from rich.text import Text

    from ..companion import progress, render, solution
    from ..companion.progress import Status
    from ..companion.session import open_session

    session = open_session(args)
    workspace, console, lang = session.workspace, session.console, session.lang
    exercise = session.exercise(args.exercise)
    status = progress.entry(workspace, session.state, exercise, session.runner())
    if status.status is not Status.DONE:
        console.print(Text(msg("companion.solution.locked", lang, exercise=exercise.id), style="yellow"))
        return 1
    text = solution.reference(workspace, exercise)
    if text is None:
        console.print(Text(msg("companion.solution.unavailable", lang, exercise=exercise.id), style="green"))
        return 0
    path = workspace.solution_file(exercise)
    shown = workspace.show(path) if path is not None else exercise.path
    heading = msg("companion.solution.heading", lang, exercise=exercise.id, path=shown)
    console.print(Text(heading, style="bold"))
    render.source(console, text)
    return 0
