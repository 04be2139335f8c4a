"""The student edition: ``netlings release OUT_DIR`` (instructor-only; this package never ships).

:func:`release` writes the edition, :mod:`grader.release.leaks` proves it holds no
solution code, hidden tests or sample submissions.
"""

from .build import INSTRUCTOR_ONLY, LeakError, ReleaseError, ReleaseReport, is_release, release
from .leaks import Leak, find_leaks, forbidden_paths, secret_lines

__all__ = ["INSTRUCTOR_ONLY", "Leak", "LeakError", "ReleaseError", "ReleaseReport", "find_leaks",
           "forbidden_paths", "is_release", "release", "secret_lines"]
