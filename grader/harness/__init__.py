"""Run student code in child processes and bring back only plain data.

* :mod:`.child`: the stdlib-only script that runs inside the child;
* :mod:`.runner`: the parent side (process, deadline, output cap, JSON codec);
* :mod:`.student`: what tests use (``StudentModule.call`` and readable failures).
"""

from .runner import (
    EmailValue,
    Opaque,
    Ref,
    RunResult,
    SocketInfo,
    StudentException,
    StudentRun,
    call,
    run_steps,
)
from .student import EventsTampered, StudentFailure, StudentModule, describe_call

__all__ = [
    "EmailValue", "EventsTampered", "Opaque", "Ref", "RunResult", "SocketInfo", "StudentException",
    "StudentFailure", "StudentModule", "StudentRun", "call", "describe_call", "run_steps",
]
