"""The IPython side: ``%load_ext grader.nbgrader`` registers the two cell magics of the notebooks.

* ``%%netlings 01_udp/udp_server.py``: the student's code cell. The cell's text is saved
  as that module (the tests run the *file*, in child processes, as under
  ``netlings grade``) and then run in the notebook as usual, so the student can try the
  functions in a cell of their own. Saving comes first: code that fails when run here
  still gets tested (and the tests name the failure).
* ``%%netlings_tests TEST_FILE --exercise UNIT/MODULE --points N --timeout SECONDS``: an
  autograder cell. Its text is a test file (visible tests as they are, hidden tests
  between nbgrader's ``### BEGIN/END HIDDEN TESTS``); the magic runs it
  (:func:`grader.nbgrader.cells.run_test_cell`), prints the report and evaluates to the
  points earned, which nbgrader takes as the cell's partial credit.

A test cell never writes to stderr (nbgrader would give it zero): stray warnings are
silenced and anything else written to stderr goes to stdout while the cell runs.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import shlex
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

from ..messages import msg
from ..sandbox.cleanup import remove_tree
from .cells import CODE_DIR, check_module_path, run_test_cell, save_module

DEFAULT_CELL_TIMEOUT = 180.0

_work: Path | None = None


def work_dir() -> Path:
    """This kernel's private folder for saved code and test runs (removed when the kernel exits)."""
    global _work
    if _work is None or not _work.is_dir():
        _work = Path(tempfile.mkdtemp(prefix="netlings-nb-"))
        atexit.register(remove_tree, _work)
    return _work


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # never print usage to stderr or exit the kernel
        raise ValueError(message)


def parse_tests_line(line: str) -> argparse.Namespace:
    """The ``%%netlings_tests`` line; ValueError with a readable message if it is malformed."""
    parser = _Parser(prog="%%netlings_tests", add_help=False)
    parser.add_argument("test_path")
    parser.add_argument("--exercise", required=True)
    parser.add_argument("--points", type=float, required=True)
    parser.add_argument("--timeout", type=float, default=DEFAULT_CELL_TIMEOUT)
    try:
        args = parser.parse_args(shlex.split(line))
        check_module_path(f"{args.exercise}.py")
    except ValueError:
        raise ValueError(msg("nbgrader.bad_tests_line", line=line)) from None
    return args


def netlings_cell(line: str, cell: str, shell: Any) -> None:
    """``%%netlings PATH``: save the cell as PATH, then run it in the notebook."""
    try:
        path = check_module_path(line)
    except ValueError as exc:
        print(exc)
        return
    save_module(work_dir() / CODE_DIR, path, cell)
    shell.run_cell(cell, store_history=False)


def netlings_tests_cell(line: str, cell: str) -> float | None:
    """``%%netlings_tests ...``: run the cell's tests; print the report; return the points earned."""
    with contextlib.redirect_stderr(sys.stdout), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            args = parse_tests_line(line)
        except ValueError as exc:
            print(exc)
            return 0.0
        report = run_test_cell(cell, test_path=args.test_path, exercise=args.exercise, points=args.points,
                               work=work_dir(), timeout=args.timeout)
        print(report.text)
        return report.earned


def load_ipython_extension(ipython: Any) -> None:
    """Register ``%%netlings`` and ``%%netlings_tests`` (called by ``%load_ext grader.nbgrader``)."""

    def netlings(line: str, cell: str) -> None:
        netlings_cell(line, cell, ipython)

    def netlings_tests(line: str, cell: str) -> float | None:
        return netlings_tests_cell(line, cell)

    netlings.__doc__ = netlings_cell.__doc__
    netlings_tests.__doc__ = netlings_tests_cell.__doc__
    ipython.register_magic_function(netlings, "cell", "netlings")
    ipython.register_magic_function(netlings_tests, "cell", "netlings_tests")
