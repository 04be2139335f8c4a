"""Worker users: one uid per worker of a batch, claimed in a folder only root can write, never shared."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import grader.sandbox.users as users_module
from grader.sandbox.users import WorkerUsersUnavailable, claim_workers

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_root = pytest.mark.skipif(not ROOT, reason="worker users are claimed as root only")


@pytest.fixture
def lock_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private claims folder, so these tests never meet a real batch's claims."""
    folder = tmp_path / "locks"
    monkeypatch.setattr(users_module, "LOCK_DIRS", (folder,))
    return folder


@needs_root
def test_each_worker_and_each_batch_gets_users_of_its_own(lock_folder: Path) -> None:
    always = lambda uid: True  # noqa: E731 - every uid works (the real check runs in test_bwrap)
    with claim_workers(3, user_ok=always) as first, claim_workers(1, user_ok=always) as second:
        assert len(set(first.users + second.users)) == 4 and None not in first.users + second.users
        assert (lock_folder.stat().st_mode & 0o777) == 0o700 and lock_folder.stat().st_uid == 0
    with claim_workers(4, user_ok=always) as again:  # released when a batch ends: ids come back
        assert set(again.users) == set(first.users + second.users)


@needs_root
def test_a_lock_file_someone_else_made_is_never_trusted(lock_folder: Path) -> None:
    """A squatter's file (not root's) is passed over; the batch takes the next uid instead."""
    lock_folder.mkdir(mode=0o700)
    first = users_module.WORKER_UIDS.start
    squat = lock_folder / f"uid-{first}.lock"
    squat.touch()
    os.chown(squat, 65534, 65534)
    with claim_workers(2, user_ok=lambda uid: True) as claimed:
        assert str(first) not in claimed.users and len(claimed.users) == 2


@needs_root
def test_a_claims_folder_anybody_else_can_write_stops_the_batch(lock_folder: Path) -> None:
    lock_folder.mkdir(mode=0o777)
    os.chmod(lock_folder, 0o777)
    with pytest.raises(WorkerUsersUnavailable, match="cannot be trusted"):
        claim_workers(1, user_ok=lambda uid: True)
    os.chmod(lock_folder, 0o700)
    os.chown(lock_folder, 65534, 65534)
    with pytest.raises(WorkerUsersUnavailable, match="only root can write"):
        claim_workers(1, user_ok=lambda uid: True)


@needs_root
def test_too_few_users_is_an_error_never_a_shared_user(lock_folder: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users_module, "WORKER_UIDS", range(64100, 64102))
    with claim_workers(2, user_ok=lambda uid: True), pytest.raises(WorkerUsersUnavailable, match="-j"):
        claim_workers(1, user_ok=lambda uid: True)  # both taken by the batch above


def test_without_root_there_is_nothing_to_claim(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000, raising=False)
    assert claim_workers(3).users == [None, None, None]
