"""Unit 02 - TCP: a client that sends a request and reads the whole reply.

A TCP client connects, sends with ``sendall`` (``send`` may send only part), tells
the server "I am done" by half-closing (``shutdown(SHUT_WR)``), then reads until
the server closes (``recv`` returns ``b""``). Reading once is a bug: the reply may
arrive in several pieces.
"""

import socket


def tcp_request(host: str, port: int, text: str, timeout: float = 5.0) -> str:
    """Send ``text`` to a TCP server, half-close, and return its whole decoded reply.

    Args:
        host: the server's address, e.g. ``"127.0.0.1"``.
        port: the server's port.
        text: the request; sent UTF-8 encoded.
        timeout: seconds any single connect, send or receive may take.

    Returns:
        Everything the server sent before closing, decoded from UTF-8.

    Raises:
        ConnectionRefusedError: nothing listens on that port.
        TimeoutError: the server did not answer (or close) in time.
    """
    # STEP: socket — a stream socket, with a timeout so nothing waits forever
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        # STEP: connect — to (host, port)
        sock.connect((host, port))
        # STEP: sendall — send the whole encoded request
        sock.sendall(text.encode("utf-8"))
        # STEP: shutdown — half-close with SHUT_WR: "no more data from me" (the server's recv gets b"")
        sock.shutdown(socket.SHUT_WR)
        # STEP: recv — loop until recv returns b"" (the server closed), collecting the pieces
        chunks = []
        while True:
            chunk = sock.recv(4096)
            if chunk == b"":
                break
            chunks.append(chunk)
        # STEP: decode — join the pieces first, then decode (a character may be split across pieces)
        return b"".join(chunks).decode("utf-8")
    finally:
        # STEP: close — release the socket, whatever happened
        sock.close()
