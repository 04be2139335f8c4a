"""One scale for every view: each exercise is worth its manifest weight.

Why: the hidden and visible tests of an exercise carry raw points (``@pytest.mark.points``)
chosen to rank tests against each other *within* the exercise; the curriculum manifest
(``exercises/netlings.toml``) says what each exercise is worth in the course (its
``points``, 100 in all). Before, ``netlings`` showed the manifest's 8 for udp_server while
grades.csv showed 19 raw test points of 293 and the student edition graded out of 100.

Now an exercise's raw test points are scaled to its weight (``weight × earned ÷
possible``) in exactly one place, :class:`~grader.report.model.SubmissionResult`, and every
view (``netlings``, grades.csv, feedback, Gradescope, nbgrader, the exports) reads the
scaled grade from there. Raw test points stay in result.json (``score``/``max_score``)
for whoever wants to see which test gave what.

An exercise the manifest does not know (a custom ``--suite``) keeps its raw points.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any


def _manifest() -> Any:
    """The course's manifest, parsed once per version of the file (every exercise of every student's
    feedback asks for a title: 2.8 ms a parse). Raises as :func:`load_manifest` does."""
    from ..curriculum.manifest import DEFAULT_MANIFEST

    return _parsed(DEFAULT_MANIFEST.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _parsed(_version: int) -> Any:
    from ..curriculum.manifest import load_manifest

    return load_manifest()


def exercise_key(path: str) -> str:
    """``01_udp/udp_server.py`` → ``01_udp/udp_server``: how results name an exercise."""
    return path[:-3] if path.endswith(".py") else path


def course_weights(exercises: Iterable[str] | None = None) -> dict[str, float]:
    """``{exercise: weight}`` from the manifest, for ``exercises`` (default: every exercise it lists).

    Without a readable manifest: ``{}`` (every exercise keeps its raw points), never an error:
    grading matters more than the scale.
    """
    try:
        manifest = _manifest()
    except Exception:  # noqa: BLE001 - no manifest (a custom course layout): raw points
        return {}
    weights = {exercise_key(e.path): float(e.points) for e in manifest.exercises}
    if exercises is None:
        return weights
    return {name: weights[name] for name in exercises if name in weights}


def exercise_title(exercise: str, lang: str | None = None) -> str:
    """The manifest's title of ``exercise`` (``01_udp/udp_server``) in ``lang``: ``"UDP 回显服务器"``.

    ``""`` for an exercise the manifest does not know: the id alone is shown then.
    """
    from ..messages import current_language

    try:
        found = _manifest().exercise(exercise)
    except Exception:  # noqa: BLE001 - no manifest, or not one of its exercises
        return ""
    return found.title_zh if (lang or current_language()) == "zh" else found.title


__all__ = ["course_weights", "exercise_key", "exercise_title"]
