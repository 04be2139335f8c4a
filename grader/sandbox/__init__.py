"""Prepare and isolate untrusted submissions for grading.

* :mod:`.extract`: safe unpacking of a .zip or a folder (no ``..``, no links, caps);
* :mod:`.discover`: where the exercise tree sits inside, and the student's id;
* :mod:`.preflight`: files exist, decode, compile; stdlib shadowing; ignored config;
* :mod:`.prepare`: :func:`prepare_submission` ties them together into a clean root;
* :mod:`.bwrap`: the boxes (bubblewrap): the run box around each submission's pytest
  process, the student box around its student code;
* :mod:`.limits`: resource limits, the unprivileged user, :func:`wrap` into the run box.

Everything imports on Windows and macOS; what only Linux/root can do is skipped
there, and :func:`isolation_notice` says what is missing.
"""

from .extract import ExtractLimits, Problem
from .limits import ENV_VAR, Limits, SandboxConfig, announce_isolation, isolation_notice, wrap
from .prepare import CONTRACT_MODULES, Prepared, contract_modules, prepare_submission

__all__ = [
    "CONTRACT_MODULES", "ENV_VAR", "ExtractLimits", "Limits", "Prepared", "Problem", "SandboxConfig",
    "announce_isolation", "contract_modules", "isolation_notice", "prepare_submission", "wrap",
]
