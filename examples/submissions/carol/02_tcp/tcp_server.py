"""Unit 02 - TCP: a server that answers one client after another.

TCP is a byte *stream* between two connected sockets. A server has one
*listening* socket (socket, setsockopt, bind, listen) and, for each client, a new
*connection* socket returned by ``accept``. Read from and reply on the connection,
then close the connection - never the listener, or the next client is refused.
"""

import socket

CLIENT_TIMEOUT = 10.0
"""Seconds a connected client may stay silent before the server gives up on it."""


def make_listener(host: str, port: int, backlog: int = 5) -> socket.socket:
    """Create a TCP socket listening on ``(host, port)``.

    Why SO_REUSEADDR: after a server stops, its old connections linger for a while
    (TIME_WAIT); without this option, restarting the server on the same port fails
    with "Address already in use".

    Args:
        host: the address to listen on, e.g. ``"127.0.0.1"``.
        port: the port, or 0 for any free port (read it back with ``getsockname()``).
        backlog: how many connections may wait for ``accept``.

    Returns:
        The listening stream socket (``socket.SOCK_STREAM``).
    """
    # STEP: socket — a stream socket: socket.socket(AF_INET, SOCK_STREAM)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        # STEP: setsockopt — SO_REUSEADDR, so a restarted server can bind the same port at once
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # STEP: bind — attach the socket to (host, port)
        listener.bind((host, port))
        # STEP: listen — start accepting connections, with a queue of `backlog`
        listener.listen(backlog)
    except OSError:
        listener.close()  # don't leak the socket when bind or listen fails
        raise
    return listener


def handle_client(conn: socket.socket) -> str:
    """Read a client's whole request, reply ``"Received: " + text``, close the connection.

    The client signals the end of its request by half-closing its side
    (``shutdown(SHUT_WR)``): ``recv`` then returns ``b""``. One ``recv`` is not
    enough: TCP may deliver the request in several pieces. A request that is not
    UTF-8 gets the reply ``"error: not UTF-8"`` and ``""`` is returned.

    Args:
        conn: a connected socket, as returned by ``accept()``.

    Returns:
        The decoded request.
    """
    try:
        # STEP: recv — loop: recv(4096) until it returns b"" (the client half-closed)
        chunks = []
        while True:
            chunk = conn.recv(4096)
            if chunk == b"":
                break
            chunks.append(chunk)
        data = b"".join(chunks)
        # STEP: decode — the request as UTF-8 text; a bad request gets an error reply
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            conn.sendall(b"error: not UTF-8")
            return ""
        # STEP: sendall — reply "Received: " + text, encoded (sendall sends every byte; send may not)
        conn.sendall(("Received: " + text).encode("utf-8"))
        return text
    finally:
        # STEP: close — close the CONNECTION (in finally: even after an error), not the listener
        conn.close()


def serve(listener: socket.socket, max_clients: int | None = None) -> None:
    """Accept clients one after another and answer each with :func:`handle_client`.

    Why catch errors: a client that disconnects abruptly (``ConnectionResetError``),
    never finishes its request (timeout) or vanishes before the reply
    (``BrokenPipeError``) must not stop the server. Only that connection is lost;
    the listener stays open for the next client.

    Args:
        listener: a listening socket (see :func:`make_listener`).
        max_clients: how many clients to serve before returning; ``None`` means forever.
    """
    # STEP: loop — forever, or until max_clients clients were served
    served = 0
    while max_clients is None or served < max_clients:
        # STEP: accept — wait for the next client: a NEW socket for it, and its address
        conn, address = listener.accept()
        served += 1
        # STEP: handle — set a timeout on the connection, call handle_client; report errors, carry on
        try:
            conn.settimeout(CLIENT_TIMEOUT)
            handle_client(conn)
        except OSError as exc:  # ConnectionResetError, BrokenPipeError, TimeoutError...
            print(f"tcp server: client {address} failed: {exc!r}")
        finally:
            conn.close()  # handle_client closed it already; closing twice is harmless
