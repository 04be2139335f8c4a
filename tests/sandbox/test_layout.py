"""Issue 12, item 3: the contract files are found by name wherever they sit; an empty submission is said so.

A complete submission with the eleven files at the top of its zip (no ``exercises/``, no
unit folders) used to score 0 ("no exercise folder was found"); an empty folder was graded
as a student. These tests build each layout students really hand in.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from sandbox_helpers import STUB, make_zip

from grader.sandbox.discover import locate_modules
from grader.sandbox.prepare import CONTRACT_MODULES, contract_modules, prepare_submission

REPO = Path(__file__).resolve().parents[2]
SOLUTIONS = REPO / "solutions"
ALL = list(CONTRACT_MODULES)


def name_of(module: str) -> str:
    return PurePosixPath(module).name


def code_for(module: str) -> bytes:
    """Distinct, valid source per module, so a copy taken from the wrong place shows."""
    return f"# {module}\nWHO = {module!r}\n".encode()


def graded_files(prepared) -> dict[str, bytes]:
    assert prepared.root is not None, prepared.problems
    return {p.relative_to(prepared.root).as_posix(): p.read_bytes()
            for p in sorted(prepared.root.rglob("*")) if p.is_file()}


def write(base: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return base


# -- every layout is graded -----------------------------------------------------------------------


def test_a_flat_zip_of_all_eleven_files_is_graded_whole(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "flat.zip", [(name_of(m), code_for(m)) for m in ALL])
    prepared = prepare_submission(archive, tmp_path / "work", modules=ALL)
    assert prepared.problems == [], prepared.problems
    assert graded_files(prepared) == {m: code_for(m) for m in ALL}
    assert prepared.modules == ALL and prepared.found_at == "."
    assert prepared.sources["01_udp/udp_server.py"] == "udp_server.py"
    assert prepared.moved == prepared.sources, "every module came from outside its contract path"


def test_the_repository_layout_is_unchanged(tmp_path: Path) -> None:
    prefix = "netlings-main/exercises/"
    archive = make_zip(tmp_path / "repo.zip", [(prefix + m, code_for(m)) for m in ALL]
                       + [("netlings-main/README.md", b"# netlings\n")])
    prepared = prepare_submission(archive, tmp_path / "work", modules=ALL)
    assert prepared.problems == [] and prepared.found_at == "netlings-main/exercises"
    assert graded_files(prepared) == {m: code_for(m) for m in ALL}
    assert prepared.sources["00_basics/wire.py"] == "netlings-main/exercises/00_basics/wire.py"
    assert prepared.moved == {}


def test_a_flat_copy_inside_netlings_main(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "nm.zip", [(f"netlings-main/{name_of(m)}", code_for(m)) for m in ALL])
    prepared = prepare_submission(archive, tmp_path / "work", modules=ALL)
    assert prepared.problems == [] and prepared.found_at == "netlings-main"
    assert graded_files(prepared) == {m: code_for(m) for m in ALL}
    assert prepared.moved["04_smtp/send.py"] == "netlings-main/send.py"


def test_unit_folders_with_other_names(tmp_path: Path) -> None:
    renamed = {m: f"my work/unit {i} ({m.split('/')[0][3:]})/{name_of(m)}" for i, m in enumerate(ALL)}
    folder = write(tmp_path / "renamed", {path: code_for(m) for m, path in renamed.items()})
    prepared = prepare_submission(folder, tmp_path / "work", modules=ALL)
    assert prepared.problems == [] and prepared.found_at == "my work"
    assert graded_files(prepared) == {m: code_for(m) for m in ALL}
    assert prepared.sources == renamed


def test_a_mixed_layout_takes_each_file_where_it_is(tmp_path: Path) -> None:
    half = len(ALL) // 2
    members = ([(f"exercises/{m}", code_for(m)) for m in ALL[:half]]
               + [(name_of(m), code_for(m)) for m in ALL[half:]])
    prepared = prepare_submission(make_zip(tmp_path / "mixed.zip", members), tmp_path / "work", modules=ALL)
    assert prepared.problems == [] and graded_files(prepared) == {m: code_for(m) for m in ALL}
    assert prepared.found_at == "."
    assert set(prepared.moved) == set(ALL), "relative to '.', no module sits at its contract path"
    assert prepared.sources["00_basics/wire.py"] == "exercises/00_basics/wire.py"


def test_missing_files_are_still_named_by_their_contract_path(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "part.zip", [("udp_server.py", code_for("01_udp/udp_server.py"))])
    prepared = prepare_submission(archive, tmp_path / "work", modules=ALL)
    assert prepared.modules == ["01_udp/udp_server.py"]
    missing = [p.path for p in prepared.problems if p.code == "missing"]
    assert missing == [m for m in ALL if m != "01_udp/udp_server.py"]
    assert "00_basics/wire.py is missing" in prepared.problems[0].message


# -- duplicates: one deterministic choice, the others said ---------------------------------------


def test_the_contract_path_under_the_best_root_beats_a_shallower_copy(tmp_path: Path) -> None:
    members = [(f"netlings-main/exercises/{m}", code_for(m)) for m in ALL]
    members.append(("udp_server.py", b"# an old try\n"))
    prepared = prepare_submission(make_zip(tmp_path / "dup.zip", members), tmp_path / "work", modules=ALL)
    assert graded_files(prepared)["01_udp/udp_server.py"] == code_for("01_udp/udp_server.py")
    [dup] = prepared.problems
    assert (dup.code, dup.path) == ("duplicate", "01_udp/udp_server.py")
    assert dup.message == ("01_udp/udp_server.py was found in 2 places with different content: graded "
                           "netlings-main/exercises/01_udp/udp_server.py, ignored udp_server.py.")
    assert prepared.problems_for("01_udp/udp_server.py") == [dup], "shown with that exercise's feedback"


def test_by_name_the_shallowest_then_the_first_path_alphabetically_wins(tmp_path: Path) -> None:
    files = {"b/udp_server.py": b"B = 1\n", "a/udp_server.py": b"A = 1\n",
             "a/deeper/udp_server.py": b"D = 1\n"}
    for _ in range(2):  # the same on every run
        layout = locate_modules(write(tmp_path / "t", files), ["01_udp/udp_server.py"])
        assert layout.shown(layout.sources["01_udp/udp_server.py"]) == "a/udp_server.py"
        assert [layout.shown(p) for p in layout.ignored["01_udp/udp_server.py"]] == [
            "b/udp_server.py", "a/deeper/udp_server.py"]


def test_a_byte_identical_copy_is_not_a_problem(tmp_path: Path) -> None:
    members = [(f"exercises/{m}", code_for(m)) for m in ALL] + [(name_of(m), code_for(m)) for m in ALL]
    prepared = prepare_submission(make_zip(tmp_path / "same.zip", members), tmp_path / "work", modules=ALL)
    assert prepared.problems == [] and prepared.found_at == "exercises"
    assert prepared.sources["00_basics/wire.py"] == "exercises/00_basics/wire.py"


def test_many_copies_are_listed_briefly(tmp_path: Path) -> None:
    members = [("exercises/00_basics/wire.py", STUB)] + [(f"old{i}/wire.py", f"V = {i}\n".encode())
                                                         for i in range(6)]
    prepared = prepare_submission(make_zip(tmp_path / "many.zip", members), tmp_path / "work",
                                  modules=["00_basics/wire.py"])
    [dup] = prepared.problems
    assert "found in 7 places" in dup.message
    assert "ignored old0/wire.py, old1/wire.py, old2/wire.py and 3 more." in dup.message


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_duplicate_message_in_both_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 lang: str) -> None:
    monkeypatch.setenv("NETLINGS_LANG", lang)
    members = [("a/wire.py", b"A = 1\n"), ("b/wire.py", b"B = 1\n")]
    prepared = prepare_submission(make_zip(tmp_path / "d.zip", members), tmp_path / "w",
                                  modules=["00_basics/wire.py"])
    [dup] = prepared.problems
    assert dup.code == "duplicate" and "a/wire.py" in dup.message and "b/wire.py" in dup.message
    assert ("评分使用的是 a/wire.py" in dup.message) == (lang == "zh"), dup.message


def course_package(prefix: str) -> list[tuple[str, bytes]]:
    """The netlings package as the student edition ships it: a catalogue file named like each module."""
    files = [(f"{prefix}grader/__init__.py", b""), (f"{prefix}grader/messages/__init__.py", b""),
             (f"{prefix}grader/messages/suites/__init__.py", b"")]
    return files + [(f"{prefix}grader/messages/suites/{name_of(m)}", b"TEXTS = {}\n") for m in ALL]


def test_a_zip_of_the_whole_repository_is_graded_without_noise(tmp_path: Path) -> None:
    members = [(f"netlings-main/exercises/{m}", code_for(m)) for m in ALL] + course_package("netlings-main/")
    prepared = prepare_submission(make_zip(tmp_path / "whole.zip", members), tmp_path / "work", modules=ALL)
    assert prepared.problems == [], "the netlings package's own files are not the student's duplicates"
    assert graded_files(prepared) == {m: code_for(m) for m in ALL}


def test_the_netlings_package_is_never_graded_as_the_student(tmp_path: Path) -> None:
    members = [("netlings-main/wire.py", code_for("00_basics/wire.py"))] + course_package("netlings-main/")
    prepared = prepare_submission(make_zip(tmp_path / "part.zip", members), tmp_path / "work", modules=ALL)
    assert graded_files(prepared) == {"00_basics/wire.py": code_for("00_basics/wire.py")}
    assert {p.code for p in prepared.problems} == {"missing"}, prepared.problems
    only_package = prepare_submission(make_zip(tmp_path / "pkg.zip", course_package("")), tmp_path / "w2",
                                      modules=ALL)
    assert only_package.problem_codes() == ["not_found"], only_package.problems


# -- junk and links never count ---------------------------------------------------------------------


def test_junk_folders_are_never_chosen(tmp_path: Path) -> None:
    files = {"__MACOSX/udp_server.py": b"JUNK = 1\n", ".git/x/udp_server.py": b"JUNK = 2\n",
             ".ipynb_checkpoints/udp_server.py": b"JUNK = 3\n", "venv/udp_server.py": b"JUNK = 4\n",
             "__pycache__/udp_server.py": b"JUNK = 5\n", "deep/er/udp_server.py": b"REAL = 1\n"}
    layout = locate_modules(write(tmp_path / "j", files), ["01_udp/udp_server.py"])
    assert layout.shown(layout.sources["01_udp/udp_server.py"]) == "deep/er/udp_server.py"
    assert layout.ignored == {}, "junk copies are not even duplicates"
    archive = make_zip(tmp_path / "mac.zip", [("__MACOSX/udp_server.py", b"JUNK = 1\n"),
                                              ("real/udp_server.py", b"REAL = 1\n")])
    prepared = prepare_submission(archive, tmp_path / "work", modules=["01_udp/udp_server.py"])
    assert graded_files(prepared) == {"01_udp/udp_server.py": b"REAL = 1\n"} and prepared.problems == []


@pytest.mark.skipif(os.name != "posix", reason="symlinks need POSIX here")
def test_a_link_named_like_a_contract_file_is_never_taken(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password\n")
    tree = write(tmp_path / "s", {"a/b/udp_server.py": b"REAL = 1\n"})
    (tree / "udp_server.py").symlink_to(secret)
    layout = locate_modules(tree, ["01_udp/udp_server.py"])
    assert layout.shown(layout.sources["01_udp/udp_server.py"]) == "a/b/udp_server.py"
    assert layout.ignored == {}


# -- empty, and nothing of the contract -------------------------------------------------------------


def test_an_empty_folder_and_an_empty_zip_are_empty(tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    with zipfile.ZipFile(tmp_path / "nothing.zip", "w"):
        pass
    for source in (tmp_path / "nothing", tmp_path / "nothing.zip"):
        prepared = prepare_submission(source, tmp_path / "work", modules=ALL)
        assert not prepared.ok and prepared.problem_codes() == ["empty"], prepared.problems
        assert prepared.problems[0].message == "this submission is empty: no Python file was found in it."


def test_a_readme_only_or_junk_only_submission_is_empty(tmp_path: Path) -> None:
    readme = write(tmp_path / "readme", {"README.md": b"I will hand it in tomorrow\n", "notes/a.txt": b"x"})
    junk = make_zip(tmp_path / "junk.zip", [("__MACOSX/._wire.py", b"\0"), ("x/__pycache__/wire.py", b"")])
    for source in (readme, junk):
        prepared = prepare_submission(source, tmp_path / "work", modules=ALL)
        assert prepared.problem_codes() == ["empty"], (source, prepared.problems)
        assert len(prepared.content_hash) == 64


def test_python_files_with_none_of_the_contract_names_are_not_found(tmp_path: Path) -> None:
    folder = write(tmp_path / "other", {"homework.py": b"print('hi')\n", "lab1/server.py": b""})
    prepared = prepare_submission(folder, tmp_path / "work", modules=ALL)
    assert not prepared.ok and prepared.problem_codes() == ["not_found"]
    message = prepared.problems[0].message
    for name in ("wire.py", "udp_server.py", "udp_client.py", "tcp_server.py", "receive.py", "parse.py"):
        assert name in message, message
    assert "anywhere in the submission" in message


# -- pre-flight checks the files where they were found ---------------------------------------------


def test_preflight_reads_the_file_where_it_was_found(tmp_path: Path) -> None:
    gbk = "# 服务器\nprint('你好')\n".encode("gbk")
    archive = make_zip(tmp_path / "bad.zip", [
        ("netlings-main/wire.py", b"def to_bytes(:\n"),
        ("netlings-main/udp_server.py", gbk),
        ("netlings-main/udp_client.py", STUB),
        ("netlings-main/socket.py", b"def socket(*a): return 'fake'\n"),
        ("netlings-main/conftest.py", b""),
    ])
    modules = ["00_basics/wire.py", "01_udp/udp_server.py", "01_udp/udp_client.py"]
    prepared = prepare_submission(archive, tmp_path / "work", modules=modules)
    codes = {(p.code, p.path) for p in prepared.problems}
    assert codes == {("syntax", "00_basics/wire.py"), ("encoding", "01_udp/udp_server.py"),
                     ("shadows_stdlib", "socket.py"), ("ignored", "conftest.py")}, prepared.problems
    syntax = prepared.problems_for("00_basics/wire.py")[0]
    assert "00_basics/wire.py does not compile" in syntax.message and "(line 1)" in syntax.message
    assert graded_files(prepared) == {"00_basics/wire.py": b"def to_bytes(:\n", "01_udp/udp_server.py": gbk,
                                      "01_udp/udp_client.py": STUB}, "only contract modules are copied"


def test_moving_unchanged_files_keeps_the_content_hash(tmp_path: Path) -> None:
    layouts = {
        "flat": [(name_of(m), code_for(m)) for m in ALL],
        "repo": [(f"netlings-main/exercises/{m}", code_for(m)) for m in ALL],
        "nm": [(f"netlings-main/{name_of(m)}", code_for(m)) for m in ALL],
    }
    hashes = {name: prepare_submission(make_zip(tmp_path / f"{name}.zip", members), tmp_path / name,
                                       modules=ALL).content_hash for name, members in layouts.items()}
    assert len(set(hashes.values())) == 1, hashes
    changed = [(n, d + b"# changed\n" if n == "wire.py" else d) for n, d in layouts["flat"]]
    again = prepare_submission(make_zip(tmp_path / "changed.zip", changed), tmp_path / "c", modules=ALL)
    assert again.content_hash != hashes["flat"]


# -- end to end: the reference solutions, flat, get full marks ------------------------------------


@pytest.mark.timeout(240)
def test_a_flat_zip_of_the_reference_solutions_gets_full_marks(tmp_path: Path) -> None:
    solutions = sorted(SOLUTIONS.glob("*/*.py"))
    assert {f"{p.parent.name}/{p.name}" for p in solutions} >= set(contract_modules())
    archive = tmp_path / "flat.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in solutions:
            zf.write(path, path.name)
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "grader.cli", "grade", str(archive), "--out", str(out),
                           "-j", "1"], capture_output=True, text=True, timeout=220, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    [result] = [json.loads(p.read_text(encoding="utf-8")) for p in (out / "students").glob("*/result.json")]
    assert result["problems"] == [], result["problems"]
    assert result["score"] == result["max_score"] > 0, (result["score"], result["max_score"], done.stdout)
    assert set(result["exercises"]) == {m[:-3] for m in contract_modules()}
