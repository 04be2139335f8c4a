"""The code in submitted notebooks as an exercise tree: ``netlings nbgrader extract``.

Why: the same submission can then go through ``netlings grade`` (feedback.md/html,
grades.csv, the class summary), and the project's tests check that nbgrader's scores
equal ``netlings grade``'s on exactly the code the notebooks hold.

A module's code is the text of its ``%%netlings <unit>/<module>.py`` cell without that
first line. A cell whose magic line was deleted is still found by the cell's
``netlings.module`` metadata (the export sets it) and taken whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .cells import check_module_path, save_module

INSTRUCTOR_ONLY = True  # turns submissions into trees for `netlings grade`: instructors only

MAGIC = re.compile(r"^%%netlings[ \t]+(\S+)[ \t]*$")
_STUDENT = re.compile(r"^[\w.@+-]+$")


def _text(source: Any) -> str:
    return "".join(source) if isinstance(source, list) else str(source or "")


def notebook_modules(notebook: dict[str, Any]) -> dict[str, str]:
    """``{"01_udp/udp_server.py": code}`` for every ``%%netlings`` cell (the last one wins)."""
    modules: dict[str, str] = {}
    for cell in notebook.get("cells") or []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        text = _text(cell.get("source"))
        first, _, rest = text.partition("\n")
        match = MAGIC.match(first.strip())
        meta = (cell.get("metadata") or {}).get("netlings") or {}
        if match:
            path, code = match[1], rest
        elif isinstance(meta, dict) and isinstance(meta.get("module"), str):
            path, code = meta["module"], text
        else:
            continue
        try:
            modules[check_module_path(path)] = code
        except ValueError:
            continue
    return modules


def read_notebook(path: Path) -> dict[str, Any]:
    """A notebook as plain JSON; an unreadable one is an empty notebook (nothing to extract)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def extract_notebooks(notebooks: Iterable[Path], out: Path) -> list[Path]:
    """Write the modules of ``notebooks`` as ``out/<unit>/<module>.py``; return the files written."""
    written = []
    for notebook in sorted(Path(p) for p in notebooks):
        for path, code in notebook_modules(read_notebook(notebook)).items():
            written.append(save_module(Path(out), path, code))
    return written


def extract_submitted(submitted: Path, out: Path) -> dict[str, list[Path]]:
    """nbgrader's ``submitted/<student>/<assignment>/*.ipynb`` → ``out/<student>/<unit>/<module>.py``.

    Returns the files written per student; each ``out/<student>`` is one submission for
    ``netlings grade``.
    """
    found: dict[str, list[Path]] = {}
    for student in sorted(p for p in Path(submitted).iterdir() if p.is_dir()):
        if _STUDENT.match(student.name) and student.name not in (".", ".."):
            found[student.name] = extract_notebooks(student.glob("*/*.ipynb"), Path(out) / student.name)
    return found
