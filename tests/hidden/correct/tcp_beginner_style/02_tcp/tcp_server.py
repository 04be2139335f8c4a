"""Correct submission in a plain beginner style (bytes +=, with conn, two sendall): must pass.

Unit 02 - TCP: a server that answers one client after another.
"""

import socket


def make_listener(host: str, port: int, backlog: int = 5) -> socket.socket:
    """A listening TCP socket on (host, port), with SO_REUSEADDR."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))
    s.listen(backlog)
    return s


def handle_client(conn: socket.socket) -> str:
    """Read until the client half-closes, reply "Received: " + text, close the connection."""
    with conn:
        data = b""
        while True:
            chunk = conn.recv(1024)
            if not chunk:
                break
            data = data + chunk
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            conn.sendall(b"error: not UTF-8")
            return ""
        conn.sendall(b"Received: ")
        conn.sendall(text.encode("utf-8"))
        return text


def serve(listener: socket.socket, max_clients: int | None = None) -> None:
    """Answer clients one after another; a client that fails does not stop the server."""
    count = 0
    while max_clients is None or count < max_clients:
        conn, addr = listener.accept()
        count = count + 1
        conn.settimeout(10)
        try:
            handle_client(conn)
        except OSError as e:
            print("client", addr, "failed:", e)
