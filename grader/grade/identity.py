"""A student's id: a pure function of their submission's own name, the same on every run.

Why a pure function: the id names the student's folder (``OUT/students/<id>/``), their
row in grades.csv and the key a re-run finds their earlier result by. Numbering
collisions by order (``student``, ``student-2``) made rows change person when one more
student was added; keeping only ASCII erased every Chinese name (``张三.zip`` became
``student``) and let ``_victim.zip`` take ``victim``'s row. Here nothing but the name
itself decides the id:

* the name is NFC-normalised (a zip made on macOS spells ``José`` decomposed: it is
  the same name) and loses a ``.zip`` suffix (any case);
* every letter and digit of every script is kept (:meth:`str.isalnum`: ``张三``, ``José``),
  with the combining marks that follow one (Devanagari, Thai), and ``_``, ``-``, ``.``;
  any run of anything else becomes one ``_`` (so ``=cmd`` cannot start a formula in a
  spreadsheet, and no ``/``, ``:`` or control character reaches a path);
* a leading ``.`` or ``-`` (a hidden file, an option), a trailing ``.``, a Windows device
  name (``CON``, ``com1.txt``) and more than :data:`MAX_LENGTH` characters are not
  allowed: the id is changed so they cannot happen;
* if any of this changed the name (beyond NFC and ``.zip``), ``-`` and the first six hex
  digits of the sha256 of the (NFC) name without ``.zip`` are appended (so the folder
  ``Ana Maria`` and ``Ana Maria.zip`` are one student, as ``alice`` and ``alice.zip`` are):
  ``Ana Maria.zip`` -> ``Ana_Maria-<6hex>``. So ``_victim`` and ``victim`` stay two ids, and so do ``a b`` and
  ``a_b``: two names give the same id only if they are the same name, up to ``.zip``
  (barring a 24-bit hash collision between two names that also clean to the same text).

What a pure function cannot prevent is two names that differ only by case
(``Victim.zip``, ``victim.zip``: one folder on Windows and macOS) or a folder and a zip of
the same name: the batch gives each member of such a group :func:`disambiguated` ids
and reports them (see :func:`grader.grade.batch._assign_ids`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_LENGTH = 64
"""Longest id, in characters: a folder name every OS and archive tool takes, a readable cell."""

HASH_DIGITS = 6

_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"{port}{n}" for port in ("COM", "LPT")
                                                      for n in (*"123456789", "¹", "²", "³"))})
"""Names Windows will not give a file or folder, whatever follows their first dot (``nul.txt``)."""

_KEPT_PUNCTUATION = "_-."


def short_hash(text: str) -> str:
    """The first :data:`HASH_DIGITS` hex digits of sha256 of ``text`` (UTF-8; lone surrogates escaped)."""
    data = text.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:HASH_DIGITS]


def strip_zip(name: str) -> str:
    """``name`` without a ``.zip`` suffix in any case (``a.ZIP`` -> ``a``)."""
    return name[:-4] if name.lower().endswith(".zip") else name


def _kept(char: str, previous_kept: bool) -> bool:
    if char.isalnum() or char in _KEPT_PUNCTUATION:
        return True
    return previous_kept and unicodedata.category(char) in ("Mn", "Mc", "Me")


def _clean(base: str) -> str:
    out: list[str] = []
    previous = False
    for char in base:
        keep = _kept(char, previous)
        if keep:
            out.append(char)
        elif not out or out[-1] != "_" or previous:
            out.append("_")
        previous = keep
    cleaned = "".join(out)
    cleaned = re.sub(r"^[.-]+", "_", cleaned)
    return cleaned


def _allowed(cleaned: str, limit: int) -> str:
    cleaned = cleaned[:limit]
    cleaned = re.sub(r"\.+$", "_", cleaned)
    if cleaned.split(".", 1)[0].upper() in _RESERVED:
        cleaned = ("_" + cleaned)[:limit]
        cleaned = re.sub(r"\.+$", "_", cleaned)
    return cleaned


def student_id(name: str) -> str:
    """The id of the submission called ``name`` (``张三.zip`` -> ``张三``); see the module for the rules.

    Never empty, at most :data:`MAX_LENGTH` characters, a valid folder name on Linux,
    macOS and Windows, never starting with ``.``, ``-``, ``=``, ``+`` or ``@``.
    """
    nfc = unicodedata.normalize("NFC", str(name))
    base = strip_zip(nfc)
    cleaned = _allowed(_clean(base), MAX_LENGTH)
    if cleaned == base and cleaned:
        return cleaned
    suffix = f"-{short_hash(base)}"
    stem = _allowed(_clean(base), MAX_LENGTH - len(suffix)) if base else "student"
    return (stem or "student") + suffix


def collision_key(student: str) -> str:
    """What two ids must differ in to be two folders everywhere: case (Windows, macOS) and normal form."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", student).casefold())


def disambiguated(student: str, raw_name: str) -> str:
    """``student`` made distinct from the ids it collides with: ``-`` + 6 hex of sha256 of the RAW name.

    The raw name (not NFC: ``José`` spelled two ways are two submissions) decides, so the
    id is the same on every run whoever else is in the class. The result stays within
    :data:`MAX_LENGTH`.
    """
    suffix = f"-{short_hash(raw_name)}"
    stem = _allowed(student, MAX_LENGTH - len(suffix)) or "student"
    return stem + suffix


__all__ = ["MAX_LENGTH", "collision_key", "disambiguated", "short_hash", "strip_zip", "student_id"]
