"""Run a command as an ordinary user, from tests that run as root: how an instructor without root grades.

The grader takes its unprivileged path (user namespaces, no drop to worker users) only
when it is not root, and that path must be tested for real: a uid with no capabilities,
whose files are nobody else's. Here the interpreter lives under ``/root`` (0700), so a
bwrap run as root first lays a tmpfs over ``/root`` with the interpreter's folders bound
back read-only, then ``setpriv`` drops to :data:`USER` for good. Everything else is the
host as it is.
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


def as_ordinary_user(cmd: list[str]) -> list[str]:
    """``cmd`` run by :data:`USER` (needs root and bwrap; see the module docstring)."""
    bwrap = find_bwrap()
    assert ROOT and bwrap, "as_ordinary_user needs root and bwrap"
    binds: list[str] = []
    for prefix in sorted({os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix)}):
        if prefix.startswith("/root/"):
            parts = Path(prefix).parts[2:]
            for i in range(1, len(parts) + 1):
                binds += ["--perms", "0755", "--dir", str(Path("/root", *parts[:i]))]
            binds += ["--ro-bind", prefix, prefix]
    setpriv = shutil.which("setpriv") or "/usr/bin/setpriv"
    return [bwrap, "--bind", "/", "/", "--perms", "0755", "--tmpfs", "/root", *binds,
            "--dev-bind", "/dev", "/dev", "--",
            setpriv, f"--reuid={USER}", f"--regid={USER}", "--clear-groups", "--", *cmd]
