"""The exercise tree is found wherever it sits; the student id is safe as a folder name."""

from __future__ import annotations

from pathlib import Path

from sandbox_helpers import STUB, make_zip

from grader.sandbox.discover import find_exercise_root, student_id
from grader.sandbox.prepare import CONTRACT_MODULES, prepare_submission

MODULES = ["00_basics/wire.py", "01_udp/udp_server.py", "01_udp/udp_client.py", "02_tcp/framing.py"]


def write_tree(base: Path, prefix: str, modules: list[str]) -> None:
    for module in modules:
        path = base / prefix / module
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(STUB)


def test_a_nested_tree_in_a_zip_is_found(tmp_path: Path) -> None:
    prefix = "alice/netlings-main/exercises/"
    archive = make_zip(tmp_path / "alice.zip", [(prefix + m, STUB) for m in MODULES]
                       + [("alice/netlings-main/README.md", b"hi")])
    prepared = prepare_submission(archive, tmp_path / "work", modules=MODULES)
    assert prepared.found_at == "alice/netlings-main/exercises"
    assert prepared.ok and prepared.problems == []
    assert sorted(str(p.relative_to(prepared.root)) for p in prepared.root.rglob("*.py")) == sorted(MODULES)


def test_a_flat_tree_at_the_top_is_found(tmp_path: Path) -> None:
    write_tree(tmp_path, "bob", MODULES)
    prepared = prepare_submission(tmp_path / "bob", tmp_path / "work", modules=MODULES)
    assert prepared.student == "bob" and prepared.found_at == "."
    assert prepared.modules == MODULES and prepared.problems == []


def test_missing_units_are_problems_and_the_rest_is_graded(tmp_path: Path) -> None:
    write_tree(tmp_path, "carol/exercises", ["01_udp/udp_server.py"])
    prepared = prepare_submission(tmp_path / "carol", tmp_path / "work", modules=MODULES)
    assert prepared.ok and prepared.modules == ["01_udp/udp_server.py"]
    missing = [p.path for p in prepared.problems if p.code == "missing"]
    assert missing == ["00_basics/wire.py", "01_udp/udp_client.py", "02_tcp/framing.py"]
    assert "00_basics/wire.py is missing" in prepared.problems[0].message
    assert sorted(p.name for p in prepared.root.iterdir()) == ["01_udp"]


def test_the_folder_with_most_modules_wins(tmp_path: Path) -> None:
    write_tree(tmp_path, "dave/backup", ["01_udp/udp_server.py"])
    write_tree(tmp_path, "dave/deeper/still/exercises", MODULES)
    assert find_exercise_root(tmp_path / "dave", MODULES) == tmp_path / "dave/deeper/still/exercises"


def test_ties_prefer_exercises_then_the_shallowest(tmp_path: Path) -> None:
    write_tree(tmp_path, "t/zzz", MODULES[:2])
    write_tree(tmp_path, "t/a/exercises", MODULES[:2])
    assert find_exercise_root(tmp_path / "t", MODULES) == tmp_path / "t/a/exercises"
    write_tree(tmp_path, "u/b/c", MODULES[:2])
    write_tree(tmp_path, "u/d", MODULES[:2])
    assert find_exercise_root(tmp_path / "u", MODULES) == tmp_path / "u/d"


def test_junk_folders_are_not_candidates(tmp_path: Path) -> None:
    write_tree(tmp_path, "e/.git/old", MODULES)
    write_tree(tmp_path, "e/work", MODULES[:1])
    assert find_exercise_root(tmp_path / "e", MODULES) == tmp_path / "e/work"


def test_no_exercise_tree_at_all(tmp_path: Path) -> None:
    (tmp_path / "frank").mkdir()
    (tmp_path / "frank" / "homework.py").write_text("print('hi')\n")
    prepared = prepare_submission(tmp_path / "frank", tmp_path / "work", modules=CONTRACT_MODULES)
    assert prepared.root is None and prepared.problem_codes() == ["not_found"]
    assert "(wire.py, udp_server.py, udp_client.py, " in prepared.problems[0].message


def test_the_student_id_is_the_one_rule_of_grader_grade_identity() -> None:
    """discover.student_id is the batch's rule, applied to the path's name (tests/grade/test_identity.py)."""
    assert student_id(Path("/subs") / "张三.zip") == "张三"
    assert student_id(Path("/subs") / "Alice Smith (2).ZIP").startswith("Alice_Smith_2_-")
