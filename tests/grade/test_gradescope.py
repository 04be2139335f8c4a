"""The Gradescope autograder: a reproducible zip, and a run under a simulated /autograder root."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest
from grading_support import SUITE, VARIANTS, fake_prepare, make_submission

from grader.cli import main
from grader.cli.gradescope import CONFIG_NAME, ROOT_ENV, autograder_root, build_zip, run_autograder
from grader.report import Status, SubmissionResult, TestResult
from grader.report.gradescope import to_gradescope
from grader.report.scale import course_weights

TOP_KEYS = {"score", "execution_time", "output", "stdout_visibility", "tests"}
TEST_KEYS = {"name", "number", "score", "max_score", "status", "output", "visibility"}
VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}


def _validate(document: dict) -> None:
    """The keys and value types Gradescope's results.json specification asks for."""
    assert TOP_KEYS <= set(document), f"missing top-level keys: {TOP_KEYS - set(document)}"
    assert isinstance(document["score"], (int, float)) and isinstance(document["execution_time"], int)
    assert document["stdout_visibility"] in VISIBILITIES
    for test in document["tests"]:
        assert TEST_KEYS <= set(test), f"missing test keys: {TEST_KEYS - set(test)}"
        assert test["status"] in ("passed", "failed") and test["visibility"] in VISIBILITIES, test
        assert isinstance(test["score"], (int, float)) and isinstance(test["max_score"], (int, float))
        assert isinstance(test["name"], str) and isinstance(test["number"], str), test


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_zip(tmp_path_factory.mktemp("build") / "autograder.zip", suite=[SUITE], timeout=60,
                     test_timeout=30, lang="en")


def test_the_zip_holds_setup_run_source_and_suite(autograder_zip: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(autograder_zip) as archive:
        names = set(archive.namelist())
        modes = {i.filename: (i.external_attr >> 16) for i in archive.infolist()}
        config = json.loads(archive.read(CONFIG_NAME))
        setup = archive.read("setup.sh").decode()
        run = archive.read("run_autograder").decode()
    assert {"setup.sh", "run_autograder", "pyproject.toml", "grader/report/model.py",
            "grader/grade/empty.ini", "exercises/netlings.toml"} <= names, sorted(names)[:20]
    assert "tests/grade/sample_suite/99_demo/test_demo.py" in names, "the suite travels in the zip"
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")], "no bytecode"
    assert modes["run_autograder"] & stat.S_IXUSR and modes["setup.sh"] & stat.S_IXUSR, "scripts executable"
    assert config == {"suite": ["tests/grade/sample_suite"], "timeout": 60, "test_timeout": 30, "lang": "en"}
    assert run.startswith("#!") and "gradescope" in run and "NETLINGS_AUTOGRADER_ROOT" in run
    assert "pip install" in setup
    again = build_zip(tmp_path / "again.zip", suite=[SUITE], timeout=60, test_timeout=30, lang="en")
    assert again.read_bytes() == autograder_zip.read_bytes(), "the same sources give the same zip"


def _layout(root: Path, autograder_zip: Path, text: str | None) -> None:
    """What Gradescope sets up: source/ (the zip, unpacked), submission/, results/."""
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(root / "source")
    (root / "results").mkdir(parents=True)
    submission = root / "submission"
    submission.mkdir()
    if text is not None:
        make_submission(root, "submission", text)


def test_a_run_writes_results_json_per_the_spec(autograder_zip: Path, tmp_path: Path) -> None:
    root = tmp_path / "autograder"
    _layout(root, autograder_zip, VARIANTS["half"])
    run_autograder(root, prepare=fake_prepare)
    document = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    _validate(document)
    assert document["score"] == 5, document["score"]
    names = {t["name"]: t for t in document["tests"]}
    assert names["99_demo/demo: add() returns the sum of its arguments"]["status"] == "passed"
    bonus = names["99_demo/bonus: bonus() returns 42"]
    assert bonus["status"] == "failed" and bonus["score"] == 0 and bonus["max_score"] == 3
    assert "bonus() is not implemented yet" in bonus["output"], bonus["output"]
    assert names["99_demo/demo: shout() upper-cases its text"]["visibility"] == "hidden"
    assert names["99_demo/demo: countdown(3) counts down to 1"]["visibility"] == "after_due_date"
    assert len(document["tests"]) == 7, "7 tests; the always-skipped one is left out"


def _course_result() -> SubmissionResult:
    """Every exercise of the course, with raw test points that are no weight: 3 of 7 passed in each."""
    tests = []
    for exercise in course_weights():
        tests += [TestResult(nodeid=f"{exercise}.py::t{i}", exercise=exercise, name=f"t{i}",
                             description=f"t{i}", status=Status.PASS if i < 2 else Status.FAIL,
                             points=float(i + 1), visibility="hidden" if i == 3 else "visible")
                  for i in range(4)]
        tests.append(TestResult(nodeid=f"{exercise}.py::skip", exercise=exercise, name="skip",
                                description="s", status=Status.SKIPPED, points=5.0))
    return SubmissionResult("student", tests=tests, weights=course_weights())


def test_gradescope_scores_are_the_course_grade_out_of_100() -> None:
    """Gradescope's total is the course grade grades.csv and the feedback show, not the raw test points."""
    result = _course_result()
    assert result.grade_max == 100 and result.score != result.grade, "raw points are not the grade here"
    document = to_gradescope(result, execution_time=1)
    _validate(document)
    json.dumps(document, allow_nan=False)
    assert document["score"] == result.grade == 30.0, "the top-level score (Gradescope takes it) is the grade"
    tests = document["tests"]
    assert len(tests) == 4 * len(course_weights()), "skipped tests are left out"
    assert sum(t["max_score"] for t in tests) == pytest.approx(100, abs=0.01), "maxima add up to the course"
    assert sum(t["score"] for t in tests) == pytest.approx(result.grade, abs=0.01)
    by_name = {t["name"]: t for t in tests}
    for test in result.tests:
        if test.status is not Status.SKIPPED:
            entry = by_name[f"{test.exercise}: {test.description}"]
            earned, possible = result.test_grade(test)
            assert (entry["score"], entry["max_score"]) == (round(earned, 4), round(possible, 4)), entry
    assert "Score: 30/100" in document["output"], document["output"]


def test_a_broken_autograder_still_writes_a_results_json(tmp_path: Path) -> None:
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    (root / "source" / CONFIG_NAME).write_text(json.dumps({"suite": ["missing-suite"]}), encoding="utf-8")
    (root / "submission").mkdir()
    document = run_autograder(root, prepare=fake_prepare)
    _validate(document)
    assert document["score"] == 0 and "could not grade" in document["output"], document["output"]


def test_the_root_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ROOT_ENV, raising=False)
    assert autograder_root() == Path("/autograder")
    monkeypatch.setenv(ROOT_ENV, str(tmp_path))
    assert autograder_root() == tmp_path


def test_the_build_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ag.zip"
    assert main(["gradescope", "build", "--out", str(out), "--suite", str(SUITE)]) == 0
    assert zipfile.is_zipfile(out) and "wrote" in capsys.readouterr().out
    assert main(["gradescope", "build", "--out", str(out), "--suite", str(tmp_path / "nope")]) == 1
    assert "not found" in capsys.readouterr().err
    assert os.access(out, os.R_OK)


@pytest.mark.skipif(not (shutil.which("bash") and shutil.which("python3")), reason="needs bash and python3")
def test_run_autograder_script_runs_the_copied_grader(autograder_zip: Path, tmp_path: Path) -> None:
    """The script as Gradescope runs it: cd source, the copied package, the real prepare."""
    root = tmp_path / "autograder"
    _layout(root, autograder_zip, VARIANTS["complete"])
    env = {**os.environ, ROOT_ENV: str(root)}
    done = subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    document = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    _validate(document)
    # The real prepare knows only the course's contract, not 99_demo: a clear verdict, not a crash.
    output = document["output"]
    assert document["score"] == 0 and "Problems found before testing" in output, output
