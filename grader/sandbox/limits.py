"""Resource limits, the unprivileged user and the boxes for graded runs.

Why this module exists: a graded submission may loop, allocate gigabytes, fork, fill
the disk, try the network or go looking for the hidden suite. The orchestrator
(``netlings grade``) therefore

* launches each per-submission pytest process through :func:`wrap`, which puts it in
  its *run box* (:mod:`.bwrap`: loopback only, a PID namespace that dies with it);
* sets :data:`ENV_VAR` (``NETLINGS_SANDBOX``, JSON made by :meth:`SandboxConfig.to_env`)
  for that pytest process, so the harness (:mod:`grader.harness.runner`) starts every
  student child in the *student box* (its own files, processes and temp dirs only),
  with the limits and, as root, the drop to the worker's unprivileged user. Students'
  own visible-test runs never set it, so they get no limits beyond the deadline and
  the output cap, and need no sandbox.

Where a box cannot be had (macOS, Windows, no bubblewrap, no user namespaces),
:func:`isolation_notice` says so, and ``netlings grade`` refuses to grade a class unless
told ``--unsafe-shared-host`` (:mod:`grader.grade.batch`).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..messages import msg

ENV_VAR = "NETLINGS_SANDBOX"
"""Environment variable carrying the sandbox settings from the orchestrator to the runner."""

KiB, MiB, GiB = 1024, 1024**2, 1024**3


def format_size(n: int) -> str:
    """``1073741824`` → ``"1 GiB"``: limits are named in messages the way people think of them."""
    for unit, size in (("GiB", GiB), ("MiB", MiB), ("KiB", KiB)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} bytes"


@dataclass(frozen=True)
class Limits:
    """Per-child resource limits; ``None`` means "not limited".

    ``processes`` (RLIMIT_NPROC) counts every process *of the user*, so it is applied
    only together with the drop to a dedicated unprivileged user: for root it has no
    effect at all, and for an ordinary user it would count their whole desktop session.
    """

    cpu_seconds: int | None = 20
    memory_bytes: int | None = 1 * GiB
    open_files: int | None = 256
    file_size_bytes: int | None = 16 * MiB
    processes: int | None = 64

    def to_json(self) -> dict[str, int | None]:
        """Short keys, as in the env var and the child's job."""
        return {"cpu": self.cpu_seconds, "memory": self.memory_bytes, "nofile": self.open_files,
                "fsize": self.file_size_bytes, "nproc": self.processes}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Limits:
        def get(key: str, default: int | None) -> int | None:
            value = data.get(key, default)
            return None if value is None else int(value)

        d = cls()
        return cls(get("cpu", d.cpu_seconds), get("memory", d.memory_bytes), get("nofile", d.open_files),
                   get("fsize", d.file_size_bytes), get("nproc", d.processes))

    def describe(self, key: str) -> str:
        """How a limit reads in a message: ``"1 GiB"``, ``"20 s"``, ``"256"``."""
        value = self.to_json().get(key)
        if value is None:
            return "?"
        if key in ("memory", "fsize"):
            return format_size(value)
        if key == "cpu":
            return f"{value} s"
        return str(value)


@dataclass(frozen=True)
class SandboxConfig:
    """What the orchestrator asks for: limits, and the user children run as when root.

    ``user`` is a user name (``"nobody"``) or a numeric ``"uid"``/``"uid:gid"``; numeric
    ids need no passwd entry, so parallel workers can each get their own uid and their
    own process limit.
    """

    limits: Limits = field(default_factory=Limits)
    user: str | None = "nobody"
    boxed: bool = False
    """Student children run in the student box (:func:`grader.sandbox.bwrap.student_box`)."""
    shared: str | None = None
    """The student box's one writable folder, set per submission by the runner."""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"limits": self.limits.to_json(), "user": self.user}
        if self.boxed:
            data["boxed"] = True
        if self.shared:
            data["shared"] = self.shared
        return data

    def to_env(self) -> dict[str, str]:
        """``{"NETLINGS_SANDBOX": "..."}``: merge into the pytest process's environment."""
        return {ENV_VAR: json.dumps(self.to_json(), sort_keys=True)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SandboxConfig:
        user = data.get("user", "nobody")
        shared = data.get("shared")
        return cls(Limits.from_json(data.get("limits") or {}), None if user in (None, "") else str(user),
                   bool(data.get("boxed")), str(shared) if shared else None)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SandboxConfig | None:
        """The settings from :data:`ENV_VAR`, or None when it is not set (a student's own run)."""
        raw = (os.environ if environ is None else environ).get(ENV_VAR, "").strip()
        if not raw:
            return None
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise ValueError(f"{ENV_VAR} is not valid JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise ValueError(f"{ENV_VAR} must hold a JSON object")
        return cls.from_json(data)

    def job_limits(self, *, with_user: bool) -> dict[str, int]:
        """The ``"limits"`` of a child's job: set ones only; ``nproc`` only with a user drop."""
        limits = {k: v for k, v in self.limits.to_json().items() if v is not None}
        if not with_user:
            limits.pop("nproc", None)
        return limits


# -- the unprivileged user ------------------------------------------------------------------


def resolve_user(user: str) -> tuple[int, int] | None:
    """``"nobody"`` → ``(65534, 65534)``; ``"1234"``/``"1234:1234"`` as given; None if unknown."""
    text = user.strip()
    if text.replace(":", "").isdigit() and text.count(":") <= 1:
        uid_s, _, gid_s = text.partition(":")
        uid = int(uid_s)
        return uid, int(gid_s) if gid_s else uid
    try:
        import pwd
    except ImportError:  # Windows
        return None
    try:
        entry = pwd.getpwnam(text)
    except KeyError:
        return None
    return entry.pw_uid, entry.pw_gid


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@functools.lru_cache(maxsize=8)
def child_python(uid: int, gid: int) -> str | None:
    """A Python interpreter (>= 3.10) that ``uid`` can run after the drop, or None.

    Why: the child starts as root and drops to ``uid`` before importing the student's
    module, so every stdlib module imported later must be readable by that user. An
    interpreter under ``/root`` (pyenv, as on this very machine) is not. The harness
    child needs only the standard library, so any accessible Python will do; we try the
    current one first, then the system ones, each checked by really running it as
    ``uid`` and importing the modules the exercises use.
    """
    probe = ("import sys, json, socket, ssl, email.policy, smtplib, ftplib, poplib, select, tempfile,"
             " resource; sys.exit(0 if sys.version_info >= (3, 10) else 3)")
    seen: set[str] = set()
    for candidate in (sys.executable, "/usr/bin/python3", "/usr/local/bin/python3", shutil.which("python3")):
        if not candidate or candidate in seen or not os.path.isfile(candidate):
            continue
        seen.add(candidate)
        try:
            done = subprocess.run([candidate, "-I", "-c", probe], user=uid, group=gid, extra_groups=[],
                                  stdin=subprocess.DEVNULL, capture_output=True, timeout=20)
        except (OSError, subprocess.SubprocessError, ValueError):
            continue
        if done.returncode == 0:
            return candidate
    return None


@dataclass(frozen=True)
class UserDrop:
    """The outcome of asking for a user drop: ids and interpreter, or why not."""

    uid: int | None = None
    gid: int | None = None
    python: str | None = None
    reason: str | None = None

    @property
    def available(self) -> bool:
        return self.uid is not None


@functools.lru_cache(maxsize=32)
def user_drop(user: str | None, *, boxed: bool = False) -> UserDrop:
    """Can children run as ``user``? Only as root on POSIX, with an interpreter they can read.

    ``boxed``: the children run in the student box, which shows them the grader's own
    interpreter (:func:`grader.sandbox.bwrap.student_box`), so only the switch itself is
    checked (a container may not map every uid).
    """
    if not user:
        return UserDrop(reason=msg("reason_no_user_configured"))
    if not hasattr(os, "setuid") or not hasattr(os, "setgroups"):
        return UserDrop(reason=msg("reason_not_posix", platform=sys.platform))
    if not _is_root():
        return UserDrop(reason=msg("reason_not_root"))
    ids = resolve_user(user)
    if ids is None:
        return UserDrop(reason=msg("reason_no_such_user", user=user))
    true = shutil.which("true")
    if boxed and true:
        try:
            done = subprocess.run([true], user=ids[0], group=ids[1], extra_groups=[], cwd="/",
                                  stdin=subprocess.DEVNULL, capture_output=True, timeout=20)
        except (OSError, subprocess.SubprocessError, ValueError) as exc:
            return UserDrop(reason=msg("reason_no_such_user", user=f"{user} ({exc})"))
        if done.returncode != 0:
            return UserDrop(reason=msg("reason_no_such_user", user=user))
        return UserDrop(ids[0], ids[1], None)
    python = child_python(*ids)
    if python is None:
        return UserDrop(reason=msg("reason_no_python", user=user, python=sys.executable))
    return UserDrop(ids[0], ids[1], python)


# -- the boxes (bubblewrap) -------------------------------------------------------------------


def network_isolation() -> tuple[bool, str | None]:
    """``(True, None)`` when graded runs can be boxed here (:mod:`.bwrap`), else ``(False, reason)``."""
    from .bwrap import availability

    return availability()


def wrap(cmd: Sequence[str], *, notify: Callable[[str], None] | None = None) -> list[str]:
    """The command to launch a per-submission pytest process with: in its run box when possible.

    The run box (:func:`grader.sandbox.bwrap.run_box`) gives it a network of loopback
    alone and a PID namespace that dies with it. Otherwise CMD unchanged, and
    :func:`isolation_notice` is told: through ``notify`` on every call (the caller keeps
    it once), or by default once per process on stderr.
    """
    ok, _reason = network_isolation()
    if notify is None:
        announce_isolation()
    else:
        text = isolation_notice()
        if text:
            notify(text)
    if not ok:
        return list(cmd)
    from .bwrap import run_box

    return run_box(cmd)


def isolation_notice(config: SandboxConfig | None = None) -> str | None:
    """What isolation is missing and why, in one or two sentences; None when all of it works."""
    config = SandboxConfig() if config is None else config
    lines = []
    ok, reason = network_isolation()
    if not ok:
        lines.append(msg("isolation_unavailable", reason=reason))
    elif not _is_root():
        return None  # boxed as an ordinary user: the drop to another user is a root-only extra
    drop = user_drop(config.user)
    if not drop.available:
        lines.append(msg("user_drop_unavailable", user=config.user, reason=drop.reason))
    return "\n".join(lines) or None


_announced = False


def announce_isolation(notify: Callable[[str], None] | None = None,
                       config: SandboxConfig | None = None) -> None:
    """Say :func:`isolation_notice` once per process (a batch of 300 must not say it 300 times)."""
    global _announced
    if _announced:
        return
    _announced = True
    text = isolation_notice(config)
    if text:
        (notify or _to_stderr)(text)


def _to_stderr(text: str) -> None:
    print(text, file=sys.stderr)


# -- making paths usable by the unprivileged user --------------------------------------------


def grant_access(path: str | Path, uid: int, gid: int, *, write: bool,
                 roots: Sequence[str | Path] = ()) -> bool:
    """Let the dropped user use ``path`` if it lies inside the system temp dir (or one of
    ``roots``: the student box's shared folder); True if granted.

    Why: pytest makes ``tmp_path`` and its parents 0700, so a folder a test hands to
    student code (``local_dir=tmp_path``, a file to upload) is unreachable for
    ``nobody``. A writable folder is given to the user (``chown``; with one uid per
    parallel worker, no other student's code can touch it); a file, or a folder only
    read, gets ``o+r``; every parent up to the temp dir gets ``o+x`` (enter, not list).
    Nothing outside the temp dir is ever widened (``/root``, a home, the repository).
    """
    import tempfile

    try:
        target = Path(path).resolve()
        info = target.lstat()
    except (OSError, RuntimeError, ValueError):
        return False
    allowed = [Path(r).resolve() for r in (tempfile.gettempdir(), *roots)]
    temp = next((r for r in allowed if r in target.parents), None)
    if temp is None:
        return False
    mode = stat.S_IMODE(info.st_mode)
    if stat.S_ISDIR(info.st_mode) and write:
        os.chown(target, uid, gid)
        os.chmod(target, mode | 0o700)
    elif stat.S_ISDIR(info.st_mode):
        os.chmod(target, mode | 0o005)
    elif stat.S_ISREG(info.st_mode):
        os.chmod(target, mode | 0o004)
    else:
        return False
    for parent in target.parents:
        if parent == temp:
            break
        pmode = stat.S_IMODE(parent.stat().st_mode)
        if not pmode & 0o001:
            os.chmod(parent, pmode | 0o001)
    return True


def grant_step_paths(value: Any, uid: int, gid: int, roots: Sequence[str | Path] = ()) -> None:
    """Grant access to every absolute temp path among a job's step arguments (see :func:`grant_access`).

    An existing folder becomes the user's; an existing file readable; for a path that
    does not exist yet (an output file), its folder becomes the user's.
    """
    if isinstance(value, list):
        for item in value:
            grant_step_paths(item, uid, gid, roots)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "$bytes":
                grant_step_paths(item, uid, gid, roots)
    elif isinstance(value, str) and len(value) < 4096 and os.path.isabs(value):
        if os.path.isdir(value):
            grant_access(value, uid, gid, write=True, roots=roots)
        elif os.path.isfile(value):
            grant_access(value, uid, gid, write=False, roots=roots)
        elif os.path.isdir(os.path.dirname(value)):
            grant_access(os.path.dirname(value), uid, gid, write=True, roots=roots)
