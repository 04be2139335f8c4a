"""The curriculum manifest ``exercises/netlings.toml``: units and exercises, in order.

Why one file: the CLI (progress, hints), the grader (points) and the project's own
tests all need the same list of exercises; reading it from one validated place
keeps them in agreement. The format (``format_version = 1``) is::

    format_version = 1

    [[units]]
    id = "01_udp"                 # the folder under exercises/ and solutions/
    title = "UDP"                 # English title
    title_zh = "UDP"              # Simplified Chinese title

    [[units.exercises]]
    id = "udp_server"             # unique in the whole manifest
    path = "01_udp/udp_server.py" # relative to exercises/ (and to solutions/)
    title = "A UDP echo server"
    title_zh = "UDP 回显服务器"
    functions = ["make_udp_socket", "serve_once", "serve"]   # what the student writes
    points = 8                    # weight in the grade (> 0)
    hints = ["nudge", "concept", "exact API"]     # revealed one step at a time
    hints_zh = ["提示", "概念", "具体 API"]        # the same steps in Chinese

Every key is required; an unknown key is an error (a typo must not be ignored).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

REPO_ROOT = Path(__file__).resolve().parents[2]
"""The checkout this package lives in (``grader/curriculum/`` is two levels down)."""
DEFAULT_MANIFEST = REPO_ROOT / "exercises" / "netlings.toml"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Exercise:
    """One exercise: a module the student completes, with its functions, points and hints."""

    id: str
    path: str
    """Relative to ``exercises/`` (and ``solutions/``), with ``/``: ``"01_udp/udp_server.py"``."""
    title: str
    title_zh: str
    functions: tuple[str, ...]
    points: int
    hints: tuple[str, ...]
    hints_zh: tuple[str, ...]
    unit: str
    """The id of the unit this exercise belongs to (filled in by the loader)."""

    @property
    def module(self) -> str:
        """The module name, e.g. ``"udp_server"``."""
        return PurePosixPath(self.path).stem


@dataclass(frozen=True)
class Unit:
    """A folder of exercises on one topic, e.g. ``01_udp``."""

    id: str
    title: str
    title_zh: str
    exercises: tuple[Exercise, ...]


@dataclass(frozen=True)
class Manifest:
    """All units in course order; :attr:`exercises` flattens them."""

    format_version: int
    units: tuple[Unit, ...]
    path: Path | None = field(default=None, compare=False)
    """The file it was loaded from."""

    @property
    def exercises(self) -> list[Exercise]:
        """Every exercise, in course order."""
        return [exercise for unit in self.units for exercise in unit.exercises]

    @property
    def total_points(self) -> int:
        return sum(exercise.points for exercise in self.exercises)

    def unit(self, unit_id: str) -> Unit:
        """The unit with this id.

        Raises:
            KeyError: no such unit (the message lists the known ones).
        """
        for unit in self.units:
            if unit.id == unit_id:
                return unit
        raise KeyError(f"no unit {unit_id!r}; known: {', '.join(u.id for u in self.units)}")

    def exercise(self, id_or_path: str) -> Exercise:
        """Find an exercise by id (``"udp_server"``) or path (``"01_udp/udp_server.py"``).

        A path may also be given without ``.py``, with backslashes, or starting
        with ``exercises/`` or ``solutions/``.

        Raises:
            KeyError: no such exercise (the message lists the known ids).
        """
        key = id_or_path.replace("\\", "/").strip("/")
        for prefix in ("exercises/", "solutions/"):
            key = key.removeprefix(prefix)
        for exercise in self.exercises:
            if key in (exercise.id, exercise.path, exercise.path.removesuffix(".py")):
                return exercise
        known = ", ".join(e.id for e in self.exercises)
        raise KeyError(f"no exercise {id_or_path!r}; known: {known}")


_MANIFEST_KEYS = {"format_version", "units"}
_UNIT_KEYS = {"id", "title", "title_zh", "exercises"}
_EXERCISE_KEYS = {"id", "path", "title", "title_zh", "functions", "points", "hints", "hints_zh"}


def _check_keys(table: Any, expected: set[str], where: str) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ValueError(f"{where}: expected a table, got {type(table).__name__}")
    unknown = sorted(set(table) - expected)
    if unknown:
        allowed = ", ".join(sorted(expected))
        raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {allowed})")
    missing = sorted(expected - set(table))
    if missing:
        raise ValueError(f"{where}: missing key(s) {', '.join(missing)}")
    return table


def _text(table: dict[str, Any], key: str, where: str) -> str:
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}.{key}: expected a non-empty string, got {value!r}")
    return value


def _texts(table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table[key]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{where}.{key}: expected a non-empty list of non-empty strings, got {value!r}")
    return tuple(value)


def _exercise(table: Any, unit_id: str, where: str) -> Exercise:
    table = _check_keys(table, _EXERCISE_KEYS, where)
    path = _text(table, "path", where)
    parts = PurePosixPath(path).parts
    if len(parts) != 2 or parts[0] != unit_id or not path.endswith(".py") or "\\" in path:
        raise ValueError(f"{where}.path: expected '{unit_id}/<module>.py', got {path!r}")
    functions = _texts(table, "functions", where)
    bad = [name for name in functions if not name.isidentifier()]
    if bad:
        raise ValueError(f"{where}.functions: not Python names: {bad}")
    points = table["points"]
    if not isinstance(points, int) or isinstance(points, bool) or points <= 0:
        raise ValueError(f"{where}.points: expected a positive integer, got {points!r}")
    hints, hints_zh = _texts(table, "hints", where), _texts(table, "hints_zh", where)
    if len(hints) != len(hints_zh):
        raise ValueError(f"{where}: {len(hints)} hints but {len(hints_zh)} hints_zh (one per step)")
    return Exercise(
        id=_text(table, "id", where),
        path=path,
        title=_text(table, "title", where),
        title_zh=_text(table, "title_zh", where),
        functions=functions,
        points=points,
        hints=hints,
        hints_zh=hints_zh,
        unit=unit_id,
    )


def _unit(table: Any, where: str) -> Unit:
    table = _check_keys(table, _UNIT_KEYS, where)
    unit_id = _text(table, "id", where)
    exercises = table["exercises"]
    if not isinstance(exercises, list) or not exercises:
        raise ValueError(f"{where}.exercises: expected at least one [[units.exercises]] table")
    return Unit(
        id=unit_id,
        title=_text(table, "title", where),
        title_zh=_text(table, "title_zh", where),
        exercises=tuple(_exercise(e, unit_id, f"{where}.exercises[{i}]") for i, e in enumerate(exercises)),
    )


def parse_manifest(data: dict[str, Any], path: Path | None = None) -> Manifest:
    """Validate already-parsed TOML data and build the :class:`Manifest`.

    Raises:
        ValueError: unknown or missing keys, wrong types, duplicate ids; the message
            names the place (e.g. ``units[1].exercises[0].points``).
    """
    data = _check_keys(data, _MANIFEST_KEYS, "manifest")
    version = data["format_version"]
    if version != FORMAT_VERSION:
        raise ValueError(f"manifest.format_version: expected {FORMAT_VERSION}, got {version!r}")
    if not isinstance(data["units"], list) or not data["units"]:
        raise ValueError("manifest.units: expected at least one [[units]] table")
    units = tuple(_unit(u, f"units[{i}]") for i, u in enumerate(data["units"]))
    exercise_ids = [e.id for u in units for e in u.exercises]
    for kind, ids in (("unit", [u.id for u in units]), ("exercise", exercise_ids)):
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"manifest: duplicate {kind} id(s): {', '.join(duplicates)}")
    return Manifest(format_version=FORMAT_VERSION, units=units, path=path)


def load_manifest(path: Path | str | None = None) -> Manifest:
    """Read and validate a manifest (default: ``exercises/netlings.toml`` of this checkout).

    Raises:
        FileNotFoundError: no such file.
        ValueError: invalid TOML or an invalid manifest; the message names the file.
    """
    path = Path(path) if path is not None else DEFAULT_MANIFEST
    with path.open("rb") as f:
        try:
            data = tomllib.load(f)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path}: invalid TOML: {exc}") from exc
    try:
        return parse_manifest(data, path)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from exc
