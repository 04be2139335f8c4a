"""Run a command as an ordinary user, from tests that run as root: how an instructor without root grades.

The grader takes its unprivileged path (user namespaces, no drop to worker users) only
when it is not root, and that path must be tested for real: a uid with no capabilities,
whose files are nobody else's. Here the interpreter lives under ``/root`` (0700), and a
checkout may too, so a bwrap run as root first lays a tmpfs over such a folder with what
is needed bound back read-only, then ``setpriv`` drops to :data:`USER` for good.
Everything else is the host as it is.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from grader.sandbox.bwrap import find_bwrap

USER = 64999
"""The ordinary user: a real uid with no passwd entry and no capabilities."""

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def give(path: Path) -> None:
    """``path`` and everything in it become :data:`USER`'s (what it must write to)."""
    for folder, dirs, files in os.walk(path):
        os.chown(folder, USER, USER)
        for name in dirs + files:
            os.chown(os.path.join(folder, name), USER, USER, follow_symlinks=False)


REPO = Path(__file__).resolve().parents[1]


def _hidden_by(path: str) -> str | None:
    """The highest folder above ``path`` that others may not enter (``/root``, 0700), if any."""
    parts = Path(path).parts
    for i in range(2, len(parts)):
        folder = str(Path(*parts[:i]))
        if not os.stat(folder).st_mode & 0o001:
            return folder
    return None


def as_ordinary_user(cmd: list[str]) -> list[str]:
    """``cmd`` run by :data:`USER` (needs root and bwrap; see the module docstring).

    What the user must reach (the interpreter, this checkout) may lie in a folder others
    cannot enter (``/root``, or wherever CI cloned us): that folder is covered with an
    empty tmpfs, and the paths needed are bound back into it, read-only.
    """
    bwrap = find_bwrap()
    assert ROOT and bwrap, "as_ordinary_user needs root and bwrap"
    needed = sorted({os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix), str(REPO)})
    covers: dict[str, list[str]] = {}
    for path in needed:
        top = _hidden_by(path)
        if top is not None:
            covers.setdefault(top, []).append(path)
    binds: list[str] = []
    for top, paths in sorted(covers.items()):
        binds += ["--perms", "0755", "--tmpfs", top]
        for path in paths:
            parts = Path(path).relative_to(top).parts
            for i in range(1, len(parts)):
                binds += ["--perms", "0755", "--dir", str(Path(top, *parts[:i]))]
            binds += ["--ro-bind", path, path]
    setpriv = shutil.which("setpriv") or "/usr/bin/setpriv"
    return [bwrap, "--bind", "/", "/", *binds, "--dev-bind", "/dev", "/dev", "--",
            setpriv, f"--reuid={USER}", f"--regid={USER}", "--clear-groups", "--", *cmd]
