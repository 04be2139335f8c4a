"""Build the red-team class: hostile submissions next to honest ones, at test time.

Every submission is the reference solutions with ``00_basics/wire.py`` changed, so the
red-team batch can run the 00_basics suite only (fast) while every other contract
module is present and valid. A hostile ``wire.py`` is the reference with one of
``hostile/<case>.py`` appended: its later ``def to_bytes`` replaces the reference's, so
exactly the tests that use ``to_bytes`` meet the hostile code and every other test must
still pass. The honest ``to_bytes-todo`` submission (only ``to_bytes`` left as a TODO)
says which tests those are, so "no forged pass" is checked against a real run, not a
list kept by hand.

Archives, symlinks and bad encodings are made here too, so only text is committed.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOLUTIONS = REPO / "solutions"
STUBS = REPO / "exercises"
HOSTILE = Path(__file__).with_name("hostile")
WIRE = "00_basics/wire.py"
UNIT = "00_basics"
SUITE = [REPO / "grader" / "hidden" / UNIT, *sorted((REPO / "exercises" / UNIT).glob("test_*.py"))]
CONTRACT = sorted(p.relative_to(SOLUTIONS).as_posix() for p in SOLUTIONS.glob("*/*.py"))


def reference(module: str = WIRE) -> str:
    return (SOLUTIONS / module).read_text(encoding="utf-8")


def stub(module: str = WIRE) -> str:
    return (STUBS / module).read_text(encoding="utf-8")


def function_source(text: str, name: str) -> str:
    """``def name(...)`` with its body, cut out of a module's source."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(f"def {name}("))
    ends = (i for i in range(start + 1, len(lines))
            if lines[i].strip() and not lines[i][0].isspace() and not lines[i].startswith(")"))
    end = next(ends, len(lines))
    return "".join(lines[start:end]).rstrip() + "\n"


def with_functions_from(base: str, other: str, names: list[str]) -> str:
    """``base`` with the functions ``names`` appended as written in ``other`` (the later def wins)."""
    return base.rstrip() + "\n\n\n" + "\n\n".join(function_source(other, n) for n in names)


def hostile_wire(case: str, **fill: str) -> str:
    """The reference wire.py with ``hostile/<case>.py`` appended (``__KEY__`` placeholders filled)."""
    snippet = (HOSTILE / f"{case}.py").read_text(encoding="utf-8")
    for key, value in fill.items():
        snippet = snippet.replace(f"__{key.upper()}__", value)
    return reference().rstrip() + "\n\n\n# --- appended by the red team ---\n" + snippet


def solution_tree(folder: Path, overrides: dict[str, str | bytes | None] | None = None) -> Path:
    """The reference solutions under ``folder``; ``overrides`` maps module → text/bytes, or None to omit."""
    shutil.copytree(SOLUTIONS, folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for module, content in (overrides or {}).items():
        target = folder / module
        if content is None:
            target.unlink()
        elif isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return folder


def zip_folder(folder: Path, archive: Path, extra: Callable[[zipfile.ZipFile], None] | None = None) -> Path:
    """Zip ``folder`` (members relative to its parent, as students zip), then let ``extra`` add members."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder.parent).as_posix())
        if extra is not None:
            extra(zf)
    return archive


def add_symlink(zf: zipfile.ZipFile, name: str, target: str) -> None:
    """A symlink member as Info-ZIP stores it: Unix mode S_IFLNK, the target as the content."""
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    zf.writestr(info, target)


@dataclass(frozen=True)
class Built:
    """The class as graded: submission paths, and paths the hostile code must never create."""

    submissions: dict[str, Path]
    escape_targets: list[Path]


FORK_BOMB = "00-fork-bomb"
THREADS = "00-threads"
DEPTH = 1000
ABSTRACT = f"netlings-redteam-{secrets.token_hex(6)}"
"""An abstract Unix socket the test listens on in the host's network namespace: none may reach it."""
SECRET_FILE = "/etc/passwd"
SECRET_TEXT = "root:x:0:0"
"""A line of the system file the symlink submissions point at: it must appear in no output."""


def build_class(base: Path, out: Path, *, sandboxed: bool) -> Built:
    """Every red-team submission under ``base`` (folders and zips), for a batch writing to ``out``.

    ``sandboxed``: include the cases only the sandbox contains (fork bomb, memory hog,
    the forger, the parasite): without its limits and its users they would really eat
    the machine, overwrite files of other processes of the same user, or read the code
    of classmates graded as that same user (which the grader then says it cannot prevent).
    """
    base.mkdir(parents=True, exist_ok=True)
    subs: dict[str, Path] = {}
    mark = f"# red-team class {secrets.token_hex(8)}\n"  # the parasite steals only from this batch

    def folder(name: str, overrides: dict[str, str | bytes | None] | None = None) -> Path:
        subs[name] = solution_tree(base / name, overrides)
        wire = subs[name] / WIRE
        if wire.is_file():
            wire.write_bytes(wire.read_bytes().rstrip() + b"\n\n" + mark.encode())
        return subs[name]

    ref = reference()
    folder("reference")
    folder("to_bytes-todo", {WIRE: with_functions_from(ref, stub(), ["to_bytes"])})
    half = {m: stub(m) for m in CONTRACT if not m.startswith(("00_", "01_"))}
    half[WIRE] = with_functions_from(ref, stub(), ["split_address", "port_category"])
    folder("half-done", half)

    hostile = ["loop", "sleep", "os_exit", "sys_exit", "flood", "monkeypatch", "big_return", "forge_events",
               "markup"]
    if sandboxed:
        hostile += ["memory_hog", "forger", "parasite", "leak", "event_flood", "neighbour"]
    fill = {"out": str(out), "class": mark.strip(), "repo": str(REPO), "abstract": ABSTRACT}
    for case in hostile:
        folder(case.replace("_", "-"), {WIRE: hostile_wire(case, **fill)})
    if sandboxed:
        # Sorted first, so the pool starts them together: the bomb's leftover processes
        # are alive while the honest neighbour starts its threads.
        folder(FORK_BOMB, {WIRE: hostile_wire("fork_bomb")})
        folder(THREADS, {WIRE: hostile_wire("threads")})

    # A student's own pytest configuration and stdlib-shadowing files next to a to_bytes
    # that is not done: none of it may be read, or turn the TODO into a pass.
    rigged = folder("rigged-config", {WIRE: with_functions_from(ref, stub(), ["to_bytes"])})
    (rigged / "conftest.py").write_text(RIGGED_CONFTEST, encoding="utf-8")
    (rigged / "00_basics" / "conftest.py").write_text(RIGGED_CONFTEST, encoding="utf-8")
    (rigged / "pytest.ini").write_text("[pytest]\naddopts = -p no:netlings --co\n", encoding="utf-8")
    (rigged / "00_basics" / "json.py").write_text("raise SystemExit('shadowed json')\n", encoding="utf-8")
    (rigged / "00_basics" / "socket.py").write_text("raise SystemExit('shadowed socket')\n", encoding="utf-8")

    broken = ref.replace("def split_address(addr: str) -> tuple[str, int]:",
                         "def split_address(addr: str) -> tuple[str, int]\n    pass", 1)
    assert broken != ref
    folder("syntax-error", {WIRE: broken})
    gbk = ref.replace('"""Unit 00', '"""单元 00 (saved as GBK by an old editor)\nUnit 00', 1)
    folder("not-utf8", {WIRE: gbk.encode("gbk")})
    folder("missing-wire", {WIRE: None})
    subs["nothing"] = base / "nothing"
    (base / "nothing" / "notes").mkdir(parents=True)
    (base / "nothing" / "notes" / "readme.txt").write_text("I will hand it in tomorrow\n", encoding="utf-8")

    # Archives: a ../ member (and an absolute one) next to a complete submission; a
    # symlink member standing in for wire.py.
    escape = [base.parent / "escaped-by-zip.txt", base / "escaped-by-zip.txt",
              Path("/tmp/escaped-by-zip.txt")]
    staging = base / "_staging"
    tree = solution_tree(staging / "zip-dotdot" / "netlings-main" / "exercises")

    def dotdot(zf: zipfile.ZipFile) -> None:
        zf.writestr("../../escaped-by-zip.txt", "escaped\n")
        zf.writestr("../escaped-by-zip.txt", "escaped\n")
        zf.writestr("/tmp/escaped-by-zip.txt", "escaped\n")
        zf.writestr("zip-dotdot/../../00_basics/wire.py", "raise SystemExit('from outside')\n")

    subs["zip-dotdot"] = zip_folder(tree.parent.parent, base / "zip-dotdot.zip", dotdot)
    tree = solution_tree(staging / "zip-symlink" / "exercises", {WIRE: None})
    subs["zip-symlink"] = zip_folder(
        tree.parent, base / "zip-symlink.zip",
        lambda zf: add_symlink(zf, f"zip-symlink/exercises/{WIRE}", SECRET_FILE))

    # Names and shapes that once stopped the whole class: complete submissions named like
    # the gradebook's own files, and one with a member 1,000 folders deep.
    for name in ("grades.csv", "summary.md", "summary.html"):
        tree = solution_tree(staging / name / "exercises")
        subs[name] = zip_folder(tree, base / f"{name}.zip")  # its student id: the zip's stem
    tree = solution_tree(staging / "deep" / "exercises")
    subs["deep"] = zip_folder(tree, base / "deep.zip",
                              lambda zf: zf.writestr("exercises/" + "d/" * DEPTH + "deep.txt", "deep\n"))
    shutil.rmtree(staging)

    if hasattr(os, "symlink"):
        linked = folder("folder-symlink", {WIRE: None})
        os.symlink(SECRET_FILE, linked / WIRE)
        os.symlink("/etc", linked / "00_basics" / "etc")
    return Built(subs, escape)


RIGGED_CONFTEST = '''
import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    report.outcome = "passed"
    report.longrepr = None


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.points(1000))
'''
