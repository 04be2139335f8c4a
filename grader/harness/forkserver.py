"""A pre-warmed fork server for student children (POSIX): the same child, 10x cheaper to start.

Why: a graded submission makes hundreds of harness calls, and every call used to
start a fresh interpreter and import ``socket``, ``ssl``, ``email``, ``ftplib`` …
(about 50–70 ms each, most of a submission's grading time). A *zygote* process
starts once (``python -I child.py --zygote``), imports those modules, and then
forks one child per job. The forked child is exactly what a spawned one would be:
a new session (its own process group, so a deadline kills its forks too), fresh
stdin/stdout/stderr pipes from the parent, the job's environment and working
directory, then :func:`child.main` with the job's limits and user drop. Nothing of
one job survives into the next: each runs in its own fork of the pristine zygote.

Portability (principle 7): ``fork`` and fd passing exist only on POSIX, so
:func:`fork_server` returns None elsewhere (and when ``NETLINGS_FORKSERVER=0``),
and the runner spawns as before. Both paths are tested on Linux.

Robustness: if the zygote dies (a student's code can signal its parent), every
process it had started is reported killed and the next job starts a new zygote.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

CHILD = Path(__file__).with_name("child.py")
ENV_SWITCH = "NETLINGS_FORKSERVER"


def enabled() -> bool:
    """Fork server wanted and possible here (POSIX with fd passing; not switched off)."""
    if os.environ.get(ENV_SWITCH, "1") == "0":
        return False
    return os.name == "posix" and hasattr(socket, "send_fds") and hasattr(os, "fork")


class ForkedProcess:
    """The part of :class:`subprocess.Popen` the runner uses, for a child forked by a zygote."""

    def __init__(self, server: ForkServer, pid: int, stdin: IO[bytes], stdout: IO[bytes],
                 stderr: IO[bytes]) -> None:
        self._server = server
        self.pid = pid
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.returncode: int | None = None
        self._exited = threading.Event()

    def _set_exit(self, code: int) -> None:
        self.returncode = code
        self._exited.set()

    def poll(self) -> int | None:
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if not self._exited.wait(timeout):
            raise subprocess.TimeoutExpired(f"forked child {self.pid}", timeout or 0.0)
        assert self.returncode is not None
        return self.returncode

    def kill(self) -> None:
        """SIGKILL the child's process group (it leads a session of its own)."""
        if self._server.boxed:
            self._server.kill_group(self.pid)
            return
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


class ForkServer:
    """One zygote process for one interpreter; thread-safe."""

    def __init__(self, python: str, env: dict[str, str], command: Sequence[str] | None = None) -> None:
        self.python = python
        self.env = env
        self.command = list(command) if command else [python, "-I", str(CHILD)]
        """How to start the child script (``python -I child.py``, or that inside the student box)."""
        self.boxed = command is not None
        """Boxed: the zygote lives in a PID namespace of its own, so the pids it reports mean
        nothing here (or another process) and only the zygote can signal its children."""
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._sock: socket.socket | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._reader: threading.Thread | None = None
        self._next_id = 0
        self._started: dict[int, int] = {}  # request id -> pid
        self._failed: dict[int, str] = {}  # request id -> why the fork failed
        self._children: dict[int, ForkedProcess] = {}  # pid -> process
        self._early_exits: dict[int, int] = {}  # pid -> code, for exits seen before registration

    # -- zygote lifecycle ------------------------------------------------------------
    def _ensure_running(self) -> None:
        if self._proc is not None and self._proc.poll() is None and self._sock is not None:
            return
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)  # EOF when it dies
        try:
            self._proc = subprocess.Popen(
                [*self.command, "--zygote", str(theirs.fileno())],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                pass_fds=[theirs.fileno()], env=self.env, cwd="/", start_new_session=True,
            )
        finally:
            theirs.close()
        self._sock = ours
        self._reader = threading.Thread(target=self._read, args=(ours,), name="netlings-forkserver",
                                        daemon=True)
        self._reader.start()

    def close(self) -> None:
        with self._lock:
            sock, proc = self._sock, self._proc
            self._sock = self._proc = None
        if sock is not None:
            sock.close()  # the zygote sees EOF and exits
        if proc is not None:
            try:
                proc.wait(2)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(2)

    def kill_group(self, pid: int) -> None:
        """Ask the zygote to SIGKILL the process group of its child ``pid``."""
        with self._lock:
            if self._sock is None:
                return
            try:
                self._sock.sendall(json.dumps({"kill": int(pid)}).encode() + b"\n")
            except OSError:
                pass

    # -- messages from the zygote -------------------------------------------------------
    def _read(self, sock: socket.socket) -> None:
        for message in _messages(sock):
            with self._cond:
                if "started" in message:
                    self._started[message["started"]] = int(message["pid"])
                elif "failed" in message:
                    self._failed[message["failed"]] = str(message.get("error"))
                elif "exited" in message:
                    pid, code = int(message["exited"]), int(message["code"])
                    child = self._children.pop(pid, None)
                    if child is None:
                        self._early_exits[pid] = code
                    else:
                        child._set_exit(code)
                self._cond.notify_all()
        # The zygote is gone: whatever it started can no longer be reaped or reported.
        with self._cond:
            if self._sock is sock:
                self._sock = None
            orphans, self._children = self._children, {}
            self._cond.notify_all()
        for child in orphans.values():
            child.kill()
            child._set_exit(-signal.SIGKILL)

    # -- starting a child -------------------------------------------------------------------
    def spawn(self, timeout: float = 10.0) -> ForkedProcess:
        """Fork a child whose stdin/stdout/stderr are new pipes; the caller writes the job."""
        fds = [os.pipe(), os.pipe(), os.pipe()]
        child_ends = [fds[0][0], fds[1][1], fds[2][1]]
        parent_ends = [fds[0][1], fds[1][0], fds[2][0]]
        try:
            with self._cond:
                self._ensure_running()
                assert self._sock is not None
                self._next_id += 1
                request = self._next_id
                socket.send_fds(self._sock, [json.dumps({"spawn": request}).encode() + b"\n"], child_ends)
                deadline = time.monotonic() + timeout
                while request not in self._started and request not in self._failed:
                    left = deadline - time.monotonic()
                    if left <= 0 or self._sock is None:
                        raise OSError("the fork server did not answer")
                    self._cond.wait(left)
                if request in self._failed:
                    raise OSError(f"the fork server could not fork: {self._failed.pop(request)}")
                pid = self._started.pop(request)
                process = ForkedProcess(
                    self, pid, os.fdopen(parent_ends[0], "wb"), os.fdopen(parent_ends[1], "rb"),
                    os.fdopen(parent_ends[2], "rb"),
                )
                parent_ends = []
                if pid in self._early_exits:
                    process._set_exit(self._early_exits.pop(pid))
                else:
                    self._children[pid] = process
                return process
        finally:
            for fd in child_ends + parent_ends:
                os.close(fd)


def _messages(sock: socket.socket) -> Any:
    """Newline-framed JSON messages from the zygote, until it closes the socket (or dies)."""
    buffer = b""
    while True:
        try:
            data = sock.recv(65536)
        except OSError:
            data = b""
        if not data:
            return
        buffer += data
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            try:
                yield json.loads(line)
            except ValueError:
                continue


_servers: dict[tuple[str, tuple[tuple[str, str], ...], tuple[str, ...]], ForkServer] = {}
_servers_lock = threading.Lock()


def fork_server(python: str, env: dict[str, str], command: Sequence[str] | None = None) -> ForkServer | None:
    """The zygote for this interpreter, base environment and start command (started on first use).

    ``command``: the child script's command line when it is not plain ``python -I
    child.py``: under ``netlings grade``, that command inside the student box, so the
    zygote and every child it forks live in the box.
    """
    if not enabled():
        return None
    key = (python, tuple(sorted(env.items())), tuple(command or ()))
    with _servers_lock:
        server = _servers.get(key)
        if server is None:
            server = _servers[key] = ForkServer(python, dict(env), command)
        return server


def shutdown() -> None:
    """Stop every zygote (at exit, and in tests)."""
    with _servers_lock:
        servers = list(_servers.values())
        _servers.clear()
    for server in servers:
        server.close()
