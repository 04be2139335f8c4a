"""Issue 12's class, graded for real twice: every row keeps its person and name.

The class an instructor tried: ``张三.zip``, ``李四.zip``, ``2024001_张三.zip``, ``_victim.zip``
and ``victim.zip`` (plus ``Victim.zip``: a name that differs from ``victim.zip`` only by case,
the one kind of clash a pure function of the name cannot avoid), a complete submission
with its files at the zip's top level, and an empty folder. Graded with ``netlings grade``
as a subprocess (the README's way), then again after one more student is added:

* every id is the student's own name (Chinese kept), and the same row holds the same
  submission and the same grade in both runs (the old numbering moved ``student``'s 100
  to another person);
* ``victim.zip`` and ``Victim.zip`` are both reported and both kept, with ids that do not
  change between runs; ``_victim`` is a student of its own;
* the flat zip gets the reference's full grade (it scored 0 before);
* the empty folder has no row and is listed among the problems, on stdout and in class.json;
* the gradebook, the feedback and the Canvas export speak one scale: 100.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grader.report.tables import is_max_row

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "submissions"
SOLUTIONS = REPO / "solutions"

pytestmark = pytest.mark.timeout(600)

CLASS = {  # submission name -> the sample it holds
    "张三.zip": "alice",
    "李四.zip": "bob",
    "2024001_张三.zip": "carol",
    "_victim.zip": "bob",
    "victim.zip": "alice",
    "Victim.zip": "bob",
}


def _zip_folder(folder: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                archive.write(path, path.relative_to(folder).as_posix())


def _flat_zip(target: Path) -> None:
    """The reference solutions, all 11 files at the top of the zip: no exercises/, no unit folders."""
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(SOLUTIONS.glob("*/*.py")):
            archive.write(path, path.name)


def _grade(klass: Path, out: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "grader.cli", "grade", str(klass), "--out", str(out),
                           "-j", "2", "--no-progress"], capture_output=True, text=True, encoding="utf-8",
                          timeout=540, check=False)
    assert done.returncode == 0, f"netlings grade failed:\n{done.stdout}\n{done.stderr}"
    return done


def _rows(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "grades.csv", encoding="utf-8", newline="") as f:
        return {row["student"]: row for row in csv.DictReader(f) if not is_max_row(row)}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("gradebook")
    klass = base / "class"
    klass.mkdir()
    for name, sample in CLASS.items():
        _zip_folder(EXAMPLES / sample, klass / name)
    _flat_zip(klass / "flat.zip")
    (klass / "empty").mkdir()
    out = base / "out"
    first = _grade(klass, out)
    before = _rows(out)
    shutil.copy(klass / "李四.zip", base / "李四-before.zip")
    _zip_folder(EXAMPLES / "carol", klass / "王五.zip")  # one more student
    second = _grade(klass, out)
    return {"out": out, "first": first, "second": second, "before": before, "after": _rows(out)}


def _by_submission(rows: dict[str, dict[str, str]]) -> dict[str, tuple[str, str]]:
    return {row["submission"]: (student, row["total"]) for student, row in rows.items()}


def test_every_row_keeps_its_person_and_name_after_a_student_is_added(runs: dict) -> None:
    before, after = runs["before"], runs["after"]
    for student in ("张三", "李四", "2024001_张三", "_victim", "flat"):
        assert student in before, f"{student} is its own row: {sorted(before)}"
    assert _by_submission(before).items() <= _by_submission(after).items(), \
        f"a row changed person or grade:\nbefore {_by_submission(before)}\nafter  {_by_submission(after)}"
    assert set(after) - set(before) == {"王五"}, sorted(after)
    assert after["张三"]["submission"] == "张三.zip"
    assert after["2024001_张三"]["submission"] == "2024001_张三.zip"
    assert after["王五"]["total"] == after["2024001_张三"]["total"], "王五 handed in carol's work too"


def test_a_clash_is_reported_with_ids_that_never_change(runs: dict) -> None:
    after = runs["after"]
    clashing = {row["submission"]: student for student, row in after.items()
                if row["submission"] in ("victim.zip", "Victim.zip")}
    assert len(clashing) == 2 and len(set(clashing.values())) == 2, clashing
    assert all(sid.lower().startswith("victim-") for sid in clashing.values()), clashing
    assert {row["submission"]: s for s, row in runs["before"].items()
            if row["submission"] in clashing} == clashing, "the ids of a clash are the same on every run"
    for student in clashing.values():
        result = json.loads((runs["out"] / "students" / student / "result.json").read_text(encoding="utf-8"))
        assert [p["code"] for p in result["problems"]].count("id_collision") == 1, result["problems"]
        feedback = (runs["out"] / "students" / student / "feedback.md").read_text(encoding="utf-8")
        other = ({"victim.zip", "Victim.zip"} - {result["identity"]["submission"]}).pop()
        assert other not in feedback, "a student's feedback never names a classmate's submission"
    assert after["_victim"]["submission"] == "_victim.zip" and after["_victim"]["total"] != after[
        clashing["victim.zip"]]["total"], "_victim (bob's work) and victim (alice's) are two students"
    for student in clashing.values():
        assert student in runs["second"].stdout, "the problems table names both"


def test_the_flat_zip_gets_its_real_grade_and_the_empty_folder_is_a_problem(runs: dict) -> None:
    after, out = runs["after"], runs["out"]
    assert after["flat"]["total"] == after["flat"]["max"] == "100", after["flat"]
    assert "empty" not in after and not (out / "students" / "empty").exists(), "an empty folder is no student"
    listed = json.loads((out / "class.json").read_text(encoding="utf-8"))["skipped"]
    assert [(p["code"], p["path"]) for p in listed] == [("empty", "empty")], listed
    table = runs["second"].stdout.split("\n", 1)[1]
    assert any(line.startswith("empty") or " empty " in line for line in table.splitlines()), table


def test_gradebook_feedback_and_canvas_agree_on_one_scale(runs: dict) -> None:
    out, after = runs["out"], runs["after"]
    assert {row["max"] for row in after.values()} == {"100"}, "every student is graded out of 100"
    lisi = after["李四"]["total"]
    assert f"**Score: {lisi}/100**" in (out / "students" / "李四" / "feedback.md").read_text(encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "grader.cli", "export", "canvas", str(out)],
                          capture_output=True, text=True, encoding="utf-8", timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    with open(out / "export-canvas.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"], rows[0]
    assert rows[1][0].strip() == "Points Possible" and rows[1][5] == "100", rows[1]
    grades = {row[0]: row[5] for row in rows[2:]}
    assert grades["李四.zip"] == lisi and grades["张三.zip"] == "100", grades
