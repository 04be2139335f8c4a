"""``--roster FILE.csv``: who each submission belongs to, in the registrar's words.

Why: a submission's name is whatever the student or the LMS download made of it
(``2024001_张三.zip``, ``zhangsan_late_2.zip``); the gradebook an instructor hands on needs
the student's id, name, SIS id, login and section (Canvas's columns). The roster maps
one to the other, and says what does not fit: a submission no entry matches, an entry
no submission matched (the student handed nothing in), an entry that matches several
submissions or a submission several entries match. Ambiguous matches are never
resolved by guessing: a grade under the wrong SIS id is worse than a reported gap.

The file: CSV, UTF-8 (a BOM, as Excel writes it, is fine), a header line; columns

* ``submission`` (required): the submission's exact name, with or without ``.zip``
  (``张三.zip`` or ``张三``); or a glob (``*张三*``, any of ``*?[``); or ``re:<regex>``,
  matched against the whole name (with or without ``.zip``). Names are compared in NFC
  (a zip made on macOS spells ``José`` decomposed). An exact match wins over patterns.
* ``id`` (optional): the student's id, made safe by :func:`~grader.grade.identity.student_id`;
  without it the id is derived from the submission's name as usual.
* ``name``, ``sis_id``, ``login_id``, ``section`` (optional): copied into the result's
  :class:`~grader.report.model.Identity`.

Other columns are ignored; header names are compared without case or surrounding spaces.
A roster that cannot be read, has no ``submission`` column, an empty ``submission`` cell
or an invalid ``re:`` pattern is a :class:`RosterError` (one sentence) before anything runs.
"""

from __future__ import annotations

import csv
import fnmatch
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..messages import msg
from ..report.model import Identity, Problem
from .identity import strip_zip, student_id

COLUMNS = ("submission", "id", "name", "sis_id", "login_id", "section")
ROSTER_LIMIT = 16 * 1024 * 1024
"""A roster larger than this is no class list: refused rather than read into memory."""
CELL_LIMIT = 500


class RosterError(ValueError):
    """The roster cannot be used; ``str()`` is one sentence for the instructor."""


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class RosterEntry:
    """One line of the roster (``line``: its line number in the file, for messages)."""

    line: int
    submission: str
    id: str = ""
    name: str = ""
    sis_id: str = ""
    login_id: str = ""
    section: str = ""
    pattern: re.Pattern[str] | None = field(default=None, compare=False, repr=False)

    @property
    def exact(self) -> bool:
        return self.pattern is None

    def matches(self, name: str) -> bool:
        """Does the submission called ``name`` (its raw file or folder name) match this entry?"""
        full = _nfc(name)
        forms = (full, strip_zip(full))
        if self.pattern is None:
            wanted = _nfc(self.submission)
            return wanted in forms or strip_zip(wanted) in forms
        return any(self.pattern.fullmatch(form) for form in forms)

    def student(self) -> str:
        """The id of this entry's student when absent: its ``id``, else one made of its submission cell."""
        return self.id or student_id(self.submission)

    def identity(self, submission: str = "") -> Identity:
        return Identity(submission=submission, name=self.name, sis_id=self.sis_id, login_id=self.login_id,
                        section=self.section)


@dataclass
class Resolution:
    """How a roster fits a batch's submissions (in the order given to :meth:`Roster.resolve`)."""

    entries: list[RosterEntry | None]
    """Per submission: its roster entry, or None (no entry, or an ambiguous match)."""
    problems: list[list[Problem]]
    """Per submission: its ``not_on_roster`` or ``roster_ambiguous`` problems (in the current language)."""
    absent: list[RosterEntry]
    """Entries no submission matched at all, in roster order."""


@dataclass
class Roster:
    """The entries of a roster file, in file order."""

    entries: list[RosterEntry]
    path: str = ""

    def resolve(self, names: Sequence[str]) -> Resolution:
        """Match every submission (raw names) to at most one entry, and every entry to at most one submission.

        A submission's exact matches, if any, are its candidates; else its pattern matches.
        One candidate that no other submission also claims is the submission's entry. A
        submission with several candidates, or whose one candidate other submissions claim
        too, gets no entry and a ``roster_ambiguous`` problem (all of them do: each is
        reported). Entries nobody claimed are ``absent``.
        """
        candidates: list[list[int]] = []
        for name in names:
            hits = [i for i, entry in enumerate(self.entries) if entry.matches(name)]
            exact = [i for i in hits if self.entries[i].exact]
            candidates.append(exact or hits)
        claimed: dict[int, list[int]] = {}
        for sub, hits in enumerate(candidates):
            for i in hits:
                claimed.setdefault(i, []).append(sub)
        entries: list[RosterEntry | None] = []
        problems: list[list[Problem]] = []
        for sub, hits in enumerate(candidates):
            name, found = names[sub], []
            entry: RosterEntry | None = None
            if not hits:
                found.append(Problem("not_on_roster", "", msg("roster.not_on_roster", submission=name)))
            elif len(hits) > 1:
                shown = ", ".join(self._label(i) for i in hits)
                found.append(Problem("roster_ambiguous", "",
                                     msg("roster.ambiguous_entries", submission=name, entries=shown)))
            elif len(claimed[hits[0]]) > 1:
                others = ", ".join(names[s] for s in claimed[hits[0]])
                shared = msg("roster.shared_entry", entry=self._label(hits[0]), submissions=others)
                found.append(Problem("roster_ambiguous", "", shared))
            else:
                entry = self.entries[hits[0]]
            entries.append(entry)
            problems.append(found)
        absent = [entry for i, entry in enumerate(self.entries) if i not in claimed]
        return Resolution(entries, problems, absent)

    def _label(self, index: int) -> str:
        return self.entries[index].submission


def _cell(row: dict[str, str | None], column: str) -> str:
    value = row.get(column)
    return value.strip()[:CELL_LIMIT] if isinstance(value, str) else ""


def _pattern(text: str, path: str, line: int) -> re.Pattern[str] | None:
    """The compiled pattern of a ``submission`` cell; None for an exact name."""
    if text.startswith("re:"):
        try:
            return re.compile(_nfc(text[3:]))
        except re.error as exc:
            raise RosterError(msg("roster.error.bad_pattern", path=path, line=line, pattern=text,
                                  error=exc)) from exc
    if any(c in text for c in "*?["):
        return re.compile(fnmatch.translate(_nfc(text)))
    return None


def parse_roster(text: str, path: str = "") -> Roster:
    """A roster from the CSV ``text`` (see the module); :class:`RosterError` if it cannot be used."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        columns = [(c or "").strip().lower() for c in header or []]
        if "submission" not in columns:
            shown = ", ".join(c for c in columns if c) or "-"
            raise RosterError(msg("roster.error.no_submission_column", path=path, columns=shown))
        entries: list[RosterEntry] = []
        for cells in reader:
            number = reader.line_num
            row = {column: cells[i] for i, column in enumerate(columns) if i < len(cells) and column}
            values = {column: _cell(row, column) for column in COLUMNS}
            if not any(values.values()):
                continue  # a blank line (Excel leaves some at the end)
            if not values["submission"]:
                raise RosterError(msg("roster.error.empty_submission", path=path, line=number))
            entries.append(RosterEntry(
                line=number, submission=values["submission"],
                id=student_id(values["id"]) if values["id"] else "",
                name=values["name"], sis_id=values["sis_id"], login_id=values["login_id"],
                section=values["section"], pattern=_pattern(values["submission"], path, number)))
    except csv.Error as exc:
        raise RosterError(msg("roster.error.unreadable", path=path, error=exc)) from exc
    return Roster(entries, path)


def load_roster(path: Path) -> Roster:
    """The roster file at ``path`` (UTF-8, BOM tolerated); :class:`RosterError` if it cannot be used."""
    shown = str(path)
    try:
        if path.stat().st_size > ROSTER_LIMIT:
            raise RosterError(msg("roster.error.too_large", path=shown, size=f"{ROSTER_LIMIT // 2**20} MiB"))
        text = path.read_text(encoding="utf-8-sig")
    except RosterError:
        raise
    except (OSError, UnicodeDecodeError) as exc:
        error = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise RosterError(msg("roster.error.unreadable", path=shown, error=error)) from exc
    return parse_roster(text, shown)


__all__ = ["Resolution", "Roster", "RosterEntry", "RosterError", "load_roster", "parse_roster"]
