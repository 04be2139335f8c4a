"""``netlings export canvas|moodle|csv OUT``: the gradebook of a graded folder, for an LMS or a registrar.

OUT is the folder ``netlings grade ... --out OUT`` wrote. Every grade is the course grade
(out of 100 as the course ships), the roster's columns (``--roster``) identify the students:

* ``canvas``: Canvas's Gradebook import (Grades > Import): ``Student,ID,SIS User ID,SIS
  Login ID,Section,<assignment>`` and a "Points Possible" row. Canvas finds each student by
  SIS User ID, else SIS Login ID, else name, and lists the rest for you to match. Roster
  entries with no submission have an empty grade, which Canvas reads as "no change".
  ``--assignment`` names the column: the assignment's exact title in Canvas, or "Title (id)".
* ``moodle``: Moodle's CSV grade import (Grades > Import > CSV file): ``First name,Last
  name,ID number,Email address,<assignment> (Real)``; map from the column this command
  names. Only rows that have that column are written (``--key idnumber|email``), and roster
  entries with no submission are left out: Moodle would otherwise misplace or erase grades.
  Both are listed on stderr.
* ``csv``: ``student,submission,name,sis_id,login_id,section,grade,grade_max`` and one column
  per exercise; roster entries with no submission have empty grades.

The file goes to ``OUT/export-canvas.csv``, ``OUT/export-moodle.csv`` or ``OUT/export.csv``
(``--output FILE`` elsewhere), UTF-8 with a byte-order mark so Excel shows 张三 as 张三.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..messages import current_language, msg
from ..report.safe_text import line as one_line

INSTRUCTOR_ONLY = True  # never shipped in the student edition (grader/release/build.py)

ORDER = 30  # place in `netlings --help`: after grade


def add_parser(sub: Any) -> None:
    from ..report.exports import DEFAULT_ASSIGNMENT, FORMATS, MOODLE_KEYS

    about = msg("export.help")
    description = __doc__ if current_language() == "en" else about
    parser = sub.add_parser("export", help=about, description=description,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("format", choices=FORMATS, help=msg("export.help.format"))
    parser.add_argument("out", type=Path, metavar="OUT", help=msg("export.help.out"))
    parser.add_argument("--assignment", default=DEFAULT_ASSIGNMENT, metavar="NAME",
                        help=msg("export.help.assignment", default=DEFAULT_ASSIGNMENT))
    parser.add_argument("--output", "-o", type=Path, metavar="FILE", help=msg("export.help.output"))
    parser.add_argument("--key", choices=sorted(MOODLE_KEYS), help=msg("export.help.key"))
    parser.set_defaults(handler=run)


def _names(students: list[str]) -> str:
    return ", ".join(one_line(s) for s in students)


def run(args: argparse.Namespace) -> int:
    from ..report.exports import (
        DEFAULT_NAMES,
        ExportError,
        load_gradebook,
        render_canvas,
        render_moodle,
        render_plain,
        write_export,
    )
    from .errors import CLIError

    try:
        book = load_gradebook(args.out)
    except ExportError as exc:
        raise CLIError(str(exc)) from exc
    path = args.output or (args.out / DEFAULT_NAMES[args.format])
    notes: list[str] = []
    if args.format == "moodle":
        export = render_moodle(book, args.assignment, args.key)
        if not export.written:
            raise CLIError(msg("export.moodle_none", column=export.column))
        text = export.text
        if export.no_key:
            notes.append(msg("export.moodle_no_key", column=export.column, students=_names(export.no_key)))
        if export.absent:
            notes.append(msg("export.moodle_absent", students=_names(export.absent)))
    else:
        text = render_canvas(book, args.assignment) if args.format == "canvas" else render_plain(book)
    try:
        written = write_export(path, text)
    except OSError as exc:
        raise CLIError(msg("export.cannot_write", path=path, error=exc.strerror or exc)) from exc
    for note in notes:
        print(f"netlings: {one_line(note)}", file=sys.stderr)
    if args.format == "moodle":
        print(one_line(msg("export.moodle_wrote", path=written, count=export.written, column=export.column,
                           field=export.map_to)))
    else:
        print(one_line(msg("export.wrote", path=written, count=len(book.results),
                           absent=sum(1 for row in book.rows() if row.result is None))))
    return 0
