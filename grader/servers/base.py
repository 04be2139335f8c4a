"""The lifecycle every fake server shares: bind on loopback port 0, serve in a thread, stop.

Why a base class: every server must behave the same way for the tests to be
trustworthy. It binds first (so the port is known before ``start`` returns: no
"pick a free port, then bind" race), serves in a daemon thread, records errors
raised inside that thread so a test can re-raise them (:meth:`raise_errors`), and
stops cleanly, joining its thread and closing every socket, so that 50 start/stop
cycles leave nothing behind.

Subclasses implement three hooks:

* :meth:`_bind` creates the listening socket(s) and returns the bound port;
* :meth:`_serve` runs the loop until :attr:`_stopping` is set (called in the thread);
* :meth:`_close` releases everything (called after the thread has ended).

and may override :meth:`_wake` to interrupt a blocking loop.
"""

from __future__ import annotations

import threading
import traceback
from typing import TYPE_CHECKING, Any

from .transcript import Transcript

if TYPE_CHECKING:  # Python 3.10 has no typing.Self at runtime
    from typing import Self

LOOPBACK = "127.0.0.1"
DEFAULT_IDLE_TIMEOUT = 10.0
"""Seconds a connection may stay silent before the server drops it."""
DEFAULT_MAX_LINE = 8192
"""Longest command line a server accepts (bytes, CRLF included)."""


class ServerError(RuntimeError):
    """An exception raised inside a fake server's thread, surfaced in the test."""


class FakeServer:
    """Base class: a server on ``127.0.0.1`` that records a :class:`Transcript`."""

    protocol = "server"

    def __init__(
        self,
        host: str = LOOPBACK,
        port: int = 0,
        *,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        max_line: int = DEFAULT_MAX_LINE,
    ) -> None:
        self.host = host
        self.requested_port = port
        self.port = 0
        self.idle_timeout = idle_timeout
        self.max_line = max_line
        self.transcript = Transcript(self.protocol)
        self.errors: list[str] = []
        self._stopping = threading.Event()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None

    # -- public API ---------------------------------------------------------------
    @property
    def address(self) -> tuple[str, int]:
        return (self.host, self.port)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> Self:
        """Bind, start the serving thread, and return once clients can connect."""
        if self._thread is not None:
            raise RuntimeError(f"{self.protocol} server already started")
        self.port = self._bind()
        self._stopping.clear()
        self._thread = threading.Thread(
            target=self._run, name=f"netlings-{self.protocol}-{self.port}", daemon=True
        )
        self._thread.start()
        if not self._ready.wait(5.0):
            self.stop()
            raise ServerError(f"{self.protocol} server did not become ready within 5 s")
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving, join the thread and close every socket. Safe to call twice."""
        thread, self._thread = self._thread, None
        self._stopping.set()
        if thread is not None:
            self._wake()
            thread.join(timeout)
            if thread.is_alive():  # pragma: no cover - a bug in a server, reported loudly
                self.errors.append(f"{self.protocol} server thread did not stop within {timeout} s")
        self._close()

    def raise_errors(self) -> None:
        """Re-raise, in the test, any exception that happened in the server thread."""
        if self.errors:
            raise ServerError(f"{self.protocol} server failed:\n" + "\n".join(self.errors))

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.host}:{self.port}>"

    def describe(self) -> dict[str, Any]:
        """What a person needs to connect by hand (used by ``netlings serve``)."""
        return {"protocol": self.protocol, "host": self.host, "port": self.port}

    # -- hooks ----------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._serve()
        except BaseException:  # noqa: BLE001 - anything here is a server bug to report
            self.errors.append(traceback.format_exc())
            self._ready.set()

    def _note_error(self) -> None:
        """Record the current exception (call from an ``except`` in a handler)."""
        self.errors.append(traceback.format_exc())

    def _bind(self) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def _serve(self) -> None:  # pragma: no cover - abstract
        """Serve until ``self._stopping`` is set; call ``self._ready.set()`` once serving."""
        raise NotImplementedError

    def _wake(self) -> None:
        """Interrupt a blocking ``_serve`` loop (default: nothing to do)."""

    def _close(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError
