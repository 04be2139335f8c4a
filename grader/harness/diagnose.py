"""Name the beginner mistake behind an exception, from its type and message.

Why: "TypeError: a bytes-like object is required, not 'str'" is exact but not
helpful to a beginner; "str sent instead of bytes: encode text first" is. The
patterns are the messages CPython's own socket, email and ftplib code raise for
the mistakes in :mod:`grader.messages.mistakes`; anything else gets no guess.
"""

from __future__ import annotations

import re

from .runner import StudentException

PATTERNS: list[tuple[str, str, str] | tuple[str, str, str, str]] = [
    # (exception class name, regex on the message, mistake id[, regex the exercise path must match])
    # Everywhere but the protocol-library units: a socket wanted bytes and got text.
    ("TypeError", r"a bytes-like object is required, not 'str'", "str_not_bytes", r"(?!0[3-5]_)"),
    ("TypeError", r"can't concat str to bytes", "str_not_bytes", r"(?!0[3-5]_)"),
    # Protocol libraries: ftplib/smtplib/poplib build text commands, so bytes break them
    # (ftplib appends CRLF to a bytes command; smtplib quotes a bytes address …).
    ("TypeError", r"a bytes-like object is required, not 'str'|can't concat str to bytes", "bytes_not_str",
     r"0[3-5]_"),
    ("TypeError", r"can only concatenate str \(not \"bytes\"\) to str", "bytes_not_str"),
    ("TypeError", r"str expected, not bytes|expected str, bytes or os.PathLike object", "bytes_not_str"),
    ("TypeError", r"sequence item \d+: expected str instance, bytes found", "pop3_lines_as_str"),
    ("TypeError", r"initial_value must be str or None, not bytes", "pop3_lines_as_str"),
    ("OSError", r"Address already in use", "no_reuseaddr"),
    ("SMTPException", r"538|[Ee]ncryption required|Must issue a STARTTLS", "tls_order"),
    # A server offering STARTTLS hides AUTH until TLS is up, so login() first says this:
    ("SMTPException", r"SMTP AUTH extension not supported by server", "tls_order", r"04_smtp/"),
    # One UTF-8 decoding error, four different mistakes depending on where it happens:
    ("UnicodeDecodeError", r"'utf-8' codec can't decode", "charset_ignored", r"05_pop3/parse"),
    ("UnicodeDecodeError", r"'utf-8' codec can't decode", "pop3_lines_as_str", r"05_pop3/receive"),
    ("UnicodeDecodeError", r"'utf-8' codec can't decode", "ftp_text_mode", r"03_ftp/"),
    ("UnicodeDecodeError", r"'utf-8' codec can't decode", "server_dies_on_bad_datagram",
     r"01_udp/udp_server"),
]


def diagnose(exc: StudentException, path: str = "") -> str | None:
    """The id of the mistake this exception most likely comes from, or None.

    ``path`` is the exercise module (``"05_pop3/parse.py"``): some exceptions mean
    different mistakes in different units (a UTF-8 decoding error is an ignored
    charset when parsing mail, a dying server when serving datagrams).
    """
    text = f"{exc.message}\n{exc.traceback}"
    for cls, pattern, mistake, *scope in PATTERNS:
        if scope and not re.match(scope[0], path):
            continue
        if exc.is_a(cls) and re.search(pattern, text):
            return mistake
    return None
