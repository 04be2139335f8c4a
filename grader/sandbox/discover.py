"""Find the exercise tree inside an unpacked submission, and name the student.

Why: students zip whatever folder they have open. The unit folders may sit at the
top (``01_udp/udp_server.py``), inside the repository (``netlings-main/exercises/…``)
or deeper (``alice/netlings-main/exercises/…``). The exercise root is the folder
that holds the most contract modules at their contract paths; ties go to a folder
named ``exercises``, then to the shallowest, then alphabetically (deterministic).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from .extract import walk_tree

_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)


def student_id(source: Path) -> str:
    """The student's id from a submission's name: the folder name or the zip's stem, made safe.

    Safe means usable as one folder name on every OS: letters (any script, so ``张三``
    stays), digits, ``.``, ``_`` and ``-``; everything else becomes ``_``; no leading dot;
    at most 64 characters; never empty nor a Windows device name.
    """
    name = source.name
    if source.suffix.lower() == ".zip":
        name = source.stem
    name = unicodedata.normalize("NFC", name)
    cleaned = "".join(c if (c.isalnum() or c in "._-") else "_" for c in name)
    cleaned = re.sub(r"_+", "_", cleaned).strip("._ ")[:64].rstrip(".")
    if not cleaned:
        cleaned = "student"
    if _WINDOWS_RESERVED.match(cleaned):
        cleaned = "_" + cleaned
    return cleaned


def find_exercise_root(tree: Path, modules: Sequence[str]) -> Path | None:
    """The folder under ``tree`` holding the most of ``modules`` (``"01_udp/udp_server.py"``), or None.

    Walks with :func:`~grader.sandbox.extract.walk_tree`: no links followed (the tree is
    ours and has none anyway), junk folders such as ``.git`` skipped, bounded depth.
    """
    by_name: dict[str, list[tuple[str, ...]]] = {}
    for module in modules:
        parts = PurePosixPath(module).parts
        by_name.setdefault(parts[-1], []).append(parts)
    counts: Counter[tuple[str, ...]] = Counter()
    tree = Path(tree)
    for rel, _dirs, files in walk_tree(tree):
        for name in files:
            for parts in by_name.get(name, ()):
                here = (*rel, name)
                if len(here) >= len(parts) and here[-len(parts):] == parts:
                    counts[here[:-len(parts)]] += 1
    if not counts:
        return None
    best = min(counts, key=lambda c: (-counts[c], (c[-1] if c else "") != "exercises", len(c), c))
    return tree.joinpath(*best)


def units_of(modules: Sequence[str]) -> list[str]:
    """``["01_udp/udp_server.py", …]`` → ``["01_udp", …]`` in order, once each (for messages)."""
    seen: dict[str, None] = {}
    for module in modules:
        parts = PurePosixPath(module).parts
        if len(parts) > 1:
            seen.setdefault(parts[0], None)
    return list(seen)
