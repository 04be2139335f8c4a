"""Run a command inside a fresh network namespace, with loopback brought up first.

Started by :func:`grader.sandbox.limits.wrap` as
``unshare --net --pid --fork --kill-child -- python -I netns_exec.py CMD...``.

Why: a new network namespace has only ``lo``, and it is *down*; the fake servers
bind 127.0.0.1, so ``lo`` must be up, and nothing else must exist (no route out).
We do it with two ioctls (SIOCGIFFLAGS/SIOCSIFFLAGS) rather than ``ip link``, so
nothing outside the standard library is needed.

Why we stay as init: with ``--pid`` this process is PID 1 of a new PID namespace.
Orphans of student code (a fork bomb's children, a forgotten server) are re-parented
to PID 1; an init that never reaps them leaves zombies that keep counting against
the per-user process limit. So, as PID 1, we fork, run CMD in the child, reap every
orphan as it dies, forward termination signals, and exit with CMD's status; the
kernel then kills whatever is left in the namespace.

Standard library only, runnable as a plain script (``-I`` mode).
"""

from __future__ import annotations

import os
import signal
import socket
import struct
import sys

SIOCGIFFLAGS = 0x8913
SIOCSIFFLAGS = 0x8914
IFF_UP = 0x1
IFREQ = "16sH22x"  # struct ifreq: 16-byte name, then the flags in a 24-byte union (40 bytes)


def bring_up_loopback(name: str = "lo") -> None:
    """Set IFF_UP on ``name`` (read the flags, OR in UP, write them back)."""
    import fcntl  # POSIX only: imported here so the module imports anywhere

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack(IFREQ, name.encode(), 0)
        reply = fcntl.ioctl(sock.fileno(), SIOCGIFFLAGS, request)
        flags = struct.unpack(IFREQ, reply)[1]
        if not flags & IFF_UP:
            fcntl.ioctl(sock.fileno(), SIOCSIFFLAGS, struct.pack(IFREQ, name.encode(), flags | IFF_UP))


def _exit_code(status: int) -> int:
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code


def run_as_init(cmd: list[str]) -> int:
    """Fork CMD, reap everything until it ends, return its exit code (128+N for signal N)."""
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        except OSError as exc:
            print(f"netns_exec: cannot run {cmd[0]!r}: {exc}", file=sys.stderr)
        os._exit(127)

    def forward(signum: int, _frame: object) -> None:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(sig, forward)
    while True:
        try:
            done, status = os.wait()  # any child: orphans are reaped here too
        except ChildProcessError:
            return 0
        if done == pid:
            return _exit_code(status)


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: netns_exec.py --probe | CMD [ARGS...]", file=sys.stderr)
        return 2
    bring_up_loopback()
    if argv[0] == "--probe":
        return 0
    if os.getpid() == 1:
        return run_as_init(argv)
    os.execvp(argv[0], argv)
    return 127  # pragma: no cover - execvp does not return


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
