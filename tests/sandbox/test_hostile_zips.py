"""Issue 11: zips that lie (about their entries, their sizes) or nest deep cannot stop the class.

Every archive is built here at run time in ``tmp_path``: a normal zip, then its
headers patched the way a hostile student would.
"""

from __future__ import annotations

import bz2
import os
import struct
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_trees import claim_entries, deep_folder, patch_member, scrub, to_zip64
from sandbox_helpers import STUB, make_zip

from grader.sandbox.extract import MAX_DEPTH, ExtractLimits, copy_folder, extract_zip

MiB = 1024 * 1024
GOOD = ("netlings/00_basics/wire.py", STUB)


def codes(result) -> list[str]:
    return [p.code for p in result.problems]


@pytest.fixture
def zipinfos_built(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the ``ZipInfo`` objects made while the test runs (zipfile makes one per entry)."""
    built: list[str] = []
    real_init = zipfile.ZipInfo.__init__

    def counting_init(self, filename="NoName", date_time=(1980, 1, 1, 0, 0, 0)):  # noqa: ANN001, ANN202
        built.append(filename)
        real_init(self, filename, date_time)

    monkeypatch.setattr(zipfile.ZipInfo, "__init__", counting_init)
    yield built


# -- a central directory that lies about its entry count ---------------------------------------


def many_entries(path: Path, count: int) -> Path:
    return make_zip(path, [GOOD, *((f"netlings/junk/{i}.txt", b"") for i in range(count - 1))],
                    compression=zipfile.ZIP_STORED)


def test_the_real_entry_count_is_checked_before_zipfile_parses_them(
        tmp_path: Path, zipinfos_built: list[str]) -> None:
    """The end record claims 1 entry, 200 are inside: refused before a single ZipInfo is made."""
    archive = many_entries(tmp_path / "liar.zip", 200)
    claim_entries(archive, 1)
    with zipfile.ZipFile(archive) as zf:  # zipfile ignores the claim: it parses all 200
        assert len(zf.infolist()) == 200
    zipinfos_built.clear()
    dest = tmp_path / "work" / "src"
    result = extract_zip(archive, dest, ExtractLimits(max_entries=50, max_files=40))
    assert not result.ok and codes(result) == ["too_large"], result.problems
    assert "more than 40 files" in result.problems[0].message
    assert zipinfos_built == [], f"zipfile parsed {len(zipinfos_built)} entries of a refused archive"
    assert not dest.exists()


def test_a_zip64_end_record_that_lies_is_measured_too(tmp_path: Path, zipinfos_built: list[str]) -> None:
    archive = many_entries(tmp_path / "liar64.zip", 200)
    to_zip64(archive, claimed_entries=1, eocd_entries=1)
    with zipfile.ZipFile(archive) as zf:
        assert len(zf.infolist()) == 200, "the crafted zip64 end must be one zipfile reads"
    zipinfos_built.clear()
    result = extract_zip(archive, tmp_path / "dest", ExtractLimits(max_entries=50))
    assert not result.ok and codes(result) == ["too_large"], result.problems
    assert zipinfos_built == []


def test_an_honest_zip64_archive_still_unpacks(tmp_path: Path) -> None:
    archive = many_entries(tmp_path / "honest64.zip", 20)
    to_zip64(archive, claimed_entries=20)
    result = extract_zip(archive, tmp_path / "dest")
    assert result.ok and result.problems == [], result.problems
    assert (tmp_path / "dest" / "netlings/00_basics/wire.py").read_bytes() == STUB
    assert result.files == 20


def test_a_zip64_locator_pointing_elsewhere_is_refused(tmp_path: Path) -> None:
    """A zipfile that believed the locator would read another directory than the one measured."""
    archive = many_entries(tmp_path / "moved64.zip", 20)
    to_zip64(archive, claimed_entries=20)
    data = bytearray(archive.read_bytes())
    locator = data.rfind(b"PK\x06\x07")
    data[locator + 8:locator + 16] = (0).to_bytes(8, "little")
    archive.write_bytes(bytes(data))
    result = extract_zip(archive, tmp_path / "dest")
    assert not result.ok and codes(result) == ["bad_archive"], result.problems


def test_a_central_directory_larger_than_the_bound_is_refused_unread(
        tmp_path: Path, zipinfos_built: list[str]) -> None:
    archive = make_zip(tmp_path / "wide.zip", [GOOD, *((f"netlings/{'n' * 200}{i}.txt", b"")
                                                        for i in range(40))])
    claim_entries(archive, 1)
    zipinfos_built.clear()
    result = extract_zip(archive, tmp_path / "dest", ExtractLimits(max_central_directory_bytes=4096))
    assert not result.ok and codes(result) == ["too_large"], result.problems
    assert "table of contents" in result.problems[0].message and "4 KiB" in result.problems[0].message
    assert zipinfos_built == []


def test_a_truncated_central_directory_is_a_clear_problem(tmp_path: Path) -> None:
    archive = many_entries(tmp_path / "cut.zip", 5)
    data = bytearray(archive.read_bytes())
    first = data.find(b"PK\x01\x02")
    data[first:first + 4] = b"XX\x01\x02"
    archive.write_bytes(bytes(data))
    result = extract_zip(archive, tmp_path / "dest")
    assert not result.ok and codes(result) == ["bad_archive"], result.problems
    assert "not a readable zip file" in result.problems[0].message


# -- sizes a header lies about -----------------------------------------------------------------


def test_an_inflated_compressed_size_does_not_hide_a_bomb(tmp_path: Path) -> None:
    """5 MiB of zeros deflate to 5 KiB; headers claiming 5 MiB compressed made the ratio 1.

    The claim needs 5 MiB of bytes behind the member to read through; one padding
    serves any number of such bombs, so the ratio is taken against the bytes up to
    the next member.
    """
    zeros = b"\0" * (5 * MiB)
    archive = make_zip(tmp_path / "bomb.zip", [("netlings/zeros1.bin", zeros), ("netlings/zeros2.bin", zeros),
                                               GOOD, ("netlings/pad.bin", os.urandom(6 * MiB))])
    patch_member(archive, compress_size=5 * MiB, index=0)
    patch_member(archive, compress_size=5 * MiB, index=1)
    result = extract_zip(archive, tmp_path / "dest", ExtractLimits(ratio_min_bytes=1 * MiB, max_ratio=100))
    assert not result.ok and codes(result) == ["too_large"], result.problems
    assert "zip bomb" in result.problems[0].message
    assert not (tmp_path / "dest").exists()


def peak_memory(run) -> tuple[object, int]:  # noqa: ANN001
    tracemalloc.start()
    try:
        value = run()
        return value, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def zeros_bz2(size: int) -> bytes:
    """``size`` bytes of zeros as one bzip2 stream (64 MiB → about a hundred bytes), made in chunks."""
    compressor = bz2.BZ2Compressor(9)
    chunk = b"\0" * MiB
    stream = b"".join(compressor.compress(chunk) for _ in range(size // MiB))
    return stream + compressor.flush()


def append_raw_member(path: Path, name: str, raw: bytes, method: int, file_size: int) -> None:
    """Append a member whose compressed bytes are ``raw`` and whose headers claim ``file_size``.

    zipfile cannot write such a member itself: it compresses what it is given and
    records the true size.
    """
    data = path.read_bytes()
    at = data.rfind(b"PK\x05\x06")
    _sig, _d, _dcd, here, total, size, offset, _c = struct.unpack_from("<4s4H2LH", data, at)
    members, directory = data[:offset], data[offset:offset + size]
    encoded = name.encode()
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 46, 0, method, 0, 0x21, 0, len(raw), file_size,
                        len(encoded), 0)
    central = struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 46, 3, 46, 0, 0, method, 0, 0x21, 0, len(raw),
                          file_size, len(encoded), 0, 0, 0, 0, 0o100644 << 16, len(members))
    members += local + encoded + raw
    directory += central + encoded
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, here + 1, total + 1, len(directory), len(members), 0)
    path.write_bytes(members + directory + end)


def test_a_bzip2_member_whose_header_says_0_bytes_does_not_blow_up_memory(tmp_path: Path) -> None:
    """zipfile decompresses bzip2 without an output bound: 785 bytes become 1 GiB in one call.

    The header claims 0 bytes, so no size or ratio check saw anything to stop.
    """
    archive = make_zip(tmp_path / "bz.zip", [GOOD])
    append_raw_member(archive, "netlings/zeros.bin", zeros_bz2(64 * MiB), zipfile.ZIP_BZIP2, file_size=0)
    with zipfile.ZipFile(archive) as zf:
        assert [i.file_size for i in zf.infolist()] == [len(STUB), 0]
    result, peak = peak_memory(lambda: extract_zip(archive, tmp_path / "dest"))
    assert peak < 16 * MiB, f"unpacking used {peak // MiB} MiB"
    assert result.ok, result.problems
    assert codes(result) == ["unsafe_member"] and "bzip2" in result.problems[0].message
    assert not (tmp_path / "dest" / "netlings/zeros.bin").exists()
    assert (tmp_path / "dest" / "netlings/00_basics/wire.py").read_bytes() == STUB


def test_a_deflate_member_whose_header_says_0_bytes_writes_nothing_big(tmp_path: Path) -> None:
    """Regression guard: zipfile stops a Deflate member at its declared size, and so do the caps."""
    archive = make_zip(tmp_path / "zero.zip", [("netlings/zeros.bin", b"\0" * (20 * MiB)), GOOD])
    patch_member(archive, file_size=0)
    limits = ExtractLimits(max_total_bytes=1 * MiB)
    result, peak = peak_memory(lambda: extract_zip(archive, tmp_path / "dest", limits))
    assert peak < 8 * MiB
    assert result.bytes <= 1 * MiB
    if result.ok:
        assert (tmp_path / "dest" / "netlings/zeros.bin").stat().st_size == 0
    else:  # zipfile noticed the CRC of what it read does not match
        assert codes(result) == ["bad_archive"]


# -- paths too deep ----------------------------------------------------------------------------


def test_a_member_1000_folders_deep_is_refused_with_a_problem(tmp_path: Path) -> None:
    deep = "d/" * 1000 + "f.txt"
    archive = make_zip(tmp_path / "deep.zip", [GOOD, (deep, b"x"), ("a/" * MAX_DEPTH + "ok.txt", b"y")])
    dest = tmp_path / "dest"
    result = extract_zip(archive, dest)
    assert result.ok and codes(result) == ["unsafe_member"], result.problems
    [item] = result.problems
    assert "1000 folders deep" in item.message and f"limit of {MAX_DEPTH}" in item.message
    assert len(item.message) < 400, "a hostile path is shortened in the sentence"
    assert not (dest / "d").exists()
    assert dest.joinpath(*["a"] * MAX_DEPTH, "ok.txt").read_bytes() == b"y", "the limit itself is allowed"


@pytest.fixture
def deep_tmp(tmp_path: Path) -> Iterator[Path]:
    """``tmp_path``, emptied afterwards by our remover (pytest's would hit RecursionError at exit)."""
    yield tmp_path
    scrub(tmp_path)


def test_a_folder_submission_1000_deep_is_copied_only_to_the_limit(deep_tmp: Path) -> None:
    tmp_path = deep_tmp
    sub = tmp_path / "alice"
    (sub / "00_basics").mkdir(parents=True)
    (sub / "00_basics" / "wire.py").write_bytes(STUB)
    deep_folder(sub / "deep", 1000, file_every=100)
    result = copy_folder(sub, tmp_path / "dest")
    assert result.ok and codes(result) == ["unsafe_member"], result.problems
    assert f"more than {MAX_DEPTH} folders deep" in result.problems[0].message
    assert (tmp_path / "dest" / "00_basics" / "wire.py").read_bytes() == STUB
    assert not (tmp_path / "dest" / "deep").exists(), "its first file lies 101 folders deep"
    shallow = copy_folder(sub, tmp_path / "dest2", ExtractLimits(max_depth=250))
    assert shallow.ok and sorted(len(p.relative_to(tmp_path / "dest2").parts)
                                 for p in (tmp_path / "dest2").rglob("f")) == [102, 202]


def test_thousands_of_bad_members_make_a_bounded_list_of_problems(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "noisy.zip", [GOOD, *((f"../evil{i}.txt", b"") for i in range(500))],
                       compression=zipfile.ZIP_STORED)
    result = extract_zip(archive, tmp_path / "dest", ExtractLimits(max_problems=20))
    assert result.ok
    assert codes(result) == ["unsafe_member"] * 20 + ["more_problems"]
    assert "480 more files" in result.problems[-1].message


@pytest.mark.skipif(os.name != "posix", reason="the message text is the same everywhere; one run is enough")
def test_the_new_sentences_exist_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETLINGS_LANG", "zh")
    archive = make_zip(tmp_path / "deep.zip", [GOOD, ("d/" * 40 + "f.txt", b"x")])
    result = extract_zip(archive, tmp_path / "dest")
    assert "层" in result.problems[0].message
