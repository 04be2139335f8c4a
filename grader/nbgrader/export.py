"""Write an nbgrader course from the curriculum: ``netlings nbgrader export COURSE_DIR``.

Why generated, never edited: the notebooks hold nothing of their own. Their code comes
from ``solutions/`` (nbgrader's ``### BEGIN SOLUTION`` markers are the curriculum's own,
so the text is the same, and nbgrader's release version matches the ``exercises/``
stub), their tests are the test files ``netlings grade`` runs, and every test cell's
points are its share of its exercise's weight in the course (the manifest's ``points``,
100 in all), split between an exercise's cells in proportion to their tests' own
``points`` markers. Re-export after changing any of them.

What is written::

    COURSE_DIR/nbgrader_config.py        course id, timeouts, code stub, exchange, feedback
    COURSE_DIR/exchange/                 the default exchange (``--exchange`` to share one)
    COURSE_DIR/source/<unit>/<unit>.ipynb  one assignment per unit, one notebook each

Each notebook: the unit's README as markdown, a locked setup cell
(``%load_ext grader.nbgrader``), then per exercise a markdown cell (title, what to
write, hints), the solution cell (``%%netlings <unit>/<module>.py``), and one autograder
cell per test file (``%%netlings_tests``): the visible tests in the open, the hidden
ones between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``.

One scale (:mod:`grader.report.scale`): ``netlings grade`` scales an exercise's test points
to the exercise's manifest weight, so nbgrader must too, or its gradebook would total the
raw test points (293) while every other view totals 100. A test cell's points are
``weight × its tests' points ÷ the exercise's test points``, rounded to 2 decimals, the
last cell of an exercise taking what rounding left so each exercise's cells add up to its
weight exactly (and a whole course to 100); the cell earns its points times the share of
its tests' points that passed (nbgrader's partial credit, see :mod:`grader.nbgrader.cells`),
so a notebook scores what ``netlings grade`` gives the same code. An exercise the manifest
gives no weight keeps its raw points, as in ``netlings grade``.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..curriculum.build import BEGIN, END, STEP, TODO, build_stub
from ..curriculum.manifest import REPO_ROOT, Exercise, Manifest, Unit, load_manifest
from ..messages import current_language, msg
from ..report.model import GRADE_DECIMALS, fmt_grade, fmt_points
from ..report.scale import exercise_key
from .cells import CODE_DIR, check_module_path
from .kernel import DEFAULT_CELL_TIMEOUT

INSTRUCTOR_ONLY = True  # reads solutions/ and the hidden suites: never in the student edition

CONFIG_NAME = "nbgrader_config.py"
LOCAL_CONFIG_NAME = "nbgrader_config_local.py"
TIMEOUT_MARGIN = 60.0
"""nbgrader's ``ExecutePreprocessor.timeout`` is the cell deadline plus this: a test cell
always ends on its own (with a message) before nbgrader would interrupt the kernel."""
CODE_STUB = 'raise NotImplementedError("not implemented yet")'
"""What nbgrader puts in place of each solution block: the start of the stubs' own message."""
NBGRADER_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
                    "BEGIN MARK SCHEME", "END MARK SCHEME", "AUTOTEST")
"""nbgrader acts on any line containing these; a test file must not, or nbgrader would cut it."""
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
_RUN_THE_TESTS = re.compile(r"^## (?:Run the tests|运行测试)\s*$.*?(?=^## |\Z)", re.M | re.S)
"""The README section on running pytest: a notebook runs its tests in its own cells."""


class ExportError(ValueError):
    """The course cannot be exported as asked (the message says what to fix)."""


@dataclass(frozen=True)
class TestGroup:
    """The tests of one file for one exercise: one autograder cell."""

    __test__ = False  # not a pytest test class, despite the name

    path: str
    """Where the file is in the project, with ``/``: ``exercises/01_udp/test_udp_server.py``."""
    file: Path
    exercise: str
    """``01_udp/udp_server``, as the collect plugin names exercises."""
    points: float
    """The cell's points: on the course's scale once :func:`scale_groups` ran, else the raw sum."""
    tests: int
    hidden: bool
    raw_points: float = 0.0
    """The sum of the tests' own ``points`` markers (what :attr:`points` was before scaling)."""

    @property
    def grade_id(self) -> str:
        """``udp_server_visible_tests``: what nbgrader's gradebook and formgrader show."""
        base = Path(self.path).stem.removeprefix("test_").removesuffix("_hidden")
        kind = "hidden" if self.hidden else "visible"
        return re.sub(r"[^A-Za-z0-9_-]", "_", f"{base}_{kind}_tests")


@dataclass
class ExportResult:
    """What :func:`export_course` wrote, and the points of every exercise."""

    course_dir: Path
    config: Path
    notebooks: list[Path] = field(default_factory=list)
    groups: list[TestGroup] = field(default_factory=list)

    def exercise_points(self) -> dict[str, float]:
        """``{exercise: points}`` on the course's scale: each exercise's manifest weight."""
        points: dict[str, float] = {}
        for group in self.groups:
            points[group.exercise] = points.get(group.exercise, 0.0) + group.points
        return {exercise: round(total, GRADE_DECIMALS) for exercise, total in points.items()}


# -- tests ----------------------------------------------------------------------------------


def default_suite_paths(project: Path = REPO_ROOT) -> list[Path]:
    """The suite ``netlings grade`` runs by default: grader/hidden/ + exercises/*/test_*.py."""
    from ..cli.grade import default_suite

    return default_suite(project)


def _course_path(file: Path, project: Path, exercises_dir: Path) -> str:
    for base, prefix in ((exercises_dir, f"{CODE_DIR}/"), (project, "")):
        try:
            return prefix + file.relative_to(base).as_posix()
        except ValueError:
            continue
    return f"{file.parent.name}/{file.name}"


def group_tests(suite: Sequence[Path], *, exercises_dir: Path, project: Path = REPO_ROOT,
                scratch: Path | None = None) -> list[TestGroup]:
    """Collect ``suite`` once (as ``netlings grade`` does) and group its tests by file and exercise.

    Tests skipped by a marker here are left out, as they count neither way when grading.
    """
    from ..grade.runner import SuiteError, collect_suite

    exercises_dir = exercises_dir.resolve()
    with tempfile.TemporaryDirectory(prefix="netlings-export-") as tmp:
        try:
            collected = collect_suite(list(suite), Path(scratch or tmp) / "collect")
        except SuiteError as exc:
            raise ExportError(str(exc)) from exc
    totals: dict[tuple[Path, str], list[float]] = {}
    for test in collected.tests:
        if test.get("skip"):
            continue
        file = (collected.rootdir / test["nodeid"].split("::", 1)[0]).resolve()
        totals.setdefault((file, str(test["exercise"])), []).append(float(test["points"]))
    groups = []
    for (file, exercise), points in totals.items():
        path = _course_path(file, project.resolve(), exercises_dir)
        raw = round(sum(points), 6)
        groups.append(TestGroup(path=path, file=file, exercise=exercise, points=raw, raw_points=raw,
                                tests=len(points), hidden=not path.startswith(f"{CODE_DIR}/")))
    return sorted(groups, key=lambda g: (g.exercise, g.hidden, g.path))


def manifest_weights(manifest: Manifest) -> dict[str, float]:
    """``{exercise: weight}``: each exercise's ``points`` in ``manifest``.

    The same weights :func:`~grader.report.scale.course_weights` gives ``netlings grade``,
    but from the manifest being exported (``export_course(manifest=...)``).
    """
    return {exercise_key(e.path): float(e.points) for e in manifest.exercises}


def scale_groups(groups: Sequence[TestGroup], weights: dict[str, float]) -> list[TestGroup]:
    """``groups`` with their points on the course's scale: each exercise's cells add up to its weight.

    A cell's points are ``weight × raw ÷ exercise raw`` rounded to :data:`GRADE_DECIMALS`; the
    exercise's last cell takes the rest, so rounding never moves an exercise off its weight.
    Exercises without a weight, or whose tests are worth nothing, keep their raw points.
    """
    raw: dict[str, float] = {}
    for group in groups:
        raw[group.exercise] = raw.get(group.exercise, 0.0) + group.raw_points
    last = {group.exercise: index for index, group in enumerate(groups)}
    given: dict[str, float] = {}
    scaled = []
    for index, group in enumerate(groups):
        weight, total = weights.get(group.exercise), raw[group.exercise]
        if weight is None or total <= 0:
            scaled.append(group)
            continue
        if last[group.exercise] == index:
            points = round(weight - given.get(group.exercise, 0.0), GRADE_DECIMALS)
        else:
            points = round(weight * group.raw_points / total, GRADE_DECIMALS)
        given[group.exercise] = given.get(group.exercise, 0.0) + points
        scaled.append(replace(group, points=points))
    return scaled


def check_markers(text: str, where: str) -> None:
    """ExportError if ``text`` has a line nbgrader would act on (it would cut or rewrite it)."""
    for number, line in enumerate(text.splitlines(), 1):
        for marker in NBGRADER_MARKERS:
            if marker in line:
                raise ExportError(f"{where}:{number}: contains {marker!r}, which nbgrader would act on; "
                                  "reword that line")


# -- cells ----------------------------------------------------------------------------------


def notebook_code(solution: str) -> str:
    """The solution cell's code: the solution's text, with each block's steps above it as TODOs.

    nbgrader replaces each ``### BEGIN SOLUTION`` … ``### END SOLUTION`` block by
    :data:`CODE_STUB`, so a student's copy then reads like the ``exercises/`` stub (the
    TODO lines, then ``raise NotImplementedError("not implemented yet…")``).

    Raises:
        StubError: the markers are broken (the same check as ``netlings build``).
    """
    build_stub(solution)
    lines = solution.splitlines(keepends=True)
    out: list[str] = []
    for index, line in enumerate(lines):
        if line.strip() == BEGIN:
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            for later in lines[index + 1:]:
                if later.strip() == END:
                    break
                if later.strip().startswith(STEP):
                    out.append(f"{indent}{TODO}{later.strip()[len(STEP):]}\n")
        out.append(line)
    return "".join(out)


def _source(text: str) -> list[str]:
    return text.rstrip("\n").splitlines(keepends=True)


def _meta(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False,
          points: float | None = None) -> dict[str, object]:
    meta: dict[str, object] = {"grade": grade, "grade_id": grade_id, "locked": locked,
                               "schema_version": 3, "solution": solution, "task": False}
    if points is not None:
        meta["points"] = int(points) if float(points).is_integer() else points
    return meta


def markdown_cell(cell_id: str, text: str, *, grade_id: str | None = None) -> dict[str, object]:
    metadata: dict[str, object] = {}
    if grade_id:
        metadata = {"deletable": False, "editable": False, "nbgrader": _meta(grade_id, locked=True)}
    return {"cell_type": "markdown", "id": cell_id, "metadata": metadata, "source": _source(text)}


def code_cell(cell_id: str, text: str, metadata: dict[str, object]) -> dict[str, object]:
    return {"cell_type": "code", "execution_count": None, "id": cell_id, "metadata": metadata,
            "outputs": [], "source": _source(text)}


def unit_markdown(readme: str, lang: str) -> str:
    """The unit's README without its "Run the tests" section, plus how the notebook works."""
    text = _RUN_THE_TESTS.sub("", readme).rstrip()
    return f"{text}\n\n{msg('nbgrader.how_graded', lang)}"


def exercise_markdown(exercise: Exercise, points: float, lang: str) -> str:
    title = exercise.title_zh if lang == "zh" else exercise.title
    hints = exercise.hints_zh if lang == "zh" else exercise.hints
    functions = ", ".join(f"`{name}()`" for name in exercise.functions)
    out = [f"## {title} (`{exercise.path}`)", "",
           msg("nbgrader.exercise_intro", lang, functions=functions, points=fmt_grade(points))]
    for number, hint in enumerate(hints, 1):
        out += ["", f"<details><summary>{msg('nbgrader.hint_label', lang, number=number)}</summary>", "",
                hint, "", "</details>"]
    return "\n".join(out)


def tests_line(group: TestGroup, cell_timeout: float) -> str:
    return (f"%%netlings_tests {group.path} --exercise {group.exercise} "
            f"--points {fmt_points(group.points)} --timeout {fmt_points(cell_timeout)}")


def tests_cell(cell_id: str, group: TestGroup, cell_timeout: float, lang: str) -> dict[str, object]:
    source = group.file.read_text(encoding="utf-8")
    check_markers(source, group.path)
    if group.hidden:
        body = (f"{msg('nbgrader.hidden_comment', lang, points=fmt_grade(group.points))}\n"
                f"### BEGIN HIDDEN TESTS\n{source.rstrip()}\n### END HIDDEN TESTS")
    else:
        body = source
    metadata = {"deletable": False, "editable": False,
                "jupyter": {"source_hidden": True},
                "netlings": {"exercise": group.exercise, "tests": group.path, "hidden": group.hidden},
                "nbgrader": _meta(group.grade_id, grade=True, locked=True, points=group.points)}
    return code_cell(cell_id, f"{tests_line(group, cell_timeout)}\n{body}", metadata)


def _unique_grade_ids(cells: list[dict[str, object]]) -> None:
    """nbgrader refuses a notebook with two cells of the same grade_id: number the repeats."""
    seen: set[str] = set()
    for cell in cells:
        meta = cell["metadata"].get("nbgrader") if isinstance(cell["metadata"], dict) else None
        if not isinstance(meta, dict):
            continue
        base, number = str(meta["grade_id"]), 1
        while meta["grade_id"] in seen:
            number += 1
            meta["grade_id"] = f"{base}_{number}"
        seen.add(str(meta["grade_id"]))


def unit_notebook(unit: Unit, groups: Sequence[TestGroup], *, solutions_dir: Path, exercises_dir: Path,
                  cell_timeout: float, lang: str) -> dict[str, object]:
    """One unit as an nbgrader source notebook (a plain nbformat 4.5 document)."""
    cells: list[dict[str, object]] = []

    def next_id() -> str:
        return f"{unit.id}-{len(cells):03d}".replace("_", "-")

    readme = exercises_dir / unit.id / ("README.zh.md" if lang == "zh" else "README.md")
    if not readme.is_file():
        readme = exercises_dir / unit.id / "README.md"
    intro = readme.read_text(encoding="utf-8") if readme.is_file() else f"# {unit.title}"
    intro = unit_markdown(intro, lang)
    check_markers(intro, str(readme))
    cells.append(markdown_cell(next_id(), intro, grade_id=f"{unit.id}_intro"))
    setup = f"%load_ext grader.nbgrader\n{msg('nbgrader.setup_comment', lang)}"
    cells.append(code_cell(next_id(), setup, {"deletable": False, "editable": False,
                                              "nbgrader": _meta("netlings_setup", locked=True)}))
    for exercise in unit.exercises:
        key = exercise.path.removesuffix(".py")
        mine = [g for g in groups if g.exercise == key]
        points = round(sum(g.points for g in mine), GRADE_DECIMALS)
        check_module_path(exercise.path)
        cells.append(markdown_cell(next_id(), exercise_markdown(exercise, points, lang),
                                   grade_id=f"{exercise.module}_intro"))
        solution_file = solutions_dir / exercise.path
        if not solution_file.is_file():
            raise ExportError(f"no solution for {exercise.path}: {solution_file} is missing")
        solution = solution_file.read_text(encoding="utf-8")
        for marker in NBGRADER_MARKERS[2:]:
            if marker in solution:
                raise ExportError(f"{solution_file}: contains {marker!r}, which nbgrader would act on")
        code = f"%%netlings {exercise.path}\n{notebook_code(solution)}"
        cells.append(code_cell(next_id(), code, {
            "netlings": {"module": exercise.path},
            "nbgrader": _meta(f"{exercise.module}_code", solution=True)}))
        for group in mine:
            cells.append(tests_cell(next_id(), group, cell_timeout, lang))
    _unique_grade_ids(cells)
    return {"cells": cells, "metadata": {
        "kernelspec": dict(KERNELSPEC),
        "language_info": {"name": "python", "file_extension": ".py", "mimetype": "text/x-python"},
        "netlings": {"unit": unit.id}}, "nbformat": 4, "nbformat_minor": 5}


# -- the course -------------------------------------------------------------------------------


def config_text(*, course_id: str, cell_timeout: float, exchange: Path | None) -> str:
    """``nbgrader_config.py``: everything the notebooks need from nbgrader, explained."""
    timeout = int(cell_timeout + TIMEOUT_MARGIN)
    exchange_line = (f"c.Exchange.root = {str(exchange)!r}" if exchange is not None
                     else 'c.Exchange.root = os.path.join(HERE, "exchange")')
    return f'''"""nbgrader configuration of a netlings course, written by `netlings nbgrader export`.

Re-exporting rewrites this file: put your own settings in {LOCAL_CONFIG_NAME} next to it
(loaded last, so it wins).
"""

import os

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file
HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = HERE
{exchange_line}

# Each test cell stops its own run after {fmt_points(cell_timeout)} s (its --timeout), so nbgrader's
# per-cell limit is longer: a cell always finishes with a message, never a kernel interrupt.
c.ExecutePreprocessor.timeout = {timeout}
c.Execute.timeout = {timeout}

# A solution block becomes what the exercises/ stubs raise (the TODO lines above it stay).
c.ClearSolutions.code_stub = {{"python": {CODE_STUB!r}}}

# Feedback shows the test cells' reports, not the source of the hidden tests.
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]

load_subconfig({LOCAL_CONFIG_NAME!r})  # noqa: F821
'''


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    tmp.replace(path)


def notebook_path(course_dir: Path, unit_id: str) -> Path:
    return course_dir / "source" / unit_id / f"{unit_id}.ipynb"


def export_course(course_dir: Path, *, units: Sequence[str] | None = None,
                  manifest: Manifest | None = None, solutions_dir: Path = REPO_ROOT / "solutions",
                  exercises_dir: Path = REPO_ROOT / "exercises", suite: Sequence[Path] | None = None,
                  course_id: str = "netlings",
                  cell_timeout: float = DEFAULT_CELL_TIMEOUT, exchange: Path | None = None,
                  lang: str | None = None) -> ExportResult:
    """Write the nbgrader course into ``course_dir`` (created if needed); return what was written.

    Args:
        units: unit ids to export (default: all of the manifest's).
        suite: the test files/folders (default: what ``netlings grade`` runs).
        cell_timeout: seconds one test cell may take; nbgrader's timeout is this plus a margin.
        exchange: nbgrader's exchange folder (default: ``course_dir/exchange``, created).
        lang: ``en`` or ``zh`` for the notebooks' own sentences, titles and hints.

    Raises:
        ExportError: an unknown unit, a missing solution, a test file nbgrader would cut,
            or a suite that does not collect.
    """
    course_dir = Path(course_dir).resolve()
    manifest = manifest or load_manifest(Path(exercises_dir) / "netlings.toml")
    lang = lang or current_language()
    if cell_timeout <= 0:
        raise ExportError("the cell timeout must be positive")
    try:
        chosen = [manifest.unit(u) for u in units] if units else list(manifest.units)
    except KeyError as exc:
        raise ExportError(str(exc.args[0])) from None
    groups = group_tests(suite if suite is not None else default_suite_paths(),
                         exercises_dir=Path(exercises_dir))
    wanted = {e.path.removesuffix(".py") for u in chosen for e in u.exercises}
    groups = scale_groups([g for g in groups if g.exercise in wanted], manifest_weights(manifest))
    result = ExportResult(course_dir, course_dir / CONFIG_NAME, groups=groups)
    notebooks = {}
    for unit in chosen:
        notebooks[unit.id] = unit_notebook(unit, groups, solutions_dir=Path(solutions_dir),
                                           exercises_dir=Path(exercises_dir), cell_timeout=cell_timeout,
                                           lang=lang)
    _write(result.config, config_text(course_id=course_id, cell_timeout=cell_timeout, exchange=exchange))
    if exchange is None:
        (course_dir / "exchange").mkdir(parents=True, exist_ok=True)
    for unit_id, notebook in notebooks.items():
        target = notebook_path(course_dir, unit_id)
        _write(target, json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")
        result.notebooks.append(target)
    return result
