# Exercise stub generated from solutions/01_udp/udp_client.py by `netlings build` — edit freely, this is your file.
"""Unit 01 - UDP: a client that sends a request and waits (not forever) for the reply.

UDP does not retransmit: a datagram or its reply can be lost, and then ``recvfrom``
would wait forever. A client therefore always sets a timeout, and treats "no reply
in time" as a normal outcome: an exception for a request, ``None`` for a ping.
"""

import socket
import time


def udp_request(host: str, port: int, text: str, timeout: float = 2.0) -> str:
    """Send ``text`` in one datagram to ``(host, port)`` and return the decoded reply.

    Args:
        host: the server's address, e.g. ``"127.0.0.1"``.
        port: the server's port.
        text: the request; sent UTF-8 encoded.
        timeout: seconds to wait for the reply.

    Returns:
        The reply, decoded from UTF-8.

    Raises:
        TimeoutError: no reply came within ``timeout`` seconds.
    """
    # TODO: socket — a datagram socket (SOCK_DGRAM); no connect is needed for UDP
    # TODO: settimeout — never wait forever for a reply that may have been lost
    # TODO: sendto — send the encoded text to (host, port)
    # TODO: recvfrom — wait for one reply; on timeout it raises TimeoutError (alias: socket.timeout)
    # TODO: decode — the reply is bytes: decode it as UTF-8
    # TODO: close — release the socket, whatever happened
    raise NotImplementedError("not implemented yet: 01_udp/udp_client.py: udp_request()")


def udp_ping(host: str, port: int, count: int = 10, timeout: float = 1.0) -> list[float | None]:
    """Ping ``(host, port)`` ``count`` times over UDP and measure each round-trip time.

    Sends ``"PING <seq> <time>"`` for seq = 1 .. count, one at a time: the next ping
    goes out once the reply came or ``timeout`` expired. A reply that arrives late,
    while waiting for a later ping, is recognised by its sequence number and ignored.

    Args:
        host: the server's address.
        port: the server's port.
        count: how many pings to send.
        timeout: seconds to wait for each reply.

    Returns:
        One entry per ping, in order: the round-trip time in seconds, or ``None``
        when that reply was lost (or came too late).
    """
    # TODO: socket — one datagram socket for all the pings
    # TODO: sendto — send "PING <seq> <time>" and note when it left (time.perf_counter)
    # TODO: settimeout + recvfrom — wait at most until this ping's deadline
    # TODO: match — accept only a reply that carries this seq (a late one is for an earlier ping)
    # TODO: record — the round-trip time in seconds, or None when the reply was lost
    # TODO: close — release the socket
    raise NotImplementedError("not implemented yet: 01_udp/udp_client.py: udp_ping()")
