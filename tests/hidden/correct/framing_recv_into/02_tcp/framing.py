"""Correct submission: recv_into a preallocated buffer, two sendall calls. The hidden suite must accept it.

Unit 02 - TCP: message framing with a length prefix.
"""

import socket
import struct

MAX_FRAME = 16 * 1024 * 1024


def recv_exactly(sock: socket.socket, n: int) -> bytes:
    """Exactly ``n`` bytes, or ConnectionError if the stream ends first."""
    if n < 0:
        raise ValueError("n must not be negative")
    buffer = bytearray(n)
    view = memoryview(buffer)
    got = 0
    while got < n:
        count = sock.recv_into(view[got:], n - got)
        if count == 0:
            raise ConnectionError(f"stream ended after {got} of {n} bytes")
        got += count
    return bytes(buffer)


def send_frame(sock: socket.socket, payload: bytes) -> None:
    """The length (4 bytes, big-endian), then the payload."""
    if len(payload) > 0xFFFFFFFF:
        raise ValueError("payload too long")
    sock.sendall(struct.pack(">I", len(payload)))
    sock.sendall(payload)


def recv_frame(sock: socket.socket) -> bytes:
    """One frame's payload."""
    length = int.from_bytes(recv_exactly(sock, 4), "big")
    if length > MAX_FRAME:
        raise ValueError(f"frame of {length} bytes is too large")
    return recv_exactly(sock, length)
