"""What every companion command starts from: the workspace, its state, the language, a console."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from ..cli.errors import CLIError
from ..curriculum.manifest import Exercise
from ..messages import LANGUAGES, current_language, msg
from .progress import Runner, default_runner
from .render import make_console, working
from .runner import CheckResult
from .state import State
from .workspace import Workspace, WorkspaceNotFound, find_workspace


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """``--lang`` on each companion command (``netlings hint udp_server --lang zh``).

    Its default is "absent", so a ``--lang`` given before the command is not overwritten.
    """
    parser.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                        help=msg("companion.lang_help"))


def exercise_argument(parser: argparse.ArgumentParser, *, optional: bool) -> None:
    parser.add_argument("exercise", nargs="?" if optional else None, metavar="EXERCISE",
                        help=msg("companion.exercise_help"))


@dataclass
class Session:
    workspace: Workspace
    state: State
    lang: str
    console: Console

    def runner(self) -> Runner:
        """Runs an exercise's visible tests, saying so (a spinner on a terminal)."""
        base = default_runner(self.lang)

        def run(workspace: Workspace, exercise: Exercise) -> CheckResult:
            with working(self.console, msg("companion.checking", self.lang, exercise=exercise.id)):
                return base(workspace, exercise)

        return run

    def exercise(self, name: str) -> Exercise:
        """The exercise called ``name``; a CLIError listing the known ones otherwise."""
        try:
            return self.workspace.exercise(name)
        except KeyError:
            known = ", ".join(e.id for e in self.workspace.manifest.exercises)
            raise CLIError(msg("companion.unknown_exercise", self.lang, name=name, known=known)) from None


def open_session(args: argparse.Namespace, *, start: Path | None = None, console: Any = None) -> Session:
    """The session for a parsed command line (``--lang``, else ``NETLINGS_LANG``, else the locale)."""
    lang = getattr(args, "lang", None) or current_language()
    try:
        workspace = find_workspace(start)
    except WorkspaceNotFound as exc:
        raise CLIError(msg("companion.no_workspace", lang, folder=str(exc))) from None
    except (OSError, ValueError) as exc:  # an unreadable or invalid manifest / stubs index
        raise CLIError(str(exc)) from None
    return Session(workspace, State(workspace.state_path), lang, console or make_console())
