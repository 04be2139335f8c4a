"""Which edition of netlings this is: the instructor's checkout or the student edition.

Why a module and not a guess: ``netlings release`` writes the student edition without
the hidden suites, the reference solutions and the instructor's commands. Code that
ships in both editions (``netlings grade --self``, the companion commands) asks here
instead of guessing from which folders happen to exist. The release writes its own copy
of this file with ``STUDENT = True``; nothing else differs between the two copies.
"""

from __future__ import annotations

STUDENT = False


def is_student_edition() -> bool:
    """True in a folder written by ``netlings release``: instructor-only commands say so and stop."""
    return STUDENT
