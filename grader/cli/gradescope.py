"""``netlings gradescope build|run``: the same grading, packaged as a Gradescope autograder.

``build --out autograder.zip`` writes a zip whose root holds ``setup.sh`` (run once by
Gradescope: ``pip install -e`` of the source copy in the zip), ``run_autograder`` (run per
submission: ``netlings gradescope run``), this project's package source, the test
suite, and ``netlings-autograder.json`` (suite paths, time limits, and the language of the
feedback: ``netlings --lang zh gradescope build`` makes a Chinese autograder, since nothing
on Gradescope's machine says which language the class reads).

``run`` grades ``<root>/submission`` and writes ``<root>/results/results.json`` per
Gradescope's specification. ``<root>`` is ``/autograder`` unless the environment
variable ``NETLINGS_AUTOGRADER_ROOT`` says otherwise (the tests simulate the layout in
a temporary folder). Whatever goes wrong, a results.json is written, so the student
sees a message rather than Gradescope's bare "autograder failed".
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
import time
import traceback
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..grade.batch import PrepareFn, grade_batch, prepare_submission
from ..grade.runner import DEFAULT_TEST_TIMEOUT, PACKAGE_PARENT, suite_files
from ..messages import LANGUAGES, current_language, msg
from ..report.atomic import atomic_write_json
from ..report.writers import write_gradescope
from .grade import default_suite

ROOT_ENV = "NETLINGS_AUTOGRADER_ROOT"
DEFAULT_ROOT = "/autograder"
CONFIG_NAME = "netlings-autograder.json"
PROJECT_FILES = ("pyproject.toml", "README.md", "LICENSE", "exercises/netlings.toml")
"""Besides grader/ and the suite: what ``pip install`` needs, and the manifest (the contract)."""

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, while building the autograder image:
# install netlings (and its dependencies) from the source copy in this zip, editable,
# so the grader finds its manifest (exercises/netlings.toml) and suite beside it.
set -euo pipefail
cd "${NETLINGS_AUTOGRADER_ROOT:-/autograder}/source"
if ! python3 -m pip --version >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq python3-pip
fi
# The grader's sandbox; where the image cannot run it, netlings grades this one submission without it.
command -v bwrap >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq bubblewrap) || true
python3 -m pip install --no-cache-dir -e . \
  || python3 -m pip install --no-cache-dir --break-system-packages -e .
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission: grade <root>/submission and write
# <root>/results/results.json (root: $NETLINGS_AUTOGRADER_ROOT, default /autograder).
cd "${NETLINGS_AUTOGRADER_ROOT:-/autograder}/source"
exec python3 -c 'import sys; from grader.cli import main; sys.exit(main(["gradescope", "run"]))'
"""


ORDER = 40  # place in `netlings --help`


def add_parser(sub: Any) -> None:
    about = msg("grade.gradescope.help")
    description = __doc__ if current_language() == "en" else about
    parser = sub.add_parser("gradescope", help=about, description=description,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="gradescope_command", metavar="{build,run}", required=True)
    build = commands.add_parser("build", help=msg("grade.gradescope.help.build"))
    build.add_argument("--out", "-o", type=Path, default=Path("autograder.zip"), metavar="ZIP")
    build.add_argument("--suite", type=Path, action="append", metavar="PATH",
                       help=msg("grade.gradescope.help.suite"))
    build.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS")
    build.add_argument("--test-timeout", type=float, default=DEFAULT_TEST_TIMEOUT, metavar="SECONDS")
    build.set_defaults(handler=run_build)
    run = commands.add_parser("run", help=msg("grade.gradescope.help.run"))
    run.add_argument("--root", type=Path, default=None, metavar="DIR",
                     help=msg("grade.gradescope.help.root", env=ROOT_ENV, default=DEFAULT_ROOT))
    run.set_defaults(handler=run_run)


def autograder_root() -> Path:
    return Path(os.environ.get(ROOT_ENV) or DEFAULT_ROOT)


# -- build ---------------------------------------------------------------------------------


def _arcname(path: Path, project: Path) -> str:
    """Where a suite file goes in the zip: its place in the project, else under suite/."""
    try:
        return path.resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        return f"suite/{path.name}"


def build_zip(out: Path, *, suite: Sequence[Path], project: Path = PACKAGE_PARENT, timeout: float = 300.0,
              test_timeout: float = DEFAULT_TEST_TIMEOUT, lang: str | None = None) -> Path:
    """Write the autograder zip; returns its path. Entries are sorted (reproducible zips).

    ``lang``: the language of the students' results (default: the current language).
    """
    entries: dict[str, Path | bytes] = {}
    for name in PROJECT_FILES:
        if (project / name).is_file():
            entries[name] = project / name
    for file in suite_files([project / "grader"]):
        entries[file.relative_to(project).as_posix()] = file
    suite_names = []
    for path in suite:
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(msg("grade.gradescope.suite_missing", path=path))
        base = _arcname(path, project)
        suite_names.append(base)
        for file in suite_files([path]):
            entries[base if path.is_file() else f"{base}/{file.relative_to(path).as_posix()}"] = file
    config = {"suite": suite_names, "timeout": timeout, "test_timeout": test_timeout,
              "lang": lang or current_language()}
    entries[CONFIG_NAME] = (json.dumps(config, indent=2) + "\n").encode()
    entries["setup.sh"] = SETUP_SH.encode()
    entries["run_autograder"] = RUN_AUTOGRADER.encode()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            content = entries[name]
            data = content if isinstance(content, bytes) else content.read_bytes()
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            executable = name in ("setup.sh", "run_autograder")
            info.external_attr = ((stat.S_IFREG | (0o755 if executable else 0o644)) << 16)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    os.replace(tmp, out)
    return out


def run_build(args: argparse.Namespace) -> int:
    from .errors import CLIError

    suite = args.suite or default_suite()
    if not suite:
        raise CLIError(msg("grade.cli.no_suite"))
    try:
        out = build_zip(args.out, suite=suite, timeout=args.timeout, test_timeout=args.test_timeout)
    except FileNotFoundError as exc:
        raise CLIError(str(exc)) from exc
    print(msg("grade.gradescope.wrote", path=out))
    return 0


# -- run -----------------------------------------------------------------------------------


def _submission_source(folder: Path) -> Path:
    """Gradescope's submission folder, or the one .zip in it when that is all the student uploaded."""
    if folder.is_dir():
        items = [p for p in folder.iterdir() if not p.name.startswith(".")]
        if len(items) == 1 and items[0].is_file() and items[0].suffix.lower() == ".zip":
            return items[0]
    return folder


def run_autograder(root: Path, *, prepare: PrepareFn = prepare_submission,
                   suite: Sequence[Path] | None = None) -> dict[str, Any]:
    """Grade ``root/submission`` and write ``root/results/results.json``; returns that document.

    In the language the zip was built for (its config's ``lang``), else the current one.
    """
    started = time.monotonic()
    results = root / "results" / "results.json"
    lang = current_language()
    try:
        config_path = root / "source" / CONFIG_NAME
        config = json.loads(config_path.read_text(encoding="utf-8")) if config_path.is_file() else {}
        lang = config["lang"] if config.get("lang") in LANGUAGES else lang
        if suite is None:
            suite = [root / "source" / name for name in config.get("suite", [])] or default_suite()
        batch = grade_batch([_submission_source(root / "submission")], root / "results" / "netlings",
                            suite=suite, jobs=1, force=True, progress=False, prepare=prepare,
                            timeout_per_submission=float(config.get("timeout", 300.0)),
                            test_timeout=float(config.get("test_timeout", DEFAULT_TEST_TIMEOUT)), lang=lang,
                            # One submission per container: there is no classmate to reach. The
                            # sandbox is still used where the image can run it; where it cannot,
                            # the notice below says what the student's code could read.
                            unsafe_shared_host=True)
        for notice in batch.notices:
            print(f"netlings: {notice}", file=sys.stderr)
        write_gradescope(batch.submissions[0], results, execution_time=time.monotonic() - started)
    except Exception as exc:  # noqa: BLE001 - the student must get a results.json whatever failed
        traceback.print_exc()
        document = {"score": 0.0, "execution_time": round(time.monotonic() - started),
                    "output": msg("grade.gradescope.failed", lang, error=f"{type(exc).__name__}: {exc}"),
                    "stdout_visibility": "hidden", "tests": []}
        atomic_write_json(results, document)
    return json.loads(results.read_text(encoding="utf-8"))


def run_run(args: argparse.Namespace) -> int:
    root = args.root or autograder_root()
    document = run_autograder(root)
    path = root / "results" / "results.json"
    print(msg("grade.gradescope.written", score=document.get("score"), path=path), file=sys.stderr)
    return 0
