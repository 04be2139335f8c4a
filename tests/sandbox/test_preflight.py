"""Pre-flight: modules decode and compile; stdlib shadowing and student config are reported, never used."""

from __future__ import annotations

from pathlib import Path

from sandbox_helpers import STUB

from grader.sandbox.preflight import check_encoding, preflight
from grader.sandbox.prepare import prepare_submission

MODULES = ["00_basics/wire.py", "01_udp/udp_server.py"]


def tree(tmp_path: Path, files: dict[str, bytes]) -> Path:
    base = tmp_path / "sub"
    for rel, data in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return base


def test_a_syntax_error_is_a_problem_with_line_and_caret(tmp_path: Path) -> None:
    broken = b"x = 1\n\ndef serve(:\n    pass\n"
    base = tree(tmp_path, {"00_basics/wire.py": STUB, "01_udp/udp_server.py": broken})
    result = preflight(base, MODULES)
    assert result.present == MODULES
    [problem] = result.problems
    assert (problem.code, problem.path) == ("syntax", "01_udp/udp_server.py")
    assert "does not compile: SyntaxError" in problem.message and "(line 3)" in problem.message
    assert "def serve(:" in problem.message and "^" in problem.message


def test_latin1_with_a_coding_cookie_is_valid_python(tmp_path: Path) -> None:
    source = "# -*- coding: latin-1 -*-\nNAME = 'café'\n".encode("latin-1")
    assert b"\xe9" in source
    base = tree(tmp_path, {"00_basics/wire.py": source, "01_udp/udp_server.py": STUB})
    assert preflight(base, MODULES).problems == []


def test_a_utf8_bom_is_fine(tmp_path: Path) -> None:
    assert check_encoding(b"\xef\xbb\xbfx = '\xe4\xbd\xa0'\n", "m.py") is None


def test_invalid_bytes_without_a_cookie_are_an_encoding_problem(tmp_path: Path) -> None:
    gbk = "# 服务器\nprint('你好')\n".encode("gbk")
    base = tree(tmp_path, {"00_basics/wire.py": b"x = 1\ny = '\xe9t\xe9'\n", "01_udp/udp_server.py": gbk})
    problems = {p.path: p for p in preflight(base, MODULES).problems}
    assert set(problems) == set(MODULES)
    wire = problems["00_basics/wire.py"]
    assert wire.code == "encoding"
    assert "not valid UTF-8 (byte 0xe9 on line 2)" in wire.message and "save it as UTF-8" in wire.message
    assert problems["01_udp/udp_server.py"].code == "encoding", "GBK source without a cookie"


def test_an_unknown_coding_cookie_is_an_encoding_problem() -> None:
    problem = check_encoding(b"# coding: klingon\nx = 1\n", "m.py")
    assert problem is not None and problem.code == "encoding" and "klingon" in problem.message


def test_null_bytes_are_a_compile_problem(tmp_path: Path) -> None:
    base = tree(tmp_path, {"00_basics/wire.py": b"x = 1\0\n", "01_udp/udp_server.py": STUB})
    [problem] = preflight(base, MODULES).problems
    assert problem.code == "syntax" and "null" in problem.message


def test_stdlib_shadowing_is_reported_and_the_file_is_not_copied(tmp_path: Path) -> None:
    base = tree(tmp_path, {
        "00_basics/wire.py": STUB,
        "01_udp/udp_server.py": STUB,
        "01_udp/socket.py": b"def socket(*a): return 'fake'\n",
        "email/__init__.py": b"",
        "test.py": b"",  # innocent: the stdlib `test` package is not used by anyone
        "01_udp/helpers.py": b"",
    })
    problems = preflight(base, MODULES).problems
    assert sorted((p.code, p.path) for p in problems) == [
        ("shadows_stdlib", "01_udp/socket.py"), ("shadows_stdlib", "email")]
    socket_problem = next(p for p in problems if p.path == "01_udp/socket.py")
    assert "`import socket` loads your file" in socket_problem.message
    prepared = prepare_submission(base, tmp_path / "work", modules=MODULES)
    assert not (prepared.root / "01_udp" / "socket.py").exists()
    assert not (prepared.root / "email").exists()


def test_student_pytest_config_is_ignored_and_not_copied(tmp_path: Path) -> None:
    base = tree(tmp_path, {
        "00_basics/wire.py": STUB,
        "01_udp/udp_server.py": STUB,
        "conftest.py": b"import pytest\n@pytest.hookimpl\ndef pytest_runtest_makereport(): ...\n",
        "01_udp/conftest.py": b"",
        "pytest.ini": b"[pytest]\naddopts = -p no:netlings\n",
        "pyproject.toml": b"",
        "sitecustomize.py": b"import os\n",
        "01_udp/test_udp_server.py": b"def test_x(): assert True\n",
    })
    prepared = prepare_submission(base, tmp_path / "work", modules=MODULES)
    ignored = sorted(p.path for p in prepared.problems if p.code == "ignored")
    assert ignored == ["01_udp/conftest.py", "conftest.py", "pyproject.toml", "pytest.ini",
                       "sitecustomize.py"]
    assert "was ignored" in prepared.problems[0].message
    copied = sorted(str(p.relative_to(prepared.root)) for p in prepared.root.rglob("*") if p.is_file())
    assert copied == MODULES, "only contract modules reach the clean root"
