"""Shared helpers for the sandbox tests: hostile archives are built here, at run time."""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest

from grader.sandbox.limits import user_drop

HOSTILE_ROOT = Path(__file__).with_name("hostile_root")
HOSTILE = "98_hostile/hostile.py"

STUB = b'def to_bytes(text):\n    return text.encode("utf-8")\n'


def make_zip(path: Path, members: Iterable[tuple[str | zipfile.ZipInfo, bytes]],
             compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """Write a zip whose members are (name, data) pairs or (ZipInfo, data) pairs."""
    with zipfile.ZipFile(path, "w", compression) as zf:
        for info, data in members:
            zf.writestr(info, data)
    return path


def symlink_member(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    """A zip member that unzip would create as a symlink (Unix mode S_IFLNK in external_attr)."""
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


def patch_name(path: Path, placeholder: bytes, raw: bytes) -> None:
    """Replace a member's name bytes in place (local header and central directory).

    zipfile always writes non-ASCII names as UTF-8 with the UTF-8 flag; real zips
    from Chinese Windows carry GBK (or junk) without it, so we write an ASCII
    placeholder of the same length and swap the bytes.
    """
    assert len(placeholder) == len(raw)
    data = path.read_bytes()
    assert data.count(placeholder) == 2, "the placeholder must appear in both headers"
    path.write_bytes(data.replace(placeholder, raw))


def snapshot(folder: Path, skip: Path | None = None) -> set[str]:
    """Every path under ``folder`` (except under ``skip``): to prove nothing was written outside."""
    found = set()
    for dirpath, dirs, files in os.walk(folder):
        if skip is not None and Path(dirpath).resolve() == skip.resolve():
            dirs[:] = []
            continue
        for name in dirs + files:
            found.add(os.path.relpath(os.path.join(dirpath, name), folder))
    return found


def can_drop_user() -> bool:
    return user_drop("nobody").available


needs_user_drop = pytest.mark.skipif(not can_drop_user(), reason="needs root and a usable 'nobody' user")
