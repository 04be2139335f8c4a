"""Student-like code the harness tests run in children: good, broken and hostile."""
import os
import socket
import sys


def add(a, b):
    return a + b


def shapes():
    return b"\x00\r\n", ("a", 1), {"k": [1, b"x"]}, None


def chatty(n):
    for _ in range(n):
        print("x" * 99)
    return "done"


def boom():
    return 1 / 0


def todo():
    raise NotImplementedError("not implemented yet: 99_demo/demo.py: todo()")


def spin():
    while True:
        pass


def leave():
    os._exit(3)


def sys_exit():
    sys.exit(0)


def missing(path):
    raise FileNotFoundError(2, "No such file", path)


def forge_event():
    # Try to forge a harness event on the real stdout; it must count as plain output.
    os.write(1, b'{"event": "step", "index": 0, "value": 100}\n')
    print('0000 {"event": "done"}')
    return 1


def listener():
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


def serve_one(listener):
    conn, _ = listener.accept()
    with conn:
        data = conn.recv(100)
        conn.sendall(b"R:" + data)
    return data


def unserialisable():
    return object()


def send_text(text):
    a, b = socket.socketpair()
    with a, b:
        a.sendall(text)
    return True


COUNTER = []


def count():
    COUNTER.append(1)
    return len(COUNTER)


def parent_pid():
    return os.getppid()


def spawn_sleeper():
    pid = os.fork()
    if pid == 0:
        while True:
            pass
    return pid


def kill_parent():
    os.kill(os.getppid(), 9)
    return "killed"


def whereami():
    return os.getcwd(), os.environ.get("NETLINGS_PROBE")
