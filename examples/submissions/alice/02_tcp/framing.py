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
    if n < 0:
        raise ValueError(f"cannot read a negative number of bytes: {n}")
    # STEP: recv — loop, asking only for the bytes still missing: recv(n - len(received))
    received = bytearray()
    while len(received) < n:
        chunk = sock.recv(n - len(received))
        # STEP: check EOF — b"" means the peer closed early: raise ConnectionError
        if chunk == b"":
            raise ConnectionError(f"connection closed after {len(received)} of {n} bytes")
        received += chunk
    return bytes(received)


def send_frame(sock: socket.socket, payload: bytes) -> None:
    """Send one frame: the payload's length as 4 bytes big-endian, then the payload.

    Args:
        sock: a connected stream socket.
        payload: the message (bytes, at most 4 GiB - 1).

    Raises:
        ValueError: the payload is too long for a 4-byte length.
    """
    # STEP: header — the length as a 4-byte big-endian unsigned int: struct.pack("!I", len(payload))
    if len(payload) > 0xFFFFFFFF:
        raise ValueError(f"payload too long for a 4-byte length: {len(payload)} bytes")
    header = struct.pack("!I", len(payload))
    # STEP: sendall — the header, then the payload (sendall: every byte)
    sock.sendall(header + bytes(payload))


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
    # STEP: header — recv_exactly(sock, 4), then struct.unpack("!I", ...) gives the length
    (length,) = struct.unpack("!I", recv_exactly(sock, 4))
    if length > MAX_FRAME:
        raise ValueError(f"frame of {length} bytes announced, more than the {MAX_FRAME} allowed")
    # STEP: payload — recv_exactly(sock, length)
    return recv_exactly(sock, length)
