"""The course as nbgrader notebooks, graded by the same hidden tests: ``netlings nbgrader export``.

* :mod:`.export`: writes an nbgrader course folder (``nbgrader_config.py`` and
  ``source/<unit>/<unit>.ipynb``) from the manifest, ``solutions/`` and the test files;
* :mod:`.kernel`: the IPython extension the notebooks load (``%load_ext grader.nbgrader``)
  with the ``%%netlings`` and ``%%netlings_tests`` cell magics;
* :mod:`.cells`: what a test cell does, testable without Jupyter;
* :mod:`.extract`: the code of submitted notebooks as an exercise tree, for ``netlings grade``.

nbgrader itself is an optional extra (``pip install -e ".[nbgrader]"``): nothing here
imports it, and the kernel side needs only IPython, which is there in any notebook.
"""

from __future__ import annotations

from typing import Any


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext grader.nbgrader``: register the notebook magics (see :mod:`.kernel`)."""
    from .kernel import load_ipython_extension as load

    load(ipython)
