"""The test-facing side of the harness: call a student's function, get a value or a clear failure.

A test writes ``value = module.call("udp_request", host, port, "hi", timeout=1.0)``.
Keyword arguments go to the student's function, except the harness's own, which are
spelled so they can never clash: ``deadline=`` (seconds before the child is killed)
and ``awaiting=`` (what a timeout message should say was awaited).

Every failure raises :class:`StudentFailure`, an ``AssertionError`` so pytest shows
its message as the test's failure: what was called, what happened (the student's own
traceback, nothing of ours), and what to try.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..messages import msg
from .diagnose import diagnose
from .runner import DEFAULT_TIMEOUT, EmailValue, RunResult, StudentException, StudentRun, call


class StudentFailure(AssertionError):
    """A student's code failed in a way the test did not expect; the message says how."""

    def __init__(self, message: str, result: RunResult | None = None) -> None:
        super().__init__(message)
        self.result = result


class EventsTampered(Exception):
    """The run's event channel was tampered with (:attr:`RunResult.tampered`): no verdict can come from it.

    Deliberately not an ``AssertionError``: the test ends in an *error*, not a failure,
    and no test's ``except StudentFailure`` can mistake it for the failure it expected
    (a refused certificate, an exception that should be raised).
    """

    def __init__(self, message: str, result: RunResult) -> None:
        super().__init__(message)
        self.result = result


def describe_call(func: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """``udp_request('127.0.0.1', 4000, 'hi', timeout=1.0)``: what a student recognises."""
    parts = [_short(a) for a in args] + [f"{k}={_short(v)}" for k, v in kwargs.items()]
    return f"{func}({', '.join(parts)})"


def _suspected(exc: StudentException, path: str) -> str:
    """A named-mistake paragraph when the exception looks like a known beginner mistake."""
    mistake = diagnose(exc, path)
    if mistake is None:
        return ""
    return "\n\n" + msg("mistake_suspected", title=msg(f"mistake.{mistake}.title"),
                         hint=msg(f"mistake.{mistake}.hint"))


def _first_func(steps: list[dict[str, Any]]) -> str:
    return next((s["func"] for s in steps if s.get("op") == "call"), "?")


def _short(value: Any, limit: int = 80) -> str:
    if isinstance(value, EmailValue):
        return f"<{value.type}>"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class StudentModule:
    """One module of one student's work: ``StudentModule(root, "01_udp/udp_client.py")``."""

    def __init__(self, root: str | Path, path: str, *, timeout: float = DEFAULT_TIMEOUT,
                 cwd: str | Path | None = None) -> None:
        self.root = Path(root)
        self.path = path
        self.timeout = timeout
        self.cwd = cwd

    @property
    def exercise(self) -> str:
        return Path(self.path).stem

    @property
    def display_path(self) -> str:
        return str(Path(self.root.name) / self.path)

    def run(self, steps: list[dict[str, Any]], *, deadline: float | None = None) -> StudentRun:
        """Start a child for ``steps`` (for servers: wait on ``.port()``, then ``.result()``)."""
        return StudentRun(self.root, self.path, steps, timeout=deadline or self.timeout, cwd=self.cwd).start()

    def call(self, func: str, *args: Any, deadline: float | None = None, awaiting: str | None = None,
             **kwargs: Any) -> Any:
        """Call ``func(*args, **kwargs)`` in a child; return its value or raise StudentFailure."""
        __tracebackhide__ = True
        with self.run([call(func, *args, **kwargs)], deadline=deadline) as run:
            result = run.result()
        self.check(result, describe_call(func, args, kwargs), func, awaiting=awaiting)
        return result.value

    def start_server(self, steps: list[dict[str, Any]], *, socket: str, what: str,
                     deadline: float | None = None) -> tuple[StudentRun, int]:
        """Start steps that make a server socket saved as ``socket``; return the run and its port.

        A stub or a crash fails here at once (no waiting for a port that will never
        come). Talk to the port, then call :meth:`finish` to collect and check the run.
        """
        __tracebackhide__ = True
        run = self.run(steps, deadline=deadline)
        port = run.port(socket)
        if port is None:
            result = run.result()
            run.kill()
            self.check(result, what, _first_func(steps))
            raise StudentFailure(msg("no_socket", call=what), result)
        return run, port

    def finish(self, run: StudentRun, what: str, *, awaiting: str | None = None) -> RunResult:
        """Wait for a run started with :meth:`run`/:meth:`start_server`; check it; return it."""
        __tracebackhide__ = True
        try:
            result = run.result()
        finally:
            run.kill()
        func = what.split("(", 1)[0]
        self.check(result, what, func, awaiting=awaiting)
        return result

    def call_raises(self, expected: type[BaseException] | str, func: str, *args: Any,
                    deadline: float | None = None, awaiting: str | None = None,
                    **kwargs: Any) -> StudentException:
        """Call and expect ``expected`` (by class or name); return the exception as data."""
        __tracebackhide__ = True
        what = describe_call(func, args, kwargs)
        name = expected if isinstance(expected, str) else expected.__name__
        with self.run([call(func, *args, **kwargs)], deadline=deadline) as run:
            result = run.result()
        exc = result.exception
        if exc is not None and exc.is_a(name):
            return exc
        if exc is None and result.completed:
            raise StudentFailure(msg("expected_exception", call=what, value=_short(result.value),
                                     expected=name), result)
        self.check(result, what, func, awaiting=awaiting, expected=name)
        raise AssertionError("unreachable")  # pragma: no cover

    def check(self, result: RunResult, what: str, func: str, *, awaiting: str | None = None,
              expected: str | None = None) -> None:
        """Turn a run that did not complete normally into a StudentFailure with advice.

        A run whose event channel was tampered with raises :class:`EventsTampered` instead.
        """
        __tracebackhide__ = True
        if result.tampered:  # first: nothing else this run reported can be believed
            raise EventsTampered(msg("events_tampered", call=what, reason=result.tampered)
                                 + self._output_tail(result), result)
        if result.timed_out:
            raise StudentFailure(msg("timeout", call=what, seconds=result.duration,
                                     awaiting=awaiting or msg("timeout_default_awaiting"))
                                 + self._output_tail(result), result)
        exc = result.exception
        if exc is not None:
            if exc.phase == "import":
                raise StudentFailure(msg("import_failed", path=self.display_path, error=exc,
                                         traceback=exc.traceback), result)
            if exc.not_implemented:
                raise StudentFailure(msg("not_implemented", func=func, path=self.display_path,
                                         exercise=self.exercise), result)
            if exc.phase == "return":  # the value was too large to be sent back
                raise StudentFailure(msg("value_too_large_call", call=what, error=exc.message), result)
            if expected:
                raise StudentFailure(msg("wrong_exception", call=what, error=exc, expected=expected,
                                         traceback=exc.traceback)
                                     + _suspected(exc, self.path) + self._output_tail(result), result)
            raise StudentFailure(msg("raised", call=what, error=exc, traceback=exc.traceback)
                                 + _suspected(exc, self.path) + self._output_tail(result), result)
        if not result.completed:
            raise StudentFailure(msg("exited", call=what, code=result.exit_code)
                                 + self._output_tail(result), result)

    @staticmethod
    def _output_tail(result: RunResult, limit: int = 2000) -> str:
        if not result.output:
            return ""
        text = result.output[-limit:]
        extra = "\n" + msg("output_dropped", count=result.output_dropped) if result.output_dropped else ""
        return f"\n\n{msg('your_output')}\n{text}{extra}"
