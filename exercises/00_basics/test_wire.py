"""Visible tests for 00_basics/wire.py: bytes vs text, "host:port" addresses, port ranges.

Your functions run in a separate process; these tests call them with ordinary values
(including Chinese text and broken UTF-8) and check what comes back. No network here:
this unit is about what travels on the wire before any socket is opened.

Run them with ``pytest exercises/00_basics`` (add ``--sw`` to stop at the first failure).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from grader.harness import StudentModule
from grader.messages.texts import tr

WIRE = "00_basics/wire.py"
HELLO_ZH = "你好，世界"


@pytest.fixture
def wire(student_module: Callable[..., StudentModule]) -> StudentModule:
    return student_module(WIRE)


# -- to_bytes / to_text ------------------------------------------------------------------


@pytest.mark.points(0.5)
def test_to_bytes_encodes_ascii(wire: StudentModule) -> None:
    """to_bytes("hello") gives the bytes b"hello"."""
    value = wire.call("to_bytes", "hello")
    assert isinstance(value, bytes), tr(
        "to_bytes('hello') returned a {kind} ({value!r}), not bytes: use text.encode('utf-8')",
        kind=type(value).__name__, value=value)
    assert value == b"hello", tr("to_bytes('hello') returned {value!r}, expected b'hello'", value=value)


@pytest.mark.points(1)
def test_to_bytes_encodes_chinese_as_utf8(wire: StudentModule) -> None:
    """to_bytes encodes Chinese text as UTF-8 (3 bytes per character)."""
    expected = HELLO_ZH.encode("utf-8")
    value = wire.call("to_bytes", HELLO_ZH)
    assert value == expected, tr(
        "to_bytes({text!r}) returned {value!r}, expected the UTF-8 bytes {expected!r} ({size} bytes). "
        "Another encoding (GBK, the system default) or errors='ignore' gives different bytes: "
        "always encode with 'utf-8'.", text=HELLO_ZH, value=value, expected=expected, size=len(expected))


@pytest.mark.points(1)
def test_to_text_decodes_utf8(wire: StudentModule) -> None:
    """to_text turns UTF-8 bytes (ASCII and Chinese) back into the same text."""
    value = wire.call("to_text", b"hello")
    assert value == "hello", tr("to_text(b'hello') returned {value!r}, expected 'hello'", value=value)
    data = HELLO_ZH.encode("utf-8")
    value = wire.call("to_text", data)
    assert value == HELLO_ZH, tr("to_text({data!r}) returned {value!r}, expected {text!r}: decode with 'utf-8'",
                                 data=data, value=value, text=HELLO_ZH)


@pytest.mark.points(0.5)
def test_to_text_rejects_bad_utf8(wire: StudentModule) -> None:
    """to_text raises UnicodeDecodeError on bytes that are not UTF-8 (it must not hide them)."""
    # b"\xff" never occurs in UTF-8; b"\xe4\xbd" is a Chinese character cut in half.
    for data in (b"\xff\xfe", b"ok \xe4\xbd"):
        wire.call_raises(UnicodeDecodeError, "to_text", data)


# -- split_address ---------------------------------------------------------------------------


@pytest.mark.points(1)
def test_split_address_gives_host_and_int_port(wire: StudentModule) -> None:
    """split_address("127.0.0.1:8080") gives ("127.0.0.1", 8080), the port as an int."""
    for addr, expected in (("127.0.0.1:8080", ("127.0.0.1", 8080)), ("localhost:21", ("localhost", 21))):
        value = wire.call("split_address", addr)
        assert isinstance(value, tuple) and len(value) == 2, tr(
            "split_address({addr!r}) returned {value!r}: expected a (host, port) tuple", addr=addr, value=value)
        host, port = value
        assert isinstance(port, int) and not isinstance(port, bool), tr(
            "split_address({addr!r}) returned the port {port!r} ({kind}): bind() and connect() need an int, "
            "convert it with int()", addr=addr, port=port, kind=type(port).__name__)
        assert value == expected, tr("split_address({addr!r}) returned {value!r}, expected {expected!r}",
                                     addr=addr, value=value, expected=expected)


@pytest.mark.points(0.5)
def test_split_address_accepts_the_port_range_limits(wire: StudentModule) -> None:
    """Ports 0 and 65535 are valid; an IPv6 host in brackets loses its brackets."""
    for addr, expected in (("example.com:0", ("example.com", 0)),
                           ("example.com:65535", ("example.com", 65535)),
                           ("[::1]:8080", ("::1", 8080))):
        value = wire.call("split_address", addr)
        assert value == expected, tr(
            "split_address({addr!r}) returned {value!r}, expected {expected!r} "
            "(the port is what follows the LAST colon)", addr=addr, value=value, expected=expected)


@pytest.mark.points(0.5)
def test_split_address_rejects_bad_ports(wire: StudentModule) -> None:
    """split_address raises ValueError when the port is missing, not a number, or out of range."""
    for addr in ("127.0.0.1",         # no colon at all
                 "127.0.0.1:",        # the port is missing
                 "127.0.0.1:http",    # not a number
                 "127.0.0.1:65536",   # one past the largest 16-bit number
                 "127.0.0.1:-1"):     # ports are never negative
        wire.call_raises(ValueError, "split_address", addr)


# -- port_category ---------------------------------------------------------------------------


@pytest.mark.points(0.5)
def test_port_category_at_the_range_boundaries(wire: StudentModule) -> None:
    """port_category names each port range correctly, including the first and last port of each."""
    cases = [(0, "well-known"), (21, "well-known"), (1023, "well-known"),
             (1024, "registered"), (8080, "registered"), (49151, "registered"),
             (49152, "dynamic"), (65535, "dynamic")]
    for port, expected in cases:
        value = wire.call("port_category", port)
        assert value == expected, tr(
            "port_category({port}) returned {value!r}, expected {expected!r} "
            "(well-known 0-1023, registered 1024-49151, dynamic 49152-65535: both ends included)",
            port=port, value=value, expected=expected)


@pytest.mark.points(0.5)
def test_port_category_rejects_non_ports(wire: StudentModule) -> None:
    """port_category raises ValueError for numbers outside 0-65535."""
    for port in (-1, 65536):
        wire.call_raises(ValueError, "port_category", port)
