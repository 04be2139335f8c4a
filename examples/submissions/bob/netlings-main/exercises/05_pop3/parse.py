"""Unit 05 - POP3: read what you received with the email package.

A raw message is bytes. Headers may hold RFC 2047 *encoded words*
(``=?gbk?b?xOO6ww==?=``): a charset, an encoding (B = base64, Q = quoted-printable)
and the encoded text. Parts of the body have their own charset and
Content-Transfer-Encoding (base64, quoted-printable...). ``email.message_from_bytes``
with ``policy=email.policy.default`` undoes all of that for you.

An attachment's filename comes from the sender: never trust it as a path.
"""

import email
import email.header
import email.policy
import os


def decode_header_value(value: str) -> str:
    """Decode a header value that may contain RFC 2047 encoded words.

    ``"=?utf-8?b?5L2g5aW9?= world"`` gives ``"你好 world"``. Several words, in
    different charsets, are joined as RFC 2047 says (no space between two adjacent
    encoded words). A charset Python does not know, or bytes that are not valid in
    their charset, never raise: the bad bytes become U+FFFD.

    Args:
        value: the raw header value, as found in the message.

    Returns:
        The decoded text.
    """
    # TODO: split — email.header.decode_header(value) gives (bytes, charset) pieces
    # TODO: join — str(email.header.make_header(pieces)) decodes each piece with its charset
    # TODO: fall back — unknown charset or bad bytes: decode piece by piece, replacing what fails
    raise NotImplementedError("not implemented yet: 05_pop3/parse.py: decode_header_value()")


def text_body(raw: bytes) -> str:
    """Return the text/plain body of a raw message, decoded.

    The charset and Content-Transfer-Encoding of the part are undone; line endings
    become ``"\\n"``. In a multipart message the first text/plain part that is not
    an attachment is used.

    Args:
        raw: the whole message, e.g. from ``fetch_message``.

    Returns:
        The text, or ``""`` when the message has no text/plain part.
    """
    # TODO: parse — email.message_from_bytes(raw, policy=email.policy.default)
    # TODO: find the text — msg.get_body(preferencelist=("plain",)); None when there is none
    # TODO: decode — part.get_content() undoes base64/quoted-printable and the charset
    raise NotImplementedError("not implemented yet: 05_pop3/parse.py: text_body()")


def list_attachments(raw: bytes) -> list[tuple[str, int]]:
    """List the attachments of a raw message: ``(filename, size in bytes)``.

    An attachment is a part with a filename. The filename is decoded (RFC 2231 and
    RFC 2047); the size is that of the decoded content, not of its base64 text.

    Args:
        raw: the whole message.

    Returns:
        One ``(filename, size)`` per attachment, in message order.
    """
    # TODO: parse — email.message_from_bytes(raw, policy=email.policy.default)
    # TODO: walk — msg.walk() visits every part; an attachment is a part with a filename
    # TODO: size — len(part.get_payload(decode=True)): the decoded bytes
    raise NotImplementedError("not implemented yet: 05_pop3/parse.py: list_attachments()")


def save_attachments(raw: bytes, dest_dir: str) -> list[str]:
    """Save every attachment of a raw message into ``dest_dir``; return the paths written.

    Why so careful: the filename is chosen by whoever sent the mail. A name like
    ``"../../.bashrc"`` or ``"/etc/passwd"`` must not write outside ``dest_dir``:
    only the last part of the name is kept, names that are empty, ``"."`` or
    ``".."`` are skipped, and the final path is checked to be inside ``dest_dir``.
    An attachment with the same name as an earlier one replaces it.

    Args:
        raw: the whole message.
        dest_dir: the directory to save into (created if missing).

    Returns:
        The paths of the files written (``os.path.join(dest_dir, name)``), in message order.
    """
    # TODO: parse — email.message_from_bytes(raw, policy=email.policy.default)
    # TODO: walk — every part with a filename is an attachment
    # TODO: sanitize — keep only os.path.basename of the name (treat "\\" as "/"); skip "", ".", ".."
    # TODO: check — the resolved path (os.path.realpath) must be directly inside dest_dir
    # TODO: write — open(path, "wb") and write part.get_payload(decode=True)
    raise NotImplementedError("not implemented yet: 05_pop3/parse.py: save_attachments()")
