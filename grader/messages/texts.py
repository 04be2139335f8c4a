"""The sentences written inside the test suites, in the student's language.

A test's own words (its one-line description and the sentence of each ``assert``)
are written in English where they are used, and wrapped in :func:`tr`; their
Simplified Chinese lives in a translation table keyed by that English template,
the way gettext keys a ``.po`` file by its ``msgid``. Why not stable keys, like the
rest of the catalogue (:mod:`grader.messages.catalog`)?

* **A test still reads as a test.** ``assert got == want, tr("{what} returned
  {got!r}, expected {want!r}", ...)`` says what it checks; a key would send the
  reader to another file for every assertion.
* **Drift cannot go unnoticed.** Edit an English sentence and its old translation
  no longer matches anything: ``tests/test_suite_texts.py`` fails, naming the
  sentence that lost its Chinese and the stale entry to update. Both languages
  move together, as with the keyed catalogue.
* **Hidden words stay hidden.** Translations of the visible suites ship with the
  student edition (:mod:`grader.messages.suites`); those of the hidden suites live
  beside them in ``grader/hidden/translations`` and never leave the instructor's
  checkout (``netlings release`` leaves ``grader/hidden`` out and checks for leaks).

Templates are :meth:`str.format` strings: ``{name}`` fields, ``!r`` conversions and
format specs; ``{{``/``}}`` for literal braces. A translation must use exactly the
fields of its English template (checked by the same test).
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from types import ModuleType

from . import current_language

PACKAGES = ("grader.messages.suites", "grader.hidden.translations")
"""Where translation tables live: each module of these packages defines ``ZH: dict[str, str]``."""


def _modules(package: str) -> list[ModuleType]:
    try:
        root = importlib.import_module(package)
    except ModuleNotFoundError:  # the student edition has no grader/hidden
        return []
    names = sorted(info.name for info in pkgutil.iter_modules(root.__path__))
    return [importlib.import_module(f"{package}.{name}") for name in names]


def tables(lang: str) -> list[tuple[str, dict[str, str]]]:
    """(module name, its ``lang`` table) for every translation module of :data:`PACKAGES`."""
    return [(module.__name__, getattr(module, lang.upper(), {})) for package in PACKAGES
            for module in _modules(package)]


def conflicts(lang: str) -> list[str]:
    """Sentences two tables translate differently (``tests/test_suite_texts.py`` forbids them)."""
    seen: dict[str, tuple[str, str]] = {}
    found = []
    for name, table in tables(lang):
        for english, text in table.items():
            if english in seen and seen[english][0] != text:
                found.append(f"{english!r} is translated differently in {seen[english][1]} and {name}")
            seen.setdefault(english, (text, name))
    return found


@functools.cache
def translations(lang: str) -> dict[str, str]:
    """English template → its ``lang`` translation, from every table of :data:`PACKAGES`.

    The same English sentence may appear in several suites and so in several tables;
    it must be translated the same way everywhere (see :func:`conflicts`). A grading
    run never fails over that: the first table wins.
    """
    if lang == "en":
        return {}
    merged: dict[str, str] = {}
    for _, table in tables(lang):
        for english, text in table.items():
            merged.setdefault(english, text)
    return merged


def tr(template: str, /, **values: object) -> str:
    """``template`` in the current language (English when no translation exists), filled in."""
    text = translations(current_language()).get(template, template)
    return text.format(**values)


def first_paragraph(doc: str | None) -> str:
    """A docstring's first paragraph on one line: what a test says it checks."""
    return " ".join((doc or "").strip().split("\n\n", 1)[0].split())


def describe(doc: str | None) -> str:
    """A test's description (:func:`first_paragraph` of its docstring), in the current language."""
    first = first_paragraph(doc)
    return translations(current_language()).get(first, first) if first else ""
