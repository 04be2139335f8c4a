"""``netlings nbgrader export``: notebooks generated from solutions/ and the grading suite, no Jupyter needed.

What must hold: every unit becomes one notebook; each exercise's code cell is its
solution's text (so nbgrader's student copy is the exercises/ stub); each test cell
holds one test file, hidden ones inside nbgrader's hidden-test markers; the cells'
points are what ``netlings grade`` counts per exercise; the config keeps nbgrader's
timeout above every cell's own.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from grader.cli import main
from grader.curriculum import REPO_ROOT, load_manifest
from grader.curriculum.build import BEGIN, END
from grader.grade.runner import collect_suite
from grader.nbgrader.export import (
    CODE_STUB,
    TIMEOUT_MARGIN,
    ExportError,
    check_markers,
    export_course,
    notebook_code,
)
from grader.nbgrader.extract import extract_notebooks, notebook_modules

MANIFEST = load_manifest()


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, float]]:
    course_dir = tmp_path_factory.mktemp("course")
    result = export_course(course_dir, lang="en", cell_timeout=90)
    return course_dir, result.exercise_points()


def cells(course_dir: Path, unit: str) -> list[dict]:
    notebook = json.loads((course_dir / "source" / unit / f"{unit}.ipynb").read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4 and notebook["metadata"]["kernelspec"]["name"] == "python3"
    return notebook["cells"]


def text(cell: dict) -> str:
    return "".join(cell["source"])


def clear_solutions(code: str) -> str:
    """What nbgrader's ClearSolutions does to a cell: each marked block becomes the code stub."""
    out, inside = [], False
    for line in code.split("\n"):
        if BEGIN.removeprefix("### ") in line:
            inside = True
            out.append(line[: len(line) - len(line.lstrip())] + CODE_STUB)
        elif END.removeprefix("### ") in line:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def test_every_unit_is_one_notebook_and_the_points_are_what_netlings_grade_counts(
        course: tuple[Path, dict[str, float]], tmp_path: Path) -> None:
    course_dir, points = course
    notebooks = sorted(p.parent.name for p in (course_dir / "source").glob("*/*.ipynb"))
    assert notebooks == [u.id for u in MANIFEST.units]
    from grader.cli.grade import default_suite

    suite = collect_suite(default_suite(), tmp_path)
    expected: dict[str, float] = {}
    for test in suite.tests:
        if not test["skip"]:
            expected[test["exercise"]] = expected.get(test["exercise"], 0.0) + test["points"]
    assert points == pytest.approx(expected), "export points must be the grading suite's points per exercise"
    for unit in MANIFEST.units:
        graded = [c for c in cells(course_dir, unit.id) if c["metadata"].get("nbgrader", {}).get("grade")]
        for exercise in unit.exercises:
            key = exercise.path.removesuffix(".py")
            mine = [c for c in graded if c["metadata"]["netlings"]["exercise"] == key]
            assert sum(c["metadata"]["nbgrader"]["points"] for c in mine) == pytest.approx(expected[key]), key
            assert {c["metadata"]["netlings"]["hidden"] for c in mine} == {False, True}, \
                f"{key}: one visible and one hidden test cell"


def test_code_cells_are_the_solutions_and_the_student_copy_is_the_stub(
        course: tuple[Path, dict[str, float]]) -> None:
    course_dir, _ = course
    for unit in MANIFEST.units:
        unit_cells = cells(course_dir, unit.id)
        assert text(unit_cells[1]).startswith("%load_ext grader.nbgrader\n")
        assert unit_cells[1]["metadata"]["nbgrader"]["locked"] is True
        for exercise in unit.exercises:
            solution = (REPO_ROOT / "solutions" / exercise.path).read_text(encoding="utf-8")
            [cell] = [c for c in unit_cells if text(c).startswith(f"%%netlings {exercise.path}\n")]
            meta = cell["metadata"]["nbgrader"]
            assert meta["solution"] is True and meta["grade"] is False and meta["locked"] is False
            code = text(cell).split("\n", 1)[1]
            assert code == notebook_code(solution).rstrip("\n")
            solution_lines = [line for line in solution.splitlines() if "# TODO:" not in line]
            assert [line for line in code.splitlines() if "# TODO:" not in line] == solution_lines, \
                "the cell must hold the solution's own text (TODO lines added, nothing else changed)"
            stub = (REPO_ROOT / "exercises" / exercise.path).read_text(encoding="utf-8").split("\n", 1)[1]
            stub = re.sub(r'raise NotImplementedError\("not implemented yet: [^"]*"\)', CODE_STUB, stub)
            assert clear_solutions(code) == stub.rstrip("\n"), \
                f"{exercise.path}: nbgrader's student copy drifted from the exercises/ stub"


def test_test_cells_hold_the_test_files_hidden_ones_between_the_markers(
        course: tuple[Path, dict[str, float]]) -> None:
    course_dir, _ = course
    for unit in MANIFEST.units:
        ids = []
        for cell in cells(course_dir, unit.id):
            meta = cell["metadata"].get("nbgrader", {})
            ids.append(meta.get("grade_id"))
            if not meta.get("grade"):
                continue
            first, body = text(cell).split("\n", 1)
            info = cell["metadata"]["netlings"]
            assert first == (f"%%netlings_tests {info['tests']} --exercise {info['exercise']} "
                             f"--points {meta['points']:g} --timeout 90")
            assert meta["locked"] is True and meta["solution"] is False and cell["cell_type"] == "code"
            source = (REPO_ROOT / info["tests"]).read_text(encoding="utf-8").rstrip()
            if info["hidden"]:
                assert info["tests"].startswith("grader/hidden/")
                comment, begin, rest = body.split("\n", 2)
                assert comment.startswith("# Hidden tests") and begin == "### BEGIN HIDDEN TESTS"
                assert rest == f"{source}\n### END HIDDEN TESTS"
            else:
                assert info["tests"].startswith("exercises/") and body.rstrip() == source
                assert "HIDDEN TESTS" not in body
        ids = [i for i in ids if i]
        assert len(ids) == len(set(ids)), f"{unit.id}: grade ids must be unique"


def test_config_keeps_nbgraders_timeout_above_every_cell(course: tuple[Path, dict[str, float]]) -> None:
    course_dir, _ = course
    config = (course_dir / "nbgrader_config.py").read_text(encoding="utf-8")
    compile(config, "nbgrader_config.py", "exec")
    assert f"c.ExecutePreprocessor.timeout = {int(90 + TIMEOUT_MARGIN)}" in config
    assert "c.CourseDirectory.course_id = 'netlings'" in config
    assert 'c.Exchange.root = os.path.join(HERE, "exchange")' in config and (course_dir / "exchange").is_dir()
    assert "ClearHiddenTests" in config.split("GenerateFeedback.preprocessors", 1)[1].split("\n", 1)[0]
    assert repr(CODE_STUB) in config


def test_extract_gives_back_the_solution_code(course: tuple[Path, dict[str, float]], tmp_path: Path) -> None:
    course_dir, _ = course
    written = extract_notebooks((course_dir / "source").glob("*/*.ipynb"), tmp_path)
    paths = sorted(p.relative_to(tmp_path).as_posix() for p in written)
    assert paths == sorted(e.path for e in MANIFEST.exercises)
    wire = (tmp_path / "00_basics" / "wire.py").read_text(encoding="utf-8")
    assert wire == notebook_code((REPO_ROOT / "solutions/00_basics/wire.py").read_text(encoding="utf-8"))
    lost_magic = {"cells": [{"cell_type": "code", "source": ["x = 1\n"],
                             "metadata": {"netlings": {"module": "00_basics/wire.py"}}},
                            {"cell_type": "code", "source": "%%netlings ../../etc/passwd\nx = 2",
                             "metadata": {}}]}
    assert notebook_modules(lost_magic) == {"00_basics/wire.py": "x = 1\n"}, \
        "a cell that lost its magic line is found by its metadata; a path outside the units is ignored"


def test_a_test_file_nbgrader_would_cut_is_refused(tmp_path: Path) -> None:
    check_markers("assert x == 1\n", "ok.py")
    with pytest.raises(ExportError, match=r"t\.py:2: contains 'BEGIN SOLUTION'"):
        check_markers("x = 1\n# ### BEGIN SOLUTION\n", "t.py")
    with pytest.raises(ExportError, match="no unit '99_nope'"):
        export_course(tmp_path, units=["99_nope"])


def test_cli_exports_one_unit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["nbgrader", "export", str(tmp_path / "c"), "--unit", "00_basics", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"1 notebook\(s\), 1 exercise\(s\), [\d.]+ points", out), out
    notebook = json.loads((tmp_path / "c" / "source" / "00_basics" / "00_basics.ipynb").read_text("utf-8"))
    intro, exercise = text(notebook["cells"][0]), text(notebook["cells"][2])
    assert intro.startswith("# 00 基础") and "运行测试" not in intro and "## 如何使用本笔记本" in intro
    assert exercise.startswith("## 线路上的字节") and "提示 1" in exercise, "--lang zh: Chinese title, hints"
    assert main(["nbgrader", "export", str(tmp_path / "d"), "--unit", "99_nope"]) == 1
