"""``python -m grader.cli``: the same as the ``netlings`` command."""

import sys

from . import main

sys.exit(main())
