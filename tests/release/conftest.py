"""Release tests: one student edition per session (tests only read it), the secret text of this checkout."""

from __future__ import annotations

from pathlib import Path

import pytest
from release_support import secret_text

from grader.release import ReleaseReport, release


@pytest.fixture(scope="session")
def secrets() -> dict[str, dict[str, str]]:
    return secret_text()


@pytest.fixture(scope="session")
def edition(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ReleaseReport]:
    """The student edition of this checkout, written once per session (read-only for tests)."""
    out = tmp_path_factory.mktemp("edition") / "netlings-student"
    return out, release(out)
