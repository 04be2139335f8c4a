"""The reference solution, shown only once the student's own version passes.

Why gate it: a solution read before trying teaches little; read after passing it is
a second way to write the same thing. The student edition ships without
``solutions/``: then the companion says the instructor has them.
"""

from __future__ import annotations

from ..curriculum.manifest import Exercise
from .workspace import Workspace


def reference(workspace: Workspace, exercise: Exercise) -> str | None:
    """The solution's source, or None when this copy has no ``solutions/``."""
    path = workspace.solution_file(exercise)
    return path.read_text(encoding="utf-8") if path is not None else None
