"""Hostile submissions are unpacked without writing, reading or filling anything outside the work dir."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from sandbox_helpers import STUB, make_zip, patch_name, snapshot, symlink_member

from grader.sandbox.extract import ExtractLimits, copy_folder, extract_zip, member_parts
from grader.sandbox.prepare import prepare_submission

GOOD = ("netlings/00_basics/wire.py", STUB)


def unpack(tmp_path: Path, archive: Path, limits: ExtractLimits | None = None):
    """Extract into tmp_path/work/src and check that nothing else under tmp_path changed."""
    before = snapshot(tmp_path)
    dest = tmp_path / "work" / "src"
    result = extract_zip(archive, dest, limits)
    after = snapshot(tmp_path, skip=tmp_path / "work")
    assert after - {"work"} == before, f"files appeared outside the work dir: {after - before}"
    return result, dest


def codes(result) -> list[str]:
    return [p.code for p in result.problems]


@pytest.mark.parametrize("name", [
    "../evil.txt",
    "netlings/../../evil.txt",
    "a\\..\\..\\evil.txt",
    "/tmp/netlings-evil-absolute.txt",
    "C:/evil.txt",
    "\\\\server\\share\\evil.txt",
])
def test_members_escaping_the_folder_are_skipped_with_a_problem(tmp_path: Path, name: str) -> None:
    archive = make_zip(tmp_path / "sub.zip", [(name, b"pwned"), GOOD])
    result, dest = unpack(tmp_path, archive)
    assert result.ok, "one bad member must not sink the submission"
    assert codes(result) == ["unsafe_member"], result.problems
    assert "outside the submission" in result.problems[0].message
    assert not Path("/tmp/netlings-evil-absolute.txt").exists()
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "work" / "evil.txt").exists()
    assert (dest / "netlings/00_basics/wire.py").read_bytes() == STUB


def test_member_path_normalisation() -> None:
    assert member_parts("a\\b/./c.py") == ("a", "b", "c.py")
    assert member_parts("a/../b") is None
    assert member_parts("/etc/passwd") is None
    assert member_parts("D:\\x") is None


def test_symlink_members_are_never_created_nor_followed(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "sub.zip", [
        symlink_member("netlings/00_basics/wire.py", "/etc/passwd"),
        symlink_member("netlings/escape", str(tmp_path)),
        ("netlings/escape/evil.txt", b"pwned"),  # would land in tmp_path if the link existed
        ("netlings/01_udp/udp_server.py", STUB),
    ])
    result, dest = unpack(tmp_path, archive)
    assert result.ok
    assert codes(result) == ["unsafe_member", "unsafe_member"], result.problems
    assert all("symbolic link" in p.message for p in result.problems)
    links = [p for p in dest.rglob("*") if p.is_symlink()]
    assert links == [], f"symlinks were created: {links}"
    assert not (dest / "netlings/00_basics/wire.py").exists()
    assert (dest / "netlings/escape/evil.txt").is_file(), "the member went into a real folder of ours"
    assert not (tmp_path / "evil.txt").exists()


def test_a_zip_bomb_is_refused_by_its_ratio(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "bomb.zip", [GOOD, ("netlings/zeros.bin", b"\0" * (5 * 1024 * 1024))])
    limits = ExtractLimits(ratio_min_bytes=1024 * 1024, max_ratio=100)
    result, dest = unpack(tmp_path, archive, limits)
    assert not result.ok and codes(result) == ["too_large"]
    assert "zip bomb" in result.problems[0].message
    assert not dest.exists(), "a refused submission leaves nothing behind"


def test_too_large_in_total_is_refused(tmp_path: Path) -> None:
    members = [(f"netlings/blob{i}.bin", os.urandom(300 * 1024)) for i in range(4)]
    archive = make_zip(tmp_path / "big.zip", [GOOD, *members])
    result, dest = unpack(tmp_path, archive, ExtractLimits(max_total_bytes=1024 * 1024))
    assert not result.ok and codes(result) == ["too_large"]
    assert "more than 1 MiB" in result.problems[0].message
    assert not dest.exists()


def test_a_single_oversized_file_is_skipped_not_fatal(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "sub.zip", [GOOD, ("netlings/video.mp4", os.urandom(200 * 1024))])
    result, dest = unpack(tmp_path, archive, ExtractLimits(max_file_bytes=100 * 1024))
    assert result.ok and codes(result) == ["too_large"]
    assert "larger than 100 KiB" in result.problems[0].message
    assert not (dest / "netlings/video.mp4").exists()


def test_too_many_files_is_refused(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "many.zip", [(f"netlings/f{i}.txt", b"x") for i in range(11)])
    result, dest = unpack(tmp_path, archive, ExtractLimits(max_files=10))
    assert not result.ok and codes(result) == ["too_large"]
    assert "more than 10 files" in result.problems[0].message
    assert not dest.exists()


def test_junk_folders_and_virtualenvs_do_not_count(tmp_path: Path) -> None:
    junk = [(f"netlings/.git/objects/{i}", b"x") for i in range(20)]
    venv = [("netlings/myenv/pyvenv.cfg", b"home = /usr")] + [(f"netlings/myenv/lib/m{i}.py", b"x")
                                                               for i in range(20)]
    archive = make_zip(tmp_path / "sub.zip", [GOOD, *junk, *venv, ("__MACOSX/._wire.py", b"x")])
    result, dest = unpack(tmp_path, archive, ExtractLimits(max_files=5))
    assert result.ok and result.problems == [] and result.files == 1
    assert not (dest / "netlings/.git").exists() and not (dest / "netlings/myenv").exists()


def test_a_non_utf8_name_is_skipped_with_a_problem(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "sub.zip", [GOOD, ("netlings/XXX.py", b"x = 1\n")])
    patch_name(archive, b"netlings/XXX.py", b"netlings/\xff\xfe\xfd.py")
    result, dest = unpack(tmp_path, archive)
    assert result.ok and codes(result) == ["bad_name"], result.problems
    assert "neither UTF-8 nor GBK" in result.problems[0].message
    assert "\\xff" in result.problems[0].path
    assert sorted(p.name for p in (dest / "netlings").iterdir()) == ["00_basics"]


def test_gbk_names_from_chinese_windows_are_understood(tmp_path: Path) -> None:
    folder = "作业".encode("gbk")  # 4 bytes
    archive = make_zip(tmp_path / "sub.zip", [("ABCD/00_basics/wire.py", STUB)])
    patch_name(archive, b"ABCD/00_basics/wire.py", folder + b"/00_basics/wire.py")
    result, dest = unpack(tmp_path, archive)
    assert result.ok and result.problems == []
    assert (dest / "作业" / "00_basics" / "wire.py").read_bytes() == STUB


def test_duplicate_members_keep_the_first(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="Duplicate name"):
        archive = make_zip(tmp_path / "sub.zip", [GOOD, ("netlings/00_basics/wire.py", b"evil = 1\n")])
    result, dest = unpack(tmp_path, archive)
    assert codes(result) == ["unsafe_member"] and "twice" in result.problems[0].message
    assert (dest / "netlings/00_basics/wire.py").read_bytes() == STUB


def test_a_corrupt_zip_is_a_clear_problem(tmp_path: Path) -> None:
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"PK\x03\x04 this is not really a zip")
    result, dest = unpack(tmp_path, archive)
    assert not result.ok and codes(result) == ["bad_archive"]
    assert "not a readable zip file" in result.problems[0].message


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_folder_with_links_to_system_files_is_copied_without_following_them(tmp_path: Path) -> None:
    sub = tmp_path / "alice"
    (sub / "00_basics").mkdir(parents=True)
    (sub / "00_basics" / "wire.py").write_bytes(STUB)
    (sub / "01_udp").mkdir()
    try:
        os.symlink("/etc/passwd", sub / "01_udp" / "udp_server.py")
        os.symlink("/etc", sub / "etc_dir", target_is_directory=True)
        os.symlink("/etc/passwd", sub / "passwd")
    except OSError:
        pytest.skip("symlinks not permitted here")
    dest = tmp_path / "work" / "src"
    result = copy_folder(sub, dest)
    assert result.ok
    assert sorted(p.path for p in result.problems) == ["01_udp/udp_server.py", "etc_dir", "passwd"]
    assert {p.code for p in result.problems} == {"unsafe_member"}
    copied = sorted(str(p.relative_to(dest)) for p in dest.rglob("*"))
    assert copied == ["00_basics", "00_basics/wire.py"], copied
    assert not any(p.is_symlink() for p in dest.rglob("*"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_a_folder_is_skipped_instead_of_blocking(tmp_path: Path) -> None:
    sub = tmp_path / "bob"
    sub.mkdir()
    (sub / "wire.py").write_bytes(STUB)
    os.mkfifo(sub / "pipe")
    result = copy_folder(sub, tmp_path / "dest")
    assert result.ok and [(p.code, p.path) for p in result.problems] == [("unsafe_member", "pipe")]
    assert "not a regular file" in result.problems[0].message


def test_prepare_reports_extraction_problems_and_refuses_bombs(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "mallory.zip", [
        ("../evil.txt", b"x"),
        ("netlings/00_basics/wire.py", STUB),
        ("netlings/zeros.bin", b"\0" * (2 * 1024 * 1024)),
    ])
    prepared = prepare_submission(archive, tmp_path / "work",
                                  limits=ExtractLimits(ratio_min_bytes=1024 * 1024))
    assert prepared.student == "mallory"
    assert prepared.root is None and not prepared.ok
    assert prepared.problem_codes() == ["unsafe_member", "too_large"]
    assert not (tmp_path / "work" / "src").exists() and not (tmp_path / "work" / "exercises").exists()


def test_zipinfo_sizes_are_not_trusted(tmp_path: Path) -> None:
    """A header that claims a tiny size while the data is large must not get past the caps."""
    archive = make_zip(tmp_path / "liar.zip", [("netlings/a.bin", b"\0" * (3 * 1024 * 1024))],
                       compression=zipfile.ZIP_STORED)
    result, dest = unpack(tmp_path, archive, ExtractLimits(max_total_bytes=1024 * 1024,
                                                         max_file_bytes=10 * 1024 * 1024))
    assert not result.ok and codes(result) == ["too_large"]
