"""Where a student's exercises are: the folder holding ``exercises/netlings.toml``.

Why look from the working directory: a student runs ``netlings`` in their own copy
(a clone, the student edition, a temporary copy in our tests), not in the folder the
package was installed from. The installed checkout is only the last resort.
"""

from __future__ import annotations

from pathlib import Path

from ..curriculum.build import build_stub, read_stubs_index, text_digest
from ..curriculum.manifest import REPO_ROOT, Exercise, Manifest, load_manifest

MANIFEST_NAME = "netlings.toml"
STATE_DIR = ".netlings"


class WorkspaceNotFound(LookupError):
    """No ``exercises/netlings.toml`` here, above, or in the installed checkout."""


class Workspace:
    """A student's copy of the course: ``root/exercises/`` (+ ``root/solutions/`` for instructors).

    ``root/.netlings/`` holds the companion's state (cached results, hints shown).
    """

    def __init__(self, exercises: Path | str, *, root: Path | str | None = None) -> None:
        self.exercises = Path(exercises).resolve()
        self.root = Path(root).resolve() if root is not None else self.exercises.parent
        self.manifest: Manifest = load_manifest(self.exercises / MANIFEST_NAME)
        self._stubs: dict[str, str] | None = None

    def __repr__(self) -> str:
        return f"Workspace({str(self.exercises)!r})"

    # -- places ------------------------------------------------------------------------------

    @property
    def solutions(self) -> Path | None:
        """``root/solutions`` when this copy has the reference solutions (instructors), else None."""
        folder = self.root / "solutions"
        return folder if folder.is_dir() else None

    @property
    def state_path(self) -> Path:
        return self.root / STATE_DIR / "state.json"

    def file(self, exercise: Exercise) -> Path:
        """The student's module, e.g. ``exercises/01_udp/udp_server.py``."""
        return self.exercises / exercise.path

    def test_file(self, exercise: Exercise) -> Path:
        """The exercise's visible tests: ``exercises/<unit>/test_<module>.py``."""
        return self.exercises / exercise.unit / f"test_{exercise.module}.py"

    def solution_file(self, exercise: Exercise) -> Path | None:
        folder = self.solutions
        path = folder / exercise.path if folder else None
        return path if path is not None and path.is_file() else None

    def show(self, path: Path) -> str:
        """A path as the student should type it: relative to the root, with ``/``."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def exercise(self, name: str) -> Exercise:
        """An exercise by id or path (see :meth:`Manifest.exercise`); KeyError if unknown."""
        return self.manifest.exercise(name)

    # -- stubs -------------------------------------------------------------------------------

    def stub_text(self, exercise: Exercise) -> str | None:
        """The exercise's untouched stub, or None if this copy has no record of it.

        From ``exercises/.stubs.json`` (written by ``netlings build``, shipped in the
        student edition); else generated from ``solutions/``.
        """
        if self._stubs is None:
            self._stubs = read_stubs_index(self.exercises)
        if exercise.path in self._stubs:
            return self._stubs[exercise.path]
        solution = self.solution_file(exercise)
        if solution is None:
            return None
        return build_stub(solution.read_text(encoding="utf-8"), unit=exercise.unit, module=exercise.module)

    def stub_digest(self, exercise: Exercise) -> str | None:
        text = self.stub_text(exercise)
        return text_digest(text) if text is not None else None


def file_digest(path: Path) -> str | None:
    """:func:`text_digest` of a file, or None when it does not exist or is not UTF-8 text."""
    try:
        return text_digest(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def find_workspace(start: Path | str | None = None) -> Workspace:
    """The workspace containing ``start`` (default: the working directory).

    From ``start`` upwards, the first folder that is an exercises folder (holds
    ``netlings.toml``) or holds one (``exercises/netlings.toml``) wins; then the
    checkout this package was installed from.

    Raises:
        WorkspaceNotFound: none of these exists.
    """
    here = Path(start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MANIFEST_NAME).is_file():
            return Workspace(folder)
        if (folder / "exercises" / MANIFEST_NAME).is_file():
            return Workspace(folder / "exercises")
    if (REPO_ROOT / "exercises" / MANIFEST_NAME).is_file():
        return Workspace(REPO_ROOT / "exercises")
    raise WorkspaceNotFound(str(here))
