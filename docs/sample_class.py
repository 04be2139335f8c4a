"""Build a sample class of twelve for the README's screenshots: real work, graded for real.

Why: a dashboard of three students (examples/submissions/) shows no distribution, and a
made-up results file shows made-up feedback. These twelve are made of what the project
already has: alice's complete work and bob's half-done tree (examples/submissions/), the
reference solutions laid flat, and the hand-written buggy modules of tests/hidden/buggy/
(each one beginner mistake) laid over them, with a few modules left out. Names in several
scripts, so the gradebook shows that ids keep them.

    python docs/sample_class.py /tmp/class
    netlings grade /tmp/class --out /tmp/out -j 2
    python docs/make_screenshots.py --graded /tmp/out --student 王五
"""

from __future__ import annotations

import argparse
import shutil
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "submissions"
BUGGY = REPO / "tests" / "hidden" / "buggy"
SOLUTIONS = REPO / "solutions"

CLASS: dict[str, tuple[str, list[str], list[str]]] = {
    # name: (base sample, buggy modules laid over it, modules left out)
    "张三": ("alice", [], []),
    "李四": ("bob", [], []),
    "王五": ("carol", [], []),
    "José": ("alice", ["single_recv", "no_quit"], []),
    "Ana Maria": ("alice", ["send_not_sendall", "bcc_leaked", "first_encoded_word_only"], []),
    "2024001_赵六": ("bob", ["str_not_bytes"], []),
    "Priya": ("alice", ["tls_order"], ["05_pop3/receive.py", "05_pop3/parse.py"]),
    "Kenji": ("alice", ["ftp_text_mode", "path_traversal", "closed_listener"], []),
    "Léa": ("alice", ["no_udp_timeout"], ["04_smtp/send.py", "05_pop3/receive.py", "05_pop3/parse.py"]),
    "Omar": ("bob", ["server_dies_on_bad_datagram"], []),
    "Mei": ("alice", ["charset_ignored", "header_not_encoded", "eof_compared_with_str"],
            ["02_tcp/framing.py"]),
}


def _tree(sample: str) -> Path:
    """The folder holding the unit folders of a sample (bob's sits inside netlings-main/exercises/)."""
    nested = EXAMPLES / sample / "netlings-main" / "exercises"
    return nested if nested.is_dir() else EXAMPLES / sample


def build(target: Path) -> list[Path]:
    """Write the class into ``target`` (one folder per student, and one flat zip); the paths made."""
    target.mkdir(parents=True, exist_ok=True)
    made = []
    for name, (sample, bugs, left_out) in CLASS.items():
        folder = target / name
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(_tree(sample), folder)
        for bug in bugs:
            for module in (BUGGY / bug).rglob("*.py"):
                shutil.copy(module, folder / module.relative_to(BUGGY / bug))
        for module in left_out:
            (folder / module).unlink(missing_ok=True)
        made.append(folder)
    flat = target / "flat.zip"  # every file at the top of the zip, as some students hand it in
    with zipfile.ZipFile(flat, "w") as archive:
        for path in sorted(SOLUTIONS.glob("*/*.py")):
            archive.write(path, path.name)
    made.append(flat)
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path, help="the class folder to write")
    args = parser.parse_args(argv)
    for path in build(args.target):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
