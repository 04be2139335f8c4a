"""A test whose verdict is a deadline gives the same verdict on the same code, run after run.

``test_udp_ping_does_not_count_late_replies`` had every reply come 0.3 s after its ping
with a 0.2 s timeout: a client that restarts the full timeout after ignoring a stale reply
(``deadline/restart_timeout/``, the typical buggy client) then had its restarted deadline
land exactly when the next reply arrived, and the same code scored 25 or 26 of 26 (seen
here: 4 passes in 8 runs). The replies are now staggered so each outcome keeps a margin.

Each run is its own pytest process (as in grading), several at once (a busy machine):
the buggy client must fail every time, the reference pass every time.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).parent
NODE = "grader/hidden/01_udp/test_udp_client_hidden.py::test_udp_ping_does_not_count_late_replies"
RUNS = 5


def _root(tmp_path: Path, override: Path | None) -> Path:
    root = tmp_path / "root"
    for module in sorted((REPO / "solutions").glob("*/*.py")):
        (root / module.parent.name).mkdir(parents=True, exist_ok=True)
        (root / module.parent.name / module.name).write_bytes(module.read_bytes())
    if override is not None:
        (root / "01_udp" / "udp_client.py").write_bytes(override.read_bytes())
    return root


def _verdicts(root: Path) -> list[str]:
    """The outcome of RUNS runs of the test, all started at once."""
    command = [sys.executable, "-m", "pytest", "--netlings-root", str(root), NODE, "-q",
               "-p", "no:cacheprovider"]
    runs = [subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for _ in range(RUNS)]
    outcomes = []
    for run in runs:
        out, _ = run.communicate(timeout=120)
        last = out.strip().splitlines()[-1] if out.strip() else ""
        outcomes.append("passed" if run.returncode == 0 else f"failed: {last}")
    return outcomes


@pytest.mark.timeout(300)
@pytest.mark.parametrize(("client", "expected"), [
    ("reference", "passed"),
    ("restart_timeout", "failed"),
])
def test_the_late_replies_verdict_is_the_same_every_run(tmp_path: Path, client: str, expected: str) -> None:
    override = None if client == "reference" else HERE / "deadline" / client / "01_udp" / "udp_client.py"
    outcomes = _verdicts(_root(tmp_path, override))
    assert all(o.startswith(expected) for o in outcomes), f"{client}: {RUNS} runs gave {outcomes}"
