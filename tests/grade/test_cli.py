"""``netlings grade``: class folders are expanded, a run ends with one summary line."""

from __future__ import annotations

import functools
import zipfile
from pathlib import Path

import pytest
from grading_support import SUITE, VARIANTS, fake_prepare, make_submission

from grader.cli import grade as grade_cli
from grader.cli import main
from grader.grade import grade_batch


def test_class_folders_are_expanded_and_student_folders_kept(tmp_path: Path) -> None:
    klass = tmp_path / "class"
    for name in ("alice", "bob"):
        make_submission(klass, name, "x = 1\n")
    (klass / "eve").mkdir()  # an empty submission is still a student
    assert grade_cli.expand([klass]) == [klass / "alice", klass / "bob", klass / "eve"]

    nested = tmp_path / "carol"
    make_submission(nested / "netlings-main", "exercises", "x = 1\n")
    assert grade_cli.expand([nested]) == [nested], "one student's tree, however deep, is one submission"

    zips = tmp_path / "zips"
    zips.mkdir()
    with zipfile.ZipFile(zips / "dan.zip", "w") as archive:
        archive.writestr("99_demo/demo.py", "x = 1\n")
    assert grade_cli.expand([zips, klass / "alice"]) == [zips / "dan.zip", klass / "alice"]


def test_a_class_of_flat_submissions_is_a_class(tmp_path: Path) -> None:
    """Files are found by name wherever they sit, so flat student folders make a class too."""
    klass = tmp_path / "class"
    for name in ("alice", "bob"):
        (klass / name).mkdir(parents=True)
        (klass / name / "wire.py").write_text("x = 1\n")
        (klass / name / "udp_server.py").write_text("x = 1\n")
    assert grade_cli.expand([klass]) == [klass / "alice", klass / "bob"]
    assert grade_cli.expand([klass / "alice"]) == [klass / "alice"], "one flat submission stays one"


def test_default_suite_is_hidden_plus_visible_tests(tmp_path: Path) -> None:
    (tmp_path / "grader" / "hidden").mkdir(parents=True)
    (tmp_path / "exercises" / "01_udp").mkdir(parents=True)
    (tmp_path / "exercises" / "01_udp" / "test_udp_client.py").write_text("")
    (tmp_path / "exercises" / "01_udp" / "udp_client.py").write_text("")
    assert grade_cli.default_suite(tmp_path) == [tmp_path / "grader" / "hidden",
                                                 tmp_path / "exercises" / "01_udp" / "test_udp_client.py"]


def test_grade_command_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(grade_cli, "grade_batch", functools.partial(grade_batch, prepare=fake_prepare))
    klass = tmp_path / "class"
    make_submission(klass, "complete", VARIANTS["complete"])
    make_submission(klass, "stub", VARIANTS["stub"])
    out = tmp_path / "out"
    code = main(["grade", str(klass), "--out", str(out), "--suite", str(SUITE), "-j", "2", "--progress"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    summary = captured.out
    assert summary.startswith("graded 2 submissions in ") and "mean 5.00/10" in summary, summary
    assert (out / "grades.csv").read_text().splitlines()[2:] == ["complete,complete,,,,3,7,10,10",
                                                                 "stub,stub,,,,0,0,0,10"]


def test_grade_command_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["grade", str(tmp_path / "nobody"), "--out", str(tmp_path / "o"), "--suite", str(SUITE)]) == 1
    assert "no such submission" in capsys.readouterr().err
    make_submission(tmp_path, "alice", "x = 1\n")
    bad = tmp_path / "bad_suite"
    bad.mkdir()
    (bad / "test_x.py").write_text("import nonexistent_module_xyz\n")
    assert main(["grade", str(tmp_path / "alice"), "--out", str(tmp_path / "o"), "--suite", str(bad)]) == 1
    assert "does not collect" in capsys.readouterr().err


def test_without_a_sandbox_a_class_is_refused_unless_the_risk_is_accepted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """No bubblewrap (as on macOS or in a locked-down container): one sentence says why and
    what a student could then do; --unsafe-shared-host grades, and says it again."""
    import grader.sandbox.bwrap as bwrap_module

    monkeypatch.setattr(bwrap_module, "find_bwrap", lambda: None)
    bwrap_module.availability.cache_clear()
    monkeypatch.setattr(grade_cli, "grade_batch", functools.partial(grade_batch, prepare=fake_prepare))
    klass = tmp_path / "class"
    make_submission(klass, "complete", VARIANTS["complete"])
    make_submission(klass, "stub", VARIANTS["stub"])
    out = tmp_path / "out"
    unsafe = ["grade", str(klass), "--out", str(out), "--suite", str(SUITE), "--unsafe-shared-host"]
    try:
        assert main(["grade", str(klass), "--out", str(out), "--suite", str(SUITE)]) == 1
        refused = capsys.readouterr().err
        assert "Not grading: bubblewrap (`bwrap`) is not installed" in refused, refused
        assert "read the hidden tests" in refused and "--unsafe-shared-host" in refused, refused
        assert not (out / "grades.csv").exists(), "nothing may be graded when refused"

        assert main(unsafe) == 0
        said = capsys.readouterr()
        assert "grading WITHOUT a sandbox (--unsafe-shared-host)" in said.err, said.err
        assert (out / "grades.csv").read_text().splitlines()[2:] == ["complete,complete,,,,3,7,10,10",
                                                                 "stub,stub,,,,0,0,0,10"]
    finally:
        bwrap_module.availability.cache_clear()
