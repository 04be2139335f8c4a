"""``netlings check [EXERCISE]``: run one exercise's visible tests, readably."""

from __future__ import annotations

import argparse
from typing import Any

from ..messages import msg

ORDER = 2  # place in `netlings --help`


def add_parser(sub: Any) -> None:
    from ..companion.session import add_common_options, exercise_argument

    about = msg("companion.check.help")
    parser = sub.add_parser("check", help=about, description=about)
    exercise_argument(parser, optional=True)
    parser.add_argument("-v", "--verbose", action="store_true", help=msg("companion.check.verbose_help"))
    add_common_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Exit status 0 when the exercise passes, 1 otherwise (usable in scripts)."""
    from rich.text import Text

    from ..companion import progress, render
    from ..companion.session import open_session

    session = open_session(args)
    workspace, state, console, lang = session.workspace, session.state, session.console, session.lang
    if args.exercise:
        exercise = session.exercise(args.exercise)
    else:
        target = progress.current(workspace, state)
        if target is None:
            render.next_exercise(console, workspace, None, lang)
            return 0
        exercise = target.exercise
    path = workspace.show(workspace.file(exercise))
    untouched = progress.is_untouched(workspace, state, exercise)
    if untouched is None:
        missing = msg("companion.check.missing", lang, path=path, exercise=exercise.id)
        console.print(Text(missing, style="yellow"))
        return 1
    if untouched:
        console.print(Text(msg("companion.check.untouched", lang, path=path), style="dim"))
    result = progress.check(workspace, state, exercise, session.runner())
    render.check_result(console, workspace, exercise, result, lang, verbose=args.verbose)
    if result.passed:
        console.print()
        render.next_exercise(console, workspace, progress.current(workspace, state), lang)
    return 0 if result.passed else 1
