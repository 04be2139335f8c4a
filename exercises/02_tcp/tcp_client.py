# Exercise stub generated from solutions/02_tcp/tcp_client.py by `netlings build` — edit freely, this is your file.
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
    # TODO: socket — a stream socket, with a timeout so nothing waits forever
    # TODO: connect — to (host, port)
    # TODO: sendall — send the whole encoded request
    # TODO: shutdown — half-close with SHUT_WR: "no more data from me" (the server's recv gets b"")
    # TODO: recv — loop until recv returns b"" (the server closed), collecting the pieces
    # TODO: decode — join the pieces first, then decode (a character may be split across pieces)
    # TODO: close — release the socket, whatever happened
    raise NotImplementedError("not implemented yet: 02_tcp/tcp_client.py: tcp_request()")
