"""``netlings watch``: check the exercise again each time a file is saved; move on when it passes.

File changes come from ``watchdog`` (inotify, FSEvents, ReadDirectoryChangesW) into
a queue; where ``watchdog`` is missing or ``--poll`` is asked for (network drives,
some containers), a polling thread compares file stamps instead. Either way the
loop only reacts to ``.py`` files whose *content* changed: editors write twice,
touch files, and write ``__pycache__``; none of that should start a run.

The loop stops on Ctrl-C, after ``max_runs`` checks, after ``timeout`` seconds, or
when :meth:`Watch.stop` is called from another thread (tests); it always stops the
file watcher and any running test process before returning.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text

from ..curriculum.manifest import Exercise
from ..messages import msg
from . import render
from .progress import Entry, Status, check, current, entry
from .runner import CheckResult
from .session import Session
from .workspace import file_digest

DEBOUNCE = 0.15
"""Seconds of quiet that end a burst of events (one save is often several writes)."""
POLL_INTERVAL = 1.0
WAKE = 0.5
"""Longest wait on the queue, so Ctrl-C and the deadline are noticed everywhere."""


_SILENT = logging.NullHandler()


def relevant(folder: Path, path: Path) -> bool:
    """A ``.py`` file under ``folder``, outside hidden folders and ``__pycache__``."""
    try:
        parts = path.resolve().relative_to(folder).parts
    except (ValueError, OSError):
        return False
    return bool(parts) and parts[-1].endswith(".py") and not any(
        p.startswith(".") or p == "__pycache__" for p in parts[:-1]
    )


def python_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*.py") if relevant(folder, p)]


class ChangeSource:
    """Puts the path of every possibly changed file into :attr:`changes` between start() and stop()."""

    polling = False
    interval = 0.0

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self.changes: queue.Queue[Path] = queue.Queue()

    def start(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def stop(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def _saw(self, raw: str | bytes | None) -> None:
        if not raw:
            return
        path = Path(raw.decode() if isinstance(raw, bytes) else raw)
        if relevant(self.folder, path):
            self.changes.put(path)


class WatchdogSource(ChangeSource):
    """File-system notifications through ``watchdog`` (its own polling observer with ``poll``)."""

    def __init__(self, folder: Path, *, poll: bool = False, interval: float = POLL_INTERVAL) -> None:
        super().__init__(folder)
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        source = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.is_directory:
                    return
                source._saw(event.src_path)
                source._saw(getattr(event, "dest_path", None))  # editors save by renaming a temp file

        # watchdog logs an error when a notification races with stop(); nothing a student can act on
        logging.getLogger("watchdog").addHandler(_SILENT)
        self.polling, self.interval = poll, interval if poll else 0.0
        self._observer = PollingObserver(timeout=interval) if poll else Observer()
        self._observer.schedule(Handler(), str(self.folder), recursive=True)

    def start(self) -> None:
        self._observer.start()  # the watches exist when this returns: no save is missed after it

    def stop(self) -> None:
        self._observer.stop()
        self._observer.join(timeout=5)


class PollingSource(ChangeSource):
    """No ``watchdog``: compare (mtime, size) of every ``.py`` file every ``interval`` seconds."""

    polling = True

    def __init__(self, folder: Path, *, interval: float = POLL_INTERVAL) -> None:
        super().__init__(folder)
        self.interval = interval
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._stamps: dict[Path, tuple[int, int]] = {}

    def _snapshot(self) -> dict[Path, tuple[int, int]]:
        stamps = {}
        for path in python_files(self.folder):
            try:
                info = path.stat()
            except OSError:
                continue
            stamps[path] = (info.st_mtime_ns, info.st_size)
        return stamps

    def start(self) -> None:
        self._stamps = self._snapshot()  # taken now: a save right after start() is seen
        self._thread = threading.Thread(target=self._run, name="netlings-poll", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopping.wait(self.interval):  # the wait IS the polling period
            stamps = self._snapshot()
            for path in set(stamps) | set(self._stamps):
                if stamps.get(path) != self._stamps.get(path):
                    self.changes.put(path)
            self._stamps = stamps

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


def make_source(folder: Path, *, poll: bool = False, interval: float = POLL_INTERVAL) -> ChangeSource:
    """``watchdog`` when it is installed (polling with ``poll``), else :class:`PollingSource`."""
    try:
        return WatchdogSource(folder, poll=poll, interval=interval)
    except ImportError:
        return PollingSource(folder, interval=interval)


Notify = Callable[[str, Any], None]
"""Called with ("watching", Exercise | None), ("changed", [Path]) and ("checked", CheckResult)."""


class Watch:
    """The watch loop of one session: :meth:`run` until stopped."""

    def __init__(self, session: Session, source: ChangeSource, *, max_runs: int | None = None,
                 timeout: float | None = None, notify: Notify | None = None) -> None:
        self.session = session
        self.source = source
        self.max_runs = max_runs
        self.timeout = timeout
        self.notify = notify or (lambda event, value: None)
        self.runs = 0
        self._stop = threading.Event()
        self._deadline: float | None = None
        self._seen: dict[Path, str | None] = {}

    def stop(self) -> None:
        """Stop the loop soon (thread-safe)."""
        self._stop.set()

    # -- the loop ----------------------------------------------------------------------------

    def run(self) -> int:
        session = self.session
        console, lang = session.console, session.lang
        self._deadline = time.monotonic() + self.timeout if self.timeout else None
        self.source.start()
        try:
            self._seen = self._digests()
            target = self._advance(show_cached=True)
            while not self._should_stop():
                self.notify("watching", target.exercise if target else None)
                self._say_watching(target)
                changed = self._wait_for_changes()
                if changed is None:
                    break
                self.notify("changed", changed)
                exercise = self._exercise_for(changed, target)
                if exercise is None:
                    continue
                if console.is_terminal:
                    console.clear()
                for path in changed:
                    shown = session.workspace.show(path)
                    console.print(Text(msg("companion.watch.changed", lang, path=shown), style="dim"))
                result = self._check(exercise)
                self.runs += 1
                if result.passed:
                    console.print()
                    target = self._advance(show_cached=False)
                else:
                    target = entry(session.workspace, session.state, exercise, None)
                if self.max_runs is not None and self.runs >= self.max_runs:
                    break
        except KeyboardInterrupt:
            pass
        finally:
            self.source.stop()
        console.print(Text(msg("companion.watch.stopped", lang), style="dim"))
        return 0

    def _digests(self) -> dict[Path, str | None]:
        return {path: file_digest(path) for path in python_files(self.source.folder)}

    def _advance(self, *, show_cached: bool) -> Entry | None:
        """The first exercise not done; a changed one with no result yet is checked on the way."""
        session = self.session
        while True:
            target = current(session.workspace, session.state)
            if target is not None and target.status is Status.NOT_YET and target.result is None:
                if self._check(target.exercise).passed:
                    session.console.print()
                    continue
                target = entry(session.workspace, session.state, target.exercise, None)
            elif show_cached and target is not None and target.result is not None:
                render.check_result(session.console, session.workspace, target.exercise, target.result,
                                    session.lang)
                session.console.print()
            if target is None or target.status is not Status.NOT_YET:
                render.next_exercise(session.console, session.workspace, target, session.lang, watching=True)
            return target

    def _say_watching(self, target: Entry | None) -> None:
        session = self.session
        name = target.exercise.id if target else "netlings"
        session.console.print(Text(msg("companion.watch.watching", session.lang,
                                       folder=session.workspace.show(self.source.folder), exercise=name),
                                   style="dim"))
        if self.source.polling:
            session.console.print(Text(msg("companion.watch.polling", session.lang,
                                           interval=f"{self.source.interval:g}"), style="dim"))

    def _check(self, exercise: Exercise) -> CheckResult:
        session = self.session
        # what this run tests is "seen" now: a save during the run still differs and is checked again
        self._seen.update(self._digests())
        result = check(session.workspace, session.state, exercise, session.runner())
        render.check_result(session.console, session.workspace, exercise, result, session.lang)
        self.notify("checked", result)
        return result

    def _exercise_for(self, changed: list[Path], target: Entry | None) -> Exercise | None:
        """The exercise whose file was saved (the last one in course order), else the current one."""
        workspace = self.session.workspace
        by_file = {workspace.file(e).resolve(): e for e in workspace.manifest.exercises}
        saved = [by_file[p.resolve()] for p in changed if p.resolve() in by_file]
        if saved:
            order = workspace.manifest.exercises
            return max(saved, key=order.index)
        return target.exercise if target is not None else None

    def _should_stop(self) -> bool:
        if self._stop.is_set():
            return True
        return self._deadline is not None and time.monotonic() >= self._deadline

    def _wait_for_changes(self) -> list[Path] | None:
        """Block until some watched file's content changed; the changed files, or None to stop."""
        changed: dict[Path, None] = {}
        quiet_until: float | None = None
        while True:
            if self._should_stop():
                return None
            now = time.monotonic()
            if quiet_until is not None and now >= quiet_until:
                return list(changed)
            wait = WAKE if quiet_until is None else quiet_until - now
            if self._deadline is not None:
                wait = min(wait, max(self._deadline - now, 0.0))
            try:
                path = self.source.changes.get(timeout=wait)
            except queue.Empty:
                continue
            digest = file_digest(path)
            if path.resolve() in {p.resolve() for p in changed} or self._seen.get(path) == digest:
                continue  # same content (a touch, a second write of the same text)
            self._seen[path] = digest
            changed[path] = None
            quiet_until = time.monotonic() + DEBOUNCE
