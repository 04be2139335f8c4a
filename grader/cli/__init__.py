"""The ``netlings`` command: one small module per subcommand over functions that return data.

Every module of this package that defines ``add_parser(subparsers)`` is a
subcommand; ``ORDER`` (a number, default 50) places it in ``--help``. Adding a
command is adding a module: nobody edits this file, so parallel work never
collides here. A module may also define ``DEFAULT = True``: it then runs when
``netlings`` is called with no command (the student's progress view).

``--lang en|zh`` sets ``NETLINGS_LANG`` while the command runs, so every part that
reads the message catalogue (and every test process it starts) speaks that language;
it is read before the parser is built, so ``--help`` and argparse's own words
speak it too (:mod:`grader.cli._language`). A module may be named like a builtin (``list.py``): importing
it binds that name in this package, so this file never calls ``list``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

from ..messages import LANGUAGES, current_language, msg
from ._language import argparse_speaks, language_from
from .errors import CLIError

__all__ = ["CLIError", "build_parser", "main"]

LANG_ENV = "NETLINGS_LANG"


def commands() -> list[ModuleType]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name == "errors":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "add_parser"):
            found.append(module)
    return sorted(found, key=lambda m: (getattr(m, "ORDER", 50), m.__name__))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="netlings", description=msg("companion.description"))
    parser.add_argument("--lang", choices=LANGUAGES, help=msg("companion.lang_help"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in commands():
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = [*(sys.argv[1:] if argv is None else argv)]
    previous = os.environ.get(LANG_ENV)
    lang = language_from(argv)  # before the parser is built: its help texts come from the catalogue
    if lang:
        os.environ[LANG_ENV] = lang
    try:
        with argparse_speaks(current_language()):
            parser = build_parser()
            args = parser.parse_args(argv)
            if args.command is None:  # `netlings` or `netlings --lang zh`: the default command
                default = next((m for m in commands() if getattr(m, "DEFAULT", False)), None)
                if default is not None:
                    args = parser.parse_args([*argv, default.__name__.rsplit(".", 1)[1]])
            if not getattr(args, "handler", None):
                parser.print_help()
                return 0
        return int(args.handler(args) or 0)
    except CLIError as exc:
        print(f"netlings: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:  # called in-process (tests, other tools): leave the environment as it was
        if previous is None:
            os.environ.pop(LANG_ENV, None)
        else:
            os.environ[LANG_ENV] = previous


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
