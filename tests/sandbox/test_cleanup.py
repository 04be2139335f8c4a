"""remove_tree: any depth, no link followed, permissions a student broke, and it never raises."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hostile_trees import deep_folder, scrub

from grader.sandbox import cleanup
from grader.sandbox.cleanup import MAX_REPORTED, remove_tree


@pytest.fixture(params=["fd", "path"] if cleanup._USE_FD else ["path"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways of removing: through folder descriptors (POSIX) and by path (Windows), where possible."""
    monkeypatch.setattr(cleanup, "_USE_FD", request.param == "fd")
    return request.param


@pytest.fixture
def work(tmp_path: Path) -> Iterator[Path]:
    """``tmp_path``, emptied afterwards by our remover (pytest's would hit RecursionError at exit)."""
    yield tmp_path
    scrub(tmp_path)


def outside_files(work: Path) -> Path:
    """Files outside the tree that links inside it point at: they must survive."""
    outside = work / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "keep.txt").write_text("keep")
    (outside / "folder" / "keep.txt").write_text("keep")
    return outside


def test_a_tree_1000_folders_deep_is_removed_without_raising(work: Path, mode: str) -> None:
    top = work / "tree"
    deepest = deep_folder(top, 1000, file_every=50)
    (deepest / "last.txt").write_text("x")
    assert remove_tree(top) == []
    assert not top.exists() and list(work.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_links_are_removed_never_followed(work: Path, mode: str) -> None:
    outside = outside_files(work)
    top = work / "tree"
    deepest = deep_folder(top, 50)
    try:
        os.symlink(outside, deepest / "to_dir", target_is_directory=True)
        os.symlink(outside / "keep.txt", deepest / "to_file")
        os.symlink(outside, top / "d" / "to_dir", target_is_directory=True)
        os.symlink(outside / "folder", work / "top_link", target_is_directory=True)
    except OSError:
        pytest.skip("symlinks not permitted here")
    assert remove_tree(top) == []
    assert remove_tree(work / "top_link") == []
    assert not top.exists() and not os.path.lexists(work / "top_link")
    assert (outside / "keep.txt").read_text() == "keep"
    assert (outside / "folder" / "keep.txt").read_text() == "keep"


def test_missing_paths_files_and_read_only_files(work: Path, mode: str) -> None:
    assert remove_tree(work / "never-there") == []
    single = work / "single.txt"
    single.write_text("x")
    assert remove_tree(single) == [] and not single.exists()
    top = work / "tree"
    (top / "a").mkdir(parents=True)
    (top / "a" / "ro.txt").write_text("x")
    os.chmod(top / "a" / "ro.txt", stat.S_IREAD)  # a read-only file (Windows refuses to delete those)
    assert remove_tree(str(top)) == [] and not top.exists()


def broken_permissions_tree(base: Path) -> Path:
    """Folders made unreadable (``chmod 000``) and read-only (``0o500``), deep inside, with files."""
    top = base / "tree"
    deepest = deep_folder(top, 200, file_every=20)
    (deepest / "x.txt").write_text("x")
    for level in (200, 150, 77, 3):  # deepest first: a student can lock themselves out too
        os.chmod(top.joinpath(*["d"] * level), 0o000 if level % 2 else 0o500)
    os.chmod(top, 0o500)
    return top


def as_nobody(action: Callable[[Path], object]) -> object:
    """Run ``action(folder)`` in a child process as ``nobody``, in a folder that user owns (root only)."""
    import pwd

    nobody = pwd.getpwnam("nobody")
    base = Path(tempfile.mkdtemp(prefix="netlings-cleanup-test-"))
    os.chown(base, nobody.pw_uid, nobody.pw_gid)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            answer = json.dumps({"value": action(base)})
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            answer = json.dumps({"error": f"{type(exc).__name__}: {exc}"})
        os.write(write, answer.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        answer = json.loads(pipe.read() or b'{"error": "no answer"}')
    os.waitpid(pid, 0)
    assert remove_tree(base) == []
    assert "error" not in answer, answer["error"]
    return answer["value"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_folders_a_student_made_unreadable_are_removed(work: Path, mode: str) -> None:
    """A non-root grader owns the files but not the permissions the student left on them."""

    def build_and_remove(base: Path) -> list:
        top = broken_permissions_tree(base)
        return [remove_tree(top), top.exists()]

    if os.geteuid() == 0:
        if not hasattr(os, "fork"):
            pytest.skip("needs fork to act as another user")
        result = as_nobody(build_and_remove)
    else:
        result = build_and_remove(work)
    assert result == [[], False]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="root removing another user's files")
def test_root_removes_another_users_locked_files(work: Path, mode: str) -> None:
    top = broken_permissions_tree(work)
    for folder, dirs, files in os.walk(top, topdown=False):  # as root: walks in spite of the modes
        for name in dirs + files:
            os.lchown(os.path.join(folder, name), 65534, 65534)
    os.lchown(top, 65534, 65534)
    assert remove_tree(top) == [] and not top.exists()


@pytest.mark.skipif(not cleanup._USE_FD, reason="the folder-descriptor walk")
def test_a_folder_moved_away_mid_removal_stops_it(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk climbs back through ``..``: if a folder was moved meanwhile, it stops instead of going on."""
    outside = outside_files(work)
    top = work / "tree"
    deep_folder(top, 10)
    real_empty = cleanup._empty
    level_3 = top / "d" / "d" / "d"

    def moving_empty(fd: int, where: cleanup._Where, failures: cleanup._Failures) -> list[str]:
        if len(where.stack) == 6 and level_3.exists():  # inside level 5: a daemon moves level 3 away
            os.rename(level_3, outside / "moved")
        return real_empty(fd, where, failures)

    monkeypatch.setattr(cleanup, "_empty", moving_empty)
    said = remove_tree(top)
    assert len(said) == 1 and "moved or replaced" in said[0], said
    assert (outside / "keep.txt").read_text() == "keep", "nothing outside the tree is touched"
    assert (outside / "folder" / "keep.txt").read_text() == "keep"
    assert (top / "d" / "d").is_dir(), "the removal stopped where the tree was broken"


def test_it_never_raises_and_says_what_is_left(work: Path, mode: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    top = work / "tree"
    top.mkdir()
    for i in range(MAX_REPORTED + 5):
        (top / f"f{i}").write_text("x")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cleanup.os, "unlink", refuse)
    said = remove_tree(top)
    assert len(said) == MAX_REPORTED + 1, said  # ten files, then "6 more" (5 files and the folder)
    assert sum("Permission denied" in s for s in said) == MAX_REPORTED
    assert "6 more" in said[-1]
    monkeypatch.undo()

    def out_of_memory(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(cleanup.os, "scandir", out_of_memory)
    monkeypatch.setattr(cleanup.os, "lstat", out_of_memory)
    said = remove_tree(top)
    monkeypatch.undo()
    assert said and "MemoryError" in said[0]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_sentences_come_from_the_catalogue(work: Path, monkeypatch: pytest.MonkeyPatch,
                                               lang: str) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(16, "Device or resource busy")

    (work / "t").mkdir()
    monkeypatch.setattr(cleanup.os, "rmdir", refuse)
    said = remove_tree(work / "t", lang=lang)
    monkeypatch.undo()
    assert len(said) == 1 and said[0].startswith("could not remove" if lang == "en" else "无法删除"), said


def test_the_remover_is_used_where_a_submission_is_prepared() -> None:
    """grader/sandbox never calls shutil.rmtree again (it recursed per level up to Python 3.11)."""
    sandbox = Path(cleanup.__file__).parent
    users = [p.name for p in sandbox.glob("*.py") if "rmtree(" in p.read_text(encoding="utf-8")]
    assert users == [], users
