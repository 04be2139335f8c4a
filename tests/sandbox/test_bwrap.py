"""The student box and the run box (bubblewrap): checked from inside, by what student code can see.

Each test starts a run box (as ``netlings grade`` does for a submission's pytest process)
whose Python drives the harness with a boxed sandbox config, so the student child runs
exactly where a graded child runs. Nothing here reaches beyond loopback: what the box
shows of the network is read from its interface list, and the one connection tried is to
an abstract Unix socket this test itself listens on.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from ordinary_user import USER, as_ordinary_user, give
from sandbox_helpers import HOSTILE, HOSTILE_ROOT

from grader.sandbox import SandboxConfig
from grader.sandbox.bwrap import availability, find_bwrap, run_box, student_box

REPO = Path(__file__).resolve().parents[2]
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_boxes = pytest.mark.skipif(not availability()[0], reason=f"no sandbox here: {availability()[1]}")
SECRETS = [str(REPO / "grader" / "hidden" / "00_basics" / "test_wire_hidden.py"),
           str(REPO / "solutions" / "00_basics" / "wire.py"), str(REPO / "README.md"), "/etc/shadow",
           "/root/.bash_history", str(Path(sys.prefix) / "pyvenv.cfg")]


@pytest.fixture
def shared() -> Iterator[Path]:
    """A submission's shared folder, outside pytest's own temp tree (which is 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="netlings-test-box-"))
    os.chmod(folder, 0o711)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def in_run_box(code: str, config: SandboxConfig, *, as_user: bool = False,
               timeout: float = 60) -> dict[str, object]:
    """Run ``code`` (which prints one JSON line) in a run box, with the harness boxed by ``config``.

    ``as_user``: as root, run it all as an ordinary user (:func:`ordinary_user.as_ordinary_user`).
    """
    cmd = run_box([sys.executable, "-c", textwrap.dedent(code)], as_root=ROOT and not as_user)
    if as_user:
        assert config.shared
        give(Path(config.shared))
        cmd = as_ordinary_user(cmd)
    env = {**os.environ, **config.to_env(), "PYTHONPATH": str(REPO)}
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=REPO, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


LOOK = f"""
    import json
    from grader.harness import StudentModule
    module = StudentModule({str(HOSTILE_ROOT)!r}, {HOSTILE!r}, timeout=20)
    seen = module.call("look_around", {SECRETS!r})
    seen["ids"] = module.call("ids")
    seen["where"] = module.call("where")
    print(json.dumps(seen))
"""


def boxed(shared: Path) -> SandboxConfig:
    return SandboxConfig(user="nobody" if ROOT else None, boxed=True, shared=str(shared))


@needs_boxes
@pytest.mark.parametrize("as_user", [False, True] if ROOT else [False], ids=["as-is", "as-a-user"])
def test_a_boxed_child_sees_its_own_copy_and_nothing_of_the_grader(shared: Path, as_user: bool) -> None:
    seen = in_run_box(LOOK, boxed(shared), as_user=as_user)
    assert seen["ifaces"] == ["lo"], seen
    assert seen["readable"] == [], f"the box shows files of the grader or the host: {seen['readable']}"
    assert max(seen["pids"]) < 20, f"the box shows the grader's processes: {seen['pids']}"
    assert set(seen["tmp"]) <= {shared.parts[2]}, f"/tmp is the box's own: {seen['tmp']}"
    assert not {"run", "home", "work", "var"} & set(seen["root"]) or seen["root"].count("var") <= 1, seen
    assert "run" not in seen["root"], "host Unix sockets live in /run: it must not be there"
    cwd, home, tmp = seen["where"]
    assert cwd.startswith(str(shared)) and home == cwd and tmp == "/tmp", seen["where"]
    if ROOT and not as_user:
        assert seen["ids"][:3] == [65534, 65534, 65534], "as root, children drop to the worker's user"
    elif as_user:
        assert seen["ids"][0] == USER, seen["ids"]


@needs_boxes
def test_nothing_of_the_boxed_child_outlives_it_in_shared_temp(shared: Path) -> None:
    marker = f"netlings-box-{secrets.token_hex(4)}"
    in_run_box(f"""
        import json
        from grader.harness import StudentModule
        module = StudentModule({str(HOSTILE_ROOT)!r}, {HOSTILE!r}, timeout=20)
        for folder in ("/tmp", "/var/tmp", "/dev/shm"):
            module.call("write", folder + "/{marker}", "left behind?")
        print(json.dumps({{}}))
    """, boxed(shared))
    for folder in ("/tmp", "/var/tmp", "/dev/shm"):
        assert not os.path.exists(os.path.join(folder, marker)), f"{folder} is the host's, not the box's"


@needs_boxes
def test_an_abstract_unix_socket_of_the_host_is_out_of_reach(shared: Path) -> None:
    name = f"netlings-test-{secrets.token_hex(6)}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind("\0" + name)
        listener.listen(1)
        seen = in_run_box(f"""
            import json
            from grader.harness import StudentFailure, StudentModule
            module = StudentModule({str(HOSTILE_ROOT)!r}, {HOSTILE!r}, timeout=20)
            try:
                print(json.dumps({{"got": module.call("abstract_connect", {name!r})}}))
            except StudentFailure as exc:
                print(json.dumps({{"got": str(exc)}}))
        """, boxed(shared))
    assert "ConnectionRefusedError" in str(seen["got"]), seen


@needs_boxes
@pytest.mark.parametrize("as_user", [False, True] if ROOT else [False], ids=["as-is", "as-a-user"])
def test_the_process_limit_counts_the_box_alone(shared: Path, as_user: bool) -> None:
    """RLIMIT_NPROC holds inside the box, as root (a worker's own uid) and as a user (a user
    namespace of its own), and a fork bomb's leftovers do not eat the next call's budget."""
    config = SandboxConfig(user="nobody" if ROOT else None, boxed=True, shared=str(shared))
    config = SandboxConfig(type(config.limits)(cpu_seconds=5, processes=16), config.user, True, str(shared))
    seen = in_run_box(f"""
        import json
        from grader.harness import StudentFailure, StudentModule
        module = StudentModule({str(HOSTILE_ROOT)!r}, {HOSTILE!r}, timeout=20)
        out = {{}}
        try:
            out["value"] = module.call("fork_bomb", 200, 30)
        except StudentFailure as exc:
            out["message"] = str(exc)
        out["after"] = module.call("fork_few", 5)
        print(json.dumps(out))
    """, config, as_user=as_user)
    assert "value" not in seen, "200 forks must not succeed under a limit of 16"
    assert "the process limit (16) was exceeded" in seen["message"], seen
    assert seen["after"] == 5


def test_the_student_box_shows_one_writable_folder_and_hides_site_packages(shared: Path) -> None:
    """The command itself (no bwrap needed to read it): what is bound, and how."""
    if find_bwrap() is None:
        pytest.skip("no bwrap to build a command with")
    box = student_box(shared, as_root=False)
    args = list(box.prefix)
    binds = [args[i + 2] for i, a in enumerate(args) if a == "--bind"]
    assert binds == [os.path.realpath(shared)], binds
    assert "--unshare-user" in args and "--disable-userns" in args and "--unshare-pid" in args
    hidden = [args[i + 1] for i, a in enumerate(args) if a == "--tmpfs"]
    assert any(h.endswith(("site-packages", "dist-packages")) for h in hidden), hidden
    assert not any(str(REPO) in a for a in args if a != str(REPO / "grader" / "harness" / "child.py")), args
