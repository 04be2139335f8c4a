"""Unit 00 - the basics: text vs bytes, addresses and ports.

Everything a program sends over a network is *bytes*; everything a person reads is
*text* (``str``). Each exercise in this course crosses that border twice: encode
before sending, decode after receiving. Getting it wrong gives the classic
``TypeError: a bytes-like object is required, not 'str'``.

A socket address is a host and a port. The port tells the transport layer (TCP or
UDP, layer 4 of the TCP/IP model) which program on the host should get the data.
"""


def to_bytes(text: str) -> bytes:
    """Encode ``text`` as UTF-8 bytes, ready to be sent on a socket.

    Why: sockets carry bytes, not characters; UTF-8 is the encoding every protocol
    in this course uses for text (one byte per ASCII character, 3 bytes per Chinese
    character).

    Args:
        text: the text to send, e.g. ``"你好"``.

    Returns:
        The UTF-8 bytes, e.g. ``b"\\xe4\\xbd\\xa0\\xe5\\xa5\\xbd"``.
    """
    # STEP: encode — str.encode("utf-8") turns characters into bytes
    return text.encode("utf-8")


def to_text(data: bytes) -> str:
    """Decode UTF-8 ``data`` received from a socket into text.

    Why strict: a wrong byte means the peer did not send UTF-8; hiding it (with
    ``errors="ignore"``) would silently lose characters, so the error is raised.

    Args:
        data: bytes received from the network.

    Returns:
        The decoded text.

    Raises:
        UnicodeDecodeError: ``data`` is not valid UTF-8 (e.g. ``b"\\xff"``).
    """
    # STEP: decode — bytes.decode("utf-8") turns bytes back into characters (strict: bad bytes raise)
    return data.decode("utf-8")


def split_address(addr: str) -> tuple[str, int]:
    """Split ``"host:port"`` into ``(host, port)``, the tuple that ``bind``/``connect`` want.

    The port is what follows the *last* colon, so ``"[::1]:8080"`` (an IPv6 host in
    brackets, as in URLs) works too: the brackets are removed.

    Args:
        addr: e.g. ``"127.0.0.1:8080"`` or ``"localhost:21"``.

    Returns:
        ``(host, port)`` with the port as an ``int``, e.g. ``("127.0.0.1", 8080)``.

    Raises:
        ValueError: no colon, an empty host, or a port that is missing, not a
            decimal number, or outside 0-65535 (a port is a 16-bit number).
    """
    # STEP: split — the port is after the LAST ":" (str.rpartition)
    host, colon, port_text = addr.rpartition(":")
    if not colon or not host:
        raise ValueError(f"expected 'host:port', got {addr!r}")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]  # "[::1]" -> "::1"
    # STEP: check the port — digits only (no sign, no spaces), then int()
    if not (port_text.isascii() and port_text.isdigit()):
        raise ValueError(f"the port must be a decimal number, got {port_text!r} in {addr!r}")
    port = int(port_text)
    # STEP: check the range — a port is 16 bits: 0 to 65535
    if port > 65535:
        raise ValueError(f"the port must be between 0 and 65535, got {port}")
    return host, port


def port_category(port: int) -> str:
    """Name the IANA range a port number belongs to.

    Why it matters: servers for standard protocols listen on *well-known* ports
    (FTP 21, SMTP 25, POP3 110; binding them usually needs admin rights), services
    register ports in the *registered* range, and the operating system picks a
    client's source port from the *dynamic* (ephemeral) range.

    Args:
        port: a port number.

    Returns:
        ``"well-known"`` (0-1023), ``"registered"`` (1024-49151) or ``"dynamic"`` (49152-65535).

    Raises:
        ValueError: ``port`` is outside 0-65535.
    """
    # STEP: check the range — outside 0-65535 is not a port at all
    if not 0 <= port <= 65535:
        raise ValueError(f"not a port number: {port} (must be between 0 and 65535)")
    # STEP: classify — compare with the range limits 1023 and 49151
    if port <= 1023:
        return "well-known"
    if port <= 49151:
        return "registered"
    return "dynamic"
