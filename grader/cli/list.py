"""``netlings`` / ``netlings list``: the student's progress and what to do next."""

from __future__ import annotations

import argparse
from typing import Any

from ..messages import msg

DEFAULT = True  # a bare `netlings` shows this
ORDER = 1  # place in `netlings --help`


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("list", help=msg("companion.list.help"), description=msg("companion.list.help"))
    from ..companion.session import add_common_options

    add_common_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..companion import progress, render
    from ..companion.session import open_session

    session = open_session(args)
    entries = list(progress.entries(session.workspace, session.state, session.runner()))
    render.progress(session.console, session.workspace, entries, session.lang)
    return 0
