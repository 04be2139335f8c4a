"""``netlings watch``: check the current exercise on every save, move on when it passes."""

from __future__ import annotations

import argparse
from typing import Any

from ..messages import msg

ORDER = 3  # place in `netlings --help`


def add_parser(sub: Any) -> None:
    from ..companion.session import add_common_options

    about = msg("companion.watch.help")
    parser = sub.add_parser("watch", help=about, description=about)
    parser.add_argument("--poll", action="store_true", help=msg("companion.watch.poll_help"))
    parser.add_argument("--max-runs", type=int, default=None, metavar="N",
                        help=msg("companion.watch.max_runs_help"))
    parser.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                        help=msg("companion.watch.timeout_help"))
    add_common_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..companion.session import open_session
    from ..companion.watcher import Watch, make_source

    session = open_session(args)
    source = make_source(session.workspace.exercises, poll=args.poll)
    return Watch(session, source, max_runs=args.max_runs, timeout=args.timeout).run()
