"""Every harness test runs twice: with the fork server (POSIX) and with plain spawning.

Spawning is the only path on Windows, so it must stay tested here too (principle 7).
"""

from __future__ import annotations

import os

import pytest

from grader.harness import forkserver

MODES = ["fork", "spawn"] if forkserver.CHILD and os.name == "posix" else ["spawn"]


@pytest.fixture(autouse=True, params=MODES)
def child_start_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(forkserver.ENV_SWITCH, "1" if request.param == "fork" else "0")
    return request.param
