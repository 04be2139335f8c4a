"""User drop and network namespace: checked from inside (uids, interfaces), never by reaching out."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from sandbox_helpers import HOSTILE, HOSTILE_ROOT, needs_user_drop

import grader.sandbox.bwrap as bwrap_module
import grader.sandbox.limits as limits_module
from grader.harness import StudentFailure, StudentModule
from grader.sandbox import ENV_VAR, Limits, SandboxConfig, isolation_notice, wrap
from grader.sandbox.limits import grant_access, network_isolation

REPO = Path(__file__).resolve().parents[2]
needs_netns = pytest.mark.skipif(not network_isolation()[0], reason="needs Linux and a working bubblewrap")


@pytest.fixture
def sandbox_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, SandboxConfig(Limits(cpu_seconds=5), user="nobody").to_env()[ENV_VAR])


@pytest.fixture
def own_tmp() -> Iterator[Path]:
    """A temp folder of our own, not under /tmp/pytest-of-root: every pytest run on this
    machine resets that one to 0700, which would race with what the runner grants."""
    folder = Path(tempfile.mkdtemp(prefix="netlings-test-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def hostile(**kwargs: object) -> StudentModule:
    return StudentModule(HOSTILE_ROOT, HOSTILE, timeout=10, **kwargs)  # type: ignore[arg-type]


# -- the user drop ------------------------------------------------------------------------------


@needs_user_drop
@pytest.mark.usefixtures("sandbox_env")
def test_children_run_as_nobody_with_no_groups() -> None:
    assert hostile().call("ids") == (65534, 65534, 65534, [])


def test_without_the_sandbox_children_keep_our_uid(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    uid = hostile(cwd=tmp_path).call("ids")[0]
    assert uid == (os.getuid() if hasattr(os, "getuid") else uid)


@needs_user_drop
@pytest.mark.usefixtures("sandbox_env")
def test_root_is_unreadable() -> None:
    with pytest.raises(StudentFailure, match="PermissionError"):
        hostile().call("listdir", "/root")


@needs_user_drop
@pytest.mark.usefixtures("sandbox_env")
def test_the_graders_output_folder_is_read_only_for_student_code(own_tmp: Path) -> None:
    out = own_tmp / "out" / "alice"
    out.mkdir(parents=True)
    (out / "result.json").write_text('{"score": 0}')
    grant_access(out, 65534, 65534, write=False)  # reachable, so the failure below is about writing
    module = hostile()
    assert module.call("read", str(out / "result.json")) == b'{"score": 0}'
    for target in ("result.json", "forged.json"):
        # The student's code finds the folder by itself: the path is not a step argument
        # (arguments inside temp are deliberately made usable, see grant_step_paths).
        with pytest.raises(StudentFailure, match="PermissionError"):
            module.call("write_joined", ["/", *(out / target).parts[1:]], '{"score": 100}')
    assert (out / "result.json").read_text() == '{"score": 0}' and not (out / "forged.json").exists()


@needs_user_drop
@pytest.mark.usefixtures("sandbox_env")
def test_the_private_cwd_is_writable_and_removed_afterwards() -> None:
    module = hostile()
    cwd, home, tmp = module.call("where")
    assert cwd == home == tmp and Path(cwd).name == "work"
    written = module.call("write", "notes.txt", "hello")
    assert Path(written).parent.name == "work"
    assert not Path(cwd).exists() and not Path(written).exists(), "each run's private dir is removed"


@needs_user_drop
@pytest.mark.usefixtures("sandbox_env")
def test_a_folder_the_test_passes_is_usable_by_the_student(own_tmp: Path) -> None:
    (own_tmp / "case").mkdir(mode=0o700)  # like pytest's tmp_path
    target = own_tmp / "case" / "downloads"
    target.mkdir(mode=0o700)
    (own_tmp / "case" / "upload.bin").write_bytes(b"data")
    module = hostile()
    assert module.call("read", str(own_tmp / "case" / "upload.bin")) == b"data"
    module.call("write", str(target / "file.txt"), "x")
    assert (target / "file.txt").read_text() == "x" and (target / "file.txt").stat().st_uid == 65534
    explicit = hostile(cwd=target)
    assert explicit.call("where")[0] == str(target)


# -- the network namespace ------------------------------------------------------------------------


def run_wrapped(code: str, env: dict[str, str] | None = None,
                timeout: float = 30) -> subprocess.CompletedProcess[str]:
    cmd = wrap([sys.executable, "-c", textwrap.dedent(code)], notify=lambda text: None)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=REPO,
                          env={**os.environ, **(env or {})})


@needs_netns
def test_inside_the_namespace_there_is_only_loopback() -> None:
    done = run_wrapped("import json, socket; print(json.dumps([n for _, n in socket.if_nameindex()]))")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["lo"]


@needs_netns
def test_loopback_tcp_works_inside_the_namespace() -> None:
    done = run_wrapped("""
        import socket, threading
        server = socket.create_server(("127.0.0.1", 0))
        server.settimeout(5)
        def echo():
            conn, _ = server.accept()
            with conn:
                conn.sendall(b"echo:" + conn.recv(100))
        threading.Thread(target=echo).start()
        with socket.create_connection(server.getsockname(), timeout=5) as client:
            client.sendall(b"ping")
            print(client.recv(100).decode())
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "echo:ping"


@needs_netns
def test_the_exit_status_comes_through() -> None:
    assert run_wrapped("import sys; sys.exit(3)").returncode == 3
    wrapped = wrap(["true"], notify=lambda text: None)
    assert "--unshare-net" in wrapped and wrapped[-1] == "true", wrapped


@needs_netns
@needs_user_drop
def test_a_bounded_fork_bomb_gets_a_verdict_and_leaves_nothing_behind() -> None:
    """In the namespaces `netlings grade` uses: fork fails at the process limit, the
    leftovers are killed with the child's group and reaped by our init, so the next
    run can fork again (the next student is unaffected)."""
    config = SandboxConfig(Limits(cpu_seconds=5, processes=16), user="nobody")
    done = run_wrapped(f"""
        import json, time
        from grader.harness import StudentFailure, StudentModule
        module = StudentModule({str(HOSTILE_ROOT)!r}, {HOSTILE!r}, timeout=20)
        out = {{}}
        started = time.monotonic()
        try:
            out["value"] = module.call("fork_bomb", 200, 30)
        except StudentFailure as exc:
            out["message"], out["limit"] = str(exc), exc.result.limit
        out["seconds"] = time.monotonic() - started
        out["after"] = module.call("fork_few", 5)
        print(json.dumps(out))
    """, env=config.to_env(), timeout=60)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert "value" not in out, "200 forks must not succeed under a limit of 16"
    assert out["limit"] == "nproc" and "the process limit (16) was exceeded" in out["message"]
    assert out["seconds"] < 10
    assert out["after"] == 5, "leftover children must not eat the next run's process budget"


# -- graceful degradation --------------------------------------------------------------------------


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    def clear() -> None:
        bwrap_module.availability.cache_clear()
        limits_module.user_drop.cache_clear()
        limits_module._announced = False

    clear()
    yield
    clear()


@pytest.mark.usefixtures("fresh_caches")
def test_no_sandbox_means_an_unchanged_command_and_one_notice(monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000, raising=False)
    monkeypatch.setattr(bwrap_module, "find_bwrap", lambda: None)
    assert wrap(["pytest", "-q"]) == ["pytest", "-q"]
    assert wrap(["pytest", "-q"]) == ["pytest", "-q"]
    said = capsys.readouterr().err.strip().splitlines()
    assert len(said) == 2, "one notice (two sentences), however many submissions are wrapped"
    assert said[0].startswith("the sandbox is not available: ")
    assert "bubblewrap (`bwrap`) is not installed" in said[0]
    assert "unprivileged user 'nobody' is not available" in said[1]
    told: list[str] = []
    wrap(["pytest"], notify=told.append)
    assert told == ["\n".join(said)], "an explicit notify hears it on each call and keeps it once itself"


@pytest.mark.usefixtures("fresh_caches")
def test_other_systems_are_told_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    notice = isolation_notice()
    assert notice is not None and "needs Linux namespaces (this is darwin)" in notice


@pytest.mark.usefixtures("fresh_caches")
def test_a_drop_that_is_not_possible_leaves_limits_in_place(monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000, raising=False)
    monkeypatch.setenv(ENV_VAR, SandboxConfig(Limits(memory_bytes=256 * 1024 * 1024)).to_env()[ENV_VAR])
    module = hostile(cwd=tmp_path)
    assert module.call("ids")[0] == (os.getuid() if hasattr(os, "getuid") else 0)
    with pytest.raises(StudentFailure, match="memory limit"):
        module.call("hog", 1024 * 1024 * 1024)
