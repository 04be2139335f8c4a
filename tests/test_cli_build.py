"""`netlings build`: the command instructors run after editing a solution."""

from __future__ import annotations

import shutil
from pathlib import Path

from grader.cli import main

REPO = Path(__file__).resolve().parents[1]


def test_build_check_passes_then_flags_drift_then_build_repairs(tmp_path: Path, capsys) -> None:
    solutions, exercises = tmp_path / "solutions", tmp_path / "exercises"
    shutil.copytree(REPO / "solutions", solutions)
    shutil.copytree(REPO / "exercises", exercises)
    args = ["build", "--solutions", str(solutions), "--exercises", str(exercises)]
    assert main([*args, "--check"]) == 0
    stub = exercises / "01_udp" / "udp_client.py"
    stub.write_text(stub.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert main([*args, "--check"]) == 1, "a drifted stub must fail the check"
    assert "udp_client.py" in capsys.readouterr().out
    assert main(args) == 0
    assert main([*args, "--check"]) == 0
    assert "# edited" not in stub.read_text(encoding="utf-8")
