"""What a notebook's test cell does, without Jupyter: run one test file against saved code, score it.

Why through ``netlings grade``'s own machinery (:func:`~grader.grade.runner.collect_suite`
and :func:`~grader.grade.runner.grade_prepared`): a notebook must earn exactly the points
the same code earns under ``netlings grade``. So the test file runs in its own pytest
process with the same command line, the same per-test timeout, the same signed results
file and, while nbgrader autogrades, the same sandbox; the points are the same
``points`` markers, summed the same way (:attr:`TestResult.earned`).

One scale: a cell's points (``--points``) are its share of its exercise's weight in the
course (see :mod:`grader.nbgrader.export`), and it earns that share times the fraction of
its tests' own points that passed: the scaling :class:`~grader.report.model.SubmissionResult`
does for ``netlings grade``, with the cell's points as the weight of its tests. A test
skipped at run time counts neither way, in both.

Why partial credit through a number: nbgrader gives an autograder cell the value of its
result (``execute_result``) when that is a number between 0 and the cell's points, zero
when the cell wrote to stderr or raised, and full points otherwise. The cell therefore
never raises and never writes to stderr for a failing test: it prints what happened and
evaluates to the points earned (see :mod:`grader.nbgrader.kernel`).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..messages import msg
from ..report.feedback import feedback_items
from ..report.model import SubmissionResult, fmt_grade, fmt_points
from ..sandbox.cleanup import remove_tree

MODULE_PATH = re.compile(r"^\d\d_\w+/\w+\.py$")
"""``01_udp/udp_server.py``: the only files a ``%%netlings`` cell may be saved as."""
CODE_DIR = "exercises"
"""The saved code sits in ``<work>/exercises/<unit>/<module>.py``: messages then name
``exercises/01_udp/udp_server.py``, exactly as under ``netlings grade``."""
PASSABLE, PRIVATE = 0o711, 0o700
"""Folders on the way to the run's scratch dir must be passable for the sandbox's dropped
user (``netlings grade`` does the same); the test files (hidden tests!) stay private."""
MIN_RUN_SECONDS = 5.0
MESSAGE_LINES = 40
"""Lines of one failure message shown in a cell (nbgrader keeps at most 1000 lines of output)."""
SECTION_LINES = 30


@dataclass
class CellReport:
    """The outcome of one test cell: points earned (None: nothing ran, e.g. hidden tests
    removed from the student's copy) and the text the cell prints."""

    earned: float | None
    possible: float
    text: str
    result: SubmissionResult | None = None


def has_code(source: str) -> bool:
    """True if ``source`` has a line that is neither blank nor a comment."""
    return any(line.strip() and not line.lstrip().startswith("#") for line in source.splitlines())


def check_module_path(path: str) -> str:
    """``path`` if it names a module of an exercise unit (``01_udp/udp_server.py``), else ValueError."""
    path = path.strip()
    if not MODULE_PATH.match(path) or ".." in PurePosixPath(path).parts:
        raise ValueError(msg("nbgrader.bad_module_path", line=path))
    return path


def save_module(root: Path, path: str, source: str) -> Path:
    """Write a ``%%netlings`` cell's code as ``root/<unit>/<module>.py`` (the tests' ``--netlings-root``)."""
    target = root / check_module_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(source if source.endswith("\n") else source + "\n")
    return target


def sandbox_for_autograde(environ: Mapping[str, str] | None = None) -> tuple[Any, dict[str, str]]:
    """The sandbox ``netlings grade`` uses, but only while nbgrader autogrades.

    nbgrader sets ``NBGRADER_EXECUTION=autograde`` then. A student's own run (or
    ``nbgrader validate``) gets no limits, like a student's ``pytest exercises/``.
    Notices about missing isolation are dropped: printing them would put them in every
    student's feedback, and writing them to stderr would cost the cell its points.
    """
    if (os.environ if environ is None else environ).get("NBGRADER_EXECUTION") != "autograde":
        return None, {}
    try:
        from ..sandbox import SandboxConfig
        from ..sandbox import wrap as sandbox_wrap
    except ImportError:
        return None, {}

    def wrap(cmd: list[str]) -> list[str]:
        return sandbox_wrap(cmd, notify=lambda _text: None)

    return wrap, SandboxConfig().to_env()


def run_test_cell(source: str, *, test_path: str, exercise: str, points: float, work: Path,
                  timeout: float, sandbox: bool | None = None, lang: str | None = None) -> CellReport:
    """Run the tests in ``source`` (the text of ``test_path``) for ``exercise``; never raises.

    Args:
        source: the test file's text, as the cell holds it.
        test_path: where the file lives in the course (``exercises/01_udp/test_udp_server.py``);
            its folder name is the unit, as pytest and the collect plugin expect.
        exercise: ``01_udp/udp_server``: only this exercise's tests count here.
        points: the cell's points (its share of the exercise's course weight, set at export); the
            tests' own points are scaled to it, so the score never exceeds it.
        work: the kernel's working folder: saved code under ``exercises/``, runs under ``runs/``.
        timeout: seconds for the whole cell, collection included; below nbgrader's
            ``ExecutePreprocessor.timeout`` so the cell always finishes on its own.
        sandbox: apply ``netlings grade``'s sandbox; None: only while nbgrader autogrades.
        lang: language of the printed text (default: ``NETLINGS_LANG``/locale).
    """
    kind_key = "nbgrader.kind_visible" if test_path.startswith(f"{CODE_DIR}/") else "nbgrader.kind_hidden"
    module = f"{exercise}.py"
    if not has_code(source):
        return CellReport(None, points, msg("nbgrader.hidden_not_here", lang, points=fmt_points(points)))
    code = work / CODE_DIR
    if not (code / module).is_file() and not any((code / exercise.split("/")[0]).glob("*.py")):
        # Nothing of this unit saved: the student has not run its %%netlings cell (an
        # exercise id that is not a module name still runs when its unit has code).
        return CellReport(0.0, points, msg("nbgrader.module_missing", lang, path=module))
    try:
        return _run(source, test_path=test_path, exercise=exercise, points=points, work=work,
                    timeout=timeout, sandbox=sandbox, lang=lang, kind=msg(kind_key, lang))
    except Exception as exc:  # noqa: BLE001 - a cell must report, never raise (that would be 0 and a traceback)
        error = f"{type(exc).__name__}: {exc}"
        return CellReport(0.0, points, msg("nbgrader.internal_error", lang, error=error))


def _run(source: str, *, test_path: str, exercise: str, points: float, work: Path, timeout: float,
         sandbox: bool | None, lang: str | None, kind: str) -> CellReport:
    from ..grade.runner import DEFAULT_TEST_TIMEOUT, SuiteError, collect_suite, grade_prepared

    started = time.monotonic()
    name = PurePosixPath(test_path)
    run_dir = work / "runs" / re.sub(r"[^\w.-]+", "_", f"{name.parent.name}_{name.stem}")
    remove_tree(run_dir)
    for folder in (work, work / "runs", run_dir):  # the sandbox's dropped user passes, never lists
        _folder(folder, PASSABLE)
    test_file = _folder(run_dir / "tests", PRIVATE) / name.parent.name / name.name
    test_file.parent.mkdir()
    with open(test_file, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(source if source.endswith("\n") else source + "\n")
    try:
        suite = collect_suite([test_file], _folder(run_dir / "collect", PRIVATE))
    except SuiteError as exc:
        return CellReport(0.0, points, msg("nbgrader.suite_error", lang, error=_clip_lines(str(exc), lang)))
    if sandbox is None:
        wrap, env = sandbox_for_autograde()
    elif sandbox:
        wrap, env = sandbox_for_autograde({"NBGRADER_EXECUTION": "autograde"})
    else:
        wrap, env = None, {}
    remaining = max(MIN_RUN_SECONDS, timeout - (time.monotonic() - started))
    result = grade_prepared(student="notebook", root=work / CODE_DIR, problems=[], content_hash="",
                            suite=suite, scratch=run_dir / "run", timeout=remaining,
                            test_timeout=min(DEFAULT_TEST_TIMEOUT, remaining), wrap=wrap, extra_env=env,
                            lang=lang)
    result.tests = [t for t in result.tests if t.exercise == exercise]
    result.weights = {exercise: float(points)}  # the cell's tests, scaled to the cell's points
    earned = min(result.grade, float(points))
    remove_tree(run_dir / "run")
    return CellReport(earned, points, render(result, kind=kind, path=f"{exercise}.py", notes=result.notes,
                                             lang=lang), result)


def _folder(path: Path, mode: int) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(path, mode)
    return path


def _clip_lines(text: str, lang: str | None, limit: int = MESSAGE_LINES) -> str:
    lines = text.rstrip("\n").splitlines()
    if len(lines) <= limit:
        return "\n".join(lines)
    return "\n".join(lines[:limit] + [msg("nbgrader.output_cut", lang, count=len(lines) - limit)])


def _indent(text: str, prefix: str = "      ") -> str:
    return "\n".join(prefix + line if line else "" for line in text.splitlines())


def render(result: SubmissionResult, *, kind: str, path: str, notes: list[str] | None = None,
           lang: str | None = None) -> str:
    """The cell's printed report: a heading with the score, then ✓/✗ per test as in feedback.md.

    Every number is on the scale of ``result.weights`` (the cell's points, see :func:`_run`),
    as in feedback.md: the heading is the cell's grade of its points, each test its share.
    Tests marked ``visibility("hidden")`` are only counted; ``after_due_date`` ones say so
    instead of their message, exactly as :mod:`grader.report.feedback` decides.
    """
    tests = [t for t in result.tests if t.status.value != "skipped"]
    out = [msg("nbgrader.cell_heading", lang, kind=kind, path=path, earned=fmt_grade(result.grade),
               possible=fmt_grade(result.grade_max), passed=sum(t.passed for t in tests), total=len(tests))]
    out += [f"  ! {note}" for note in notes or []]
    for block in feedback_items(result, lang):
        for line in block.lines:
            note = f"  ({line.note})" if line.note else ""
            out.append(f"  {line.mark} {line.description}  [{line.points}]{note}")
            if line.message:
                out.append(_indent(_clip_lines(line.message, lang)))
            for section in line.sections:
                out.append(f"      --- {section.title} ---")
                out.append(_indent(_clip_lines(section.text, lang, SECTION_LINES)))
            for title in line.repeated:
                out.append(f"      --- {msg('feedback_view.same_transcript', lang, title=title)} ---")
        if block.hidden_total:
            out.append("  " + msg("nbgrader.hidden_summary", lang, passed=block.hidden_passed,
                                  total=block.hidden_total, earned=fmt_grade(block.hidden_earned),
                                  possible=fmt_grade(block.hidden_possible)))
    return "\n".join(out)
