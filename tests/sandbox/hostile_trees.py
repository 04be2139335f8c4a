"""Builders for the hostile trees and lying zips of issue 11, made at test time (only text is committed)."""

from __future__ import annotations

import os
import struct
from pathlib import Path

EOCD = struct.Struct("<4s4H2LH")
CENTRAL_SIG = b"PK\x01\x02"
LOCAL_SIG = b"PK\x03\x04"


def deep_folder(top: Path, depth: int, name: str = "d", file_every: int = 0) -> Path:
    """``top/d/d/…/d`` ``depth`` levels deep, made through ``dir_fd`` (``os.makedirs`` recurses).

    Returns the deepest folder's path. With ``file_every``, a file ``f`` every that many levels.
    """
    top.mkdir(parents=True, exist_ok=True)
    fd = os.open(top, os.O_RDONLY)
    try:
        for level in range(1, depth + 1):
            os.mkdir(name, dir_fd=fd)
            child = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = child
            if file_every and level % file_every == 0:
                os.close(os.open("f", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd))
    finally:
        os.close(fd)
    return top.joinpath(*([name] * depth))


def scrub(folder: Path) -> None:
    """Remove what a test left in ``folder`` with our remover: pytest's own cleanup recurses on deep trees."""
    from grader.sandbox.cleanup import remove_tree

    if folder.is_dir():
        for child in folder.iterdir():
            assert remove_tree(child) == []


def eocd_at(data: bytes) -> int:
    at = data.rfind(b"PK\x05\x06")
    assert at >= 0, "not a zip"
    return at


def claim_entries(path: Path, count: int) -> None:
    """Make the end-of-central-directory record claim ``count`` entries (this disk and total)."""
    data = bytearray(path.read_bytes())
    at = eocd_at(bytes(data))
    struct.pack_into("<HH", data, at + 8, count, count)
    path.write_bytes(bytes(data))


def to_zip64(path: Path, claimed_entries: int, eocd_entries: int = 0xFFFF) -> None:
    """Rewrite a small zip's end as zip64 (record + locator), the record claiming ``claimed_entries``.

    The 32-bit end record says "see zip64" (0xFFFF / 0xFFFFFFFF), as large archives do,
    or claims ``eocd_entries``: zipfile reads the zip64 record either way.
    """
    data = path.read_bytes()
    at = eocd_at(data)
    _sig, _d, _dcd, _here, _total, size, offset, _comment = EOCD.unpack_from(data, at)
    record = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, claimed_entries, claimed_entries,
                         size, offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, at, 1)
    end = EOCD.pack(b"PK\x05\x06", 0, 0, eocd_entries, eocd_entries, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    path.write_bytes(data[:at] + record + locator + end)


def patch_member(path: Path, *, compress_size: int | None = None, file_size: int | None = None,
                 crc: int | None = None, index: int = 0) -> None:
    """Overwrite the sizes (or CRC) of member ``index`` in both its local header and the central directory."""
    data = bytearray(path.read_bytes())
    directory = EOCD.unpack_from(data, eocd_at(bytes(data)))[6]
    central = _find_all(data, CENTRAL_SIG, directory)[index]
    local = struct.unpack_from("<L", data, central + 42)[0]
    assert data[local:local + 4] == LOCAL_SIG
    for header, (crc_at, compressed_at, size_at) in ((central, (16, 20, 24)), (local, (14, 18, 22))):
        if crc is not None:
            struct.pack_into("<L", data, header + crc_at, crc)
        if compress_size is not None:
            struct.pack_into("<L", data, header + compressed_at, compress_size)
        if file_size is not None:
            struct.pack_into("<L", data, header + size_at, file_size)
    path.write_bytes(bytes(data))


def _find_all(data: bytearray, needle: bytes, start: int) -> list[int]:
    found, at = [], data.find(needle, start)
    while at >= 0:
        found.append(at)
        at = data.find(needle, at + 1)
    return found
