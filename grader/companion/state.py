"""The companion's memory: ``.netlings/state.json`` next to ``exercises/``.

Why a file: ``netlings list`` must be instant, so the result of each test run is
kept, keyed by the content of the files it tested (a changed file is simply a cache
miss); hint steps already shown must stay shown between commands. Every change
re-reads the file and replaces it atomically, so ``netlings watch`` in one terminal
and ``netlings hint`` in another never lose each other's updates (and a crash never
leaves half a file). A missing or unreadable file is an empty state: losing it only
costs a re-run.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

STATE_VERSION = 1


class State:
    """Read and update ``state.json``: ``{"version": 1, "results": …, "hints": …, "baseline": …}``.

    * ``results[exercise_id]``: the last test run, with ``key`` = what it tested;
    * ``hints[exercise_id]``: how many hint steps have been shown;
    * ``baseline[exercise_id]``: the digest of the file when first seen, used as
      the "untouched" reference only where no stub is recorded at all.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"version": STATE_VERSION}
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            return {"version": STATE_VERSION}
        return data

    def _section(self, name: str) -> dict[str, Any]:
        section = self.load().get(name)
        return section if isinstance(section, dict) else {}

    def _update(self, name: str, key: str, value: Any) -> None:
        data = self.load()
        section = data.get(name)
        if not isinstance(section, dict):
            section = data[name] = {}
        if value is None:
            section.pop(key, None)
        else:
            section[key] = value
        self._write(data)

    def _write(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".state-", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                json.dump(data, f, ensure_ascii=False, indent=1, sort_keys=True)
                f.write("\n")
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    # -- cached test results -------------------------------------------------------------------

    def result(self, exercise_id: str, key: str) -> dict[str, Any] | None:
        """The stored run of ``exercise_id`` if it tested exactly ``key``, else None."""
        stored = self._section("results").get(exercise_id)
        if isinstance(stored, dict) and stored.get("key") == key:
            return stored
        return None

    def store_result(self, exercise_id: str, result: dict[str, Any] | None) -> None:
        """Remember a run (a dict with its ``key``); None forgets it."""
        self._update("results", exercise_id, result)

    # -- hints ---------------------------------------------------------------------------------

    def hints_shown(self, exercise_id: str) -> int:
        value = self._section("hints").get(exercise_id, 0)
        return value if isinstance(value, int) and value >= 0 else 0

    def set_hints_shown(self, exercise_id: str, count: int) -> None:
        self._update("hints", exercise_id, count)

    # -- "untouched" reference when no stub is recorded ----------------------------------------

    def baseline(self, exercise_id: str) -> str | None:
        value = self._section("baseline").get(exercise_id)
        return value if isinstance(value, str) else None

    def set_baseline(self, exercise_id: str, digest: str) -> None:
        self._update("baseline", exercise_id, digest)
