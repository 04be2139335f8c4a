"""Resource limits on graded children: each hostile module meets its limit, and the message names it."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest
from sandbox_helpers import HOSTILE, HOSTILE_ROOT, can_drop_user

from grader.harness import StudentFailure, StudentModule
from grader.harness.runner import RunResult, StudentRun
from grader.sandbox import ENV_VAR, Limits, SandboxConfig
from grader.sandbox.limits import format_size, resolve_user

MiB = 1024 * 1024
SMALL = Limits(cpu_seconds=1, memory_bytes=256 * MiB, open_files=64, file_size_bytes=1 * MiB, processes=16)
USERS = [None] + (["nobody"] if can_drop_user() else [])


def sandboxed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, user: str | None,
              limits: Limits = SMALL) -> StudentModule:
    """The hostile module, run the way `netlings grade` runs children (env var set)."""
    monkeypatch.setenv(ENV_VAR, SandboxConfig(limits, user=user).to_env()[ENV_VAR])
    # Without a user drop the child runs where we say; with one, the runner makes a private cwd.
    return StudentModule(HOSTILE_ROOT, HOSTILE, timeout=10, cwd=None if user else tmp_path)


def failure(module: StudentModule, *args: object) -> StudentFailure:
    started = time.monotonic()
    with pytest.raises(StudentFailure) as info:
        module.call(*args)  # type: ignore[arg-type]
    assert time.monotonic() - started < 8, "a limit must stop the code long before the deadline"
    return info.value


# -- the settings ------------------------------------------------------------------------------


def test_the_env_var_round_trips_and_is_absent_for_students(monkeypatch: pytest.MonkeyPatch) -> None:
    config = SandboxConfig(SMALL, user="nobody")
    env = config.to_env()
    assert list(env) == [ENV_VAR] and json.loads(env[ENV_VAR])["limits"]["nofile"] == 64
    assert SandboxConfig.from_env(env) == config
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert SandboxConfig.from_env() is None, "a student's own run has no sandbox"
    with pytest.raises(ValueError, match=ENV_VAR):
        SandboxConfig.from_env({ENV_VAR: "{not json"})


def test_defaults_match_the_design() -> None:
    limits = Limits()
    assert (limits.cpu_seconds, limits.memory_bytes, limits.open_files, limits.file_size_bytes,
            limits.processes) == (20, 1024 * MiB, 256, 16 * MiB, 64)
    assert limits.describe("memory") == "1 GiB" and limits.describe("cpu") == "20 s"
    assert format_size(16 * MiB) == "16 MiB" and format_size(1000) == "1000 bytes"


def test_nproc_is_only_sent_with_a_user_drop() -> None:
    config = SandboxConfig(SMALL)
    assert "nproc" not in config.job_limits(with_user=False), "it would count a user's whole session"
    assert config.job_limits(with_user=True)["nproc"] == 16
    partial = SandboxConfig(Limits(cpu_seconds=None, memory_bytes=None, open_files=None, file_size_bytes=5,
                                   processes=None))
    assert partial.job_limits(with_user=True) == {"fsize": 5}


def test_numeric_users_need_no_passwd_entry() -> None:
    assert resolve_user("12345:23456") == (12345, 23456)
    assert resolve_user("4242") == (4242, 4242)
    assert resolve_user("no-such-user-netlings") is None


def test_without_the_env_var_nothing_is_limited(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    module = StudentModule(HOSTILE_ROOT, HOSTILE, timeout=10, cwd=tmp_path)
    assert module.call("hog", 300 * MiB) == 300 * MiB
    assert module.call("open_many", 100) == 100


# -- each limit, with and (as root) without the user drop ----------------------------------------


@pytest.mark.parametrize("user", USERS)
def test_a_memory_hog_gets_memory_error_naming_the_limit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                         user: str | None) -> None:
    error = failure(sandboxed(monkeypatch, tmp_path, user), "hog", 4 * 1024 * MiB)
    text = str(error)
    assert "hog(4294967296) raised MemoryError: the memory limit (256 MiB) was exceeded" in text
    assert "hostile.py" in text, "the student still sees their own traceback"
    assert error.result is not None and error.result.limit == "memory"


@pytest.mark.parametrize("user", USERS)
def test_a_file_size_hog_is_stopped_at_the_limit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                 user: str | None) -> None:
    error = failure(sandboxed(monkeypatch, tmp_path, user), "write_big", "big.bin", 100)
    assert "the file-size limit (1 MiB) was exceeded" in str(error)
    assert "File too large" in str(error), "the original OSError stays visible"
    assert error.result is not None and error.result.limit == "fsize"
    if user is None:
        assert (tmp_path / "big.bin").stat().st_size <= 1 * MiB


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("func", ["open_many", "sockets_many"])
def test_opening_a_thousand_files_hits_the_open_files_limit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                            user: str | None, func: str) -> None:
    error = failure(sandboxed(monkeypatch, tmp_path, user), func, 1000)
    assert "the open-files limit (64) was exceeded" in str(error)
    assert "Too many open files" in str(error)


def test_a_cpu_spinner_is_stopped_by_the_cpu_limit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    error = failure(sandboxed(monkeypatch, tmp_path, USERS[-1]), "spin")
    text = str(error)
    assert "spin() raised CPULimitExceeded: the CPU-time limit (1 s) was used up" in text
    assert "while True" in text, "the traceback points at the spinning line"
    assert error.result is not None and error.result.limit == "cpu" and not error.result.timed_out


def test_cpu_burnt_in_c_code_is_named_too(tmp_path: Path) -> None:
    """SIGKILL at the hard CPU limit (our handler can't run inside C code) still reads as the CPU limit."""
    run = StudentRun(HOSTILE_ROOT, HOSTILE, [], sandbox=SandboxConfig(SMALL, user=None))
    result = RunResult(exit_code=-signal.SIGKILL)
    run._name_limit(result)
    assert result.limit == "cpu" and result.exception is not None
    assert "CPU-time limit (1 s)" in result.exception.message
    unlimited = StudentRun(HOSTILE_ROOT, HOSTILE, [], sandbox=SandboxConfig(Limits(cpu_seconds=None)))
    other = RunResult(exit_code=-signal.SIGKILL)
    unlimited._name_limit(other)
    assert other.limit is None and other.exception is None
