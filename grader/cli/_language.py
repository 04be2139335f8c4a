"""The command line in the student's language, ``--help`` and argparse's own words included.

Two things stood between ``netlings --lang zh --help`` and Chinese:

* the parser (every help text comes from the catalogue) was built before ``--lang``
  was parsed, so :func:`language_from` reads it from the raw arguments first;
* argparse writes "usage:", "options" and its error messages itself. It takes them
  from gettext through its module-level ``_``/``ngettext`` (the hook the standard
  library offers for translating argparse); :func:`argparse_speaks` points those at
  the table below while a command is parsed, instead of shipping a compiled ``.mo``
  file for gettext's global "messages" domain.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from ..messages import LANGUAGES

ARGPARSE_ZH: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",  # Python < 3.10 called them this
    "show this help message and exit": "显示这条帮助信息并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少以下参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项：%(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
    "ambiguous option: %(option)s could match %(matches)s": "有歧义的选项：%(option)s 可以匹配 %(matches)s",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
}
"""argparse's user-facing sentences (as in Python 3.10-3.13) in Simplified Chinese."""


def language_from(argv: Sequence[str]) -> str | None:
    """The value of ``--lang`` wherever it is given (``--lang zh``, ``--lang=zh``), else None."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGUAGES:
            return argv[i + 1]
        if arg.startswith("--lang=") and arg.partition("=")[2] in LANGUAGES:
            return arg.partition("=")[2]
    return None


@contextmanager
def argparse_speaks(lang: str) -> Iterator[None]:
    """While inside, argparse's own words are in ``lang`` (English: untouched)."""
    if lang == "en":
        yield
        return
    table = ARGPARSE_ZH
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def gettext(message: str) -> str:
        return table.get(message, saved[0](message))

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    argparse._, argparse.ngettext = gettext, ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
