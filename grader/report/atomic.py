"""Write a file so that readers see the old content or the new, never half of it.

Why: a batch can be interrupted (Ctrl-C, a killed CI job) at any moment, and resume
trusts every ``result.json`` it finds. The bytes go to a temporary file in the same
folder (same filesystem, so the rename is atomic), are flushed to disk, then
``os.replace`` puts them in place.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = True) -> Path:
    """Replace ``path`` with ``data`` atomically; creates the parent folder.

    ``durable=False`` skips the fsync: still atomic for other processes, just not
    across a power cut (for small progress markers rewritten often).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a report is meant to be read
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def atomic_write_text(path: Path, text: str, *, durable: bool = True) -> Path:
    """UTF-8 text with ``\\n`` line ends on every platform (stable hashes, stable diffs).

    A lone surrogate (JSON allows ``"\\ud800"``, so a student's message can hold one) is
    written as ``?`` rather than failing: one odd character must not cost a whole file.
    """
    return atomic_write_bytes(path, text.encode("utf-8", "replace"), durable=durable)


def atomic_write_json(path: Path, data: Any, *, durable: bool = True) -> Path:
    """Pretty, key-order-preserving JSON (the model already orders its keys)."""
    return atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n", durable=durable)
