"""`netlings watch`: a saved file is checked within a bounded time; it moves on; it stops cleanly.

The watch loop runs in a thread; the test follows it through its ``notify`` events
(a queue), so nothing here sleeps: every wait is a bounded ``queue.get``.
"""

from __future__ import annotations

import io
import os
import queue
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from companion_support import FakeRunner, solve

from grader.companion import progress, runner
from grader.companion.render import make_console
from grader.companion.session import Session
from grader.companion.state import State
from grader.companion.watcher import PollingSource, Watch, WatchdogSource, make_source
from grader.companion.workspace import find_workspace

CHECK_BOUND = 30.0
"""Seconds from a save to its check result, at most (a real run of udp_server takes ~2 s)."""


class Follow:
    """Runs a Watch in a thread and hands its events to the test."""

    def __init__(self, watch: Watch) -> None:
        self.watch = watch
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()
        watch.notify = lambda event, value: self.events.put((event, value))
        self.code: int | None = None
        self.thread = threading.Thread(target=self._run, name="watch-under-test")

    def _run(self) -> None:
        self.code = self.watch.run()

    def __enter__(self) -> Follow:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.watch.stop()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "the watch loop must stop when asked"

    def expect(self, kind: str, timeout: float = CHECK_BOUND) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {kind!r} event within {timeout} s"
            event, value = self.events.get(timeout=remaining)
            if event == kind:
                return value


def session(root: Path) -> tuple[Session, io.StringIO]:
    out = io.StringIO()
    workspace = find_workspace(root)
    return Session(workspace, State(workspace.state_path), "en", make_console(out)), out


def test_a_save_is_checked_with_the_real_tests_and_watch_moves_on(
    course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    solve(course, "00_basics/wire.py")
    monkeypatch.setattr(progress, "run_check", FakeRunner(passing={"wire"}))  # wire: done, cheaply
    sess, out = session(course)
    list(progress.entries(sess.workspace, sess.state, sess.runner()))
    monkeypatch.setattr(progress, "run_check", runner.run_check)  # from here on, the real tests

    source = make_source(sess.workspace.exercises)
    assert isinstance(source, WatchdogSource) and not source.polling, "watchdog is installed here"
    with Follow(Watch(sess, source, max_runs=1, timeout=60)) as follow:
        assert follow.expect("watching", timeout=10).id == "udp_server", "the first exercise not done"
        saved = time.monotonic()
        solve(course, "01_udp/udp_server.py")
        result = follow.expect("checked")
        assert time.monotonic() - saved < CHECK_BOUND
        assert result.exercise == "udp_server" and result.passed, result
        follow.thread.join(timeout=10)
    assert follow.code == 0 and not source._observer.is_alive(), "observer stopped"
    text = out.getvalue()
    assert "exercises/01_udp/udp_server.py changed." in text
    assert "All 4 tests of udp_server pass: done!" in text
    assert "Next: udp_client — A UDP client and a UDP pinger" in text, "moves on when it passes"
    assert "Edit exercises/01_udp/udp_client.py: it is checked every time you save." in text
    assert text.rstrip().endswith("Stopped watching.")


def test_polling_sees_content_changes_only_and_stops_when_asked(
    course: Path, fake_runner: FakeRunner
) -> None:
    sess, out = session(course)
    source = PollingSource(sess.workspace.exercises, interval=0.05)
    wire = course / "exercises" / "00_basics" / "wire.py"
    framing = course / "exercises" / "02_tcp" / "framing.py"
    with Follow(Watch(sess, source)) as follow:
        assert follow.expect("watching", timeout=10).id == "wire"
        os.utime(framing, (time.time() + 5, time.time() + 5))  # touched, same content: not a change
        wire.write_text(wire.read_text(encoding="utf-8") + "# try 1\n", encoding="utf-8")
        assert follow.expect("changed") == [wire], "only the file whose content changed"
        assert not follow.expect("checked").passed
        assert follow.expect("watching").id == "wire", "a failing exercise stays the current one"

        fake_runner.passing.add("wire")
        wire.write_text(wire.read_text(encoding="utf-8") + "# try 2\n", encoding="utf-8")
        assert follow.expect("checked").passed
        assert follow.expect("watching").id == "udp_server", "moves on when it passes"
        follow.watch.stop()
        follow.thread.join(timeout=10)
    assert fake_runner.ran == ["wire", "wire"]
    assert not source._thread.is_alive(), "the polling thread is gone"
    text = out.getvalue()
    assert "looking for changes every 0.05 s" in text, "the fallback says it is polling"
    assert "Next: udp_server" in text and "Stopped watching." in text


def test_ctrl_c_stops_the_loop_and_its_watcher(course: Path, fake_runner: FakeRunner) -> None:
    sess, out = session(course)
    source = PollingSource(sess.workspace.exercises, interval=0.05)

    def interrupt(event: str, value: Any) -> None:
        raise KeyboardInterrupt

    assert Watch(sess, source, notify=interrupt).run() == 0
    assert not source._thread.is_alive()
    assert out.getvalue().rstrip().endswith("Stopped watching.")


def test_without_watchdog_it_polls(course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "watchdog.observers", None)  # `import watchdog.observers` fails
    source = make_source(course / "exercises")
    assert isinstance(source, PollingSource) and source.polling


def test_the_watch_command_stops_after_its_timeout(course: Path, cli, fake_runner: FakeRunner) -> None:
    threads, started = set(threading.enumerate()), time.monotonic()
    run = cli("watch", "--poll", "--timeout", "0.3", "--lang", "zh")
    assert run.code == 0 and time.monotonic() - started < 10
    assert "正在监视 exercises" in run.out and "已停止监视。" in run.out
    assert fake_runner.ran == [], "nothing changed: nothing run"
    assert set(threading.enumerate()) <= threads, "no thread left behind"
