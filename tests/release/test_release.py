"""``netlings release``: what the student edition holds, and what it must never hold."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from release_support import REPO, leaks_in

import grader.release.build as release_build
from grader.cli import main
from grader.curriculum.build import build_stub
from grader.curriculum.manifest import load_manifest
from grader.release import LeakError, ReleaseError, ReleaseReport, is_release, release

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

MANIFEST = load_manifest(REPO / "exercises" / "netlings.toml")


def test_the_edition_has_the_student_path(edition: tuple[Path, ReleaseReport]) -> None:
    out, report = edition
    for exercise in MANIFEST.exercises:
        assert (out / "exercises" / exercise.path).is_file(), f"stub {exercise.path} missing"
    for unit in MANIFEST.units:
        assert (out / "exercises" / unit.id / "README.md").is_file(), f"{unit.id}/README.md missing"
    visible = sorted(p.relative_to(REPO / "exercises") for p in (REPO / "exercises").glob("*/test_*.py"))
    assert visible and all((out / "exercises" / rel).is_file() for rel in visible), "visible tests missing"
    for rel in ("exercises/netlings.toml", "exercises/.stubs.json", "grader/plugin.py",
                "grader/harness/runner.py", "grader/servers/ftp.py", "grader/servers/tls.py",
                "grader/messages/catalog.py", "grader/curriculum/manifest.py", "grader/cli/serve.py",
                "grader/cli/grade.py", "grader/grade/selfgrade.py", "grader/grade/empty.ini",
                "pyproject.toml", "README.md", ".gitignore"):
        assert (out / rel).is_file(), f"{rel} is part of the student path but was not released"
    assert is_release(out)
    assert "STUDENT = True" in (out / "grader" / "edition.py").read_text(encoding="utf-8")
    assert report.units == [unit.id for unit in MANIFEST.units]
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert report.files == on_disk


def test_nothing_instructor_only_ships(edition: tuple[Path, ReleaseReport]) -> None:
    out, report = edition
    for rel in ("solutions", "tests", "examples", "grader/hidden", "grader/release",
                "grader/nbgrader/export.py", "grader/nbgrader/extract.py",
                "grader/cli/build.py", "grader/cli/gradescope.py", "grader/cli/release.py",
                "grader/cli/nbgrader.py"):
        assert not (out / rel).exists(), f"{rel} is instructor-only but was released"
    assert "grader/hidden/support.py" in report.left_out
    assert (out / "grader/nbgrader/cells.py").exists(), "students' notebook kernels need the cell magics"
    links = [p for p in out.rglob("*") if p.is_symlink()]
    junk = [p for p in out.rglob("*") if p.name == "__pycache__" or p.suffix == ".pyc"]
    assert not links and not junk, f"links or caches in the release: {links + junk}"


def test_no_solution_or_hidden_test_text_is_released(edition: tuple[Path, ReleaseReport],
                                                     secrets: dict[str, dict[str, str]]) -> None:
    out, report = edition
    # The check must have something to find: every solution module and every hidden suite
    # contributes lines, and the sample submissions under tests/ do too.
    for solution in sorted((REPO / "solutions").glob("*/*.py")):
        rel = solution.relative_to(REPO).as_posix()
        assert len(secrets[rel]) >= 3, f"{rel}: too few distinctive solution lines to check ({secrets[rel]})"
    hidden = [rel for rel in secrets if rel.startswith("grader/hidden/") and "/test_" in rel]
    assert len(hidden) >= len(MANIFEST.exercises), "every exercise has a hidden suite to keep out"
    assert all(len(secrets[rel]) >= 10 for rel in hidden)
    assert any(rel.startswith("tests/hidden/buggy/") and secrets[rel] for rel in secrets)
    leaks = leaks_in(out, secrets)
    assert not leaks, "secret text in the release:\n" + "\n".join(leaks[:20])
    assert report.secrets_checked >= sum(len(v) for v in secrets.values()) // 2


def test_the_detector_finds_a_planted_solution_hidden_test_and_buggy_module(
        edition: tuple[Path, ReleaseReport], secrets: dict[str, dict[str, str]], tmp_path: Path) -> None:
    """Guard against a detector that can never fail."""
    out, _ = edition
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    buggy = next(rel for rel in sorted(secrets) if rel.startswith("tests/hidden/buggy/") and secrets[rel])
    planted = {"solutions/01_udp/udp_server.py": "exercises/01_udp/README.md",
               "grader/hidden/00_basics/test_wire_hidden.py": "exercises/00_basics/test_more.py",
               buggy: "exercises/notes/buggy.py"}
    for source, target in planted.items():  # appended: a snippet pasted into a README counts too
        (copy / target).parent.mkdir(parents=True, exist_ok=True)
        with (copy / target).open("a", encoding="utf-8") as handle:
            handle.write((REPO / source).read_text(encoding="utf-8"))
    found = leaks_in(copy, secrets)
    for source, target in planted.items():
        assert any(line.startswith(f"{target}: ") for line in found), f"{source} at {target}: not found"


def test_the_pyproject_is_the_runtime_package(edition: tuple[Path, ReleaseReport]) -> None:
    out, _ = edition
    ours = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    theirs = tomllib.loads((out / "pyproject.toml").read_text(encoding="utf-8"))
    project = theirs["project"]
    assert project["name"] == "netlings" and project["version"] == ours["project"]["version"]
    assert project["dependencies"] == ours["project"]["dependencies"]
    assert "optional-dependencies" not in project, "no dev/nbgrader extras in the student edition"
    assert project["readme"] == "README.md"
    assert project["scripts"] == {"netlings": "grader.cli:main"}
    assert project["entry-points"]["pytest11"] == {"netlings": "grader.plugin"}
    assert theirs["tool"]["pytest"]["ini_options"]["testpaths"] == ["exercises"]


def test_the_student_readme_says_how_to_start(edition: tuple[Path, ReleaseReport]) -> None:
    out, _ = edition
    readme = (out / "README.md").read_text(encoding="utf-8")
    for needed in ("python -m pip install -e .", "pytest exercises/", "pytest exercises/00_basics",
                   "--sw", "netlings serve", "netlings grade --self", ".netlings/feedback.md", "C:", "S:"):
        assert needed in readme, f"the student README does not mention {needed!r}"
    for unit in MANIFEST.units:
        assert f"`{unit.id}`" in readme
    assert "$" not in readme.replace("$ ", ""), "a template placeholder was left unfilled"


def _copy_project(tmp_path: Path) -> Path:
    """A throw-away copy of the parts of this checkout a release reads."""
    project = tmp_path / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")
    for folder in ("grader", "exercises", "solutions"):
        shutil.copytree(REPO / folder, project / folder, ignore=ignore)
    shutil.copyfile(REPO / "pyproject.toml", project / "pyproject.toml")
    return project


def test_a_solved_exercise_in_the_checkout_ships_as_its_stub(tmp_path: Path) -> None:
    project = _copy_project(tmp_path)
    solved = project / "exercises" / "00_basics" / "wire.py"
    shutil.copyfile(project / "solutions" / "00_basics" / "wire.py", solved)
    report = release(tmp_path / "out", project=project, verify_imports=False)
    assert "exercises/00_basics/wire.py" in report.restubbed
    solution = (project / "solutions" / "00_basics" / "wire.py").read_text(encoding="utf-8")
    released = (tmp_path / "out" / "exercises" / "00_basics" / "wire.py").read_text(encoding="utf-8")
    assert released == build_stub(solution, unit="00_basics", module="wire")


@pytest.mark.parametrize("target", ["02_tcp/framing_reference.py", "02_tcp/README.md"])
def test_solution_text_anywhere_else_stops_the_release(tmp_path: Path, target: str) -> None:
    project = _copy_project(tmp_path)
    with (project / "exercises" / target).open("a", encoding="utf-8") as handle:
        handle.write((project / "solutions" / "02_tcp" / "framing.py").read_text(encoding="utf-8"))
    out = tmp_path / "out"
    with pytest.raises(LeakError) as caught:
        release(out, project=project, verify_imports=False)
    assert f"exercises/{target}" in str(caught.value)
    assert not out.exists(), "nothing may be written when the release leaks"
    assert not list(tmp_path.glob(".out.netlings-release-*")), "the staging folder must be removed"


def test_a_rule_that_lets_the_hidden_suite_through_stops_the_release(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = tuple(rule for rule in release_build.INSTRUCTOR_ONLY if rule != "grader/hidden")
    monkeypatch.setattr(release_build, "INSTRUCTOR_ONLY", rules)
    out = tmp_path / "out"
    with pytest.raises(LeakError) as caught:
        release(out, verify_imports=False)
    message = str(caught.value)
    assert "grader/hidden/" in message and "test_wire_hidden.py" in message, message
    assert not out.exists()


def test_a_cli_module_can_opt_out(tmp_path: Path) -> None:
    project = _copy_project(tmp_path)
    (project / "grader" / "cli" / "secret_tool.py").write_text(
        '"""An instructor tool."""\n\nINSTRUCTOR_ONLY = True\n', encoding="utf-8")
    report = release(tmp_path / "out", project=project, verify_imports=False)
    assert "grader/cli/secret_tool.py" in report.left_out
    assert not (tmp_path / "out" / "grader" / "cli" / "secret_tool.py").exists()


def test_a_shipped_module_that_needs_an_instructor_file_stops_the_release(tmp_path: Path) -> None:
    project = _copy_project(tmp_path)
    (project / "grader" / "cli" / "oops.py").write_text(
        '"""Needs the hidden suite."""\n\nimport grader.hidden.support  # noqa: F401\n', encoding="utf-8")
    with pytest.raises(ReleaseError, match=r"does not import[\s\S]*grader\.cli\.oops"):
        release(tmp_path / "out", project=project)
    assert not (tmp_path / "out").exists()


def test_out_dir_rules(tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "thesis.tex").write_text("mine")
    with pytest.raises(ReleaseError, match="not empty"):
        release(taken, verify_imports=False)
    assert (taken / "thesis.tex").read_text() == "mine"
    with pytest.raises(ReleaseError, match="project"):
        release(REPO, verify_imports=False)
    with pytest.raises(ReleaseError, match="inside the project's exercises"):
        release(REPO / "exercises" / "student", verify_imports=False)


def test_releasing_again_replaces_the_release_and_keeps_git(tmp_path: Path) -> None:
    out = tmp_path / "student-repo"
    release(out, verify_imports=False)
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (out / "grader" / "stale.py").write_text("x = 1\n")
    (out / "COURSE.md").write_text("course notes\n")
    with pytest.raises(ReleaseError, match="--force"):
        release(out, verify_imports=False)
    report = release(out, force=True, verify_imports=False)
    assert report.replaced
    assert (out / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert (out / "COURSE.md").is_file(), "files a release does not write are left alone"
    assert not (out / "grader" / "stale.py").exists(), "grader/ is replaced as a whole"


def test_netlings_release_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "edition"
    assert main(["release", str(out)]) == 0
    said = capsys.readouterr().out
    assert f"wrote the student edition to {out}" in said and "none shipped" in said, said
    assert main(["release", str(out)]) == 1
    assert "--force" in capsys.readouterr().err
