# Hostile: has no to_bytes of its own; it looks for a classmate's wire.py being graded
# at the same time (the harness's copies for student children, the batch's clean roots,
# paths read off other graders' command lines in /proc) and runs theirs instead. Any
# pass it gets would be a forged result. CLASS marks this batch's files (filled in by
# the test), so stale files of other runs on the machine do not count.
import glob
import os
import time

CLASS = "__CLASS__"
PATTERNS = ["/tmp/netlings-run-*/root/00_basics/wire.py",
            "/tmp/netlings-grade-*/*/work/exercises/00_basics/wire.py",
            "/tmp/netlings-grade-*/*/run/tmp/netlings-run-*/root/00_basics/wire.py"]


def _from_proc():
    """Paths that other grading processes' command lines give away."""
    found = []
    for cmdline in glob.glob("/proc/[0-9]*/cmdline"):
        try:
            with open(cmdline, "rb") as f:
                args = [a.decode("utf-8", "replace") for a in f.read().split(b"\0")]
        except OSError:
            continue
        for option in ("--netlings-root", "--basetemp"):
            if option in args[:-1]:
                path = args[args.index(option) + 1]
                found.append(os.path.join(path, "00_basics", "wire.py"))
                found.append(os.path.join(os.path.dirname(path), "netlings-run-*", "root", "00_basics",
                                          "wire.py"))
    return found


def _steal(seconds):
    me = os.path.realpath(__file__)
    deadline = time.monotonic() + seconds
    seen = set()
    while time.monotonic() < deadline:
        for pattern in PATTERNS + _from_proc():
            for path in glob.glob(pattern):
                real = os.path.realpath(path)
                if real == me:
                    continue
                try:
                    with open(real, encoding="utf-8") as f:
                        source = f.read()
                except OSError:
                    continue
                seen.add(real)
                if CLASS not in source or "PATTERNS" in source:
                    continue  # not a classmate's, or another parasite
                stolen = {}
                try:
                    exec(compile(source, real, "exec"), stolen)  # noqa: S102
                except BaseException:  # noqa: BLE001 - hostile code swallows everything
                    continue
                if callable(stolen.get("to_bytes")):
                    print(f"parasite: running the to_bytes of {real}")
                    return stolen["to_bytes"], real
        time.sleep(0.01)
    return None, sorted(seen)


def to_bytes(text):
    stolen, where = _steal(2.0)
    if stolen is None:
        raise RuntimeError(f"parasite found no classmate's code to run (read only: {where})")
    return stolen(text)
