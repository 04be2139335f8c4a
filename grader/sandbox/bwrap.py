"""The sandbox of a graded submission, built on bubblewrap (``bwrap``), not on namespace code of ours.

Two boxes, one inside the other, for every submission that ``netlings grade`` runs:

* **The run box** (:func:`run_box`) holds the per-submission pytest process, the one
  that owns the fake servers and decides the grade: a new network namespace with only
  loopback (nothing but the fake servers can be reached, and no host service, abstract
  Unix sockets included) and a new PID namespace whose init kills whatever is left when
  pytest ends. It still sees the host's files, since it must read the hidden suite.
* **The student box** (:func:`student_box`) holds the student's code: the fork server's
  zygote and every child it forks (or, without a fork server, each child). It shares
  the run box's loopback (the fake servers are there) and nothing else: a fresh
  ``/proc`` (its own PID namespace, so neither the grader's processes, their
  command lines, nor their memory can be named), private size-capped ``/tmp``,
  ``/var/tmp`` and ``/dev/shm``, the system and the interpreter read-only with every
  ``site-packages`` hidden, the harness's ``child.py`` alone of the grader, and one
  folder read-write: the submission's *shared* folder, where the harness puts the
  student's working copy and the tests' ``tmp_path``. Not the hidden suite, not
  ``solutions/``, not the class folder, not ``--out``, not a classmate's files, no host
  Unix socket (``/run`` and ``/var/run`` are not there).

As root, bwrap needs no user namespace: the zygote keeps only ``CAP_SETUID`` and
``CAP_SETGID``, so each child can still drop to the worker's own unprivileged user
(:mod:`grader.harness.child`) and loses them with the drop, and ``CAP_KILL``, so it can
stop those children when the grader asks (their pids mean nothing outside the box). As an ordinary user,
bwrap makes a user namespace (``--unshare-user``; nested ones are then refused with
``--disable-userns``) and the child keeps the instructor's uid, fenced in by the
namespaces alone. Where neither works (no bwrap, user namespaces switched off, macOS,
Windows) :func:`availability` says why in one sentence, and ``netlings grade`` refuses
to grade a class unless told ``--unsafe-shared-host``.

The student's own ``pytest exercises/`` never comes here: it needs no sandbox.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..messages import msg

CHILD_SOURCE = Path(__file__).resolve().parents[1] / "harness" / "child.py"
CHILD_INSIDE = "/netlings/child.py"
"""Where the student box shows the harness's child (the one file of the grader it holds)."""

SCRATCH_SIZE = 64 * 1024 * 1024
"""Bytes each private tmpfs (``/tmp``, ``/var/tmp``, ``/dev/shm``) of a student box may hold."""

SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
ETC_ENTRIES = (
    "hosts", "host.conf", "nsswitch.conf", "gai.conf", "services", "protocols", "localtime",
    "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "ssl", "mime.types", "passwd", "group",
    "alternatives",
)
"""What of ``/etc`` a child needs: name lookup of ``localhost``, the loader, TLS defaults, MIME types."""


def find_bwrap() -> str | None:
    """The ``bwrap`` executable, or None."""
    return shutil.which("bwrap") or next(
        (p for p in ("/usr/bin/bwrap", "/usr/local/bin/bwrap") if os.access(p, os.X_OK)), None)


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def student_python() -> str:
    """The interpreter student children run with: the grader's own, by its real path.

    A virtual environment's ``python`` is a link to its base interpreter; the child runs
    in isolated mode and needs only the standard library, so the base interpreter is
    all the box must show (and the venv, where netlings itself may be installed, stays out).
    """
    return os.path.realpath(sys.executable)


@functools.lru_cache(maxsize=4)
def _site_dirs(python: str) -> tuple[str, ...]:
    """Every ``site-packages``/``dist-packages`` folder ``python`` knows: hidden in the box.

    For our own interpreter (the usual case) asked here, without starting another one.
    """
    if python == student_python():
        import site
        import sysconfig

        base = {"base": sys.base_prefix, "platbase": sys.base_exec_prefix}
        found = {sysconfig.get_paths(vars=base)[k] for k in ("purelib", "platlib")}
        found.update(getattr(site, "getsitepackages", list)())
        found.update(p for p in sys.path if p.endswith(("site-packages", "dist-packages")))
        return _existing([*found, *_debian_dist_packages()])
    code = ("import json, site, sys, sysconfig; paths = set(site.getsitepackages());"
            " paths.add(site.getusersitepackages());"
            " paths.update(sysconfig.get_paths()[k] for k in ('purelib', 'platlib'));"
            " paths.update(p for p in sys.path if p.endswith(('site-packages', 'dist-packages')));"
            " print(json.dumps(sorted(paths)))")
    try:
        done = subprocess.run([python, "-I", "-c", code], capture_output=True, timeout=30, check=True)
        found = json.loads(done.stdout)
    except (OSError, subprocess.SubprocessError, ValueError):
        found = []
    return _existing([*found, *_debian_dist_packages()])


def _debian_dist_packages() -> list[str]:
    return [*map(str, Path("/usr/lib").glob("python3*/dist-packages")), "/usr/lib/python3/dist-packages"]


def _existing(paths: list[str]) -> tuple[str, ...]:
    return tuple(sorted({os.path.realpath(p) for p in paths if os.path.isdir(p)}))


def _python_prefix(python: str) -> str:
    """The installation folder of ``python`` (``…/bin/python3.11`` → ``…``)."""
    return str(Path(python).parent.parent)


def _under(path: str, roots: Sequence[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def _dirs_to(path: str, *, mode: str = "0755") -> list[str]:
    """``--dir`` for every ancestor of ``path`` (so a bind under ``/root`` can be entered)."""
    args: list[str] = []
    parts = Path(path).parts[1:-1]
    for i in range(1, len(parts) + 1):
        args += ["--perms", mode, "--dir", "/" + "/".join(parts[:i])]
    return args


def _system_args() -> list[str]:
    args: list[str] = []
    for folder in SYSTEM_DIRS:
        if os.path.islink(folder):
            args += ["--symlink", os.readlink(folder), folder]
        elif os.path.isdir(folder):
            args += ["--ro-bind", folder, folder]
    for name in ETC_ENTRIES:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    for found in sorted(Path("/etc").glob("python3*")):
        args += ["--ro-bind-try", str(found), str(found)]
    return args


@dataclass(frozen=True)
class StudentBox:
    """How to start student code in a box: the command prefix and the interpreter path inside."""

    prefix: tuple[str, ...]
    python: str
    child: str = CHILD_INSIDE

    def command(self, *args: str) -> list[str]:
        """``bwrap … -- python -I /netlings/child.py ARGS``."""
        return [*self.prefix, self.python, "-I", self.child, *args]


def student_box(shared: str | Path, *, python: str | None = None, as_root: bool | None = None,
                scratch_size: int = SCRATCH_SIZE) -> StudentBox:
    """The student box for one submission whose only writable folder is ``shared``.

    ``shared`` appears at its own path, so paths the tests hand to student code
    (``tmp_path``, the CA file) mean the same inside and out. The same box for the same
    arguments: the harness asks for every call, and the fork server is keyed by it.
    """
    return _student_box(os.path.realpath(shared), python or student_python(),
                        _is_root() if as_root is None else as_root, scratch_size)


@functools.lru_cache(maxsize=16)
def _student_box(shared: str, python: str, as_root: bool, scratch_size: int) -> StudentBox:
    bwrap = find_bwrap()
    if bwrap is None:
        raise OSError("bubblewrap (bwrap) is not installed")
    args = [bwrap, "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try", "--hostname", "netlings"]
    if as_root:
        args += ["--cap-drop", "ALL"]
        args += [arg for cap in ("CAP_SETUID", "CAP_SETGID", "CAP_KILL") for arg in ("--cap-add", cap)]
    else:
        args += ["--unshare-user", "--disable-userns"]
    args += _system_args()
    prefix = _python_prefix(python)
    if not _under(prefix, SYSTEM_DIRS):
        args += [*_dirs_to(prefix + "/x"), "--ro-bind", prefix, prefix]
    for site_dir in _site_dirs(python):
        if _under(site_dir, [*SYSTEM_DIRS, prefix]):
            args += ["--tmpfs", site_dir]
    args += ["--proc", "/proc", "--dev", "/dev"]
    for folder in ("/tmp", "/var/tmp", "/dev/shm"):
        args += ["--size", str(scratch_size), "--perms", "1777", "--tmpfs", folder]
    args += [*_dirs_to(CHILD_INSIDE), "--ro-bind", str(CHILD_SOURCE), CHILD_INSIDE]
    args += [*_dirs_to(shared + "/x", mode="0711"), "--bind", shared, shared]
    args += ["--chdir", "/", "--"]
    return StudentBox(tuple(args), python)


def run_box(cmd: Sequence[str], *, as_root: bool | None = None) -> list[str]:
    """``cmd`` (the per-submission pytest process) in a new network and PID namespace.

    Its view of the files is the host's (it reads the suite); its network is loopback
    alone, brought up by bwrap; when it ends, everything left in its PID namespace dies.
    """
    bwrap = find_bwrap()
    if bwrap is None:
        raise OSError("bubblewrap (bwrap) is not installed")
    as_root = _is_root() if as_root is None else as_root
    args = [bwrap, "--die-with-parent", "--unshare-net", "--unshare-pid", "--unshare-ipc"]
    if not as_root:
        args += ["--unshare-user"]
    args += ["--bind", "/", "/", "--proc", "/proc", "--dev-bind", "/dev", "/dev", "--"]
    return [*args, *cmd]


_PROBE = ("import json, os, socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); s.close();"
          " print(json.dumps({'pid': os.getpid(), 'ifaces': sorted(n for _, n in socket.if_nameindex())}))")


@functools.lru_cache(maxsize=2)
def availability() -> tuple[bool, str | None]:
    """``(True, None)`` when both boxes really work here, else ``(False, why)`` in one sentence.

    Checked by running them: a student box inside a run box, whose interpreter must
    bind loopback, see only ``lo``, be PID 2 or so of its own namespace, and load ``ssl``
    (the one standard module with a system library of its own). Being root, or having
    bwrap installed, is not enough inside some containers.
    """
    if not sys.platform.startswith("linux"):
        return False, msg("reason_not_linux", platform=sys.platform)
    if find_bwrap() is None:
        return False, msg("reason_no_bwrap")
    import tempfile

    with tempfile.TemporaryDirectory(prefix="netlings-probe-") as shared:
        try:
            box = student_box(shared)
            cmd = run_box([*box.prefix, box.python, "-I", "-c",
                           "import ssl; " + _PROBE])
            done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError) as exc:
            return False, msg("reason_bwrap_failed", error=exc)
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
        return False, msg("reason_bwrap_failed", error=lines[-1] if lines else f"exit code {done.returncode}")
    try:
        seen = json.loads(done.stdout.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        return False, msg("reason_bwrap_failed", error=done.stdout[-200:])
    if seen.get("ifaces") != ["lo"] or int(seen.get("pid", 99)) > 10:
        return False, msg("reason_bwrap_failed", error=f"the box saw {seen}")
    return True, None
