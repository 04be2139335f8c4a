"""Unit 01 - UDP: an echo server, one datagram at a time.

UDP has no connection: the server binds an address, then each ``recvfrom`` returns
one whole datagram *and the address of whoever sent it*; the reply goes back with
``sendto`` to that address. There is no ``listen``, no ``accept`` and nothing to
close per client.
"""

import socket


def make_udp_socket(host: str, port: int) -> socket.socket:
    """Create a UDP socket bound to ``(host, port)``, ready for ``recvfrom``.

    Why a separate function: binding is where servers fail (address in use, no
    permission for ports below 1024), and the tests need the socket to read the
    port back when ``port`` is 0 (0 asks the operating system for a free port).

    Args:
        host: the address to listen on, e.g. ``"127.0.0.1"`` (``"::1"`` for IPv6).
        port: the port, or 0 for any free port.

    Returns:
        The bound datagram socket (``socket.SOCK_DGRAM``).
    """
    # STEP: socket — a datagram socket: socket.socket(AF_INET, SOCK_DGRAM) (AF_INET6 for an IPv6 host)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    # STEP: bind — attach it to (host, port); close it if that fails so no socket leaks
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def serve_once(sock: socket.socket) -> str:
    """Receive one datagram, reply ``"echo: " + text`` to its sender, return the text.

    Why the error reply: a server must not trust its input. A datagram that is not
    UTF-8 gets the reply ``"error: not UTF-8"`` (so the sender learns why) instead of
    crashing the server.

    Args:
        sock: a bound UDP socket (see :func:`make_udp_socket`).

    Returns:
        The decoded text of the datagram, or ``""`` when it was not valid UTF-8.
    """
    # STEP: recvfrom — receive one datagram (up to 65535 bytes) and the sender's address
    data, sender = sock.recvfrom(65535)
    # STEP: decode — turn the bytes into text (UTF-8); a bad datagram gets an error reply
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        sock.sendto(b"error: not UTF-8", sender)
        return ""
    # STEP: sendto — reply "echo: " + text, encoded, to the address recvfrom gave you
    sock.sendto(("echo: " + text).encode("utf-8"), sender)
    return text


def serve(sock: socket.socket, max_datagrams: int | None = None) -> None:
    """Answer datagrams with :func:`serve_once`, forever or ``max_datagrams`` times.

    Why catch errors: one bad datagram (or a reply that cannot be sent) must not stop
    the service for everybody else. Errors are printed and the loop goes on. A
    socket timeout set by the caller, or a closed socket, does end the loop.

    Args:
        sock: a bound UDP socket.
        max_datagrams: how many datagrams to answer before returning; ``None`` means forever.
    """
    # STEP: loop — forever, or until max_datagrams datagrams were handled
    handled = 0
    while max_datagrams is None or handled < max_datagrams:
        # STEP: serve one — call serve_once(sock); print an error and carry on, never die
        try:
            serve_once(sock)
        except TimeoutError:
            raise  # the caller set a timeout: nobody talked to us for that long
        except ConnectionResetError:
            # Windows reports "port unreachable" for an earlier reply this way: no datagram was read
            continue
        except OSError as exc:
            if sock.fileno() == -1:
                raise  # the socket was closed: nothing more to serve
            print(f"udp server: could not answer a datagram: {exc}")
        handled += 1
