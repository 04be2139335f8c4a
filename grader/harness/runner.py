"""The parent side of the harness: start a student's module in a child process, talk JSON.

Why: principle 1 of netlings. Student code never runs in the process that owns the
fake servers and decides the score; what comes back is plain data that we decode
ourselves (``json`` + base64), never pickle. A child that hangs is killed at its
deadline (with its whole process group on POSIX), one that floods output is capped,
one that exits early is reported as such. The event channel is read in bounded chunks
and checked event by event: student code can write on it (it shares the child's
process), so a flood, a forgery or a malformed event fails the run as *tampered*.

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
import re
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
from itertools import accumulate
from pathlib import Path
from typing import Any

from ..messages import msg
from ..sandbox.bwrap import StudentBox
from ..sandbox.cleanup import remove_tree
from ..sandbox.limits import SandboxConfig, grant_access, grant_step_paths, user_drop
from .child import EVENT_LINE_LIMIT, EVENTS_LIMIT, VALUE_LIMIT
from .forkserver import ForkedProcess, fork_server

CHILD = Path(__file__).with_name("child.py")
OUTPUT_LIMIT = 64 * 1024
"""Bytes of student output kept per run; the rest is counted and dropped."""
DEFAULT_TIMEOUT = 10.0
MAX_DEPTH = 100
"""Deepest JSON an event may nest. The child's values nest at most 21 containers (a dict is
three JSON levels: ``{"$dict": [[k, v]]}``), inside the event: 64 levels at most."""
READ_CHUNK = 65536
"""Bytes read from a pipe at a time: nothing is read by the line, so no line can be unbounded."""


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
    """The limit that stopped the code: a sandbox one ("cpu", "memory", "fsize", "nofile",
    "nproc") or "value" (a returned value over :data:`VALUE_LIMIT`, see ``exception``)."""
    tampered: str | None = None
    """Why the event channel cannot be trusted (a forged, malformed, oversized or out-of-order
    event), or None. A tampered run reports nothing else: no values, no exception, not
    completed, not timed out, so every test reading it ends in :meth:`StudentModule.check`,
    which fails it."""

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


def decode_value(value: Any, limit: int | None = None) -> Any:
    """Child → parent: tagged JSON back into plain Python values (never objects of theirs).

    The child is not trusted: anything that is not what it would send (a ``$bytes`` that
    is not base64 text, a ``$dict`` of non-pairs …) raises ``ValueError``/``TypeError``,
    nesting deeper than :data:`MAX_DEPTH` raises ``ValueError``, and with ``limit`` so
    do bytes and text adding up to more than ``limit`` (the child refuses such values
    itself, counting more than this: containers, numbers, text as UTF-8).
    """
    return _Decoder(limit)(value, 0)


class _Decoder:
    def __init__(self, limit: int | None) -> None:
        self.left = limit

    def _take(self, size: int) -> None:
        if self.left is not None:
            self.left -= size
            if self.left < 0:
                raise ValueError("a value with more data than the limit")

    def __call__(self, value: Any, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise ValueError("a value nested too deep")
        if isinstance(value, str):
            self._take(len(value))
            return value
        if isinstance(value, list):
            return [self(v, depth + 1) for v in value]
        if not isinstance(value, dict):
            return value
        if "$bytes" in value:
            data = base64.b64decode(_text(value["$bytes"]))
            self._take(len(data))
            return data
        if "$tuple" in value:
            return tuple(self(v, depth + 1) for v in _items(value["$tuple"]))
        if "$dict" in value:
            pairs = [_items(pair) for pair in _items(value["$dict"])]
            if any(len(pair) != 2 for pair in pairs):
                raise ValueError("a $dict entry that is not a pair")
            return {_hashable(self(k, depth + 1)): self(v, depth + 1) for k, v in pairs}
        if "$socket" in value:
            facts = value["$socket"]
            if not isinstance(facts, dict):
                raise TypeError("$socket holds no facts")
            info = {k: v for k, v in facts.items() if k in SocketInfo.__dataclass_fields__}
            for key in ("laddr", "raddr"):
                if info.get(key):
                    info[key] = tuple(_items(info[key]))
            return SocketInfo(**info)
        if "$path" in value:
            path = _text(value["$path"])
            self._take(len(path))
            return Path(path)
        if "$email" in value:
            raw = value["$email"]
            data = None if raw is None else base64.b64decode(_text(raw))
            self._take(len(data or b""))
            return EmailValue(str(value.get("type", "Message"))[:200], data,
                              None if value.get("error") is None else str(value["error"])[:2000])
        if "$repr" in value:
            return Opaque(str(value.get("type"))[:200], str(value["$repr"])[:1000])
        return {k: self(v, depth + 1) for k, v in value.items()}


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def _items(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"expected a list, got {type(value).__name__}")
    return value


_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKETS_AS_STEPS = bytes.maketrans(b"[]{}", b"\x01\xff\x01\xff")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def nested_deeper_than(text: bytes | bytearray, limit: int) -> bool:
    """Whether JSON ``text`` nests deeper than ``limit``, found without parsing it.

    Why: ``json.loads`` recurses in C. On an event 200,000 levels deep it raises
    RecursionError in the reader thread, or, where the recursion limit was raised,
    overflows the thread's stack and kills the grader. The scan runs at C speed: count
    the brackets (almost every event stops here), else drop the strings, keep the
    brackets as +1/-1 and take the highest running sum. Unbalanced brackets (not JSON
    anyway) may count either way.
    """
    if text.count(b"[") + text.count(b"{") <= limit:
        return False
    if b'"' in text:
        text = _JSON_STRING.sub(b"", text)
    steps = memoryview(text.translate(_BRACKETS_AS_STEPS, _NOT_BRACKETS)).cast("b")
    return max(accumulate(steps), default=0) > limit


def size_text(size: int) -> str:
    """``100663296`` → ``"96 MiB"``; ``1536`` → ``"1.5 KiB"``: a size as people say it."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} B"


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
        self._private: Path | None = None  # a temp dir we made for a user-dropped or boxed child
        self._box: StudentBox | None = None  # the student box, when the grader boxes children
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
        self._log = _EventLog(steps)

    # -- lifecycle --------------------------------------------------------------------
    def start(self) -> StudentRun:
        base_env = {k: v for k, v in os.environ.items() if k in _PASSED_ENV}
        base_env.update({"PYTHONIOENCODING": "utf-8", "PYTHONDONTWRITEBYTECODE": "1",
                         "PYTHONUNBUFFERED": "1", "PYTHONHASHSEED": "0"})
        if self.sandbox is not None and self.sandbox.boxed:
            base_env["TMPDIR"] = "/tmp"  # the student box's private tmpfs (the grader's TMPDIR is not there)
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
        server = fork_server(self.python, base_env, self._box.command() if self._box else None)
        if server is None:
            return None
        try:
            return server.spawn()
        except OSError:
            return None  # the portable path below still works

    def _spawn(self, env: dict[str, str]) -> subprocess.Popen[bytes]:
        """A fresh interpreter for the child: the portable path (boxed, when the grader boxes)."""
        kwargs: dict[str, Any] = {}
        if os.name == "posix":
            kwargs["start_new_session"] = True  # so a timeout kills the student's children too
        else:  # pragma: no cover - Windows
            kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
        cmd = self._box.command() if self._box else [self.python, "-I", str(CHILD)]
        return subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, cwd=str(self.cwd) if self._box is None else "/", env=env, **kwargs,
        )

    def _setup_sandbox(self, job: dict[str, Any], env: dict[str, str]) -> None:
        """Limits into the job; a private working copy where the student's code can use it.

        Boxed (``sandbox.shared`` set, :func:`grader.sandbox.bwrap.student_box`): the child
        sees only the shared folder of its submission, so the module's unit folder is
        copied into a fresh folder there, and the cwd is a folder of its own there (or the
        test's chosen cwd, which lies there too: pytest's basetemp is in it). As root the
        child also drops to the worker's unprivileged user, so what it must use is given to
        that user. Unboxed, as root (``--unsafe-shared-host``): the same copy, in a temp dir.
        """
        assert self.sandbox is not None
        shared = self.sandbox.shared if self.sandbox.boxed else None
        drop = user_drop(self.sandbox.user, boxed=self.sandbox.boxed)
        job["limits"] = self.sandbox.job_limits(with_user=drop.available or self.sandbox.boxed)
        if self.sandbox.boxed:
            if not shared:
                raise OSError("the student box needs its shared folder (NETLINGS_SANDBOX has no 'shared')")
            from ..sandbox.bwrap import student_box

            self._box = student_box(shared)
            self.python = self._box.python
        elif not drop.available:
            return
        elif not self._explicit_python and drop.python:
            self.python = drop.python
        if drop.available:
            job["user"] = {"uid": drop.uid, "gid": drop.gid}
        private = Path(tempfile.mkdtemp(prefix="netlings-run-", dir=shared))
        self._private = private
        self._cleanup = weakref.finalize(self, _remove_private_dir, str(private))
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
        roots = [shared] if shared else []
        if drop.available:
            grant_step_paths(self.steps, drop.uid, drop.gid, roots)  # type: ignore[arg-type]
        if self._explicit_cwd:
            if drop.available:
                grant_access(self.cwd, drop.uid, drop.gid, write=True, roots=roots)  # type: ignore[arg-type]
        else:
            work = private / "work"
            work.mkdir()
            if drop.available:
                os.chown(work, drop.uid, drop.gid)  # type: ignore[arg-type]
            os.chmod(work, 0o700)
            self.cwd = work
        env["HOME"] = str(self.cwd)
        if not shared:
            env["TMPDIR"] = str(self.cwd)

    def _remove_private(self) -> None:
        if self._cleanup is not None:
            self._cleanup()

    def _kill_group(self) -> None:
        """SIGKILL whatever is left in the child's process group (forks, forgotten servers)."""
        pgid = getattr(self, "_pgid", None)
        if pgid is None:
            return
        if isinstance(self._proc, ForkedProcess):
            self._proc.kill()  # its pid may be one of the student box's namespace: the zygote kills it
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
            if isinstance(proc, ForkedProcess):
                proc.kill()
            elif os.name == "posix":
                os.killpg(proc.pid, signal.SIGKILL)
            else:  # pragma: no cover - Windows
                proc.kill()
        except (ProcessLookupError, PermissionError):
            proc.kill()
        proc.wait(5)
        self._remove_private()

    # -- events -------------------------------------------------------------------------
    def _read_events(self) -> None:
        """Read the event channel in bounded chunks and check each event against the protocol.

        Why so wary: student code runs in the child's process, so it can find this pipe
        and the run's token and write anything on it. Whatever it writes costs the grader
        at most :data:`EVENT_LINE_LIMIT` at a time and :data:`EVENTS_LIMIT` in all; a line
        that is too long, not an event of this run, malformed, nested too deep or out of
        order (:class:`_EventLog`), or a failure of this thread itself, makes the run
        *tampered*: the child is stopped at once and the run fails (:attr:`RunResult.tampered`).
        A last line cut short by the child's death is dropped: that is a crash, not a forgery.
        """
        assert self._proc is not None and self._proc.stdout is not None
        stream = self._proc.stdout
        read = stream.read1 if hasattr(stream, "read1") else stream.read
        prefix = self._token.encode() + b" "
        line = bytearray()
        total = 0
        try:
            while self._log.tampered is None:
                chunk = read(READ_CHUNK)
                if not chunk:
                    break
                total += len(chunk)
                if total > EVENTS_LIMIT:
                    raise _Tampered(msg("tamper_too_much", limit=size_text(EVENTS_LIMIT)))
                start = 0
                while (end := chunk.find(b"\n", start)) >= 0:
                    line += chunk[start:end]
                    start = end + 1
                    self._take_line(line, prefix)
                    line = bytearray()
                line += chunk[start:]
                if len(line) > EVENT_LINE_LIMIT:
                    raise _Tampered(msg("tamper_line_too_long", limit=size_text(EVENT_LINE_LIMIT)))
        except _Tampered as tampering:
            self._tamper(str(tampering))
        except BaseException as exc:  # noqa: BLE001 - MemoryError, a bug of ours: never a silent pass
            self._tamper(msg("tamper_reader_failed", error=type(exc).__name__))
        finally:
            with self._cond:
                self._events.append({"event": "eof"})
                self._cond.notify_all()

    def _take_line(self, line: bytearray, prefix: bytes) -> None:
        """One complete line: it must be this run's event, valid, shallow JSON, in order."""
        if len(line) > EVENT_LINE_LIMIT:
            raise _Tampered(msg("tamper_line_too_long", limit=size_text(EVENT_LINE_LIMIT)))
        if not line.startswith(prefix):
            raise _Tampered(msg("tamper_not_an_event"))
        del line[:len(prefix)]
        if nested_deeper_than(line, MAX_DEPTH):
            raise _Tampered(msg("tamper_too_deep", depth=MAX_DEPTH))
        try:
            event = json.loads(line)
        except Exception:  # noqa: BLE001 - ValueError, RecursionError, MemoryError …
            raise _Tampered(msg("tamper_malformed")) from None
        accepted = self._log.accept(event)  # only this thread changes the log; decoding takes no lock
        with self._cond:
            self._events.append(accepted)
            self._cond.notify_all()

    def _tamper(self, reason: str) -> None:
        """Mark the run as tampered with (the first reason stays) and stop the child now."""
        with self._cond:
            if self._log.tampered is None:
                self._log.tampered = reason
            self._cond.notify_all()
        if getattr(self, "_pgid", None) is not None:
            self._kill_group()
        elif self._proc is not None:  # pragma: no cover - Windows
            try:
                self._proc.kill()
            except OSError:
                pass

    def _read_output(self) -> None:
        assert self._proc is not None and self._proc.stderr is not None
        stream = self._proc.stderr
        while True:
            chunk = stream.read1(READ_CHUNK) if hasattr(stream, "read1") else stream.read(READ_CHUNK)
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
                if any(e.get("event") in ("eof", "raised", "too_big", "done") for e in self._events):
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
            log = self._log
            result.values = list(log.values)
            result.exception, result.failed_step = log.exception, log.failed_step
            result.completed = log.completed
            if log.too_big:
                result.limit = "value"
        result.output = self._output.decode("utf-8", "replace")
        result.output_dropped = self._dropped
        for stream in (self._proc.stdout, self._proc.stderr):
            if stream is not None:
                stream.close()
        if self.sandbox is not None:
            self._name_limit(result)
        with self._cond:
            tampered = self._log.tampered
        if tampered is not None:  # nothing it said counts; check() names the tampering
            result = replace(result, values=[], exception=None, failed_step=None, completed=False,
                             timed_out=False, limit=None, tampered=tampered)
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


class _Tampered(Exception):
    """The event channel broke the protocol; the message says how (from the catalogue)."""


class _EventLog:
    """The events of one run, accepted only in the order an honest child sends them.

    An honest child (:class:`child._Events`) sends, for step ``i`` = 0, 1, 2 …: at most
    one ``socket`` (named as the step saves it), then ``step`` with index ``i``; and
    finally exactly one of ``raised`` (index ``i``, or -1 before any step), ``too_big``
    (index ``i``) or ``done`` (after the last step). Everything else, and anything after
    the final event, is tampering: e.g. a forged ``done`` followed by the real ``raised``.
    """

    def __init__(self, steps: list[dict[str, Any]]) -> None:
        self.steps = steps
        self.values: list[Any] = []
        self.exception: StudentException | None = None
        self.failed_step: int | None = None
        self.completed = False
        self.too_big = False
        self.ended = False
        self.tampered: str | None = None
        self._socket_steps: set[int] = set()

    def accept(self, event: Any) -> dict[str, Any]:
        """Take one parsed event; return it as kept (values decoded), or raise :class:`_Tampered`."""
        if not isinstance(event, dict) or not isinstance(event.get("event"), str):
            raise _Tampered(msg("tamper_malformed"))
        if self.ended:
            raise _Tampered(msg("tamper_after_end"))
        kind, index, here = event["event"], event.get("index"), len(self.values)
        running = here < len(self.steps)
        try:
            if kind == "socket":
                return self._socket(event, here)
            if kind == "step" and index == here and running and type(index) is int:
                value = decode_value(event.get("value"), VALUE_LIMIT)
                self.values.append(value)
                return {"event": "step", "index": index, "value": value}
            if kind == "raised" and type(index) is int:
                return self._raised(event, index, here)
            if kind == "too_big" and index == here and running and type(index) is int:
                size, limit = event.get("size"), event.get("limit")
                if type(size) is not int or type(limit) is not int or not 0 < limit < size:
                    raise _Tampered(msg("tamper_malformed"))
                return self._end(event, StudentException(
                    type="ReturnValueTooLarge", classes=("ReturnValueTooLarge",), phase="return",
                    traceback="",
                    message=msg("value_too_large", size=size_text(size), limit=size_text(limit))), index)
            if kind == "done" and not running:
                self.completed = True
                return self._end(event, None, None)
        except (ValueError, TypeError, KeyError) as exc:  # a value or an exception that is not data
            raise _Tampered(msg("tamper_malformed")) from exc
        if kind in ("socket", "step", "raised", "too_big", "done"):
            raise _Tampered(msg("tamper_out_of_order"))
        raise _Tampered(msg("tamper_unknown_event"))

    def _socket(self, event: dict[str, Any], here: int) -> dict[str, Any]:
        step = self.steps[here] if here < len(self.steps) else {}
        port, kind = event.get("port"), event.get("kind")
        if (step.get("op") not in ("call", "tcp_listener", "udp_socket") or here in self._socket_steps
                or event.get("name") != step.get("save")):
            raise _Tampered(msg("tamper_out_of_order"))
        if not (port is None or (type(port) is int and 0 <= port <= 65535)) or not (
                kind is None or (isinstance(kind, str) and len(kind) <= 40)):
            raise _Tampered(msg("tamper_malformed"))
        self._socket_steps.add(here)
        return {"event": "socket", "name": step.get("save"), "port": port, "kind": kind}

    def _raised(self, event: dict[str, Any], index: int, here: int) -> dict[str, Any]:
        phase = event.get("phase", "call")
        if not (phase == "call" and index == here < len(self.steps)) and not (
                phase in ("import", "sandbox") and index == -1 and here == 0):
            raise _Tampered(msg("tamper_out_of_order"))
        data = event.get("exception")
        if not isinstance(data, dict):
            raise TypeError("no exception data")
        mro, code = data.get("mro") or [], data.get("errno")
        if not isinstance(mro, list) or not all(isinstance(name, str) for name in mro) or not (
                code is None or type(code) is int):
            raise TypeError("malformed exception data")
        return self._end(event, StudentException(
            type=_text(data.get("type"))[:200], classes=tuple(name[:200] for name in mro[:64]),
            message=_text(data.get("message", ""))[:2000], traceback=_text(data.get("traceback", ""))[-8000:],
            errno=code, phase=phase), index)

    def _end(self, event: dict[str, Any], exception: StudentException | None,
             index: int | None) -> dict[str, Any]:
        self.ended = True
        self.exception, self.failed_step = exception, index
        self.too_big = event["event"] == "too_big"
        return {"event": event["event"], "index": index}


def _remove_private_dir(path: str) -> None:
    """A run's private copy, removed: ``rmtree`` for the usual few files (fast), and the
    iterative :func:`~grader.sandbox.cleanup.remove_tree` for whatever that cannot remove
    (a tree the student nested 1,000 deep, folders it locked): it never raises."""
    try:
        shutil.rmtree(path)
    except BaseException:  # noqa: BLE001 - RecursionError, PermissionError …: the thorough way
        remove_tree(path)


_PASSED_ENV = {
    "PATH", "SYSTEMROOT", "TEMP", "TMP", "TMPDIR", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "USERPROFILE",
}
"""Environment variables a child keeps; everything else (tokens, CI secrets) is dropped."""


def run_steps(root: str | Path, module: str, steps: list[dict[str, Any]], *,
              timeout: float = DEFAULT_TIMEOUT, cwd: str | Path | None = None) -> RunResult:
    """Run steps to completion in a fresh child and return the result."""
    with StudentRun(root, module, steps, timeout=timeout, cwd=cwd) as run:
        return run.result()
