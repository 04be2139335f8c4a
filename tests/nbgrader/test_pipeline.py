"""The real nbgrader pipeline on an exported course gives the grade ``netlings grade`` gives.

generate_assignment, then autograde of three submissions (the release notebooks untouched,
the reference notebooks, one unit solved), then generate_feedback; the scores are read
from nbgrader's gradebook and compared, exercise by exercise, with ``netlings grade`` run
on the code extracted from the same notebooks, both on the course's scale (each exercise
worth its manifest weight). Two units keep it within a few minutes
(the export itself is tested for every unit in test_export.py).

nbgrader is an optional extra: without it this file is skipped (CI installs it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("nbgrader", reason="nbgrader is an optional extra (pip install -e '.[nbgrader]'); "
                                       "CI installs it and runs this pipeline")

from nbgrader.api import Gradebook  # noqa: E402

from grader.curriculum import REPO_ROOT, load_manifest  # noqa: E402
from grader.grade import grade_batch  # noqa: E402
from grader.nbgrader.export import CODE_STUB, ExportResult, export_course  # noqa: E402
from grader.nbgrader.extract import extract_submitted  # noqa: E402

pytestmark = pytest.mark.timeout(600)

UNITS = ("00_basics", "01_udp")
SOLVED = "01_udp"
STUDENTS = {"blank": (), "reference": UNITS, "one_unit": (SOLVED,)}
COURSE_ID = "netlings"


def nbgrader(course: Path, *args: str, env: dict[str, str]) -> None:
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env, capture_output=True,
                          text=True, timeout=400)
    output = f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    assert proc.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{output}"


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ExportResult]:
    course_dir = tmp_path_factory.mktemp("course")
    jupyter = tmp_path_factory.mktemp("jupyter")
    env = {**os.environ, "NETLINGS_LANG": "en", "JUPYTER_CONFIG_DIR": str(jupyter / "config"),
           "JUPYTER_RUNTIME_DIR": str(jupyter / "runtime")}  # no personal nbgrader config applies
    result = export_course(course_dir, units=UNITS, course_id=COURSE_ID, lang="en")
    for unit in UNITS:
        nbgrader(course_dir, "generate_assignment", unit, env=env)
    for student, solved in STUDENTS.items():
        for unit in UNITS:
            notebook = course_dir / ("source" if unit in solved else "release") / unit / f"{unit}.ipynb"
            folder = course_dir / "submitted" / student / unit
            folder.mkdir(parents=True)
            shutil.copy(notebook, folder / notebook.name)
    for unit in UNITS:
        nbgrader(course_dir, "autograde", unit, env=env)
    for unit in UNITS:
        nbgrader(course_dir, "generate_feedback", unit, env=env)
    return course_dir, result


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def text(cell: dict[str, Any]) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def gradebook_scores(course_dir: Path) -> dict[str, dict[str, tuple[float, float]]]:
    """``{student: {exercise: (score, max_score)}}`` from nbgrader's gradebook."""
    exercise_of = {}
    for unit in UNITS:
        for cell in load(course_dir / "source" / unit / f"{unit}.ipynb")["cells"]:
            meta = cell["metadata"]
            if meta.get("nbgrader", {}).get("grade"):
                exercise_of[(unit, meta["nbgrader"]["grade_id"])] = meta["netlings"]["exercise"]
    scores: dict[str, dict[str, tuple[float, float]]] = {}
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}", course_id=COURSE_ID) as gradebook:
        for student in STUDENTS:
            mine = scores.setdefault(student, {})
            for unit in UNITS:
                notebook = gradebook.find_submission_notebook(unit, unit, student)
                for grade in notebook.grades:
                    exercise = exercise_of[(unit, grade.name)]
                    earned, possible = mine.get(exercise, (0.0, 0.0))
                    mine[exercise] = (round(earned + grade.score, 6), round(possible + grade.max_score, 6))
    return scores


def test_scores_in_the_gradebook_match_netlings_grade_on_the_same_code(
        course: tuple[Path, ExportResult], tmp_path: Path) -> None:
    course_dir, result = course
    nb_scores = gradebook_scores(course_dir)
    full = result.exercise_points()
    exercises = sorted(full)
    manifest = load_manifest()
    assert exercises == sorted(e.path.removesuffix(".py") for u in UNITS for e in manifest.unit(u).exercises)
    expected = {student: {e: (full[e] if e.split("/")[0] in solved else 0.0, full[e]) for e in exercises}
                for student, solved in STUDENTS.items()}
    assert nb_scores == expected, "nbgrader: untouched → 0, reference → full marks, one unit → its points"

    extracted = extract_submitted(course_dir / "submitted", tmp_path / "code")
    assert sorted(extracted) == sorted(STUDENTS)
    suite = [REPO_ROOT / "grader" / "hidden" / unit for unit in UNITS]
    suite += [p for unit in UNITS for p in sorted((REPO_ROOT / "exercises" / unit).glob("test_*.py"))]
    batch = grade_batch([tmp_path / "code" / s for s in STUDENTS], tmp_path / "grades", suite=suite, jobs=2,
                        progress=False)
    netlings = {s.student: s.exercise_grades() for s in batch.submissions}
    assert netlings == nb_scores, "the same code must earn the same grade under netlings grade and nbgrader"
    assert all(s.weights for s in batch.submissions), "netlings grade scaled to the manifest's weights"


def test_test_cells_never_fail_by_stderr_or_error_and_feedback_hides_hidden_tests(
        course: tuple[Path, ExportResult]) -> None:
    course_dir, _ = course
    for student in STUDENTS:
        for unit in UNITS:
            graded = load(course_dir / "autograded" / student / unit / f"{unit}.ipynb")
            for cell in graded["cells"]:
                if not cell["metadata"].get("nbgrader", {}).get("grade"):
                    continue
                kinds = [(o["output_type"], o.get("name")) for o in cell["outputs"]]
                assert ("stream", "stderr") not in kinds and all(k != "error" for k, _ in kinds), \
                    f"{student}/{unit}/{cell['metadata']['nbgrader']['grade_id']}: {cell['outputs']}"
                assert ("execute_result", None) in kinds, "every test cell ends with its points"
    hidden = (REPO_ROOT / "grader/hidden/00_basics/test_wire_hidden.py").read_text(encoding="utf-8")
    test_names = re.findall(r"^def (test_\w+)", hidden, flags=re.M)
    feedback = (course_dir / "feedback/reference/00_basics/00_basics.html").read_text(encoding="utf-8")
    assert "Hidden tests for 00_basics/wire.py: " in feedback, "the hidden cell's report is in the feedback"
    leaked = [name for name in test_names if name in feedback]
    assert test_names and not leaked, f"the feedback shows the hidden tests' source: {leaked}"
    for student in STUDENTS:
        for unit in UNITS:
            assert (course_dir / "feedback" / student / unit / f"{unit}.html").is_file()


def test_the_release_holds_the_stubs_and_no_hidden_test(course: tuple[Path, ExportResult]) -> None:
    course_dir, _ = course
    for unit in UNITS:
        cells = load(course_dir / "release" / unit / f"{unit}.ipynb")["cells"]
        release = "\n".join(text(c) for c in cells)
        for path in (REPO_ROOT / "grader" / "hidden" / unit).glob("test_*.py"):
            names = re.findall(r"^def (test_\w+)", path.read_text(encoding="utf-8"), flags=re.M)
            assert names and not [n for n in names if n in release], f"{path.name} leaked into the release"
        for exercise in load_manifest().unit(unit).exercises:
            [cell] = [c for c in cells if text(c).startswith(f"%%netlings {exercise.path}\n")]
            stub = (REPO_ROOT / "exercises" / exercise.path).read_text(encoding="utf-8").split("\n", 1)[1]
            stub = re.sub(r'raise NotImplementedError\("not implemented yet: [^"]*"\)', CODE_STUB, stub)
            assert text(cell).split("\n", 1)[1].rstrip("\n") == stub.rstrip("\n"), \
                f"{exercise.path}: the student's notebook must read like the exercises/ stub"
