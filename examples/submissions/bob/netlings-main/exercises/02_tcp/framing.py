"""Unit 02 - TCP: message framing with a length prefix.

TCP delivers a stream of bytes, not messages: two ``sendall`` calls may arrive in
one ``recv``, and one may arrive in many. To send several messages on one
connection, each is *framed*: a 4-byte big-endian length, then the payload. The
reader reads exactly 4 bytes, then exactly that many bytes.
"""

import socket
import struct

MAX_FRAME = 16 * 1024 * 1024
"""Largest payload recv_frame accepts (16 MiB): a bogus length must not exhaust memory."""


def recv_exactly(sock: socket.socket, n: int) -> bytes:
    """Receive exactly ``n`` bytes from ``sock``, calling ``recv`` as often as needed.

    Args:
        sock: a connected stream socket.
        n: how many bytes to read (0 returns ``b""`` at once).

    Returns:
        The ``n`` bytes.

    Raises:
        ConnectionError: the peer closed the connection before ``n`` bytes arrived.
        ValueError: ``n`` is negative.
    """
    # TODO: recv — loop, asking only for the bytes still missing: recv(n - len(received))
    # TODO: check EOF — b"" means the peer closed early: raise ConnectionError
    raise NotImplementedError("not implemented yet: 02_tcp/framing.py: recv_exactly()")


def send_frame(sock: socket.socket, payload: bytes) -> None:
    """Send one frame: the payload's length as 4 bytes big-endian, then the payload.

    Args:
        sock: a connected stream socket.
        payload: the message (bytes, at most 4 GiB - 1).

    Raises:
        ValueError: the payload is too long for a 4-byte length.
    """
    # TODO: header — the length as a 4-byte big-endian unsigned int: struct.pack("!I", len(payload))
    # TODO: sendall — the header, then the payload (sendall: every byte)
    raise NotImplementedError("not implemented yet: 02_tcp/framing.py: send_frame()")


def recv_frame(sock: socket.socket) -> bytes:
    """Receive one frame sent by :func:`send_frame` and return its payload.

    Args:
        sock: a connected stream socket.

    Returns:
        The payload (possibly ``b""``).

    Raises:
        ConnectionError: the connection closed in the middle of the frame.
        ValueError: the announced length is larger than :data:`MAX_FRAME`.
    """
    # TODO: header — recv_exactly(sock, 4), then struct.unpack("!I", ...) gives the length
    # TODO: payload — recv_exactly(sock, length)
    raise NotImplementedError("not implemented yet: 02_tcp/framing.py: recv_frame()")
