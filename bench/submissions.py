"""Submissions to grade: the reference, the stubs, a half-done one, and seeded random mixes.

Why generated from the project's own files: every module of a submission is either the
reference solution (``solutions/``), the untouched stub (``exercises/``) or a known
beginner mistake (``tests/hidden/buggy/<mistake>/<unit>/<module>.py``), so a benchmark
class looks like a real one (some done, some not started, some wrong in a known way)
and its grades can be checked: the same submissions must get the same grades whatever
the benchmark switches (``-j``, the fork server, notebooks instead of folders).

Mixes are seeded per submission (``seed``, index): the first 20 of 100 are the 20, so
the 20- and 100-submission batches grow by adding students, not by changing them.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCES = ("solution", "stub", "buggy")
WEIGHTS = {"solution": 0.5, "stub": 0.25, "buggy": 0.25}
"""A typical class mid-term: half the modules done, a quarter not started, a quarter wrong."""
HALF_DONE_BUGS = ("no_udp_timeout/01_udp/udp_client.py", "single_recv/02_tcp/tcp_client.py")
"""The half-done submission's mistakes: a client that waits forever, one that reads once."""
HALF_DONE_STUB_UNITS = ("04_smtp", "05_pop3")


def modules(repo: Path = REPO) -> list[str]:
    """The module paths a submission holds (``01_udp/udp_server.py`` …), from the manifest."""
    try:
        import tomllib
    except ImportError:  # Python 3.10: tomli is a dependency there
        import tomli as tomllib  # type: ignore[no-redef]

    manifest = tomllib.loads((repo / "exercises" / "netlings.toml").read_text(encoding="utf-8"))
    return [exercise["path"] for unit in manifest["units"] for exercise in unit["exercises"]]


def buggy_variants(repo: Path = REPO) -> dict[str, list[Path]]:
    """Module path → the buggy versions of it, sorted (stable choices for a seed)."""
    found: dict[str, list[Path]] = {}
    for path in sorted((repo / "tests" / "hidden" / "buggy").glob("*/*/*.py")):
        found.setdefault(f"{path.parts[-2]}/{path.name}", []).append(path)
    return found


def source_file(repo: Path, module: str, choice: str) -> Path:
    """Where a module's text comes from: ``solution``, ``stub`` or ``buggy:<mistake>``."""
    if choice == "solution":
        return repo / "solutions" / module
    if choice == "stub":
        return repo / "exercises" / module
    if choice.startswith("buggy:"):
        return repo / "tests" / "hidden" / "buggy" / choice.split(":", 1)[1] / module
    raise ValueError(f"unknown module source {choice!r}")


def write_submission(folder: Path, mix: Mapping[str, str], repo: Path = REPO) -> Path:
    """A student's folder ``folder/<unit>/<module>.py`` with each module from its chosen source."""
    for module, choice in mix.items():
        target = folder / module
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source_file(repo, module, choice), target)
    return folder


def reference_mix(repo: Path = REPO) -> dict[str, str]:
    return {module: "solution" for module in modules(repo)}


def stub_mix(repo: Path = REPO) -> dict[str, str]:
    return {module: "stub" for module in modules(repo)}


def half_done_mix(repo: Path = REPO) -> dict[str, str]:
    """Early units solved (two of them with a classic mistake), the mail units not started."""
    mix = {m: "stub" if m.split("/")[0] in HALF_DONE_STUB_UNITS else "solution" for m in modules(repo)}
    for bug in HALF_DONE_BUGS:
        mistake, module = bug.split("/", 1)
        if module in mix and source_file(repo, module, f"buggy:{mistake}").is_file():
            mix[module] = f"buggy:{mistake}"
    return mix


def random_mix(
    seed: int, index: int, repo: Path = REPO, variants: Mapping[str, Sequence[Path]] | None = None
) -> dict[str, str]:
    """Submission ``index`` of the class seeded ``seed``: per module solution, stub or a known bug."""
    variants = buggy_variants(repo) if variants is None else variants
    rng = random.Random(f"netlings-bench-{seed}-{index}")
    mix = {}
    for module in modules(repo):
        choice = rng.choices(SOURCES, weights=[WEIGHTS[s] for s in SOURCES])[0]
        bugs = variants.get(module, [])
        if choice == "buggy":
            choice = f"buggy:{rng.choice(bugs).parts[-3]}" if bugs else "solution"
        mix[module] = choice
    return mix


def generate(base: Path, count: int, seed: int, repo: Path = REPO) -> list[Path]:
    """``count`` seeded submissions ``base/s000`` …; their mixes in ``base/mixes.json``."""
    base.mkdir(parents=True, exist_ok=True)
    variants = buggy_variants(repo)
    folders, mixes = [], {}
    for index in range(count):
        mix = random_mix(seed, index, repo, variants)
        folder = write_submission(base / f"s{index:03d}", mix, repo)
        folders.append(folder)
        mixes[folder.name] = mix
    (base / "mixes.json").write_text(json.dumps(mixes, indent=1, sort_keys=True), encoding="utf-8")
    return folders


def describe_mix(mix: Mapping[str, str]) -> str:
    """``6 solved, 3 stubs, 2 buggy``: how a submission was made, for the results."""
    counts = {s: sum(1 for c in mix.values() if c.split(":")[0] == s) for s in SOURCES}
    return f"{counts['solution']} solved, {counts['stub']} stubs, {counts['buggy']} buggy"
