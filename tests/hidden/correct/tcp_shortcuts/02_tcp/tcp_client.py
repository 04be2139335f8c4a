"""Correct submission with shortcuts (create_connection, with, walrus): the hidden suite must accept it.

Unit 02 - TCP: a client that sends a request and reads the whole reply.
"""

import socket


def tcp_request(host: str, port: int, text: str, timeout: float = 5.0) -> str:
    """Send ``text``, half-close, and return the whole decoded reply."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(text.encode("utf-8"))
        sock.shutdown(socket.SHUT_WR)
        reply = bytearray()
        while chunk := sock.recv(1024):
            reply += chunk
    return reply.decode("utf-8")
