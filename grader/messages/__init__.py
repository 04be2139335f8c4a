"""One catalogue for every sentence a student or instructor reads, in English and Chinese.

Why a catalogue: the course material is Chinese, its readers want feedback in
Chinese, and the same sentence must not be written twice in two places that drift.
Keys are stable identifiers; ``{placeholders}`` are filled with :meth:`str.format`.
The language comes from ``NETLINGS_LANG`` (``en``/``zh``), else the locale.

The catalogue is split by concern so features can grow their own sentences:
``catalog.py`` (harness, sandbox, grading), ``mistakes.py`` (named beginner
mistakes), and any other module of this package that defines a ``MESSAGES``
dict of the same shape (``companion.py`` for the student CLI …). A key defined
twice is an error at import, so two parts can never silently disagree.

The test suites' own sentences (descriptions, assertion texts) are the one
exception to stable keys: see :mod:`grader.messages.texts`.
"""

from __future__ import annotations

import importlib
import locale
import os
import pkgutil

from .catalog import CATALOG
from .mistakes import MISTAKES

for _id, _texts in MISTAKES.items():
    CATALOG[f"mistake.{_id}.title"] = {lang: pair[0] for lang, pair in _texts.items()}
    CATALOG[f"mistake.{_id}.hint"] = {lang: pair[1] for lang, pair in _texts.items()}

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name in ("catalog", "mistakes", "texts", "suites"):  # texts: the suites' own words
        continue
    _part = getattr(importlib.import_module(f"{__name__}.{_info.name}"), "MESSAGES", None) or {}
    _twice = sorted(set(_part) & set(CATALOG))
    if _twice:
        raise RuntimeError(f"message keys defined twice (grader/messages/{_info.name}.py): {_twice}")
    CATALOG.update(_part)

LANGUAGES = ("en", "zh")


def current_language() -> str:
    """``NETLINGS_LANG`` wins; otherwise a Chinese locale picks ``zh``; otherwise ``en``."""
    lang = os.environ.get("NETLINGS_LANG", "").strip().lower()
    if not lang:
        lang = (os.environ.get("LC_ALL") or os.environ.get("LANG") or locale.getlocale()[0] or "").lower()
    return "zh" if lang.startswith("zh") else "en"


def msg(key: str, lang: str | None = None, **values: object) -> str:
    """The sentence ``key`` in ``lang`` (default: :func:`current_language`), filled in."""
    entry = CATALOG[key]
    text = entry.get(lang or current_language()) or entry["en"]
    return text.format(**values) if values else text
