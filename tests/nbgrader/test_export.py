"""``netlings nbgrader export``: notebooks generated from solutions/ and the grading suite, no Jupyter needed.

What must hold: every unit becomes one notebook; each exercise's code cell is its
solution's text (so nbgrader's student copy is the exercises/ stub); each test cell
holds one test file, hidden ones inside nbgrader's hidden-test markers; the cells'
points are on the one scale ``netlings grade`` uses (each exercise worth its manifest
weight, the course 100, split between an exercise's cells by their tests' own points);
the config keeps nbgrader's timeout above every cell's own.
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
    TestGroup,
    check_markers,
    export_course,
    notebook_code,
    scale_groups,
)
from grader.nbgrader.extract import extract_notebooks, notebook_modules
from grader.report.scale import course_weights

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


def test_every_unit_is_one_notebook_and_the_points_are_on_the_course_scale(
        course: tuple[Path, dict[str, float]], tmp_path: Path) -> None:
    """Each exercise's cells add up to its manifest weight (as in netlings grade), the course to 100."""
    course_dir, points = course
    notebooks = sorted(p.parent.name for p in (course_dir / "source").glob("*/*.ipynb"))
    assert notebooks == [u.id for u in MANIFEST.units]
    from grader.cli.grade import default_suite

    suite = collect_suite(default_suite(), tmp_path)
    raw: dict[str, float] = {}
    for test in suite.tests:
        if not test["skip"]:
            raw[test["exercise"]] = raw.get(test["exercise"], 0.0) + test["points"]
    weights = course_weights()
    assert points == weights, "each exercise is worth its manifest weight, as netlings grade scales it"
    assert sum(points.values()) == pytest.approx(100), "the nbgrader course totals 100, as grades.csv does"
    total = 0.0
    for unit in MANIFEST.units:
        graded = [c for c in cells(course_dir, unit.id) if c["metadata"].get("nbgrader", {}).get("grade")]
        for exercise in unit.exercises:
            key = exercise.path.removesuffix(".py")
            mine = [c for c in graded if c["metadata"]["netlings"]["exercise"] == key]
            cell_points = [c["metadata"]["nbgrader"]["points"] for c in mine]
            assert sum(cell_points) == pytest.approx(weights[key], abs=1e-9), (key, cell_points)
            total += sum(cell_points)
            assert {c["metadata"]["netlings"]["hidden"] for c in mine} == {False, True}, \
                f"{key}: one visible and one hidden test cell"
            for cell in mine:  # each cell's share follows its tests' own points
                info = cell["metadata"]["netlings"]
                own = sum(t["points"] for t in suite.tests if not t["skip"] and t["exercise"] == key
                          and t["nodeid"].split("::")[0].endswith(Path(info["tests"]).name))
                share = weights[key] * own / raw[key]
                assert cell["metadata"]["nbgrader"]["points"] == pytest.approx(share, abs=0.011), (key, info)
            intro = next(text(c) for c in cells(course_dir, unit.id) if f"(`{exercise.path}`)" in text(c))
            assert f"({points[key]:g} points)" in intro, "the exercise says its weight"
    assert total == pytest.approx(100, abs=1e-9)


def _group(exercise: str, raw: float, hidden: bool) -> TestGroup:
    path = f"{'grader/hidden' if hidden else 'exercises'}/{exercise}_{hidden}.py"
    return TestGroup(path=path, file=Path(path), exercise=exercise, points=raw, tests=1, hidden=hidden,
                     raw_points=raw)


def test_scaling_keeps_each_exercise_on_its_weight_whatever_the_rounding() -> None:
    groups = [_group("01_udp/a", 1, False), _group("01_udp/a", 1, False), _group("01_udp/a", 1, True),
              _group("02_tcp/b", 7, False), _group("02_tcp/b", 12, True), _group("99_x/custom", 5, False)]
    scaled = scale_groups(groups, {"01_udp/a": 10, "02_tcp/b": 8})
    assert [g.points for g in scaled[:3]] == [3.33, 3.33, 3.34], "thirds of 10: the last cell takes the rest"
    assert [g.points for g in scaled[3:5]] == [2.95, 5.05], "8 split 7:12"
    assert scaled[5].points == 5, "an exercise with no weight keeps its raw points, as netlings grade does"
    assert [g.raw_points for g in scaled] == [1, 1, 1, 7, 12, 5], "the raw points are kept"


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
