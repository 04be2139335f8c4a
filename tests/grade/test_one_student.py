"""One student never stops the class, and nothing a student wrote is shown raw.

The class here mixes two honest students with submissions that broke a batch before:
zips named like the class files (``grades.csv.zip``, ``summary.md.zip``), preparations
that raise ``RecursionError``, ``MemoryError`` and ``SystemExit``, a tree nested 1,100
folders deep left in the scratch folder (``shutil.rmtree`` raised ``RecursionError`` on
it), and a submission whose messages carry ``<script>``, a ``javascript:`` link, a
terminal escape sequence and a bidi override. The batch must complete with a row for
everyone, the honest students must score exactly what they score alone, and the
reports must show the hostile text harmlessly.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from grading_support import (
    FAILING,
    REFERENCE,
    SUITE,
    VARIANTS,
    comparable,
    fake_prepare,
    make_submission,
    zip_submission,
)
from markdown_it import MarkdownIt

import grader.grade.batch as batch_module
from grader.grade import grade_batch
from grader.grade.batch import sanitise_id
from grader.report import BatchResult, Status

HOSTILE = "<script>alert(1)</script> [x](javascript:alert(1)) \x1b[2J \u202eevil\u202c"
MARKUP = REFERENCE.replace("    return a + b", f"    raise ValueError({HOSTILE!r})")
HONEST = ["complete", "half"]
BROKEN = ["exits", "nomemory", "recursion"]
NAMED_LIKE_CLASS_FILES = ["grades.csv", "summary.md"]
CLASS = sorted([*HONEST, *BROKEN, *NAMED_LIKE_CLASS_FILES, "deep", "markup"])
UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _grade(subs: list[Path], out: Path, **options) -> BatchResult:
    options.setdefault("timeout_per_submission", 20)
    options.setdefault("test_timeout", 30)
    return grade_batch(subs, out, suite=[SUITE], prepare=fake_prepare, progress=False, wrap=None,
                       sandbox_env={}, **options)


@pytest.fixture(scope="module")
def subs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("class")
    found = {name: make_submission(base, name, VARIANTS[name]) for name in HONEST}
    found |= {name: make_submission(base, name, VARIANTS["complete"]) for name in [*BROKEN, "deep"]}
    found["markup"] = make_submission(base, "markup", MARKUP)
    for name in NAMED_LIKE_CLASS_FILES:
        found[name] = zip_submission(base / "zips", name, VARIANTS["complete"])
    assert set(BROKEN) <= set(FAILING)
    return found


@pytest.fixture(scope="module")
def alone(tmp_path_factory: pytest.TempPathFactory, subs: dict[str, Path]) -> BatchResult:
    """The honest students graded without the others."""
    return _grade([subs[name] for name in HONEST], tmp_path_factory.mktemp("alone"), jobs=2)


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory, subs: dict[str, Path]) -> BatchResult:
    return _grade(list(subs.values()), tmp_path_factory.mktemp("out"), jobs=2)


def test_the_batch_completes_with_a_row_for_everyone(graded: BatchResult) -> None:
    assert sorted(s.student for s in graded.submissions) == CLASS
    rows = list(csv.reader((graded.out / "grades.csv").read_text(encoding="utf-8").splitlines()))
    assert [row[0] for row in rows[2:]] == CLASS, "grades.csv: the max row, then one row per student, sorted"
    summary = (graded.out / "summary.md").read_text(encoding="utf-8")
    assert f"{len(CLASS)} submissions; mean score" in summary, summary[:300]
    for student in BROKEN:
        assert f"- {student}: " in summary, f"summary.md must list {student} among the problems"
    for student in CLASS:
        assert (graded.out / "students" / student / "result.json").is_file(), student


def test_honest_students_score_what_they_score_alone(graded: BatchResult, alone: BatchResult) -> None:
    for student in HONEST:
        with_class = comparable(graded.out / "students" / student / "result.json")
        by_themselves = comparable(alone.out / "students" / student / "result.json")
        assert with_class == by_themselves, f"{student}'s result changed because of the class"
    assert graded.get("complete").score == 10 and graded.get("half").score == 5


def test_zips_named_like_the_class_files_are_students_like_any_other(graded: BatchResult) -> None:
    assert (graded.out / "grades.csv").is_file() and (graded.out / "summary.md").is_file()
    for student in NAMED_LIKE_CLASS_FILES:
        assert graded.get(student).score == 10, f"{student}.zip is a complete submission"
        assert (graded.out / "students" / student / "feedback.md").is_file()


@pytest.mark.parametrize("student", BROKEN)
def test_a_preparation_that_raises_is_that_students_problem(graded: BatchResult, student: str) -> None:
    """RecursionError, MemoryError, even SystemExit: an error verdict, retried next run."""
    result = graded.get(student)
    expected = {"recursion": "RecursionError", "nomemory": "MemoryError", "exits": "SystemExit"}[student]
    assert result.problems and result.problems[0].code == "internal", result.problems
    assert expected in result.problems[0].message, result.problems[0].message
    assert result.content_hash == "", "no content hash: prepared again next run"
    assert result.score == 0 and {t.status for t in result.tests} <= {Status.ERROR, Status.SKIPPED}


def test_a_tree_too_deep_for_rmtree_does_not_stop_the_batch(graded: BatchResult) -> None:
    deep = graded.get("deep")
    assert deep.score == 10, f"the tree is removed and deep keeps its points: {deep.notes}"
    assert not [n for n in graded.notices if "netlings-grade-" in n], graded.notices


def test_a_rerun_keeps_the_graded_and_retries_the_failed(graded: BatchResult, subs: dict[str, Path],
                                                        tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(graded.out, out)
    again = _grade(list(subs.values()), out, jobs=2)
    assert sorted(again.reused) == sorted(set(CLASS) - set(BROKEN)), again.reused
    assert sorted(s.student for s in again.submissions) == CLASS


def _rendered(markdown: str) -> str:
    """The HTML a CommonMark + tables renderer makes of ``markdown``, every link scheme allowed.

    markdown-it refuses ``javascript:`` links by default; a renderer need not, so the test
    lets it through to see whether the text would have been a link at all.
    """
    md = MarkdownIt("commonmark").enable("table")
    md.validateLink = lambda url: True
    return md.render(markdown)


def _outside_fences(markdown: str) -> str:
    """``markdown`` without its fenced code blocks (a fence closes with the same or more backticks)."""
    kept, fence = [], ""
    for line in markdown.splitlines():
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence) and not stripped.strip("`"):
                fence = ""
            continue
        opening = re.match(r"(`{3,})", stripped)
        if opening:
            fence = opening.group(1)
            continue
        kept.append(line)
    return "\n".join(kept)


def test_student_text_is_never_markup(graded: BatchResult) -> None:
    markup = graded.get("markup")
    add = next(t for t in markup.tests if t.name == "test_add")
    assert "<script>" in add.message, "the result keeps what the student's code raised (for the instructor)"
    folder = graded.out / "students" / "markup"
    summary = (graded.out / "summary.md").read_text(encoding="utf-8")
    feedback = (folder / "feedback.md").read_text(encoding="utf-8")
    page = (folder / "feedback.html").read_text(encoding="utf-8")
    for name, text in (("summary.md", summary), ("feedback.md", feedback), ("feedback.html", page)):
        assert "\x1b" not in text, f"{name} holds an escape character"
        assert not UNSAFE_CHARACTERS.search(text), f"{name} holds a control or bidi character"
    assert "alert(1)" in feedback and "alert(1)" in page, "the text is shown, harmlessly"

    assert "<script" not in summary and "javascript:" not in summary, "summary.md escapes student text"
    assert "<script" not in _outside_fences(feedback) and "javascript:" not in _outside_fences(feedback), \
        "in feedback.md, student text sits in fenced code blocks"
    for name, text in (("summary.md", summary), ("feedback.md", feedback)):
        html = _rendered(text)
        assert "<script" not in html and "<a " not in html and "<img" not in html, f"{name} renders markup"
    assert "<script" not in page and "<a " not in page and "href" not in page, "feedback.html escapes it all"


def test_one_students_files_failing_to_be_written_or_removed_stops_nobody(
        subs: dict[str, Path], alone: BatchResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A result that cannot be written (``half``), a scratch folder that cannot be removed (``markup``)."""
    real_write, real_remove = batch_module.write_submission, batch_module.remove_tree

    def write(result, folder):
        if result.student == "half" and result.content_hash:
            raise RecursionError("maximum recursion depth exceeded while rendering")
        return real_write(result, folder)

    def remove(path, **options):
        if _is_markup(path):
            raise RecursionError("maximum recursion depth exceeded in rmtree")
        return real_remove(path, **options)

    monkeypatch.setattr(batch_module, "write_submission", write)
    monkeypatch.setattr(batch_module, "remove_tree", remove)
    result = _grade([subs[name] for name in [*HONEST, "markup"]], tmp_path / "out", jobs=2)
    monkeypatch.undo()

    assert comparable(result.out / "students" / "complete" / "result.json") == \
        comparable(alone.out / "students" / "complete" / "result.json")
    for student, note in (("half", "writing this submission's feedback failed"),
                          ("markup", "temporary files could not all be removed")):
        failed = result.get(student)
        assert failed.score == 0 and failed.content_hash == "", student
        assert any(note in n and "RecursionError" in n for n in failed.notes), failed.notes
        assert {t.status for t in failed.tests} <= {Status.ERROR, Status.SKIPPED}
        written = json.loads((result.out / "students" / student / "result.json").read_text(encoding="utf-8"))
        assert written["content_hash"] == "" and written["score"] == 0, f"{student}: retried next run"
    rows = (result.out / "grades.csv").read_text(encoding="utf-8").splitlines()
    assert [row.split(",")[0] for row in rows[2:]] == ["complete", "half", "markup"], rows


def _is_markup(path: object) -> bool:
    """Whether ``path`` is the scratch folder of the ``markup`` submission."""
    module = Path(str(path)) / "work" / "exercises" / "99_demo" / "demo.py"
    return module.is_file() and "javascript:" in module.read_text(encoding="utf-8")


def test_results_of_an_older_layout_are_not_reused_nor_in_the_way(
        graded: BatchResult, subs: dict[str, Path], tmp_path: Path) -> None:
    """OUT/<id>/ from an earlier version: left alone, graded again; a file where a folder goes is replaced."""
    out = tmp_path / "out"
    old = out / "complete"
    old.mkdir(parents=True)
    shutil.copy(graded.out / "students" / "complete" / "result.json", old / "result.json")
    (out / "students").mkdir()
    (out / "students" / "result.json").write_text("{}", encoding="utf-8")  # an old student named 'students'
    named = zip_submission(tmp_path / "zips", "result.json", VARIANTS["complete"])

    again = _grade([subs["complete"], named], out)
    assert again.reused == [], "a result.json of the old layout is not reused"
    assert again.get("complete").score == 10 and again.get("result.json").score == 10
    assert (out / "students" / "result.json" / "result.json").is_file()
    assert (old / "result.json").is_file(), "the old folder is left as it was"


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc", "__.._etc-"), ("..", "_-"), ("CON", "_CON-"), ("nul.txt", "_nul.txt-"), ("com1", "_com1-"),
    ("grades.csv", "grades.csv"), ("<script>x", "_script_x-"),
])
def test_a_student_id_is_a_safe_folder_name_everywhere(name: str, expected: str) -> None:
    """No id climbs out of OUT/students/, and none is a name Windows refuses (CON, NUL.txt, COM1).

    A name that had to change keeps what it could and gains 6 hex digits of its own hash, so it
    names no one else (tests/grade/test_identity.py tests the rules).
    """
    got = sanitise_id(name)
    if expected.endswith("-"):
        assert got.startswith(expected) and len(got) == len(expected) + 6, got
    else:
        assert got == expected
