"""prepare_submission: a clean root of contract modules, a content hash that tracks only them."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_trees import deep_folder, scrub
from sandbox_helpers import STUB, make_zip

from grader.sandbox import CONTRACT_MODULES, contract_modules, prepare_submission

MODULES = ["00_basics/wire.py", "01_udp/udp_server.py"]
SERVER = b"import socket\n\ndef make_udp_socket(host, port):\n    return socket.socket()\n"


def test_the_contract_list_comes_from_the_manifest_or_the_constant() -> None:
    modules = contract_modules()
    assert modules and all(m.count("/") == 1 and m.endswith(".py") for m in modules)
    assert set(CONTRACT_MODULES) <= set(modules), "the manifest may add exercises, never drop the contract"
    assert "01_udp/udp_server.py" in modules


def test_zip_and_folder_with_the_same_code_hash_the_same(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "alice.zip", [
        ("x/exercises/00_basics/wire.py", STUB), ("x/exercises/01_udp/udp_server.py", SERVER),
        ("x/notes.txt", b"anything else"),
    ])
    folder = tmp_path / "alice_folder"
    for module, data in (("00_basics/wire.py", STUB), ("01_udp/udp_server.py", SERVER)):
        (folder / module).parent.mkdir(parents=True, exist_ok=True)
        (folder / module).write_bytes(data)
    a = prepare_submission(archive, tmp_path / "w1", modules=MODULES)
    b = prepare_submission(folder, tmp_path / "w2", modules=MODULES)
    assert a.content_hash == b.content_hash and len(a.content_hash) == 64
    (folder / "01_udp/udp_server.py").write_bytes(SERVER + b"# changed\n")
    c = prepare_submission(folder, tmp_path / "w2", modules=MODULES)
    assert c.content_hash != b.content_hash, "a changed contract file must be re-graded"


def test_the_clean_root_is_readable_and_the_source_is_gone(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "bob.zip", [("00_basics/wire.py", STUB)])
    prepared = prepare_submission(archive, tmp_path / "work", modules=MODULES)
    assert prepared.root == tmp_path / "work" / "exercises"
    assert (prepared.root / "00_basics/wire.py").read_bytes() == STUB
    if os.name == "posix":
        assert stat.S_IMODE((prepared.root / "00_basics/wire.py").stat().st_mode) == 0o644
        assert stat.S_IMODE((prepared.root / "00_basics").stat().st_mode) == 0o755
    assert not (tmp_path / "work" / "src").exists()
    kept = prepare_submission(archive, tmp_path / "work", modules=MODULES, keep_source=True)
    assert (tmp_path / "work" / "src" / "00_basics/wire.py").is_file() and kept.ok


def test_regrading_into_the_same_workdir_replaces_the_old_root(tmp_path: Path) -> None:
    first = make_zip(tmp_path / "c1.zip", [("00_basics/wire.py", STUB), ("01_udp/udp_server.py", SERVER)])
    second = make_zip(tmp_path / "c2.zip", [("00_basics/wire.py", STUB)])
    prepare_submission(first, tmp_path / "work", modules=MODULES)
    prepared = prepare_submission(second, tmp_path / "work", modules=MODULES, student="carol")
    assert prepared.student == "carol"
    assert not (prepared.root / "01_udp").exists(), "nothing of the previous run may linger"


def test_not_a_submission(tmp_path: Path) -> None:
    odd = tmp_path / "dave.txt"
    odd.write_text("hello")
    prepared = prepare_submission(odd, tmp_path / "work", modules=MODULES)
    assert prepared.root is None and prepared.problem_codes() == ["bad_archive"]
    assert "neither a folder nor a .zip" in prepared.problems[0].message
    assert len(prepared.content_hash) == 64


def test_problems_are_per_module_and_json_ready(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "erin.zip", [("00_basics/wire.py", b"def f(:\n")])
    prepared = prepare_submission(archive, tmp_path / "work", modules=MODULES)
    assert [p.code for p in prepared.problems_for("00_basics/wire.py")] == ["syntax"]
    assert [p.code for p in prepared.problems_for("01_udp/udp_server.py")] == ["missing"]
    assert all(set(p.to_json()) == {"code", "path", "message"} for p in prepared.problems)
    assert prepared.modules == ["00_basics/wire.py"], "a module that does not compile is still graded"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_messages_come_in_both_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.setenv("NETLINGS_LANG", lang)
    archive = make_zip(tmp_path / "f.zip", [("x.txt", b"")])
    prepared = prepare_submission(archive, tmp_path / "w", modules=MODULES)
    [problem] = prepared.problems
    assert problem.code == "empty"
    assert ("这份提交是空的" in problem.message) == (lang == "zh")


# -- issue 11: one submission's tree can never stop the class --------------------------------------


@pytest.fixture
def deep_tmp(tmp_path: Path) -> Iterator[Path]:
    """``tmp_path``, emptied afterwards by our remover (pytest's would hit RecursionError at exit)."""
    yield tmp_path
    scrub(tmp_path)


def test_a_member_1000_folders_deep_is_a_problem_not_a_crash(deep_tmp: Path) -> None:
    """It made shutil.rmtree raise RecursionError when the source was cleaned up: the batch died."""
    archive = make_zip(deep_tmp / "mallory.zip", [("00_basics/wire.py", STUB), ("d/" * 1000 + "f.txt", b"x")])
    prepared = prepare_submission(archive, deep_tmp / "work", modules=MODULES)
    assert prepared.ok and prepared.modules == ["00_basics/wire.py"]
    assert [p.code for p in prepared.problems] == ["unsafe_member", "missing"], prepared.problems
    assert "1000 folders deep" in prepared.problems[0].message
    assert not (deep_tmp / "work" / "src").exists()


def test_a_folder_submission_1000_deep_is_a_problem_not_a_crash(deep_tmp: Path) -> None:
    folder = deep_tmp / "oscar"
    (folder / "00_basics").mkdir(parents=True)
    (folder / "00_basics" / "wire.py").write_bytes(STUB)
    deep_folder(folder / "deep", 1000, file_every=250)
    prepared = prepare_submission(folder, deep_tmp / "work", modules=MODULES)
    assert prepared.ok and "unsafe_member" in prepared.problem_codes(), prepared.problems
    assert (prepared.root / "00_basics/wire.py").read_bytes() == STUB


def test_a_rerun_over_a_1000_deep_leftover_still_prepares(deep_tmp: Path) -> None:
    """A kept source (or a crashed run) left a deep tree in the work dir: every re-run died on it."""
    work = deep_tmp / "work"
    deep_folder(work / "src", 1000, file_every=100)
    deep_folder(work / "exercises", 5)
    os.chmod(work / "exercises" / "d" / "d", 0o000)  # a student's chmod inside its working copy
    archive = make_zip(deep_tmp / "peggy.zip", [("00_basics/wire.py", STUB)])
    prepared = prepare_submission(archive, work, modules=MODULES)
    assert prepared.ok and prepared.problem_codes() == ["missing"], prepared.problems
    assert sorted(p.name for p in work.iterdir()) == ["exercises"]
    assert not (prepared.root / "d").exists()


def test_any_failure_while_preparing_is_that_submissions_problem(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """RecursionError, MemoryError …: a problem with no content hash (so the next run tries again)."""
    import grader.sandbox.prepare as prepare_module

    def explode(*args: object, **kwargs: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(prepare_module, "locate_modules", explode)
    archive = make_zip(tmp_path / "trent.zip", [("00_basics/wire.py", STUB)])
    prepared = prepare_submission(archive, tmp_path / "work", modules=MODULES)
    assert not prepared.ok and prepared.problem_codes() == ["internal"]
    assert "RecursionError" in prepared.problems[0].message
    assert prepared.content_hash == ""
    assert not (tmp_path / "work" / "src").exists()
