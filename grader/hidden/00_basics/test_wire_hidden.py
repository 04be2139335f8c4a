"""Hidden tests for 00_basics/wire.py: the corners the visible tests leave out.

No network here, so the evidence is the value the student's function returned (or
the exception it raised) for inputs a beginner rarely tries: empty text, emoji and
line endings, every flavour of broken UTF-8, bracketed IPv6 hosts, ports with a sign,
spaces or too many digits, and the neighbours of each port-range boundary.

Successful calls are batched into one child process per test (``values``) to keep
the suite fast; each call that must raise gets its own child (the first exception
ends a child's steps).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from grader.harness import StudentModule, call, describe_call
from grader.hidden.support import check, show
from grader.messages.texts import tr

pytestmark = pytest.mark.exercise("00_basics/wire")

WIRE = "00_basics/wire.py"


@pytest.fixture
def wire(student_module: Callable[..., StudentModule]) -> StudentModule:
    return student_module(WIRE)


def values(module: StudentModule, func: str, inputs: list[Any]) -> list[Any]:
    """``func(x)`` for every input, in one child; a failing call is reported as usual."""
    __tracebackhide__ = True
    with module.run([call(func, x) for x in inputs]) as run:
        result = run.result()
    step = result.failed_step if result.exception is not None else None
    what = describe_call(func, (inputs[step],), {}) if step is not None and 0 <= step < len(inputs) else (
        f"{func}(...)")
    module.check(result, what, func)
    return result.values


# -- to_bytes / to_text ----------------------------------------------------------------------

TEXTS = ["", "hello", "line one\r\nline two\n", "tab\there", "café", "网络编程", "emoji 🙂 ok", "\x00"]


@pytest.mark.points(2)
def test_to_bytes_always_returns_utf8_bytes(wire: StudentModule) -> None:
    """to_bytes returns bytes (never str) for any text: empty, line endings, accents, Chinese, emoji."""
    got = values(wire, "to_bytes", TEXTS)
    for text, value in zip(TEXTS, got, strict=True):
        check(isinstance(value, (bytes, bytearray)), "str_not_bytes", call=f"to_bytes({text!r})",
              expected=f"bytes: {show(text.encode('utf-8'))}",
              actual=f"{type(value).__name__}: {show(value)}")
        assert value == text.encode("utf-8"), tr(
            "to_bytes({text!r}) returned {value}, expected the UTF-8 bytes {expected}. "
            "Encode with text.encode('utf-8'), nothing added or dropped.",
            text=text, value=show(value), expected=show(text.encode("utf-8")))


@pytest.mark.points(1)
def test_to_text_undoes_to_bytes(wire: StudentModule) -> None:
    """to_text gives back exactly the text whose UTF-8 bytes it receives (a str, not a repr)."""
    data = [t.encode("utf-8") for t in TEXTS]
    got = values(wire, "to_text", data)
    for raw, text, value in zip(data, TEXTS, got, strict=True):
        assert isinstance(value, str), tr(
            "to_text({raw!r}) returned a {kind} ({value}), expected the str {text!r}: "
            "decode the bytes with data.decode('utf-8')",
            raw=raw, kind=type(value).__name__, value=show(value), text=text)
        assert value == text, (
            tr("to_text({raw!r}) returned {value!r}, expected {text!r}", raw=raw, value=value, text=text)
            + (tr(" (str(data) gives the repr b'...', not the text: use data.decode('utf-8'))")
               if value == str(raw) else "")
        )


BAD_UTF8 = [
    b"\x80abc",               # a continuation byte with no start byte
    b"abc\xc3",               # a two-byte character cut off at the end
    b"\xc0\xaf",              # an overlong encoding of '/'
    b"\xed\xa0\x80",          # a UTF-16 surrogate, not allowed in UTF-8
    b"\xf4\x90\x80\x80",      # a code point above U+10FFFF
    "你好".encode("gbk"),     # the GBK bytes of '你好'
]


@pytest.mark.points(2)
@pytest.mark.visibility("hidden")
def test_to_text_rejects_every_kind_of_broken_utf8(wire: StudentModule) -> None:
    """to_text raises UnicodeDecodeError for every kind of invalid UTF-8 (no errors='ignore'/'replace')."""
    for data in BAD_UTF8:
        wire.call_raises(UnicodeDecodeError, "to_text", data)


# -- split_address ---------------------------------------------------------------------------

GOOD_ADDRESSES = [
    ("[2001:db8::1]:443", ("2001:db8::1", 443)),
    ("[::]:0", ("::", 0)),
    ("0.0.0.0:65535", ("0.0.0.0", 65535)),
    ("mail.example.com:25", ("mail.example.com", 25)),
    ("my-host:1", ("my-host", 1)),
]


@pytest.mark.points(2)
def test_split_address_handles_ipv6_and_names(wire: StudentModule) -> None:
    """split_address takes bracketed IPv6 hosts, 0.0.0.0, host names, and ports 0 to 65535."""
    got = values(wire, "split_address", [a for a, _ in GOOD_ADDRESSES])
    for (addr, expected), value in zip(GOOD_ADDRESSES, got, strict=True):
        assert value == expected, tr(
            "split_address({addr!r}) returned {value!r}, expected {expected!r}. The port is what "
            "follows the LAST colon (addr.rpartition(':')), and '[...]' around an IPv6 host is removed.",
            addr=addr, value=value, expected=expected)
        port = value[1]
        assert isinstance(port, int) and not isinstance(port, bool), tr(
            "split_address({addr!r}) returned the port {port!r} as a {kind}: expected an int",
            addr=addr, port=port, kind=type(port).__name__)


BAD_ADDRESSES = [
    ":8080",                                # no host at all
    "",                                     # nothing
    "[::1]",                                # IPv6 host, but no port
    "[::1]:",                               # the port is missing
    "example.com:99999",                    # 5 digits, but above 65535
    "example.com:123456789012345678901234",  # far too big
    "example.com:80.0",                     # not an integer
    "example.com:0x50",                     # not decimal
]


@pytest.mark.points(2)
def test_split_address_rejects_missing_parts_and_huge_ports(wire: StudentModule) -> None:
    """split_address raises ValueError for an empty host, a missing port, a port > 65535 or not decimal."""
    for addr in BAD_ADDRESSES:
        wire.call_raises(ValueError, "split_address", addr)


@pytest.mark.points(1)
@pytest.mark.visibility("hidden")
def test_split_address_rejects_signs_and_spaces_in_the_port(wire: StudentModule) -> None:
    """A port written with a sign or spaces ("+80", " 80", "-0") is not a decimal port number."""
    # int() happily accepts all of these: checking port_text.isdigit() first does not.
    for addr in ("example.com:+80", "example.com: 80", "example.com:80 ", "example.com:-0"):
        wire.call_raises(ValueError, "split_address", addr)


# -- port_category ----------------------------------------------------------------------------

NEIGHBOURS = [(1, "well-known"), (80, "well-known"), (1022, "well-known"),
              (1025, "registered"), (3306, "registered"), (49150, "registered"),
              (49153, "dynamic"), (60000, "dynamic"), (65534, "dynamic")]


@pytest.mark.points(1)
def test_port_category_next_to_each_boundary(wire: StudentModule) -> None:
    """port_category is right one step inside every range limit (1022/1025, 49150/49153, 65534)."""
    got = values(wire, "port_category", [p for p, _ in NEIGHBOURS])
    for (port, expected), value in zip(NEIGHBOURS, got, strict=True):
        assert value == expected, tr(
            "port_category({port}) returned {value!r}, expected {expected!r} "
            "(well-known 0-1023, registered 1024-49151, dynamic 49152-65535)",
            port=port, value=value, expected=expected)


@pytest.mark.points(1)
@pytest.mark.visibility("hidden")
def test_port_category_rejects_numbers_far_outside(wire: StudentModule) -> None:
    """port_category raises ValueError for any number outside 0-65535, not just -1 and 65536."""
    for port in (-1024, -65535, 65536 + 80, 10**6, 2**31):
        wire.call_raises(ValueError, "port_category", port)
