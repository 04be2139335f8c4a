"""The ``netlings`` command: one small module per subcommand over functions that return data."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import build, grade, gradescope, serve


class CLIError(Exception):
    """A user-facing error: printed to stderr, exit status 1."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="netlings", description="Network-programming exercises that grade themselves."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve.add_parser(sub)
    build.add_parser(sub)
    grade.add_parser(sub)
    gradescope.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    try:
        return int(args.handler(args) or 0)
    except CLIError as exc:
        print(f"netlings: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
