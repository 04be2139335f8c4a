"""``netlings serve`` and ``netlings build`` speak Chinese with ``--lang zh`` / ``NETLINGS_LANG=zh``."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from grader.cli import serve
from grader.curriculum.build import main as build_main

SOLUTION = "def f():\n    ### BEGIN SOLUTION\n    # STEP: return one\n    return 1\n    ### END SOLUTION\n"


def test_serve_banner_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETLINGS_LANG", "zh")
    out = io.StringIO()
    args = argparse.Namespace(protocol="pop3", port=0, tls=False, json=False, seconds=0)
    assert serve.run(args, out) == 0
    text = out.getvalue()
    assert "netlings pop3 服务器正在监听 127.0.0.1:" in text and "（仅限本机回环地址）" in text, text
    assert "在另一个终端里试试：" in text and "按 Ctrl-C 停止" in text and text.endswith("已停止。\n"), text
    assert "student-pass" in text, "what describe() says (accounts, options) is shown as it is"


def test_build_reports_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("NETLINGS_LANG", "zh")
    (tmp_path / "solutions" / "09_demo").mkdir(parents=True)
    (tmp_path / "solutions" / "09_demo" / "demo.py").write_text(SOLUTION, encoding="utf-8")
    argv = ["--solutions", str(tmp_path / "solutions"), "--exercises", str(tmp_path / "exercises")]
    assert build_main(["--check", *argv]) == 1
    said = capsys.readouterr()
    assert said.out.startswith("已过期：") and "练习模板已过期：请运行 `netlings build`" in said.err, said
    assert build_main(argv) == 0 and capsys.readouterr().out.startswith("已写入：")
    assert build_main(argv) == 0 and capsys.readouterr().out == "练习模板都是最新的\n"


@pytest.mark.parametrize(("argv", "expected"), [
    (["grade", "--help"], "同时评分的提交数"),
    (["gradescope", "run", "--help"], "自动评分程序的根目录"),
    (["serve", "--help"], "监听的端口"),
])
def test_help_in_chinese(argv: list[str], expected: str, monkeypatch: pytest.MonkeyPatch,
                         capsys: pytest.CaptureFixture[str]) -> None:
    """The help is built before ``--lang`` is read: ``NETLINGS_LANG`` or the locale choose it."""
    from grader.cli import main

    monkeypatch.setenv("NETLINGS_LANG", "zh")
    with pytest.raises(SystemExit):
        main(argv)
    assert expected in capsys.readouterr().out


def test_help_in_chinese_with_lang_zh_argparse_words_included(monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """``--lang zh --help``: the parser is built after --lang is read, and argparse's words are Chinese."""
    import argparse as stdlib_argparse

    from grader.cli import main

    monkeypatch.delenv("NETLINGS_LANG", raising=False)
    monkeypatch.setenv("LANG", "C")
    english_words = stdlib_argparse._("usage: ")  # type: ignore[attr-defined]
    with pytest.raises(SystemExit):
        main(["--lang", "zh", "--help"])
    text = capsys.readouterr().out
    assert text.startswith("用法：netlings") and "会自动评分的网络编程练习。" in text, text
    assert "位置参数" in text and "选项" in text and "显示这条帮助信息并退出" in text, text
    assert "你的进度" in text, "subcommand help comes from the catalogue in the chosen language"
    with pytest.raises(SystemExit):
        main(["hint", "--help", "--lang=zh"])
    assert capsys.readouterr().out.startswith("用法：netlings hint"), "--lang is read wherever it is given"
    with pytest.raises(SystemExit):
        main(["--lang", "zh", "no-such-command"])
    assert "netlings：错误：参数 COMMAND：无效的选项：'no-such-command'" in capsys.readouterr().err
    assert stdlib_argparse._("usage: ") == english_words, "argparse is left as it was"  # type: ignore[attr-defined]
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert text.startswith("usage: netlings") and "show this help message and exit" in text, text
