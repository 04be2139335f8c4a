"""The student path, end to end, without the instructor's files.

The student edition is installed with ``pip install -e`` into a fresh virtual
environment; then, in that environment: every visible test fails on the stubs with
"not implemented yet", in seconds; one unit with the reference solution copied in
passes; ``netlings`` offers no instructor command and ``grade --self`` grades with the
visible tests only.

Fast by default: the venv reaches this environment's installed dependencies through
path entries (plain lines of a ``.pth``, so the instructor's own editable install is
*not* activated there) and pip installs only netlings itself (``--no-deps``; pip still
fetches setuptools from PyPI for the isolated build). Set ``NETLINGS_RELEASE_ONLINE=1``
to install every dependency from PyPI instead, as a student would.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from release_support import REPO

from grader.curriculum.manifest import load_manifest
from grader.release import ReleaseReport

pytestmark = pytest.mark.timeout(600)
ONLINE = os.environ.get("NETLINGS_RELEASE_ONLINE") == "1"


def _bin(venv: Path, name: str) -> Path:
    folder = venv / ("Scripts" if os.name == "nt" else "bin")
    suffix = ".exe" if os.name == "nt" else ""
    return folder / f"{name}{suffix}"


def _env(venv: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "NETLINGS_", "PYTHON")) and k != "VIRTUAL_ENV"}
    env["PATH"] = str(_bin(venv, "python").parent) + os.pathsep + env.get("PATH", "")
    env["VIRTUAL_ENV"] = str(venv)
    return env


def run(cmd: list[str | Path], venv: Path, cwd: Path,
        timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], cwd=str(cwd), env=_env(venv), capture_output=True,
                          text=True, encoding="utf-8", errors="replace", timeout=timeout, check=False)


@pytest.fixture(scope="module")
def student(edition: tuple[Path, ReleaseReport],
            tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(venv, the student's copy of the edition) with the edition installed editable."""
    base = tmp_path_factory.mktemp("student")
    folder = base / "netlings"
    shutil.copytree(edition[0], folder)
    venv = base / "venv"
    python = _bin(venv, "python")
    if ONLINE:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
        install = [python, "-m", "pip", "install", "-q", "-e", folder]
    else:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
        purelib = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], venv, base)
        paths = [p for p in site.getsitepackages() if Path(p).is_dir()]
        (Path(purelib.stdout.strip()) / "netlings_test_deps.pth").write_text("\n".join(paths) + "\n")
        install = [python, "-m", "pip", "install", "-q", "--no-deps", "-e", folder]
    done = run(install, venv, base, timeout=600)
    assert done.returncode == 0, f"pip install -e failed:\n{done.stdout}\n{done.stderr}"
    return venv, folder


def test_the_venv_uses_the_release_not_the_instructors_checkout(student: tuple[Path, Path]) -> None:
    venv, folder = student
    probe = ("import importlib.util, os, grader, grader.plugin, grader.edition\n"
             "print(os.path.dirname(os.path.dirname(os.path.realpath(grader.__file__))))\n"
             "print(grader.edition.is_student_edition())\n"
             "print([m for m in ('grader.hidden', 'grader.release') if importlib.util.find_spec(m)])\n")
    got = run([_bin(venv, "python"), "-c", probe], venv, venv.parent)
    assert got.returncode == 0, got.stderr
    where, student_edition, instructor_modules = got.stdout.split("\n")[:3]
    assert Path(where) == folder.resolve(), f"grader imported from {where}, not from the release"
    assert student_edition == "True"
    assert instructor_modules == "[]", f"instructor-only modules importable: {instructor_modules}"


def test_the_netlings_command_has_no_instructor_commands(student: tuple[Path, Path]) -> None:
    venv, folder = student
    helped = run([_bin(venv, "netlings"), "--help"], venv, folder)
    assert helped.returncode == 0, helped.stderr
    for command in ("serve", "grade"):
        assert f"    {command} " in helped.stdout, helped.stdout
    for command in ("build", "gradescope", "release", "nbgrader"):
        assert f"    {command} " not in helped.stdout, f"`netlings {command}` is offered to students"
    batch = run([_bin(venv, "netlings"), "grade", "exercises", "--out", "grades"], venv, folder)
    assert batch.returncode == 1 and "for instructors" in batch.stderr, batch.stderr
    assert not (folder / "grades").exists()


def _junit(path: Path) -> list[tuple[str, str | None]]:
    """(test id, failure text or None) per test case."""
    cases = []
    for case in ET.parse(path).getroot().iter("testcase"):
        failure = case.find("failure")
        if failure is None:
            failure = case.find("error")
        text = None if failure is None else f"{failure.get('message', '')}\n{failure.text or ''}"
        cases.append((f"{case.get('classname')}::{case.get('name')}", text))
    return cases


def test_the_stubs_fail_fast_with_not_implemented_yet_then_a_solved_unit_passes(
        student: tuple[Path, Path]) -> None:
    venv, folder = student
    python = _bin(venv, "python")
    started = time.monotonic()
    stubs = run([python, "-m", "pytest", "exercises/", "-q", "-p", "no:cacheprovider",
                 "--junitxml", folder / "stubs.xml"], venv, folder)
    took = time.monotonic() - started
    cases = _junit(folder / "stubs.xml")
    assert stubs.returncode == 1 and len(cases) >= 50, stubs.stdout[-3000:] + stubs.stderr[-2000:]
    wrong = [(name, text) for name, text in cases if text is None or "not implemented yet" not in text]
    assert not wrong, f"tests that did not fail with 'not implemented yet': {wrong[:5]}"
    assert took < 120, f"the stub run took {took:.0f} s: a student must see every failure in seconds"

    shutil.copyfile(REPO / "solutions" / "00_basics" / "wire.py",
                    folder / "exercises" / "00_basics" / "wire.py")
    solved = run([python, "-m", "pytest", "exercises/00_basics", "-q", "-p", "no:cacheprovider",
                  "--junitxml", folder / "solved.xml"], venv, folder)
    cases = _junit(folder / "solved.xml")
    assert solved.returncode == 0 and cases, solved.stdout[-3000:]
    assert all(text is None for _, text in cases)

    graded = run([_bin(venv, "netlings"), "grade", "--self", "--no-progress",
                  "--suite", "exercises/00_basics"], venv, folder)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    assert "visible tests only" in graded.stderr
    points = load_manifest(folder / "exercises" / "netlings.toml").exercise("wire").points
    assert f"score {points}/{points}" in graded.stdout, graded.stdout
    feedback = (folder / ".netlings" / "feedback.md").read_text(encoding="utf-8")
    assert "visible tests only" in feedback and f"**Score: {points}/{points}**" in feedback
