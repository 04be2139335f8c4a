"""The child side of the harness: runs a student's module in its own process.

Why a separate process: student code may loop forever, call ``sys.exit``/``os._exit``,
crash the interpreter, monkeypatch anything or print megabytes. None of that may touch
the process that owns the fake servers and decides the grade. This file is started as
``python -I child.py``: isolated mode, so neither ``PYTHONPATH`` nor the grader's
packages leak in; it imports only the standard library.

Protocol: the parent writes one JSON *job* on stdin::

    {"root": "...", "module": "01_udp/udp_server.py", "token": "...", "steps": [...]}

and reads JSON *events*, one per line, from this process's original stdout. The
student's own ``print``s (and anything written to fd 1 or 2) go to stderr, which the
parent captures separately and caps, so output can never be mistaken for an event.
Values cross as plain JSON (bytes as base64, tuples and dicts tagged): never pickle.
A value with more than :data:`VALUE_LIMIT` of data is not sent: a ``too_big`` event
says how big it was. Student code shares this process and can write on the channel
too, so the parent trusts nothing it reads there: it checks sizes, shape and order
of every event (``grader.harness.runner``) and fails a run whose channel was tampered with.

Steps:

* ``{"op": "call", "func": NAME, "args": [...], "kwargs": {...}, "save": VAR}``
* ``{"op": "tcp_listener", "save": VAR}`` / ``{"op": "udp_socket", "save": VAR}``: a
  harness-made socket on 127.0.0.1 port 0 (its port is reported in a ``socket`` event)
* ``{"op": "accept", "listener": VAR, "save": VAR, "timeout": S}``
* ``{"op": "connect", "address": [HOST, PORT], "save": VAR, "timeout": S}``
* ``{"op": "socket_info", "ref": VAR}`` / ``{"op": "close", "ref": VAR}``

Arguments may be ``{"$ref": VAR}`` to pass a saved value (a socket, a message).

Sandbox (only when the grader asks, see :mod:`grader.sandbox.limits`): the job may
carry ``"limits"`` (``cpu`` s, ``memory``/``fsize`` bytes, ``nofile``, ``nproc``) and
``"user"`` (``{"uid": N, "gid": N}``). They are applied here, before the student's
module is imported: rlimits first (as root, so the hard limits stick), then the drop to
the unprivileged user. SIGXCPU becomes a ``CPULimitExceeded`` raised in the student's
frame (so their traceback shows the spinning line); SIGXFSZ is ignored so that an
oversized write fails with ``OSError(EFBIG)`` instead of killing the process.
"""

from __future__ import annotations

import base64
import email
import email.message
import email.policy
import importlib.util
import json
import os
import socket
import sys
import traceback
from pathlib import PurePath
from typing import Any

# -- value codec (shared with the parent, which imports these functions) -------------

VALUE_LIMIT = 8 * 1024 * 1024
"""Most data one step may return: bytes as bytes, text as UTF-8, containers as their parts.

Why 8 MiB: the largest value a test asks for is a 2 MiB frame or request (02_tcp);
a downloaded file or a mail message is a few hundred KiB. Four times that leaves room
for honest code, and refusing more here, in the child, gives an honest student a clear
verdict ("returned 96 MiB; the limit is 8 MiB") instead of a grader out of memory.
"""
EVENT_LINE_LIMIT = 3 * VALUE_LIMIT + 1024 * 1024
"""Longest event line the parent reads (it drops a longer one and calls the run tampered with).

A value under :data:`VALUE_LIMIT` always fits: base64 makes bytes 4/3 as long, and
``\\uXXXX`` escapes make text at most 3 times its UTF-8 size (only control characters
escape worse: :meth:`_Events.step` refuses such a value itself, as too large).
"""
EVENTS_LIMIT = 64 * 1024 * 1024
"""All the event bytes of one run the parent reads; more is tampering (the parent's memory bound)."""


class ValueTooLarge(Exception):
    """Raised by :func:`encode` as soon as a value's data passes its budget (before it is all copied)."""


def socket_info(sock: socket.socket) -> dict[str, Any]:
    """Plain facts about a socket: what the tests check (type, address, options)."""
    info: dict[str, Any] = {"closed": sock.fileno() == -1}
    if info["closed"]:
        return info
    info["family"] = sock.family.name
    info["type"] = socket.SocketKind(sock.type & 0xF).name
    info["timeout"] = sock.gettimeout()
    try:
        info["laddr"] = list(sock.getsockname()[:2])
    except OSError:
        info["laddr"] = None
    try:
        info["raddr"] = list(sock.getpeername()[:2])
    except OSError:
        info["raddr"] = None
    try:
        info["reuseaddr"] = bool(sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR))
    except OSError:
        info["reuseaddr"] = None
    acceptconn = getattr(socket, "SO_ACCEPTCONN", None)
    try:
        info["listening"] = (
            bool(sock.getsockopt(socket.SOL_SOCKET, acceptconn)) if acceptconn is not None else None
        )
    except OSError:
        info["listening"] = None
    return info


def encode(value: Any, depth: int = 0, budget: list[int] | None = None) -> Any:
    """Turn a Python value into JSON-able data, tagging what JSON cannot say.

    ``budget`` (a one-item list: bytes still allowed) is charged what :func:`data_size`
    counts, leaf by leaf; :class:`ValueTooLarge` stops the walk the moment it runs out,
    so a 96 MiB return is refused before it is base64-encoded into 128 MiB more.
    """
    if depth > 20:
        return {"$repr": "...", "type": _type_name(value)}
    if isinstance(value, (list, tuple, dict)):
        _charge(budget, 2)
        if isinstance(value, list):
            return [encode(v, depth + 1, budget) for v in value]
        if isinstance(value, tuple):
            return {"$tuple": [encode(v, depth + 1, budget) for v in value]}
        return {"$dict": [[encode(k, depth + 1, budget), encode(v, depth + 1, budget)]
                          for k, v in value.items()]}
    if isinstance(value, email.message.Message):
        try:
            raw = value.as_bytes()
        except Exception as exc:  # noqa: BLE001 - reported to the student as data
            return {"$email": None, "type": _type_name(value), "error": f"{type(exc).__name__}: {exc}"[:2000]}
        _charge(budget, len(raw))
        return {"$email": base64.b64encode(raw).decode("ascii"), "type": _type_name(value)}
    _charge(budget, _leaf_size(value))
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, socket.socket):
        return {"$socket": socket_info(value)}
    if isinstance(value, PurePath):
        return {"$path": str(value)}
    return {"$repr": _short_repr(value), "type": _type_name(value)}


def data_size(value: Any, depth: int = 0, cap: int = 16 * VALUE_LIMIT) -> int:
    """The data in a value as :func:`encode` counts it; stops counting once past ``cap``.

    Used only to tell a student how big a refused value was. The cap keeps a value that
    refers to itself over and over (20 levels deep, each level ten times) from being
    walked for hours: such a value is reported as "at least" ``cap``.
    """
    if depth > 20:
        return 3
    if isinstance(value, (list, tuple, dict)):
        total = 2
        items = value.items() if isinstance(value, dict) else ((v, None) for v in value)
        for key, item in items:
            total += data_size(key, depth + 1, cap - total)
            if isinstance(value, dict):
                total += data_size(item, depth + 1, cap - total)
            if total > cap:
                break
        return total
    if isinstance(value, email.message.Message):
        try:
            return len(value.as_bytes())
        except Exception:  # noqa: BLE001 - encode() reports it as data
            return 0
    return _leaf_size(value)


def _leaf_size(value: Any) -> int:
    """Bytes of data in a value that is not a container (text as UTF-8, numbers as digits)."""
    if isinstance(value, str):
        return len(value) if value.isascii() else len(value.encode("utf-8", "surrogatepass"))
    if isinstance(value, (bytes, bytearray)):
        return len(value)
    if isinstance(value, memoryview):
        return value.nbytes
    if isinstance(value, PurePath):
        return len(str(value))
    if isinstance(value, bool) or value is None:
        return 4
    if isinstance(value, int):
        return value.bit_length() // 3 + 1  # about its digits, without making them (huge ints)
    return 24  # a float, a socket's facts, an opaque repr (cut to 500 characters): small


def _charge(budget: list[int] | None, size: int) -> None:
    if budget is not None:
        budget[0] -= size
        if budget[0] < 0:
            raise ValueTooLarge


def _type_name(value: Any) -> str:
    return type(value).__name__[:200]


def decode_in_child(value: Any, saved: dict[str, Any]) -> Any:
    """Arguments from the parent: plain data, ``$ref`` to saved values, ``$email`` to a message."""
    if isinstance(value, list):
        return [decode_in_child(v, saved) for v in value]
    if isinstance(value, dict):
        if "$ref" in value:
            return saved[value["$ref"]]
        if "$bytes" in value:
            return base64.b64decode(value["$bytes"])
        if "$tuple" in value:
            return tuple(decode_in_child(v, saved) for v in value["$tuple"])
        if "$dict" in value:
            return {decode_in_child(k, saved): decode_in_child(v, saved) for k, v in value["$dict"]}
        if "$email" in value:
            return email.message_from_bytes(base64.b64decode(value["$email"]), policy=email.policy.default)
        if "$path" in value:
            return value["$path"]
        return {k: decode_in_child(v, saved) for k, v in value.items()}
    return value


def _short_repr(value: Any, limit: int = 500) -> str:
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a student's broken __repr__
        text = f"<{_type_name(value)} with a broken __repr__>"
    return text if len(text) <= limit else text[:limit] + "..."


# -- running the job ----------------------------------------------------------------------


class _Events:
    """The event channel: one ``TOKEN {json}`` line per event, in the order the parent checks.

    The parent accepts ``socket`` (at most one per step, while it runs), ``step`` (index
    0, 1, 2 … in order), and one final ``raised``, ``too_big`` or ``done``; anything else,
    and any line longer than :data:`EVENT_LINE_LIMIT`, is tampering (see
    ``grader.harness.runner``). So this side never sends anything else.
    """

    def __init__(self, stream: Any, token: str) -> None:
        self._stream = stream
        self._token = token

    def _line(self, event: dict[str, Any]) -> str:
        return self._token + " " + json.dumps(event) + "\n"

    def _write(self, line: str) -> None:
        self._stream.write(line)
        self._stream.flush()

    def send(self, **event: Any) -> None:
        self._write(self._line(event))

    def step(self, index: int, value: Any) -> bool:
        """Send a step's value, or ``too_big`` (and False) when it has more data than allowed."""
        try:
            encoded = encode(value, budget=[VALUE_LIMIT])
        except ValueTooLarge:
            size = max(data_size(value), VALUE_LIMIT + 1)  # a value of theirs may count less twice
            self.send(event="too_big", index=index, size=size, limit=VALUE_LIMIT)
            return False
        line = self._line({"event": "step", "index": index, "value": encoded})
        if len(line) > EVENT_LINE_LIMIT:  # text of control characters: each one is escaped as 6
            self.send(event="too_big", index=index, size=len(line), limit=VALUE_LIMIT)
            return False
        self._write(line)
        return True


def _exception_data(exc: BaseException, root: str) -> dict[str, Any]:
    """The exception as plain data, with the traceback cut to the student's own frames."""
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if os.path.abspath(f.filename).startswith(root)]
    # Only the student's frames: an error raised by the harness itself (a missing
    # function, a call with the wrong arguments) shows just its message.
    lines = traceback.format_list(own)
    lines += traceback.format_exception_only(type(exc), exc)
    code = getattr(exc, "errno", None)
    return {
        "type": type(exc).__name__[:200],
        "mro": [c.__name__[:200] for c in type(exc).__mro__[:64]],
        "message": _safe_str(exc)[:2000],
        "errno": code if type(code) is int and abs(code) < 1 << 31 else None,
        "traceback": "".join(lines)[-8000:],
    }


def _safe_str(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:  # noqa: BLE001 - a student's exception with a broken __str__
        return f"<{type(exc).__name__} with a broken __str__>"


def _load_module(root: str, relpath: str) -> Any:
    path = os.path.join(root, relpath)
    unit_dir = os.path.dirname(path)
    sys.path.insert(0, unit_dir)
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {relpath}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _run_step(step: dict[str, Any], module: Any, saved: dict[str, Any], events: _Events) -> Any:
    op = step["op"]
    if op == "call":
        func = getattr(module, step["func"], None)
        if func is None:
            name = step["func"]
            raise AttributeError(f"there is no function {name!r} in this file: was it renamed or deleted?")
        args = decode_in_child(step.get("args", []), saved)
        kwargs = decode_in_child(step.get("kwargs", {}), saved)
        return func(*args, **kwargs)
    if op == "tcp_listener":
        sock = socket.create_server(("127.0.0.1", 0))
        sock.settimeout(step.get("timeout", 10.0))
        events.send(event="socket", name=step.get("save"), port=sock.getsockname()[1], kind="tcp")
        return sock
    if op == "udp_socket":
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(step.get("timeout", 10.0))
        events.send(event="socket", name=step.get("save"), port=sock.getsockname()[1], kind="udp")
        return sock
    if op == "accept":
        listener = saved[step["listener"]]
        listener.settimeout(step.get("timeout", 10.0))
        conn, _ = listener.accept()
        conn.settimeout(step.get("conn_timeout", 10.0))
        return conn
    if op == "connect":
        host, port = step["address"]
        return socket.create_connection((host, port), timeout=step.get("timeout", 10.0))
    if op == "socket_info":
        return saved[step["ref"]]
    if op == "close":
        saved[step["ref"]].close()
        return None
    raise ValueError(f"unknown step {op!r}")


class CPULimitExceeded(BaseException):
    """Raised on SIGXCPU. A BaseException, so a student's ``except Exception`` can't swallow it."""


_RLIMITS = {"cpu": "RLIMIT_CPU", "memory": "RLIMIT_AS", "nofile": "RLIMIT_NOFILE",
            "fsize": "RLIMIT_FSIZE", "nproc": "RLIMIT_NPROC"}


def _on_sigxcpu(signum: int, frame: Any) -> None:
    raise CPULimitExceeded("the CPU time limit was reached")


def apply_sandbox(job: dict[str, Any]) -> None:
    """Apply the job's rlimits, then drop to its user (POSIX only; skipped elsewhere).

    A limit the platform lacks (``RLIMIT_NPROC`` on some systems, everything on
    Windows) is skipped. A requested user drop that fails raises: running student code
    as root when the grader asked otherwise is not an option.
    """
    limits = job.get("limits") or {}
    try:
        import resource
    except ImportError:  # Windows
        resource = None  # type: ignore[assignment]
    if resource is not None:
        import signal

        for key, value in limits.items():
            const = getattr(resource, _RLIMITS.get(key, ""), None)
            if const is None or value is None:
                continue
            soft = hard = int(value)
            if key == "cpu":
                hard = soft + 2  # SIGXCPU at the soft limit, SIGKILL if it is ignored
            try:
                _, cur_hard = resource.getrlimit(const)
                if cur_hard != resource.RLIM_INFINITY:
                    soft, hard = min(soft, cur_hard), min(hard, cur_hard)
                resource.setrlimit(const, (soft, hard))
            except (ValueError, OSError):
                continue  # not allowed on this system: best effort
            if key == "cpu" and hasattr(signal, "SIGXCPU"):
                signal.signal(signal.SIGXCPU, _on_sigxcpu)
            if key == "fsize" and hasattr(signal, "SIGXFSZ"):
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    user = job.get("user")
    if user and hasattr(os, "setuid") and os.geteuid() == 0:
        os.setgroups([])
        os.setgid(int(user["gid"]))
        os.setuid(int(user["uid"]))
        if os.getuid() != int(user["uid"]) or os.geteuid() != int(user["uid"]):
            raise PermissionError(f"could not switch to uid {user['uid']}")


PREWARM = (
    "socket", "ssl", "selectors", "struct", "hashlib", "tempfile", "shutil", "urllib.parse",
    "email", "email.policy", "email.message", "email.utils", "email.header", "email.parser",
    "email.generator", "email.mime.text", "email.mime.multipart", "email.mime.base",
    "email.mime.application", "email.mime.image", "email.mime.audio", "email.encoders",
    "ftplib", "smtplib", "poplib", "mimetypes", "uuid", "random", "datetime",
    "resource", "signal",
)
"""Modules the fork server imports once, so forked children start with them loaded (``resource``:
every child sets its limits with it, and importing it after the fork cost 2.1 ms a child)."""


def _apply_job_context(job: dict[str, Any]) -> None:
    """The job's environment (a forked child inherits the zygote's)."""
    if job.get("env") is not None:
        os.environ.clear()
        os.environ.update(job["env"])


def _enter_cwd(job: dict[str, Any]) -> None:
    """The job's working directory: entered after the user drop, as the folder is that user's
    (in the student box, root keeps no right to enter other users' folders)."""
    if job.get("cwd"):
        os.chdir(job["cwd"])


def main() -> None:
    job = json.loads(sys.stdin.read())
    _apply_job_context(job)
    # The event channel is a private copy of stdout; fd 1 then points at stderr, so
    # whatever the student prints (print, os.write(1, ...), a subprocess) is output.
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8", closefd=True)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    events = _Events(channel, job["token"])
    root = os.path.abspath(job["root"])
    sys.dont_write_bytecode = True
    try:
        apply_sandbox(job)
        _enter_cwd(job)
    except BaseException as exc:  # noqa: BLE001 - reported; the student's code never runs
        events.send(event="raised", index=-1, phase="sandbox", exception=_exception_data(exc, root))
        return
    try:
        module = _load_module(root, job["module"])
    except BaseException as exc:  # noqa: BLE001 - SyntaxError, ImportError, SystemExit …
        events.send(event="raised", index=-1, phase="import", exception=_exception_data(exc, root))
        return
    saved: dict[str, Any] = {}
    for index, step in enumerate(job["steps"]):
        try:
            value = _run_step(step, module, saved, events)
        except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt included
            events.send(event="raised", index=index, phase="call", exception=_exception_data(exc, root))
            return
        try:
            if step.get("save"):
                saved[step["save"]] = value
                if isinstance(value, socket.socket) and step["op"] == "call":
                    info = socket_info(value)
                    port = (info.get("laddr") or [None, None])[1]
                    port = port if type(port) is int else None  # an AF_UNIX path is no port
                    events.send(event="socket", name=step["save"], port=port, kind=info.get("type"))
            if not events.step(index, value):
                return  # too big: said so, and that ends the run like an exception would
        except BaseException as exc:  # noqa: BLE001 - a value that cannot be sent (MemoryError, a broken
            # __iter__ of theirs, a 10,000-digit int) is the step's outcome, never a crashed child
            events.send(event="raised", index=index, phase="call", exception=_exception_data(exc, root))
            return
    events.send(event="done")


def _kill_group(pid: Any) -> None:
    """SIGKILL a forked child's process group (its pid: each child starts a session of its own)."""
    import signal

    if isinstance(pid, int) and pid > 1:
        for kill in (os.killpg, os.kill):
            try:
                kill(pid, signal.SIGKILL)
            except OSError:
                pass


def zygote(control_fd: int) -> None:
    """The fork server's loop (see :mod:`grader.harness.forkserver`, the parent side).

    Imports :data:`PREWARM`, then for every request receives three fds, forks, and in
    the fork calls ``run_job()`` with those fds as stdin/stdout/stderr. Reports each
    fork's pid and, when it has been reaped, its exit code. Exits when the parent
    closes the control socket.
    """
    import selectors
    import signal

    for name in PREWARM:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a module missing here is imported later, slower
            continue
    try:
        import mimetypes

        mimetypes.init()  # reads the system's tables now, while the files are readable
    except Exception:  # noqa: BLE001
        pass
    ctl = socket.socket(fileno=control_fd)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    os.set_blocking(wake_r, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    selector = selectors.DefaultSelector()
    selector.register(ctl, selectors.EVENT_READ)
    selector.register(wake_r, selectors.EVENT_READ)

    def send(message: dict[str, Any]) -> None:
        try:
            ctl.sendall(json.dumps(message).encode() + b"\n")
        except OSError:
            pass

    def reap() -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            send({"exited": pid, "code": os.waitstatus_to_exitcode(status)})

    while True:
        for key, _ in selector.select():
            if key.fileobj is wake_r:
                try:
                    while os.read(wake_r, 512):
                        pass
                except BlockingIOError:
                    pass
                reap()
                continue
            # One request at a time (the parent waits for each answer): a short line
            # with its three descriptors attached, read whole before the next one.
            try:
                data, fds, _flags, _addr = socket.recv_fds(ctl, 4096, 3)
                while data and not data.endswith(b"\n"):
                    more = ctl.recv(4096)
                    if not more:
                        break
                    data += more
            except OSError:
                data, fds = b"", []
            if not data:
                return  # the parent closed the control socket
            spawn_line = None
            for line in data.split(b"\n"):
                try:
                    message = json.loads(line) if line.strip() else None
                except ValueError:
                    continue
                if isinstance(message, dict) and "kill" in message:
                    _kill_group(message["kill"])  # the parent cannot name pids of our namespace itself
                elif spawn_line is None:
                    spawn_line = line
            if spawn_line is None:
                for fd in fds:
                    os.close(fd)
                continue
            try:
                request = json.loads(spawn_line)["spawn"]
            except (ValueError, KeyError, TypeError):
                for fd in fds:
                    os.close(fd)
                continue
            if len(fds) != 3:
                for fd in fds:
                    os.close(fd)
                send({"failed": request, "error": "expected three file descriptors"})
                continue
            try:
                pid = os.fork()
            except OSError as exc:
                for fd in fds:
                    os.close(fd)
                send({"failed": request, "error": str(exc)})
                continue
            if pid == 0:  # the student's child
                code = 0
                try:
                    selector.close()
                    signal.set_wakeup_fd(-1)
                    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                    for fd in (wake_r, wake_w):
                        os.close(fd)
                    ctl.close()
                    os.setsid()
                    for target, fd in enumerate(fds):
                        os.dup2(fd, target)
                        os.close(fd)
                    main()
                except BaseException:  # noqa: BLE001 - nothing may escape into the zygote's loop
                    code = 70
                finally:
                    for stream in (sys.stdout, sys.stderr):
                        try:
                            stream.flush()
                        except Exception:  # noqa: BLE001
                            pass
                    os._exit(code)
            for fd in fds:
                os.close(fd)
            send({"started": request, "pid": pid})
        reap()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--zygote":
        zygote(int(sys.argv[2]))
    else:
        main()
