"""Write the student edition: ``netlings release OUT_DIR``.

What a course hands to students (and can ``git init``): ``exercises/`` (stubs, visible
tests, unit READMEs, the manifest), the ``grader`` package minus everything
instructor-only, a ``pyproject.toml`` (same name ``netlings``, runtime dependencies
only), a student ``README.md`` and a ``.gitignore``.

Why it is built this way:

* **Left out by rule, checked by content.** :data:`INSTRUCTOR_ONLY` names what never
  ships (a CLI module can also opt out with ``INSTRUCTOR_ONLY = True``); then every
  distinctive line of solution code, hidden tests and sample submissions is searched
  for in the staged release (:mod:`grader.release.leaks`). One hit and nothing is
  written: a rule that missed a new instructor file cannot leak it.
* **Stubs are regenerated, not copied.** An instructor who tried a solution inside
  ``exercises/`` would otherwise ship it; the release runs ``netlings build``'s
  :func:`~grader.curriculum.build.build_all` on its copy (stubs and ``.stubs.json``)
  and says which files differed.
* **The student path is proven before it is published.** Every shipped module is
  imported from the staged copy in a fresh interpreter, and the CLI builds its parser:
  a shipped module that imports something left out fails the release, not the class.
* **Staged, then moved.** Everything is written to a hidden folder next to OUT_DIR and
  moved in only when complete and clean; re-releasing into an earlier release
  (``--force``) replaces what a release writes (``grader/``, ``exercises/``, the
  generated files) and leaves everything else, ``.git`` included, so a course can
  commit each release to its student repository.
* **Portable.** pathlib everywhere, ``\\n`` line endings in generated files, plain
  copies (no links, no permissions copied).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any

from ..curriculum.build import BEGIN, STUBS_INDEX, StubError, build_all, build_stub
from ..curriculum.manifest import load_manifest
from .leaks import FORBIDDEN, Leak, files_under, find_leaks, forbidden_paths, public_lines, secret_lines

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

PROJECT_ROOT = Path(__file__).resolve().parents[2]
"""The instructor's checkout this package lives in."""
README_TEMPLATE = Path(__file__).with_name("STUDENT_README.md")

INSTRUCTOR_ONLY: tuple[str, ...] = (
    "grader/hidden",               # the hidden suites
    "grader/release",              # this package
    # grader/nbgrader ships: students' kernels load its cell magics; export.py and
    # extract.py (which read solutions and submissions) opt out with INSTRUCTOR_ONLY.
    "grader/cli/build.py",
    "grader/cli/gradescope.py",
    "grader/cli/release.py",
    "grader/cli/nbgrader.py",      # an nbgrader course is the instructor's (from the solutions)
)
"""Paths under the project that never ship (folders and files, ``/``-separated)."""
OPT_OUT = re.compile(r"^INSTRUCTOR_ONLY\s*(?::\s*\w+\s*)?=\s*True\b", re.MULTILINE)
"""A module-level ``INSTRUCTOR_ONLY = True`` keeps a CLI module (any grader module) out of the release."""

EDITION_FILE = "grader/edition.py"
EDITION_SOURCE = '''"""Which edition of netlings this is: this copy was written by ``netlings release``.

The student edition: no hidden suites, no reference solutions, no instructor commands.
Code that ships in both editions asks :func:`is_student_edition` before offering
instructor-only work (grading a class, building a Gradescope zip).
"""

from __future__ import annotations

STUDENT = True


def is_student_edition() -> bool:
    """True: this folder was written by ``netlings release``."""
    return STUDENT
'''
GITIGNORE = """\
# What your machine makes while you work: never hand it in.
__pycache__/
*.egg-info/
.pytest_cache/
.venv/
venv/
build/
dist/
.netlings/
"""
_IMPORT_CHECK = r"""
import importlib, os, sys
root = os.path.realpath(sys.argv[1])
sys.path.insert(0, root)
# An editable install of the instructor's checkout would quietly supply what the release lacks.
sys.meta_path = [f for f in sys.meta_path if "editable" not in getattr(f, "__module__", type(f).__module__)]
import grader
where = os.path.realpath(os.path.dirname(grader.__file__))
if os.path.dirname(where) != root:
    sys.exit(f"imported grader from {where}, not from the release")
failed = []
for folder, dirs, files in os.walk(where):
    dirs[:] = sorted(d for d in dirs if d != "__pycache__")
    for name in sorted(files):
        if not name.endswith(".py") or name == "__main__.py":
            continue
        rel = os.path.relpath(os.path.join(folder, name), root)[:-3].replace(os.sep, ".")
        module = rel[: -len(".__init__")] if rel.endswith(".__init__") else rel
        try:
            importlib.import_module(module)
        except BaseException as exc:
            failed.append(f"{module}: {type(exc).__name__}: {exc}")
try:
    from grader.cli import build_parser
    build_parser()
    from grader.edition import is_student_edition
    assert is_student_edition(), "grader/edition.py does not say student edition"
except BaseException as exc:
    failed.append(f"the netlings command: {type(exc).__name__}: {exc}")
for name, module in sorted(sys.modules.items()):
    if name == "grader" or name.startswith("grader."):
        places = [getattr(module, "__file__", None) or "", *getattr(module, "__path__", [])]
        outside = [p for p in places if p and not os.path.realpath(p).startswith(root + os.sep)]
        if outside:
            failed.append(f"{name}: imported from {outside[0]}, outside the release")
if failed:
    sys.exit("\n".join(failed))
"""


class ReleaseError(Exception):
    """The release cannot be written (bad OUT_DIR, broken project, broken staged copy)."""


class LeakError(ReleaseError):
    """The staged release holds instructor-only text or paths; nothing was written."""

    def __init__(self, leaks: list[Leak], paths: list[str]) -> None:
        self.leaks, self.paths = leaks, paths
        shown = [f"  {p}" for p in paths] + [f"  {leak}" for leak in leaks[:10]]
        more = f"\n  … and {len(leaks) - 10} more lines" if len(leaks) > 10 else ""
        super().__init__("the release would contain instructor-only material, so nothing was written:\n"
                         + "\n".join(shown) + more)


@dataclass
class ReleaseReport:
    """What ``release`` wrote, for the CLI to say and for tests to check."""

    out: Path
    files: list[str] = field(default_factory=list)
    """Every file written, relative to ``out``, with ``/``."""
    units: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    """Instructor-only files of the project that were not shipped."""
    restubbed: list[str] = field(default_factory=list)
    """``exercises/`` files that differed from what ``netlings build`` writes (the generated one shipped)."""
    replaced: bool = False
    secrets_checked: int = 0
    """How many distinctive secret lines were searched for (0 would mean the check checked nothing)."""


# -- what ships ---------------------------------------------------------------------------


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _hidden_name(path: Path, root: Path) -> bool:
    return any(part.startswith(".") or part.endswith(".egg-info") for part in path.relative_to(root).parts)


def instructor_only(rel: str, text: bytes | None = None) -> bool:
    """Whether the project file ``rel`` (``grader/cli/build.py``) stays out of the release."""
    if any(rel == item or rel.startswith(item + "/") for item in INSTRUCTOR_ONLY):
        return True
    return text is not None and rel.endswith(".py") and bool(OPT_OUT.search(text.decode("utf-8", "replace")))


def grader_files(project: Path) -> tuple[list[Path], list[Path]]:
    """(shipped, left out): the ``grader`` package's files split by :func:`instructor_only`."""
    shipped, left_out = [], []
    for path in files_under(project / "grader"):
        if _hidden_name(path, project):
            continue
        rel = _rel(path, project)
        data = path.read_bytes() if path.suffix == ".py" else None
        (left_out if instructor_only(rel, data) else shipped).append(path)
    return shipped, left_out


def solution_stubs(project: Path) -> dict[str, str]:
    """``"01_udp/udp_server.py"`` → the stub generated from ``solutions/01_udp/udp_server.py``."""
    stubs = {}
    solutions = project / "solutions"
    for path in sorted(solutions.glob("*/*.py")) if solutions.is_dir() else []:
        source = path.read_text(encoding="utf-8")
        if BEGIN in source:
            rel = _rel(path, solutions)
            stubs[rel] = build_stub(source, unit=path.parent.name, module=path.stem)
    return stubs


def exercise_files(project: Path) -> list[Path]:
    """``exercises/``'s files, without dot-files other than the stubs index (``.stubs.json``)."""
    exercises = project / "exercises"
    return [p for p in files_under(exercises)
            if not _hidden_name(p, exercises) or _rel(p, exercises) == STUBS_INDEX]


def public_baseline(project: Path, shipped_grader: list[Path], stubs: dict[str, str]) -> set[str]:
    """Lines public by design: the stubs, the visible tests and the shipped machinery.

    Not the unit READMEs or the manifest: a solution pasted into a README is a leak too.
    """
    visible = [p for p in exercise_files(project) if p.name.startswith("test_") and p.suffix == ".py"]
    machinery = [p for p in shipped_grader if "hidden" not in p.relative_to(project / "grader").parts]
    return public_lines([*visible, *machinery], stubs.values())


# -- generated files ------------------------------------------------------------------------


def _toml(value: Any) -> str:
    """TOML for the values a pyproject holds here: strings, numbers, booleans, lists, inline tables."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        inline = "[" + ", ".join(_toml(v) for v in value) + "]"
        if len(inline) <= 60:
            return inline
        return "[\n" + "".join(f"    {_toml(v)},\n" for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    raise ReleaseError(f"cannot write {value!r} into pyproject.toml")


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def _table(name: str, items: dict[str, Any]) -> str:
    return f"[{name}]\n" + "".join(f"{_key(k)} = {_toml(v)}\n" for k, v in items.items()) + "\n"


def render_pyproject(project_toml: dict[str, Any]) -> str:
    """The edition's pyproject: the project's metadata, runtime dependencies only, pytest on exercises/."""
    meta = dict(project_toml.get("project", {}))
    scripts = meta.pop("scripts", {})
    entry_points = meta.pop("entry-points", {})
    for dropped in ("optional-dependencies", "urls", "dynamic"):
        meta.pop(dropped, None)
    meta["readme"] = "README.md"
    build = project_toml.get("build-system") or {"requires": ["setuptools>=69"],
                                                  "build-backend": "setuptools.build_meta"}
    ini = (project_toml.get("tool", {}).get("pytest", {}).get("ini_options", {}))
    out = ["# The student edition of netlings, written by `netlings release`.\n"
           "# Install with: python -m pip install -e .\n\n",
           _table("build-system", build), _table("project", meta)]
    if scripts:
        out.append(_table("project.scripts", scripts))
    for group, points in entry_points.items():
        out.append(_table(f"project.entry-points.{_key(group)}", points))
    out.append(_table("tool.setuptools.packages.find", {"include": ["grader*"]}))
    out.append(_table("tool.setuptools.package-data", {"*": ["*.ini", "*.md", "*.toml"]}))
    pytest_ini: dict[str, Any] = {"testpaths": ["exercises"]}
    if "timeout" in ini:
        pytest_ini["timeout"] = ini["timeout"]
    out.append(_table("tool.pytest.ini_options", pytest_ini))
    return "".join(out).rstrip("\n") + "\n"


def render_readme(project: Path, version: str) -> str:
    manifest = load_manifest(project / "exercises" / "netlings.toml")
    rows = []
    for unit in manifest.units:
        files = ", ".join(f"`{exercise.path}`" for exercise in unit.exercises)
        rows.append(f"| `{unit.id}` | {unit.title} | {files} |")
    template = Template(README_TEMPLATE.read_text(encoding="utf-8"))
    return template.substitute(units_table="\n".join(rows), version=version)


# -- writing ----------------------------------------------------------------------------------


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(data)
    else:
        path.write_bytes(data)


def is_release(folder: Path) -> bool:
    """Whether ``folder`` holds a student edition (its ``grader/edition.py`` says so)."""
    try:
        text = (folder / EDITION_FILE).read_text(encoding="utf-8")
    except OSError:
        return False
    return re.search(r"^STUDENT\s*=\s*True\b", text, re.MULTILINE) is not None


def _check_out(out: Path, project: Path, force: bool) -> bool:
    """Refuse an OUT_DIR that would overwrite the project or someone's files; True if replacing a release."""
    project = project.resolve()
    if out == project or project.is_relative_to(out):
        raise ReleaseError(f"{out} holds the project itself: choose a folder outside it")
    if out.is_relative_to(project):
        first = out.relative_to(project).parts[0]
        if first in ("grader", "exercises", "solutions", "tests", "examples"):
            raise ReleaseError(f"{out} is inside the project's {first}/: choose another folder")
    if out.exists() and not out.is_dir():
        raise ReleaseError(f"{out} exists and is not a folder")
    if not out.exists() or not any(out.iterdir()):
        return False
    if not is_release(out):
        raise ReleaseError(f"{out} is not empty and is not a netlings student edition: "
                           "choose an empty folder")
    if not force:
        raise ReleaseError(f"{out} already holds a student edition: add --force to replace it "
                           "(files a release does not write, such as .git, are kept)")
    return True


def check_imports(staged: Path) -> None:
    """Import every shipped module from ``staged`` in a fresh interpreter; ReleaseError says what broke."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NETLINGS_"))}
    proc = subprocess.run([sys.executable, "-I", "-B", "-c", _IMPORT_CHECK, str(staged)], env=env,
                          capture_output=True, text=True, encoding="utf-8", errors="replace",
                          timeout=120, cwd=str(staged))
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip()[-3000:]
        raise ReleaseError(f"the student edition does not import without the instructor's files:\n{detail}")


def stage(project: Path, staged: Path, report: ReleaseReport) -> set[str]:
    """Write the release into ``staged``; returns the public baseline for the leak check."""
    shipped, left_out = grader_files(project)
    report.left_out = [_rel(p, project) for p in left_out]
    for path in shipped:
        _write(staged / _rel(path, project), path.read_bytes())
    _write(staged / EDITION_FILE, EDITION_SOURCE)

    stubs = solution_stubs(project)
    exercises = project / "exercises"
    for path in exercise_files(project):
        _write(staged / "exercises" / _rel(path, exercises), path.read_bytes())
    if (project / "solutions").is_dir():
        # The same code as `netlings build`: stubs and .stubs.json as generated, whatever exercises/ held.
        try:
            changed = build_all(project / "solutions", staged / "exercises")
        except StubError as exc:
            raise ReleaseError(f"cannot make the stubs: {exc}") from exc
        report.restubbed = [_rel(path, staged) for path in changed]

    project_toml = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    version = str(project_toml.get("project", {}).get("version", "0"))
    _write(staged / "pyproject.toml", render_pyproject(project_toml))
    _write(staged / "README.md", render_readme(project, version))
    _write(staged / ".gitignore", GITIGNORE)
    license_file = next((p for p in sorted(project.glob("LICENSE*")) if p.is_file()), None)
    if license_file is not None:
        _write(staged / license_file.name, license_file.read_bytes())
    report.units = [unit.id for unit in load_manifest(project / "exercises" / "netlings.toml").units]
    return public_baseline(project, shipped, stubs)


def release(out: Path | str, *, project: Path | str = PROJECT_ROOT, force: bool = False,
            verify_imports: bool = True) -> ReleaseReport:
    """Write the student edition of ``project`` into ``out``; see the module docstring.

    Raises:
        ReleaseError: OUT_DIR is unsuitable, or the staged edition does not import.
        LeakError: the staged edition holds instructor-only text or paths (nothing written).
    """
    project = Path(project).resolve()
    out = Path(out).resolve()
    if not (project / "grader").is_dir() or not (project / "exercises" / "netlings.toml").is_file():
        raise ReleaseError(f"{project} is not a netlings checkout (no grader/ or exercises/netlings.toml)")
    replacing = _check_out(out, project, force)
    report = ReleaseReport(out=out, replaced=replacing)
    out.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{out.name}.netlings-release-", dir=out.parent))
    try:
        public = stage(project, staged, report)
        secrets = secret_lines(project, public)
        report.secrets_checked = len(secrets)
        leaks = find_leaks(staged, secrets)
        paths = forbidden_paths(staged, FORBIDDEN)
        if leaks or paths:
            raise LeakError(leaks, paths)
        if verify_imports:
            check_imports(staged)
        report.files = sorted(_rel(p, staged) for p in staged.rglob("*") if p.is_file())
        _move_in(staged, out)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return report


def _move_in(staged: Path, out: Path) -> None:
    """Move each staged entry into ``out``, replacing an earlier release's entry of the same name only."""
    out.mkdir(parents=True, exist_ok=True)
    for entry in sorted(staged.iterdir()):
        target = out / entry.name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
        os.replace(entry, target)
