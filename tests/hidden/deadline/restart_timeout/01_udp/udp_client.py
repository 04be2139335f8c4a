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
    # STEP: socket — a datagram socket (SOCK_DGRAM); no connect is needed for UDP
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    try:
        # STEP: settimeout — never wait forever for a reply that may have been lost
        sock.settimeout(timeout)
        # STEP: sendto — send the encoded text to (host, port)
        sock.sendto(text.encode("utf-8"), (host, port))
        # STEP: recvfrom — wait for one reply; on timeout it raises TimeoutError (alias: socket.timeout)
        try:
            data, _sender = sock.recvfrom(65535)
        except TimeoutError as exc:  # say which server was silent, and for how long
            raise TimeoutError(f"no reply from {host}:{port} within {timeout} s") from exc
        # STEP: decode — the reply is bytes: decode it as UTF-8
        return data.decode("utf-8")
    finally:
        # STEP: close — release the socket, whatever happened
        sock.close()


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
    # STEP: socket — one datagram socket for all the pings
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    rtts: list[float | None] = []
    try:
        for seq in range(1, count + 1):
            started = time.perf_counter()
            sock.sendto(f"PING {seq} {time.time():.6f}".encode(), (host, port))
            rtt = None
            while rtt is None:
                # The mistake: the full timeout again after every stale reply, not this ping's deadline.
                sock.settimeout(timeout)
                try:
                    data, _sender = sock.recvfrom(65535)
                except (TimeoutError, ConnectionResetError):
                    break
                if str(seq) in data.decode("utf-8", errors="replace").split():
                    rtt = time.perf_counter() - started
            rtts.append(rtt)
    finally:
        sock.close()
    return rtts
