"""The unprivileged users of a batch's workers: one each, claimed so no one else can use it.

Why: as root, every student child drops to a user (:mod:`grader.harness.child`). Were
two students graded at once to share one, one's fork bomb would count against the
other's process limit and one's code could write into the folders lent to the other.
So each worker of a batch gets a numeric uid of its own (no passwd entry needed), from
:data:`WORKER_UIDS`, for as long as the batch runs, ``-j 1`` included.

A claim is an exclusive ``flock`` on a file in :data:`LOCK_DIR`, a folder that only
root may create files in: a student's code (which never runs as root) can neither
pre-create nor hold a lock there, so it cannot push a later batch onto a shared user.
When not enough users can be claimed the batch stops with :class:`WorkerUsersUnavailable`,
never silently falling back to a shared user.

Not root: there is no drop; each submission's student box has a user namespace of its
own (:mod:`.bwrap`), so there is nothing to claim.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import Any

from ..messages import msg

WORKER_UIDS = range(64100, 64356)
"""Where the numeric users of workers come from (ids with no passwd or group entry are taken;
16-bit, so they exist in containers that map only 0-65535)."""

LOCK_DIRS = (Path("/run/netlings"), Path("/var/lock/netlings"), Path("/var/lib/netlings/locks"))
"""Candidates for the claims' folder, the first whose parent exists is used."""


class WorkerUsersUnavailable(RuntimeError):
    """Not enough worker users could be claimed, or the claims' folder cannot be trusted."""


class WorkerUsers:
    """The users of a batch's workers (``None``: no drop), each claimed until :meth:`release`."""

    def __init__(self, users: list[str | None], locks: list[int] | None = None) -> None:
        self.users = users
        self._locks = locks or []

    def release(self) -> None:
        for fd in self._locks:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._locks = []

    def __enter__(self) -> WorkerUsers:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release()


def lock_dir() -> Path:
    """The root-owned folder of claims (made 0700 if missing); refuses one anybody else could use."""
    for candidate in LOCK_DIRS:
        if candidate.parent.is_dir():
            break
    else:
        candidate = LOCK_DIRS[0]
    try:
        candidate.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = candidate.lstat()
    except OSError as exc:
        raise WorkerUsersUnavailable(msg("grade.users.lock_dir", path=candidate, why=exc)) from exc
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != 0 or info.st_mode & 0o022:
        raise WorkerUsersUnavailable(msg("grade.users.lock_dir", path=candidate,
                                         why=msg("grade.users.not_root_owned")))
    return candidate


def claim_workers(jobs: int, *, user_ok: Any = None) -> WorkerUsers:
    """``jobs`` users of their own, claimed; as an ordinary user, ``[None] * jobs`` (no drop).

    ``user_ok(uid) -> bool`` says whether a uid really works here (defaults to
    :func:`grader.sandbox.limits.user_drop` for the student box).
    """
    jobs = max(1, int(jobs))
    if not (hasattr(os, "geteuid") and os.geteuid() == 0):
        return WorkerUsers([None] * jobs)
    if user_ok is None:
        from .limits import user_drop

        def user_ok(uid: int) -> bool:
            return user_drop(str(uid), boxed=True).available

    folder = lock_dir()
    claimed = WorkerUsers([])
    try:
        for uid in WORKER_UIDS:
            if len(claimed.users) == jobs:
                break
            if _id_taken(uid):
                continue
            fd = _claim(folder, uid)
            if fd is None:
                continue  # another batch on this machine uses it now
            if not user_ok(uid):
                os.close(fd)
                break  # ids like this one do not work here (e.g. not mapped in this container)
            claimed.users.append(str(uid))
            claimed._locks.append(fd)
    except BaseException:
        claimed.release()
        raise
    if len(claimed.users) < jobs:
        claimed.release()
        raise WorkerUsersUnavailable(msg("grade.users.too_few", jobs=jobs, start=WORKER_UIDS.start,
                                         stop=WORKER_UIDS.stop - 1))
    return claimed


def _claim(folder: Path, uid: int) -> int | None:
    """An exclusive, non-blocking lock meaning "this batch uses ``uid``", or None if taken."""
    import fcntl

    try:
        fd = os.open(folder / f"uid-{uid}.lock", os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        return None
    try:
        if os.fstat(fd).st_uid != 0:
            raise OSError("not ours")
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _id_taken(uid: int) -> bool:
    """The uid (or the gid of that number) belongs to somebody on this system."""
    try:
        import grp
        import pwd
    except ImportError:  # pragma: no cover - Windows has no user drop anyway
        return True
    for lookup in (pwd.getpwuid, grp.getgrgid):
        try:
            lookup(uid)
        except KeyError:
            continue
        return True
    return _running_as(uid)


def _running_as(uid: int) -> bool:
    """Some process runs as ``uid`` now (left by a batch killed without cleanup, or a squatter)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return False
    for entry in proc.iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if entry.stat().st_uid == uid:
                    return True
    return False
