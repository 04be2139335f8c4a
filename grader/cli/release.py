"""``netlings release OUT_DIR``: write the student edition a course hands out.

OUT_DIR gets exercises/ (stubs regenerated from solutions/, visible tests, unit READMEs,
netlings.toml), the grader package without the hidden suites and the instructor's
commands, a pyproject.toml (runtime dependencies only), a student README.md and a
.gitignore. Nothing is written if any line of a solution, a hidden test or a sample
submission would ship. OUT_DIR must be empty, or an earlier release (with --force:
what a release writes is replaced, everything else, .git included, is kept).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .errors import CLIError

ORDER = 40  # place in `netlings --help`
INSTRUCTOR_ONLY = True  # `netlings release` leaves this command out of the student edition


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("release", help="write the student edition (no solutions, no hidden tests)",
                            description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, metavar="OUT_DIR",
                        help="folder to write (empty, or an earlier release)")
    parser.add_argument("--force", action="store_true", help="replace an earlier release in OUT_DIR")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..release import ReleaseError, release

    try:
        report = release(args.out, force=args.force)
    except ReleaseError as exc:
        raise CLIError(str(exc)) from exc
    for path in report.restubbed:
        print(f"note: {path} was not its generated stub; the release has the stub (run `netlings build`)")
    verb = "replaced the student edition in" if report.replaced else "wrote the student edition to"
    print(f"{verb} {report.out}: {len(report.files)} files, units {', '.join(report.units)}; "
          f"left out {len(report.left_out)} instructor-only files; "
          f"checked {report.secrets_checked} lines of solutions and hidden tests: none shipped")
    print(f"try it: cd {report.out} && python -m pip install -e . && pytest exercises/")
    return 0
