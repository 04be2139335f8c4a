"""The curriculum's single sources of truth: solutions, generated stubs and the manifest.

Why these tests: students start from the stubs, graders score against the manifest,
and both are only trustworthy if they agree with the reference solutions. So the
committed stubs must be exactly what ``netlings build`` generates, every stub must
keep its solution's signatures and docstrings, carry its TODOs and fail at once,
and the pure reference functions must really be correct.
"""

from __future__ import annotations

import ast
import base64
import importlib.util
import inspect
import re
import socket
import sys
import textwrap
import types
from collections.abc import Callable
from email import policy
from pathlib import Path
from typing import Any

import pytest

from grader.curriculum import load_manifest
from grader.curriculum.build import (
    HEADER,
    NOT_IMPLEMENTED,
    STUBS_INDEX,
    StubError,
    build_all,
    build_stub,
    main,
    not_implemented_message,
    read_stubs_index,
    solution_files,
    text_digest,
)
from grader.curriculum.manifest import REPO_ROOT, parse_manifest, tomllib

SOLUTIONS = REPO_ROOT / "solutions"
EXERCISES = REPO_ROOT / "exercises"
MANIFEST = load_manifest()
EXERCISE_IDS = [exercise.id for exercise in MANIFEST.exercises]
UNITS = ["00_basics", "01_udp", "02_tcp", "03_ftp", "04_smtp", "05_pop3"]


def load_module(path: Path) -> types.ModuleType:
    """Import a file under a unique name (stubs and solutions share module names)."""
    name = "netlings_test_" + "_".join(path.relative_to(REPO_ROOT).with_suffix("").parts)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, f"cannot import {path}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def solution(relative: str) -> types.ModuleType:
    return load_module(SOLUTIONS / relative)


def public_functions(module: types.ModuleType) -> dict[str, Callable[..., Any]]:
    return {
        name: obj
        for name, obj in vars(module).items()
        if inspect.isfunction(obj) and obj.__module__ == module.__name__ and not name.startswith("_")
    }


# -- drift: committed stubs are what the builder generates -----------------------------------


def test_committed_stubs_match_the_solutions() -> None:
    stale = build_all(SOLUTIONS, EXERCISES, check=True)
    assert stale == [], (
        f"these stubs differ from what solutions/ generates: {[str(p) for p in stale]}; "
        "run `netlings build` (or `python -m grader.curriculum.build`) and commit the result"
    )


def test_the_stubs_index_records_every_committed_stub() -> None:
    index = read_stubs_index(EXERCISES)
    assert sorted(index) == sorted(e.path for e in MANIFEST.exercises), "one entry per exercise"
    for path, text in index.items():
        assert text == (EXERCISES / path).read_text(encoding="utf-8"), f"{path}: index differs from the stub"


def test_text_digest_ignores_line_endings_only() -> None:
    assert text_digest("a\nb\n") == text_digest("a\r\nb\r\n"), "a CRLF checkout is still the stub"
    assert text_digest("a\nb\n") != text_digest("a\nb \n"), "any other change counts"


def test_a_broken_stubs_index_is_named(tmp_path: Path) -> None:
    assert read_stubs_index(tmp_path) == {}, "no index: nothing recorded"
    (tmp_path / STUBS_INDEX).write_text('{"format_version": 99}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a stubs index"):
        read_stubs_index(tmp_path)


def test_every_solution_module_is_in_the_manifest() -> None:
    built = {path.relative_to(SOLUTIONS).as_posix() for path in solution_files(SOLUTIONS)}
    listed = {exercise.path for exercise in MANIFEST.exercises}
    assert built == listed, (
        f"solutions without a manifest entry: {built - listed}; entries without: {listed - built}"
    )


def test_units_are_in_course_order() -> None:
    assert [unit.id for unit in MANIFEST.units] == UNITS, "the six units, in the order students do them"


# -- every stub: compiles, same API as its solution, TODOs, fails at once ---------------------


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_stub_keeps_the_solution_api(exercise_id: str) -> None:
    exercise = MANIFEST.exercise(exercise_id)
    stub_path, solution_path = EXERCISES / exercise.path, SOLUTIONS / exercise.path
    source = stub_path.read_text(encoding="utf-8")
    compile(source, str(stub_path), "exec")  # a SyntaxError here names the file and line
    assert source.startswith(HEADER.format(unit=exercise.unit, module=exercise.module)), (
        f"{stub_path} must start with the generated-stub header line"
    )
    stub, sol = load_module(stub_path), load_module(solution_path)
    assert stub.__doc__ and stub.__doc__ == sol.__doc__, f"{exercise.path}: module docstring differs"
    stub_functions, sol_functions = public_functions(stub), public_functions(sol)
    assert set(stub_functions) == set(sol_functions), f"{exercise.path}: not the same functions"
    assert set(exercise.functions) == set(sol_functions), (
        f"{exercise.path}: manifest {exercise.functions} != solution {sorted(sol_functions)}"
    )
    for name in exercise.functions:
        stub_fn, sol_fn = stub_functions[name], sol_functions[name]
        assert inspect.signature(stub_fn) == inspect.signature(sol_fn), f"{exercise.path}: {name}() signature"
        assert sol_fn.__doc__ and len(sol_fn.__doc__) > 40, (
            f"{exercise.path}: {name}() needs a real docstring"
        )
        assert stub_fn.__doc__ == sol_fn.__doc__, f"{exercise.path}: {name}() docstring differs"


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_every_stub_function_has_todos(exercise_id: str) -> None:
    exercise = MANIFEST.exercise(exercise_id)
    path = EXERCISES / exercise.path
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    functions = [node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)]
    assert {f.name for f in functions} >= set(exercise.functions), f"{exercise.path}: functions missing"
    for node in functions:
        body = lines[node.lineno - 1 : node.end_lineno]
        todos = [line for line in body if line.strip().startswith("# TODO:")]
        assert todos, f"{exercise.path}: {node.name}() has no '# TODO:' step"
    assert "# STEP:" not in source, f"{exercise.path}: a STEP comment leaked into the stub"


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_every_stub_function_raises_not_implemented_at_once(exercise_id: str) -> None:
    exercise = MANIFEST.exercise(exercise_id)
    stub = load_module(EXERCISES / exercise.path)
    for name in exercise.functions:
        function = getattr(stub, name)
        dummies = {
            p.name: None
            for p in inspect.signature(function).parameters.values()
            if p.default is inspect.Parameter.empty
        }
        with pytest.raises(NotImplementedError) as caught:
            function(**dummies)
        expected = not_implemented_message(name, unit=exercise.unit, module=exercise.module)
        assert str(caught.value) == expected, f"{exercise.path}: {name}() raised {caught.value!r}"
        assert str(caught.value).startswith(NOT_IMPLEMENTED)


def test_solutions_have_one_solution_block_per_function() -> None:
    for path in solution_files(SOLUTIONS):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        lines = source.splitlines()
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                body = lines[node.lineno - 1 : node.end_lineno]
                assert sum(line.strip() == "### BEGIN SOLUTION" for line in body) == 1, (
                    f"{path.name}: {node.name}() needs exactly one solution block"
                )


# -- the manifest ---------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_manifest_entry_is_complete(exercise_id: str) -> None:
    exercise = MANIFEST.exercise(exercise_id)
    assert (SOLUTIONS / exercise.path).is_file(), f"no solution for {exercise.path}"
    assert (EXERCISES / exercise.path).is_file(), f"no stub for {exercise.path}"
    assert exercise.id == exercise.module, f"{exercise.path}: id should be the module name"
    assert exercise.points > 0
    assert len(exercise.hints) == 3 and len(exercise.hints_zh) == 3, f"{exercise.id}: 3 hint steps, en and zh"
    cjk = re.compile(r"[\u4e00-\u9fff]")
    assert all(cjk.search(hint) for hint in exercise.hints_zh), f"{exercise.id}: hints_zh must be Chinese"
    assert cjk.search(exercise.title_zh), f"{exercise.id}: title_zh must be Chinese"
    assert "?" in exercise.hints[0], f"{exercise.id}: the first hint is a nudge (a question)"
    assert "https://docs.python.org/" in exercise.hints[2], f"{exercise.id}: the last hint links the docs"


def test_manifest_lookup_by_id_or_path() -> None:
    by_id = MANIFEST.exercise("udp_server")
    assert MANIFEST.exercise("01_udp/udp_server.py") is by_id
    assert MANIFEST.exercise("exercises/01_udp/udp_server.py") is by_id
    assert MANIFEST.exercise("01_udp\\udp_server") is by_id
    assert by_id.unit == "01_udp" and by_id.functions == ("make_udp_socket", "serve_once", "serve")
    with pytest.raises(KeyError, match="no exercise 'nope'"):
        MANIFEST.exercise("nope")
    assert MANIFEST.unit("03_ftp").exercises[0].id == "ftp_client"
    assert MANIFEST.total_points == 100


def _raw_manifest() -> dict[str, Any]:
    with (EXERCISES / "netlings.toml").open("rb") as f:
        return tomllib.load(f)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["units"][1]["exercises"][0].update(hint=["x"]),
            r"units\[1\]\.exercises\[0\]: unknown key.*hint",
        ),
        (
            lambda d: d["units"][2]["exercises"][1].pop("points"),
            r"units\[2\]\.exercises\[1\]: missing key.*points",
        ),
        (lambda d: d["units"][0].update(colour="red"), r"units\[0\]: unknown key.*colour"),
        (lambda d: d.update(format_version=2), r"format_version: expected 1"),
        (lambda d: d["units"][0]["exercises"][0].update(points=0), r"points: expected a positive integer"),
        (lambda d: d["units"][0]["exercises"][0].update(points=True), r"points: expected a positive integer"),
        (
            lambda d: d["units"][0]["exercises"][0].update(path="01_udp/wire.py"),
            r"path: expected '00_basics/",
        ),
        (lambda d: d["units"][0]["exercises"][0].update(functions=["ok", "not a name"]), r"not Python names"),
        (lambda d: d["units"][0]["exercises"][0].update(hints_zh=["一", "二"]), r"3 hints but 2 hints_zh"),
        (
            lambda d: d["units"][1]["exercises"][1].update(id="udp_server"),
            r"duplicate exercise id.*udp_server",
        ),
        (lambda d: d["units"][3].update(title=""), r"units\[3\]\.title: expected a non-empty string"),
    ],
)
def test_manifest_validation_errors_name_the_place(
    change: Callable[[dict[str, Any]], Any], message: str
) -> None:
    data = _raw_manifest()
    change(data)
    with pytest.raises(ValueError, match=message):
        parse_manifest(data)


def test_load_manifest_names_the_file_on_error(tmp_path: Path) -> None:
    bad = tmp_path / "netlings.toml"
    bad.write_text("format_version = 1\nunits = [", encoding="utf-8")
    with pytest.raises(ValueError, match="netlings.toml: invalid TOML"):
        load_manifest(bad)
    bad.write_text("format_version = 1\n[[units]]\nid = 'x'\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"netlings.toml: units\[0\]: missing key"):
        load_manifest(bad)


@pytest.mark.parametrize("unit", UNITS)
def test_unit_readme(unit: str) -> None:
    readme = (EXERCISES / unit / "README.md").read_text(encoding="utf-8")
    assert f"pytest exercises/{unit}" in readme, f"{unit}/README.md must say how to run its tests"
    assert "--netlings-root" not in readme, f"{unit}/README.md: the reference root is for instructors only"
    assert "https://docs.python.org/3/library/" in readme, f"{unit}/README.md must link the Python docs"


# -- the stub builder -----------------------------------------------------------------------

SMALL = textwrap.dedent(
    '''\
    """Module docstring."""

    import socket


    class Server:
        def handle(self, conn: socket.socket) -> str:
            """Handle one client."""
            ### BEGIN SOLUTION
            try:
                # STEP: recv — read until b""
                data = conn.recv(10)
            finally:
                    # STEP: close — the connection
                conn.close()
            return data.decode()
            ### END SOLUTION


    def outer(x: int) -> int:
        """Outer."""

        def inner(y: int) -> int:
            ### BEGIN SOLUTION
            # STEP: double
            return 2 * y
            ### END SOLUTION

        ### BEGIN SOLUTION
        # STEP: call inner
        return inner(x)
        ### END SOLUTION
    '''
)


def test_build_stub_replaces_blocks_and_keeps_the_rest() -> None:
    stub = build_stub(SMALL, unit="09_demo", module="demo")
    assert stub.splitlines()[0] == HEADER.format(unit="09_demo", module="demo").rstrip("\n")
    body = stub.split("\n", 1)[1]
    assert body.startswith('"""Module docstring."""\n\nimport socket\n'), "text outside blocks is verbatim"
    assert "    def handle(self, conn: socket.socket) -> str:\n" in body
    assert (
        '        """Handle one client."""\n'
        '        # TODO: recv — read until b""\n'
        "        # TODO: close — the connection\n"
        '        raise NotImplementedError("not implemented yet: 09_demo/demo.py: handle()")\n'
    ) in body, "TODOs at the block's indentation, then the raise naming the method"
    raise_inner = 'raise NotImplementedError("not implemented yet: 09_demo/demo.py: inner()")'
    assert f"        # TODO: double\n        {raise_inner}\n" in body, "a nested function names itself"
    raise_outer = 'raise NotImplementedError("not implemented yet: 09_demo/demo.py: outer()")'
    assert f"    # TODO: call inner\n    {raise_outer}\n" in body, (
        "a block after a nested def names the outer"
    )
    for gone in ("### BEGIN", "### END", "# STEP", "conn.recv", "return 2 * y", "return inner(x)"):
        assert gone not in body, f"{gone!r} must not survive in the stub"
    compile(stub, "demo.py", "exec")


def test_build_stub_functions_raise_at_once() -> None:
    namespace: dict[str, Any] = {}
    exec(compile(build_stub(SMALL), "demo.py", "exec"), namespace)
    with pytest.raises(NotImplementedError, match=r"^not implemented yet: outer\(\)$"):
        namespace["outer"](1)
    with pytest.raises(NotImplementedError, match=r"^not implemented yet: handle\(\)$"):
        namespace["Server"]().handle(None)


def test_build_stub_without_names_has_no_header() -> None:
    assert not build_stub(SMALL).startswith("#"), "the header needs unit and module"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "def f():\n    ### BEGIN SOLUTION\n    # STEP: x\n    return 1\n",
            r"line 2: ### BEGIN SOLUTION without ### END",
        ),
        ("def f():\n    return 1\n    ### END SOLUTION\n", r"line 3: ### END SOLUTION without ### BEGIN"),
        ("### BEGIN SOLUTION\n# STEP: x\nX = 1\n### END SOLUTION\n", r"line 1: .* not inside a function"),
        ("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n", r"f\(\) has no '# STEP:'"),
        (
            "def f():\n    ### BEGIN SOLUTION\n    # STEP: a\n    ### BEGIN SOLUTION\n    ### END SOLUTION\n",
            r"line 4: .* inside the block opened on line 2",
        ),
    ],
)
def test_build_stub_rejects_broken_markers(source: str, message: str) -> None:
    with pytest.raises(StubError, match=message):
        build_stub(source)
    assert issubclass(StubError, ValueError)


def test_build_all_writes_checks_and_is_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    solutions, exercises = tmp_path / "solutions", tmp_path / "exercises"
    (solutions / "09_demo").mkdir(parents=True)
    (solutions / "09_demo" / "demo.py").write_text(SMALL, encoding="utf-8")
    (solutions / "09_demo" / "notes.py").write_text("X = 1\n", encoding="utf-8")  # no block: not a solution
    target, index = exercises / "09_demo" / "demo.py", exercises / STUBS_INDEX

    assert build_all(solutions, exercises, check=True) == [target, index]
    assert not target.exists() and not index.exists(), "check mode writes nothing"
    assert main(["--check", "--solutions", str(solutions), "--exercises", str(exercises)]) == 1
    assert "run `netlings build`" in capsys.readouterr().err

    assert build_all(solutions, exercises) == [target, index]
    assert target.read_bytes() == build_stub(SMALL, unit="09_demo", module="demo").encode(), "LF line endings"
    assert read_stubs_index(exercises) == {"09_demo/demo.py": target.read_text(encoding="utf-8")}, (
        "the index records the stub as written"
    )
    assert not (exercises / "09_demo" / "notes.py").exists()
    assert build_all(solutions, exercises) == [], "a second build changes nothing"
    assert main(["--check", "--solutions", str(solutions), "--exercises", str(exercises)]) == 0

    target.write_text(target.read_text(encoding="utf-8") + "# student edit\n", encoding="utf-8")
    assert build_all(solutions, exercises, check=True) == [target], "an edited stub is reported"
    index.write_text("{}", encoding="utf-8")
    assert build_all(solutions, exercises, check=True) == [target, index], "a stale index is reported"

    (solutions / "09_demo" / "demo.py").write_text("def f():\n    ### BEGIN SOLUTION\n", encoding="utf-8")
    assert main(["--solutions", str(solutions), "--exercises", str(exercises)]) == 2
    assert "demo.py: line 2" in capsys.readouterr().err


# -- the reference solutions: pure functions ------------------------------------------------


def test_wire() -> None:
    wire = solution("00_basics/wire.py")
    assert wire.to_bytes("你好") == "你好".encode() and isinstance(wire.to_bytes("a"), bytes)
    assert wire.to_text(b"caf\xc3\xa9") == "café"
    with pytest.raises(UnicodeDecodeError):
        wire.to_text(b"\xff")
    assert wire.split_address("127.0.0.1:8080") == ("127.0.0.1", 8080)
    assert wire.split_address("localhost:0") == ("localhost", 0)
    assert wire.split_address("[::1]:65535") == ("::1", 65535)
    for bad in ["localhost", "localhost:", ":80", "h:http", "h:-1", "h:+80", "h: 80", "h:65536", "h:٣"]:
        with pytest.raises(ValueError):
            wire.split_address(bad)
    expected = {
        0: "well-known",
        1023: "well-known",
        1024: "registered",
        49151: "registered",
        49152: "dynamic",
    }
    for port, category in {**expected, 65535: "dynamic"}.items():
        assert wire.port_category(port) == category, f"port {port}"
    for bad_port in (-1, 65536):
        with pytest.raises(ValueError):
            wire.port_category(bad_port)


def test_framing_round_trip_and_early_eof() -> None:
    framing = solution("02_tcp/framing.py")
    a, b = socket.socketpair()
    with a, b:
        a.settimeout(2)
        b.settimeout(2)
        framing.send_frame(a, "你好".encode())
        framing.send_frame(a, b"")
        framing.send_frame(a, b"x" * 100_000)
        assert framing.recv_frame(b) == "你好".encode()
        assert framing.recv_frame(b) == b""
        assert framing.recv_frame(b) == b"x" * 100_000
        assert framing.recv_exactly(b, 0) == b""
        a.sendall(b"\x00\x00\x00\x05ab")
        a.shutdown(socket.SHUT_WR)
        with pytest.raises(ConnectionError, match="2 of 5"):
            framing.recv_frame(b)
    c, d = socket.socketpair()
    with c, d:
        c.sendall(b"\xff\xff\xff\xff")
        with pytest.raises(ValueError, match="allowed"):
            framing.recv_frame(d)


def _b64word(text: str, charset: str) -> str:
    return f"=?{charset}?b?{base64.b64encode(text.encode(charset)).decode()}?="


def test_decode_header_value() -> None:
    parse = solution("05_pop3/parse.py")
    decode = parse.decode_header_value
    assert decode(_b64word("你好", "gbk")) == "你好"
    assert decode(_b64word("你好", "utf-8") + " world") == "你好 world"
    assert decode(f"{_b64word('第3周', 'gbk')} {_b64word('作业', 'utf-8')}") == "第3周作业", (
        "no space between words"
    )
    assert decode("=?utf-8?q?caf=C3=A9?=") == "café"
    assert decode("plain ASCII subject") == "plain ASCII subject"
    assert decode("=?x-unknown-charset?b?5L2g?=") == "你", "unknown charset: best effort, no exception"
    assert decode("=?utf-8?b?/w==?=") == "\ufffd", "bad bytes become U+FFFD, no exception"


def _part(content_type: str, body: str, *, filename: str | None = None, cte: str | None = None) -> str:
    headers = [f"Content-Type: {content_type}"]
    if cte:
        headers.append(f"Content-Transfer-Encoding: {cte}")
    if filename is not None:
        headers.append(f'Content-Disposition: attachment; filename="{filename}"')
    return "--XYZ\r\n" + "\r\n".join(headers) + "\r\n\r\n" + body + "\r\n"


def _gbk_message_with_attachments() -> bytes:
    """A GBK base64 body and hostile or encoded attachment names, as raw wire bytes."""
    body = base64.b64encode("同学你好：\r\n正文是 GBK。\r\n".encode("gbk")).decode()
    evil = base64.b64encode(b"\x00\r\nevil").decode()
    return (
        "From: a@example.com\r\nTo: b@example.com\r\n"
        f"Subject: {_b64word('作业', 'gbk')}\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=XYZ\r\n\r\npreamble\r\n"
        + _part("text/plain; charset=gbk", body, cte="base64")
        + _part("application/octet-stream", evil, cte="base64", filename="../../x")
        + _part("text/plain", "hello", filename=_b64word("报告.txt", "utf-8"))
        + _part("text/plain", "skip", filename="..")
        + _part("text/plain", "w", filename=r"..\\..\\win.txt")  # quoted-string escapes
        + "--XYZ--\r\n"
    ).encode("ascii")


def test_text_body_and_attachments(tmp_path: Path) -> None:
    parse = solution("05_pop3/parse.py")
    raw = _gbk_message_with_attachments()
    assert parse.text_body(raw) == "同学你好：\n正文是 GBK。\n"
    qp = b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
    assert parse.text_body(qp + b"=E4=BD=A0=\r\n=E5=A5=BD\r\n") == "你好\n"
    assert parse.text_body(b"Content-Type: text/html\r\n\r\n<p>x</p>\r\n") == ""
    assert parse.list_attachments(raw) == [("../../x", 7), ("报告.txt", 5), ("..", 4), ("..\\..\\win.txt", 1)]

    dest = tmp_path / "inbox" / "files"
    written = parse.save_attachments(raw, str(dest))
    assert written == [str(dest / "x"), str(dest / "报告.txt"), str(dest / "win.txt")]
    assert (dest / "x").read_bytes() == b"\x00\r\nevil"
    everything = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert everything == ["inbox/files/win.txt", "inbox/files/x", "inbox/files/报告.txt"], (
        "nothing outside dest"
    )


def test_save_attachments_does_not_follow_a_symlink_out(tmp_path: Path) -> None:
    parse = solution("05_pop3/parse.py")
    dest, outside = tmp_path / "dest", tmp_path / "outside.txt"
    dest.mkdir()
    try:
        (dest / "x").symlink_to(outside)
    except (OSError, NotImplementedError):
        pytest.skip("symlinks are not available here")
    assert parse.save_attachments(_gbk_message_with_attachments(), str(dest)) == [
        str(dest / "报告.txt"),
        str(dest / "win.txt"),
    ]
    assert not outside.exists(), "a symlink planted in dest_dir must not be written through"


SENDER = "张三 <zhang@example.com>"


def test_plain_email_headers_are_rfc2047_on_the_wire() -> None:
    compose = solution("04_smtp/compose.py")
    msg = compose.plain_email(
        SENDER, ["李四 <li@example.com>", "b@example.com"], "测试 Subject", "正文\n", cc=["c@x.org"]
    )
    assert msg.get_content_type() == "text/plain" and msg.get_content_charset() == "utf-8"
    assert msg["To"] == "李四 <li@example.com>, b@example.com"
    assert msg["Cc"] == "c@x.org"
    assert msg["Date"] and msg["Message-ID"]
    head = msg.as_bytes(policy=policy.SMTP).split(b"\r\n\r\n", 1)[0]
    head.decode("ascii")  # raises if a header is not ASCII on the wire
    assert b"From: =?utf-8?b?5byg5LiJ?= <zhang@example.com>" in head
    assert b"To: =?utf-8?b?5p2O5Zub?= <li@example.com>, b@example.com" in head
    assert b"Subject: =?utf-8?b?5rWL6K+V?= Subject" in head
    parse = solution("05_pop3/parse.py")
    raw = msg.as_bytes(policy=policy.SMTP)
    assert parse.text_body(raw) == "正文\n"
    assert parse.decode_header_value(head.split(b"Subject: ")[1].split(b"\r\n")[0].decode()) == "测试 Subject"
    assert "Cc" not in compose.plain_email("a@x.org", ["b@x.org"], "s", "b"), "no empty Cc header"


def test_html_and_alternative_email() -> None:
    compose = solution("04_smtp/compose.py")
    html = compose.html_email(SENDER, ["b@example.com"], "主题", "<p>你好</p>")
    assert html.get_content_type() == "text/html" and html.get_content_charset() == "utf-8"
    assert html.get_content() == "<p>你好</p>\n" and html["Subject"] == "主题"
    alt = compose.alternative_email(SENDER, ["b@example.com"], "主题", "你好", "<p>你好</p>", cc=["c@x.org"])
    assert alt.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alt.iter_parts()] == ["text/plain", "text/html"]
    assert alt["Cc"] == "c@x.org"
    reparsed = solution("05_pop3/parse.py").text_body(alt.as_bytes(policy=policy.SMTP))
    assert reparsed == "你好\n"


def test_email_with_attachment(tmp_path: Path) -> None:
    compose = solution("04_smtp/compose.py")
    pdf = tmp_path / "报告.pdf"
    pdf.write_bytes(b"%PDF-1.4\r\n\x00\xff")
    msg = compose.email_with_attachment(SENDER, ["b@example.com"], "附件", "见附件", str(pdf))
    assert msg.get_content_type() == "multipart/mixed"
    text, attachment = list(msg.iter_parts())
    assert text.get_content_type() == "text/plain" and text.get_content() == "见附件\n"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment["Content-Transfer-Encoding"] == "base64"
    assert attachment.get_filename() == "报告.pdf"
    assert attachment.get_content() == pdf.read_bytes()
    wire = msg.as_bytes(policy=policy.SMTP)
    assert solution("05_pop3/parse.py").list_attachments(wire) == [("报告.pdf", 12)]

    blob = tmp_path / "data.unknownext"
    blob.write_bytes(b"\x01")
    other = compose.email_with_attachment("a@x.org", ["b@x.org"], "s", "b", str(blob))
    assert list(other.iter_attachments())[0].get_content_type() == "application/octet-stream"
    with pytest.raises(FileNotFoundError):
        compose.email_with_attachment("a@x.org", ["b@x.org"], "s", "b", str(tmp_path / "missing.bin"))


def test_parse_ftp_url() -> None:
    ftp = solution("03_ftp/ftp_client.py")
    assert ftp.parse_ftp_url("ftp://example.com/pub/docs/readme.txt") == (
        "example.com",
        21,
        "/pub/docs",
        "readme.txt",
    )
    assert ftp.parse_ftp_url("ftp://127.0.0.1:2121/a%20b.bin") == ("127.0.0.1", 2121, "/", "a b.bin")
    assert ftp.parse_ftp_url("ftp://user:pw@host/dir/") == ("host", 21, "/dir", "")
    for bad in ["http://example.com/x", "ftp:///x", "ftp://h:99999/x", "ftp://h:port/x"]:
        with pytest.raises(ValueError):
            ftp.parse_ftp_url(bad)


def test_solutions_run_on_python_310_syntax() -> None:
    """Solutions and stubs must parse with the 3.10 grammar (the oldest Python supported)."""
    for path in [*SOLUTIONS.glob("*/*.py"), *EXERCISES.glob("*/*.py")]:
        ast.parse(path.read_text(encoding="utf-8"), filename=str(path), feature_version=(3, 10))
    assert sys.version_info >= (3, 10)
