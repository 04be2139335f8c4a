"""The parent side of the harness: start a student's module in a child process, talk JSON.

Why: principle 1 of netlings. Student code never runs in the process that owns the
fake servers and decides the score; what comes back is plain data that we decode
ourselves (``json`` + base64), never pickle. A child that hangs is killed at its
deadline (with its whole process group on POSIX), one that floods output is capped,
one that exits early is reported as such.

Under ``netlings grade`` the environment variable ``NETLINGS_SANDBOX`` (see
:mod:`grader.sandbox.limits`) adds resource limits and, as root, a drop to an
unprivileged user; a limit that is hit is named in the failure (``the memory limit
(1 GiB) was exceeded``). Without it (a student's own run) nothing changes.

Use :class:`StudentRun` directly for servers (start it, wait for its ``socket``
event, talk to the port, then collect :meth:`StudentRun.result`), or the one-shot
:func:`run_steps`.
"""

from __future__ import annotations

import base64
import email
import email.message
import email.policy
import errno
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..messages import msg
from ..sandbox.limits import SandboxConfig, grant_access, grant_step_paths, user_drop
from .forkserver import ForkedProcess, fork_server

CHILD = Path(__file__).with_name("child.py")
OUTPUT_LIMIT = 64 * 1024
"""Bytes of student output kept per run; the rest is counted and dropped."""
DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class SocketInfo:
    """What a student's function returned when it returned a socket (facts, not the socket)."""

    closed: bool
    family: str | None = None
    type: str | None = None
    timeout: float | None = None
    laddr: tuple[str, int] | None = None
    raddr: tuple[str, int] | None = None
    reuseaddr: bool | None = None
    listening: bool | None = None

    @property
    def port(self) -> int | None:
        return self.laddr[1] if self.laddr else None


@dataclass(frozen=True)
class Opaque:
    """A returned value JSON cannot carry: its type name and ``repr`` only."""

    type: str
    repr: str


@dataclass(frozen=True)
class EmailValue:
    """A returned ``email.message.Message``: its class name and serialised bytes."""

    type: str
    raw: bytes | None
    error: str | None = None

    def message(self) -> email.message.EmailMessage:
        """Parse the bytes back (in the parent: data, not the student's object)."""
        if self.raw is None:
            raise ValueError(f"the message could not be serialised: {self.error}")
        return email.message_from_bytes(self.raw, policy=email.policy.default)  # type: ignore[return-value]


@dataclass(frozen=True)
class StudentException:
    """An exception raised by student code, as data."""

    type: str
    classes: tuple[str, ...]  # the exception class and its bases, by name
    message: str
    traceback: str
    errno: int | None = None
    phase: str = "call"  # "import" or "call"

    def is_a(self, name: str | type[BaseException]) -> bool:
        """``isinstance`` by name: ``exc.is_a(FileNotFoundError)`` or ``exc.is_a("OSError")``."""
        wanted = name if isinstance(name, str) else name.__name__
        return wanted in self.classes

    @property
    def not_implemented(self) -> bool:
        return self.type == "NotImplementedError"

    def __str__(self) -> str:
        return f"{self.type}: {self.message}" if self.message else self.type


@dataclass
class RunResult:
    """Everything a run produced, as plain data."""

    values: list[Any] = field(default_factory=list)
    exception: StudentException | None = None
    failed_step: int | None = None
    timed_out: bool = False
    exit_code: int | None = None
    completed: bool = False
    output: str = ""
    output_dropped: int = 0
    duration: float = 0.0
    limit: str | None = None
    """The sandbox limit that stopped the code ("cpu", "memory", "fsize", "nofile", "nproc")."""

    @property
    def value(self) -> Any:
        """The last step's value (the usual case: one call)."""
        return self.values[-1] if self.values else None


def encode_arg(value: Any) -> Any:
    """Parent → child: the same tagged JSON the child understands."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, list):
        return [encode_arg(v) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [encode_arg(v) for v in value]}
    if isinstance(value, dict):
        return {"$dict": [[encode_arg(k), encode_arg(v)] for k, v in value.items()]}
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Ref):
        return {"$ref": value.name}
    if isinstance(value, email.message.Message):
        return {"$email": base64.b64encode(value.as_bytes()).decode("ascii")}
    raise TypeError(f"cannot send a {type(value).__name__} to student code")


def decode_value(value: Any) -> Any:
    """Child → parent: tagged JSON back into plain Python values (never objects of theirs)."""
    if isinstance(value, list):
        return [decode_value(v) for v in value]
    if isinstance(value, dict):
        if "$bytes" in value:
            return base64.b64decode(value["$bytes"])
        if "$tuple" in value:
            return tuple(decode_value(v) for v in value["$tuple"])
        if "$dict" in value:
            return {_hashable(decode_value(k)): decode_value(v) for k, v in value["$dict"]}
        if "$socket" in value:
            info = dict(value["$socket"])
            for key in ("laddr", "raddr"):
                if info.get(key):
                    info[key] = tuple(info[key])
            known = {k: v for k, v in info.items() if k in SocketInfo.__dataclass_fields__}
            return SocketInfo(**known)
        if "$path" in value:
            return Path(value["$path"])
        if "$email" in value:
            raw = value["$email"]
            return EmailValue(value.get("type", "Message"), None if raw is None else base64.b64decode(raw),
                              value.get("error"))
        if "$repr" in value:
            return Opaque(str(value.get("type")), str(value["$repr"]))
        return {k: decode_value(v) for k, v in value.items()}
    return value


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@dataclass(frozen=True)
class Ref:
    """Refer to a value saved by an earlier step (a socket, a message)."""

    name: str


def call(func: str, *args: Any, save: str | None = None, **kwargs: Any) -> dict[str, Any]:
    """A ``call`` step: ``call("serve_once", Ref("sock"))``."""
    step: dict[str, Any] = {"op": "call", "func": func, "args": [encode_arg(a) for a in args],
                            "kwargs": {k: encode_arg(v) for k, v in kwargs.items()}}
    if save:
        step["save"] = save
    return step


class StudentRun:
    """One child process running steps against one student module."""

    def __init__(
        self,
        root: str | Path,
        module: str,
        steps: list[dict[str, Any]],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        cwd: str | Path | None = None,
        output_limit: int = OUTPUT_LIMIT,
        python: str | None = None,
        env: dict[str, str] | None = None,
        sandbox: SandboxConfig | None = None,
    ) -> None:
        self.root = Path(root).resolve()
        self.module = module
        self.steps = steps
        self.timeout = timeout
        self.cwd = Path(cwd) if cwd else self.root
        self._explicit_cwd = cwd is not None
        self.output_limit = output_limit
        self.python = python or sys.executable
        self._explicit_python = python is not None
        self.extra_env = env or {}
        self.sandbox = sandbox if sandbox is not None else SandboxConfig.from_env()
        self._private: Path | None = None  # a temp dir we made for a user-dropped child
        self._cleanup: weakref.finalize | None = None
        self._token = secrets.token_hex(16)
        self._cond = threading.Condition()
        self._events: list[dict[str, Any]] = []
        self._output = bytearray()
        self._dropped = 0
        self._proc: subprocess.Popen[bytes] | ForkedProcess | None = None
        self._readers: list[threading.Thread] = []
        self._started = 0.0
        self._result: RunResult | None = None

    # -- lifecycle --------------------------------------------------------------------
    def start(self) -> StudentRun:
        base_env = {k: v for k, v in os.environ.items() if k in _PASSED_ENV}
        base_env.update({"PYTHONIOENCODING": "utf-8", "PYTHONDONTWRITEBYTECODE": "1",
                         "PYTHONUNBUFFERED": "1", "PYTHONHASHSEED": "0"})
        env = dict(base_env, **self.extra_env)
        job: dict[str, Any] = {"root": str(self.root), "module": self.module, "token": self._token,
                               "steps": self.steps}
        if self.sandbox is not None:
            self._setup_sandbox(job, env)
        job["env"], job["cwd"] = env, str(self.cwd)
        self._started = time.monotonic()
        self._proc = self._fork(base_env) or self._spawn(env)
        self._pgid = self._proc.pid if os.name == "posix" else None
        self._readers = [
            threading.Thread(target=self._read_events, daemon=True),
            threading.Thread(target=self._read_output, daemon=True),
        ]
        for thread in self._readers:
            thread.start()
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(json.dumps(job).encode())
            self._proc.stdin.close()
        except OSError:
            pass  # the child died at once; result() reports how
        return self

    def _fork(self, base_env: dict[str, str]) -> ForkedProcess | None:
        """A child from the pre-warmed fork server, or None where there is none (Windows)."""
        server = fork_server(self.python, base_env)
        if server is None:
            return None
        try:
            return server.spawn()
        except OSError:
            return None  # the portable path below still works

    def _spawn(self, env: dict[str, str]) -> subprocess.Popen[bytes]:
        """A fresh interpreter for the child: the portable path."""
        kwargs: dict[str, Any] = {}
        if os.name == "posix":
            kwargs["start_new_session"] = True  # so a timeout kills the student's children too
        else:  # pragma: no cover - Windows
            kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
        return subprocess.Popen(
            [self.python, "-I", str(CHILD)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, cwd=str(self.cwd), env=env, **kwargs,
        )

    def _setup_sandbox(self, job: dict[str, Any], env: dict[str, str]) -> None:
        """Limits into the job; as root, the user drop with a private, usable root and cwd.

        The dropped user must read the module and write its working dir, but the
        grader's folders (pytest's 0700 tmp_path, the output folder) are not theirs:
        so the module's unit folder is copied into a fresh temp dir, and the cwd is
        that temp dir (or, if the test chose a cwd, that folder given to them). Paths
        inside the temp dir that a step passes to student code (``local_dir=tmp_path``)
        are made usable the same way (:func:`grader.sandbox.limits.grant_step_paths`).
        """
        assert self.sandbox is not None
        drop = user_drop(self.sandbox.user)
        job["limits"] = self.sandbox.job_limits(with_user=drop.available)
        if not drop.available:
            return
        job["user"] = {"uid": drop.uid, "gid": drop.gid}
        if not self._explicit_python and drop.python:
            self.python = drop.python
        private = Path(tempfile.mkdtemp(prefix="netlings-run-"))
        self._private = private
        self._cleanup = weakref.finalize(self, shutil.rmtree, str(private), True)
        os.chmod(private, 0o711)
        root = private / "root"
        unit = Path(self.module).parent
        source = self.root / unit
        if unit != Path(".") and source.is_dir():
            shutil.copytree(source, root / unit, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            (root / unit).mkdir(parents=True, exist_ok=True)
            if (self.root / self.module).is_file():
                shutil.copy2(self.root / self.module, root / self.module)
        for folder, _dirs, files in os.walk(root):
            os.chmod(folder, 0o755)
            for name in files:
                os.chmod(os.path.join(folder, name), 0o644)
        job["root"] = str(root)
        grant_step_paths(self.steps, drop.uid, drop.gid)  # type: ignore[arg-type]
        if self._explicit_cwd:
            grant_access(self.cwd, drop.uid, drop.gid, write=True)  # type: ignore[arg-type]
        else:
            work = private / "work"
            work.mkdir()
            os.chown(work, drop.uid, drop.gid)  # type: ignore[arg-type]
            os.chmod(work, 0o700)
            self.cwd = work
        env["HOME"] = env["TMPDIR"] = str(self.cwd)

    def _remove_private(self) -> None:
        if self._cleanup is not None:
            self._cleanup()

    def _kill_group(self) -> None:
        """SIGKILL whatever is left in the child's process group (forks, forgotten servers)."""
        pgid = getattr(self, "_pgid", None)
        if pgid is None:
            return
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def __enter__(self) -> StudentRun:
        return self.start() if self._proc is None else self

    def __exit__(self, *exc: Any) -> None:
        self.kill()

    def kill(self) -> None:
        proc = self._proc
        if proc is None or proc.poll() is not None:
            self._kill_group()
            self._remove_private()
            return
        try:
            if os.name == "posix":
                os.killpg(proc.pid, signal.SIGKILL)
            else:  # pragma: no cover - Windows
                proc.kill()
        except (ProcessLookupError, PermissionError):
            proc.kill()
        proc.wait(5)
        self._remove_private()

    # -- events -------------------------------------------------------------------------
    def _read_events(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        prefix = self._token.encode() + b" "
        for line in self._proc.stdout:
            if not line.startswith(prefix):
                continue  # nothing but the child writes here; ignore anything odd
            try:
                event = json.loads(line[len(prefix):])
            except ValueError:
                continue
            with self._cond:
                self._events.append(event)
                self._cond.notify_all()
        with self._cond:
            self._events.append({"event": "eof"})
            self._cond.notify_all()

    def _read_output(self) -> None:
        assert self._proc is not None and self._proc.stderr is not None
        stream = self._proc.stderr
        while True:
            chunk = stream.read1(65536) if hasattr(stream, "read1") else stream.read(65536)
            if not chunk:
                break
            room = self.output_limit - len(self._output)
            if room > 0:
                self._output += chunk[:room]
            self._dropped += max(0, len(chunk) - max(room, 0))

    def wait_event(self, kind: str, timeout: float | None = None, **match: Any) -> dict[str, Any] | None:
        """Wait for an event such as ``socket``; None if the child ended or time ran out first."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        with self._cond:
            while True:
                for event in self._events:
                    if event.get("event") == kind and all(event.get(k) == v for k, v in match.items()):
                        return event
                if any(e.get("event") in ("eof", "raised", "done") for e in self._events):
                    return None
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._cond.wait(left)

    def port(self, name: str | None = None, timeout: float | None = None) -> int | None:
        """The port of the socket the child made or the student's function returned."""
        match = {"name": name} if name else {}
        event = self.wait_event("socket", timeout, **match)
        return None if event is None else event.get("port")

    # -- result -------------------------------------------------------------------------
    def result(self, timeout: float | None = None) -> RunResult:
        """Wait for the child to finish (killing it at the deadline) and decode what it said."""
        if self._result is not None:
            return self._result
        assert self._proc is not None, "start() first"
        budget = self.timeout if timeout is None else timeout
        left = max(0.0, self._started + budget - time.monotonic())
        timed_out = False
        try:
            self._proc.wait(left)
        except subprocess.TimeoutExpired:
            timed_out = True
            self.kill()
        self._kill_group()  # leftovers would hold the pipes open and outlive the test
        for thread in self._readers:
            thread.join(5)
        result = RunResult(timed_out=timed_out, exit_code=self._proc.returncode,
                           duration=time.monotonic() - self._started)
        with self._cond:
            events = list(self._events)
        for event in events:
            kind = event.get("event")
            if kind == "step":
                result.values.append(decode_value(event.get("value")))
            elif kind == "raised":
                data = event.get("exception") or {}
                result.exception = StudentException(
                    type=str(data.get("type")), classes=tuple(data.get("mro") or ()),
                    message=str(data.get("message", "")), traceback=str(data.get("traceback", "")),
                    errno=data.get("errno"), phase=str(event.get("phase", "call")),
                )
                result.failed_step = event.get("index")
            elif kind == "done":
                result.completed = True
        result.output = self._output.decode("utf-8", "replace")
        result.output_dropped = self._dropped
        for stream in (self._proc.stdout, self._proc.stderr):
            if stream is not None:
                stream.close()
        if self.sandbox is not None:
            self._name_limit(result)
        self._remove_private()
        self._result = result
        return result

    def _name_limit(self, result: RunResult) -> None:
        """When a sandbox limit stopped the code, say which one, in the exception's message.

        The student then reads e.g. ``hog() raised MemoryError: the memory limit (1 GiB)
        was exceeded …`` with their own traceback, instead of a bare ``MemoryError``.
        """
        assert self.sandbox is not None
        limits = self.sandbox.limits
        exc = result.exception
        key: str | None = None
        if exc is not None:
            if exc.type == "CPULimitExceeded":
                key = "cpu"
            elif exc.is_a("MemoryError"):
                key = "memory"
            elif exc.errno == errno.EFBIG:
                key = "fsize"
            elif exc.errno in (errno.EMFILE, errno.ENFILE):
                key = "nofile"
            elif (exc.errno == errno.EAGAIN and "fork" in exc.traceback) or (
                    exc.is_a("RuntimeError") and "can't start new thread" in exc.message):
                key = "nproc"
        elif (not result.timed_out and not result.completed and limits.cpu_seconds is not None
              and result.exit_code in (-getattr(signal, "SIGKILL", 9), -getattr(signal, "SIGXCPU", 24))):
            # CPU burnt in C code, where our SIGXCPU handler could not run: the hard limit killed it.
            key = "cpu"
            exc = StudentException(type="CPULimitExceeded", classes=("CPULimitExceeded", "BaseException"),
                                   message="", traceback="", phase="call")
            result.failed_step = len(result.values)
        if key is None or exc is None or limits.to_json().get(key) is None:
            return
        text = msg(f"limit_{key}", limit=limits.describe(key))
        if exc.message and key != "cpu":
            text = f"{text} ({exc.message})"
        result.exception = replace(exc, message=text)
        result.limit = key


_PASSED_ENV = {
    "PATH", "SYSTEMROOT", "TEMP", "TMP", "TMPDIR", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "USERPROFILE",
}
"""Environment variables a child keeps; everything else (tokens, CI secrets) is dropped."""


def run_steps(root: str | Path, module: str, steps: list[dict[str, Any]], *,
              timeout: float = DEFAULT_TIMEOUT, cwd: str | Path | None = None) -> RunResult:
    """Run steps to completion in a fresh child and return the result."""
    with StudentRun(root, module, steps, timeout=timeout, cwd=cwd) as run:
        return run.result()
