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
    # STEP: split — email.header.decode_header(value) gives (bytes, charset) pieces
    pieces = email.header.decode_header(value)
    # STEP: join — str(email.header.make_header(pieces)) decodes each piece with its charset
    try:
        return str(email.header.make_header(pieces))
    except (LookupError, UnicodeDecodeError):
        # STEP: fall back — unknown charset or bad bytes: decode piece by piece, replacing what fails
        texts = []
        for data, charset in pieces:
            if isinstance(data, str):
                texts.append(data)
                continue
            try:
                texts.append(data.decode(charset or "ascii", errors="replace"))
            except LookupError:
                texts.append(data.decode("utf-8", errors="replace"))
        return "".join(texts)


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
    # STEP: parse — email.message_from_bytes(raw, policy=email.policy.default)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    # STEP: find the text — msg.get_body(preferencelist=("plain",)); None when there is none
    part = msg.get_body(preferencelist=("plain",))
    if part is None:
        return ""
    # STEP: decode — part.get_content() undoes base64/quoted-printable and the charset
    try:
        text = part.get_content()
    except LookupError:  # a charset Python does not know: assume UTF-8, replace what fails
        text = part.get_payload(decode=True).decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n")


def list_attachments(raw: bytes) -> list[tuple[str, int]]:
    """List the attachments of a raw message: ``(filename, size in bytes)``.

    An attachment is a part with a filename. The filename is decoded (RFC 2231 and
    RFC 2047); the size is that of the decoded content, not of its base64 text.

    Args:
        raw: the whole message.

    Returns:
        One ``(filename, size)`` per attachment, in message order.
    """
    # STEP: parse — email.message_from_bytes(raw, policy=email.policy.default)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    attachments = []
    # STEP: walk — msg.walk() visits every part; an attachment is a part with a filename
    for part in msg.walk():
        filename = part.get_filename()
        if part.is_multipart() or filename is None:
            continue
        # STEP: size — len(part.get_payload(decode=True)): the decoded bytes
        data = part.get_payload(decode=True) or b""
        attachments.append((decode_header_value(filename), len(data)))
    return attachments


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
    # STEP: parse — email.message_from_bytes(raw, policy=email.policy.default)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    os.makedirs(dest_dir, exist_ok=True)
    root = os.path.realpath(dest_dir)
    written = []
    # STEP: walk — every part with a filename is an attachment
    for part in msg.walk():
        filename = part.get_filename()
        if part.is_multipart() or filename is None:
            continue
        # STEP: sanitize — keep only os.path.basename of the name (treat "\\" as "/"); skip "", ".", ".."
        name = os.path.basename(decode_header_value(filename).replace("\\", "/"))
        if name in ("", ".", ".."):
            continue
        # STEP: check — the resolved path (os.path.realpath) must be directly inside dest_dir
        path = os.path.join(dest_dir, name)
        if os.path.dirname(os.path.realpath(path)) != root:
            continue
        # STEP: write — open(path, "wb") and write part.get_payload(decode=True)
        with open(path, "wb") as f:
            f.write(part.get_payload(decode=True) or b"")
        written.append(path)
    return written
