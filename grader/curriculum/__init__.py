"""The curriculum: the manifest of units and exercises, and the stub builder.

``solutions/`` and ``exercises/netlings.toml`` are the sources of truth; the stubs in
``exercises/`` are generated from the solutions by :mod:`grader.curriculum.build`
(``netlings build``). Only the manifest API is imported here, so that
``python -m grader.curriculum.build`` runs the builder module exactly once.
"""

from .manifest import DEFAULT_MANIFEST, REPO_ROOT, Exercise, Manifest, Unit, load_manifest

__all__ = ["DEFAULT_MANIFEST", "REPO_ROOT", "Exercise", "Manifest", "Unit", "load_manifest"]
