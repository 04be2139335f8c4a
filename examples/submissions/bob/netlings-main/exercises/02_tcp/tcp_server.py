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
    # TODO: socket — a stream socket: socket.socket(AF_INET, SOCK_STREAM)
    # TODO: setsockopt — SO_REUSEADDR, so a restarted server can bind the same port at once
    # TODO: bind — attach the socket to (host, port)
    # TODO: listen — start accepting connections, with a queue of `backlog`
    raise NotImplementedError("not implemented yet: 02_tcp/tcp_server.py: make_listener()")


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
    # TODO: recv — loop: recv(4096) until it returns b"" (the client half-closed)
    # TODO: decode — the request as UTF-8 text; a bad request gets an error reply
    # TODO: sendall — reply "Received: " + text, encoded (sendall sends every byte; send may not)
    # TODO: close — close the CONNECTION (in finally: even after an error), not the listener
    raise NotImplementedError("not implemented yet: 02_tcp/tcp_server.py: handle_client()")


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
    # TODO: loop — forever, or until max_clients clients were served
    # TODO: accept — wait for the next client: a NEW socket for it, and its address
    # TODO: handle — set a timeout on the connection, call handle_client; report errors, carry on
    raise NotImplementedError("not implemented yet: 02_tcp/tcp_server.py: serve()")
