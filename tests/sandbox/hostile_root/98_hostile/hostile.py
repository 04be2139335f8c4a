"""Hostile "student" code for the sandbox tests: each function attacks one limit."""
import os
import socket
import time


def hog(size):
    return len(bytearray(size))


def spin():
    while True:
        pass


def write_big(path, mib):
    chunk = b"\0" * (1 << 20)
    with open(path, "wb") as f:
        for _ in range(mib):
            f.write(chunk)
    return mib


def open_many(count):
    files = [open(os.devnull, "rb") for _ in range(count)]
    return len(files)


def sockets_many(count):
    socks = [socket.socket() for _ in range(count)]
    return len(socks)


def fork_bomb(count, sleep):
    children = 0
    for _ in range(count):
        pid = os.fork()
        if pid == 0:
            if sleep:
                time.sleep(sleep)
            os._exit(0)
        children += 1
    return children


def fork_few(count):
    pids = []
    for _ in range(count):
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        pids.append(pid)
    for pid in pids:
        os.waitpid(pid, 0)
    return len(pids)


def ids():
    return os.getuid(), os.geteuid(), os.getgid(), os.getgroups()


def where():
    return os.getcwd(), os.environ.get("HOME"), os.environ.get("TMPDIR")


def listdir(path):
    return sorted(os.listdir(path))


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return os.path.abspath(path)


def write_joined(parts, text):
    """Write to a path the code puts together itself (nothing the test handed over)."""
    return write(os.path.join(*parts), text)


def look_around(paths):
    """What the box shows: interfaces, processes, and which of ``paths`` exist or can be read."""
    seen = {"ifaces": sorted(n for _, n in socket.if_nameindex()),
            "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
            "tmp": sorted(os.listdir("/tmp")), "root": sorted(os.listdir("/")), "readable": []}
    for path in paths:
        try:
            with open(path, "rb") as f:
                f.read(10)
            seen["readable"].append(path)
        except OSError:
            pass
    return seen


def abstract_connect(name):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(1)
        s.connect("\0" + name)
    return "connected"
