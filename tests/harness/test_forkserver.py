"""The fork server: children as isolated as spawned ones, and it survives what children do."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from grader.harness import StudentModule, StudentRun, call, forkserver

ROOT = Path(__file__).with_name("sample_root")


@pytest.fixture
def demo() -> StudentModule:
    return StudentModule(ROOT, "99_demo/demo.py", timeout=5)


def test_no_state_survives_from_one_call_to_the_next(demo: StudentModule) -> None:
    assert [demo.call("count") for _ in range(3)] == [1, 1, 1], "each call starts from a clean module"


def test_the_job_sets_the_working_directory_and_environment(tmp_path: Path) -> None:
    run = StudentRun(ROOT, "99_demo/demo.py", [call("whereami")], cwd=tmp_path,
                     env={"NETLINGS_PROBE": "yes"}).start()
    cwd, probe = run.result().value
    assert Path(cwd).resolve() == tmp_path.resolve()
    assert probe == "yes"


@pytest.mark.skipif(os.name != "posix", reason="process groups")
def test_a_deadline_kills_what_the_child_forked(demo: StudentModule) -> None:
    run = demo.run([call("spawn_sleeper"), call("spin")], deadline=1.0)
    result = run.result()
    assert result.timed_out
    grandchild = result.values[0]
    assert gone(grandchild, timeout=5.0), "the child's own fork must die with it"


def gone(pid: int, timeout: float) -> bool:
    """The process has ended, or ends within ``timeout`` (a SIGKILLed process takes a moment to
    exit): waited for with a pidfd, which becomes readable when it terminates, where there is one."""
    import select

    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    except (AttributeError, OSError):  # no pidfds here: one look
        return not running(pid)
    try:
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        poller.poll(timeout * 1000)
    finally:
        os.close(fd)
    return not running(pid)


def running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie lingers where PID 1 does not reap)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists():
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


@pytest.mark.skipif(not forkserver.enabled(), reason="no fork server on this platform")
def test_a_child_that_kills_the_zygote_only_ends_its_own_run(demo: StudentModule,
                                                              child_start_mode: str) -> None:
    if child_start_mode != "fork":
        pytest.skip("the zygote exists only in fork mode")
    zygote = demo.call("parent_pid")
    assert zygote != os.getpid(), "a forked child's parent is the zygote"
    demo.run([call("kill_parent")]).result()
    assert demo.call("add", 1, 2) == 3, "the next call starts a new zygote"
    assert demo.call("parent_pid") != zygote


def test_spawn_mode_children_are_our_own(demo: StudentModule, child_start_mode: str) -> None:
    if child_start_mode != "spawn":
        pytest.skip("spawn mode only")
    assert demo.call("parent_pid") == os.getpid()
