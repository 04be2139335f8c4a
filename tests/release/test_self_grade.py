"""``netlings grade --self``: a student grades their own exercises/ like the course's grader does."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from release_support import REPO

import grader.edition
from grader.cli import main
from grader.grade.selfgrade import VISIBLE_ONLY_NOTE, find_exercises, grade_self

DEMO_TESTS = '''
import pytest


@pytest.fixture
def demo(student_module):
    return student_module("99_demo/demo.py", timeout=10)


def test_add(demo):
    """add() adds"""
    assert demo.call("add", 2, 3) == 5


@pytest.mark.points(3)
def test_greet(demo):
    """greet() greets"""
    assert demo.call("greet", "bo") == "hi bo"
'''
HALF_DONE = '''
def add(a, b):
    return a + b


def greet(name):
    raise NotImplementedError("not implemented yet: 99_demo/demo.py: greet()")
'''


def demo_prepare(source: Path, workdir: Path) -> Any:
    """The sandbox's prepare for the 99_demo contract only (it knows only the real curriculum)."""
    data = (source / "99_demo" / "demo.py").read_bytes()
    root = workdir / "exercises"
    (root / "99_demo").mkdir(parents=True)
    (root / "99_demo" / "demo.py").write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    return SimpleNamespace(student="alice", root=root, problems=[], content_hash=digest)


def demo_course(tmp_path: Path, suite_name: str = "suite") -> tuple[Path, Path]:
    exercises = tmp_path / "course" / "exercises"
    (exercises / "99_demo").mkdir(parents=True)
    (exercises / "netlings.toml").write_text("format_version = 1\n")
    (exercises / "99_demo" / "demo.py").write_text(HALF_DONE)
    suite = tmp_path / suite_name / "99_demo"
    suite.mkdir(parents=True)
    (suite / "test_demo.py").write_text(DEMO_TESTS)
    return exercises, suite.parent


def test_the_exercises_are_found_from_the_project_from_inside_and_by_name(tmp_path: Path) -> None:
    exercises, _ = demo_course(tmp_path)
    assert find_exercises(tmp_path / "course") == exercises
    assert find_exercises(exercises / "99_demo") == exercises, "from inside a unit folder"
    assert find_exercises(exercises) == exercises
    loose = tmp_path / "zip-contents"
    (loose / "01_udp").mkdir(parents=True)
    (loose / "01_udp" / "udp_client.py").write_text("x = 1\n")
    assert find_exercises(loose) == loose, "unit folders without a manifest still count"
    with pytest.raises(FileNotFoundError, match="--root"):
        find_exercises(tmp_path / "nothing-here")


def test_self_grading_writes_feedback_and_says_it_was_visible_tests_only(tmp_path: Path) -> None:
    exercises, suite = demo_course(tmp_path)
    graded = grade_self(exercises, suite=[suite], prepare=demo_prepare, progress=False, student="alice")
    assert not graded.hidden and not graded.reused
    assert (graded.result.score, graded.result.max_score) == (1, 4), graded.result.to_dict()
    feedback = tmp_path / "course" / ".netlings" / "feedback.md"
    assert graded.feedback == feedback
    text = feedback.read_text(encoding="utf-8")
    assert VISIBLE_ONLY_NOTE in text and "**Score: 1/4**" in text and "greet() greets" in text, text
    result = json.loads((feedback.parent / "result.json").read_text(encoding="utf-8"))
    assert result["student"] == "alice", "named after the student (the user), not the folder"
    assert (feedback.parent / "feedback.html").is_file()

    again = grade_self(exercises, suite=[suite], prepare=demo_prepare, progress=False, student="alice")
    assert again.reused, "unchanged modules and suite: the last result is kept"
    (exercises / "99_demo" / "demo.py").write_text(HALF_DONE.replace(
        'raise NotImplementedError("not implemented yet: 99_demo/demo.py: greet()")', 'return "hi " + name'))
    done = grade_self(exercises, suite=[suite], prepare=demo_prepare, progress=False, student="alice")
    assert not done.reused and done.result.score == 4


def test_with_a_hidden_suite_the_note_is_not_added(tmp_path: Path) -> None:
    exercises, suite = demo_course(tmp_path, suite_name="hidden")
    graded = grade_self(exercises, suite=[suite], prepare=demo_prepare, progress=False)
    assert graded.hidden
    assert VISIBLE_ONLY_NOTE not in graded.feedback.read_text(encoding="utf-8")


def test_grade_self_in_the_instructor_checkout_runs_hidden_and_visible_tests(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The real pipeline (sandbox prepare, hidden suite) on a copy of exercises/ with one unit solved."""
    project = tmp_path / "alice"
    shutil.copytree(REPO / "exercises", project / "exercises",
                    ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    shutil.copyfile(REPO / "solutions" / "00_basics" / "wire.py",
                    project / "exercises" / "00_basics" / "wire.py")
    code = main(["grade", "--self", "--root", str(project), "--no-progress",
                 "--suite", str(REPO / "grader" / "hidden" / "00_basics"),
                 "--suite", str(REPO / "exercises" / "00_basics" / "test_wire.py")])
    said = capsys.readouterr()
    assert code == 0, said.err
    assert "visible tests only" not in said.err
    line = next(line for line in said.out.splitlines() if "00_basics/wire" in line)
    earned, possible = line.split()[-1].split("/")
    assert earned == possible == "6", f"solved wire.py must score its full weight, 6: {said.out}"
    assert "score " in said.out and ".netlings" in said.out
    feedback = (project / ".netlings" / "feedback.md").read_text(encoding="utf-8")
    assert "hidden tests:" in feedback and VISIBLE_ONLY_NOTE not in feedback


def test_grade_command_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["grade", "--self", str(tmp_path)]) == 1
    assert "--root" in capsys.readouterr().err
    assert main(["grade"]) == 1
    assert "--self" in capsys.readouterr().err
    monkeypatch.setattr(grader.edition, "STUDENT", True)
    assert main(["grade", str(tmp_path), "--out", str(tmp_path / "out")]) == 1
    assert "for instructors" in capsys.readouterr().err
    assert main(["grade", "--self", "--root", str(tmp_path / "nothing")]) == 1
    assert "no exercises found" in capsys.readouterr().err
