"""The suites' own sentences reach a student in their language (see grader/messages/texts.py).

Read from the source with ``ast``, so a sentence is checked even when no test run
ever fails that way:

* every prose string literal in a suite (three words in a row, outside docstrings)
  is wrapped in ``tr()`` with a literal template, or is marked as test data;
* every template and every test description has a Chinese translation with the
  same placeholders, and ``tr()`` is given exactly those placeholders;
* no translation is stale, and the student edition's tables hold only visible
  sentences (a hidden suite's words never ship).
"""

from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader.messages import texts
from grader.messages.texts import first_paragraph, tr

ROOT = Path(__file__).resolve().parents[1]
VISIBLE = sorted((ROOT / "exercises").glob("*/test_*.py"))
HIDDEN = sorted((ROOT / "grader" / "hidden").glob("*/test_*.py"))
SUITES = VISIBLE + HIDDEN

PROSE = re.compile(r"[A-Za-z']{2,}[,:;]? +[A-Za-z']{2,}[,:;]? +[A-Za-z']{2,}")
"""Three words in a row: a sentence for a person, not code (``sock.recv(1024)``, ``b'QUIT'``)."""
DATA_MARK = "# tr: data"
"""Ends a line whose prose literal is test data (an e-mail body, a regex), never shown as a sentence."""


@dataclass(frozen=True)
class Text:
    english: str
    where: str
    keywords: frozenset[str] | None = None  # for tr(): the keyword arguments given (None: **values)


@dataclass
class Suite:
    path: Path
    templates: list[Text]
    descriptions: list[Text]
    problems: list[str]


def _is_tr(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Name) and node.func.id == "tr")
        or (isinstance(node.func, ast.Attribute) and node.func.attr == "tr"))


def _docstring_nodes(tree: ast.Module) -> set[int]:
    nodes = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                nodes.add(id(first.value))
        # An attribute docstring: a string expression right after an assignment.
        body = getattr(node, "body", None)
        if isinstance(body, list):
            for before, after in zip(body, body[1:], strict=False):
                if isinstance(before, (ast.Assign, ast.AnnAssign)) and isinstance(after, ast.Expr) \
                        and isinstance(after.value, ast.Constant):
                    nodes.add(id(after.value))
    return nodes


def _prose_in(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(PROSE.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and PROSE.search(str(v.value)) for v in node.values)
    return False


def read_suite(path: Path) -> Suite:
    rel = path.relative_to(ROOT).as_posix()
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source, filename=rel)
    suite = Suite(path, [], [], [])
    skip = _docstring_nodes(tree)  # docstrings, the insides of tr() and of f-strings (judged whole)

    def data(node: ast.AST) -> bool:
        last = node.end_lineno or node.lineno
        return any(DATA_MARK in lines[n - 1] for n in range(node.lineno, last + 1))

    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_"):
            doc = first_paragraph(ast.get_docstring(node))
            if not doc:
                suite.problems.append(f"{rel}:{node.lineno}: {node.name} has no docstring to describe it")
            else:
                suite.descriptions.append(Text(doc, f"{rel}:{node.lineno}"))
        if _is_tr(node):
            assert isinstance(node, ast.Call)
            first = node.args[0] if node.args else None
            skip.add(id(first))
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)) or len(node.args) != 1:
                suite.problems.append(f"{rel}:{node.lineno}: tr() takes one literal template (fill it with "
                                      f"keyword arguments): {ast.unparse(node)[:100]}")
                continue
            keywords = None if any(k.arg is None for k in node.keywords) else frozenset(
                k.arg for k in node.keywords if k.arg)
            suite.templates.append(Text(first.value, f"{rel}:{node.lineno}", keywords))
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.JoinedStr):
            skip.update(id(inner) for inner in ast.walk(node))
        if _prose_in(node) and not data(node):
            suite.problems.append(f"{rel}:{node.lineno}: a sentence not wrapped in tr() (write "
                                  f"tr('... {{field}} ...', field=...), or mark test data `{DATA_MARK}`): "
                                  f"{ast.unparse(node)[:100]}")
    suite.problems.sort(key=lambda problem: int(problem.split(":")[1]))
    return suite


READ = {path: read_suite(path) for path in SUITES}


def _fields(template: str) -> list[tuple[str, str, str]]:
    try:
        parsed = string.Formatter().parse(template)
        return sorted((name, conv or "", spec or "") for _, name, spec, conv in parsed if name is not None)
    except ValueError as error:
        return [("<unparsable>", str(error), "")]


def _table(package: str) -> dict[str, tuple[str, str]]:
    """English → (Chinese, module) for every table of ``package``."""
    table: dict[str, tuple[str, str]] = {}
    for module in texts._modules(package):
        for english, chinese in getattr(module, "ZH", {}).items():
            table[english] = (chinese, module.__name__)
    return table


SHIPPED = _table("grader.messages.suites")
INSTRUCTOR = _table("grader.hidden.translations")


def _ids(paths: list[Path]) -> list[str]:
    return [p.relative_to(ROOT).as_posix() for p in paths]


@pytest.mark.parametrize("path", SUITES, ids=_ids(SUITES))
def test_every_sentence_a_student_reads_goes_through_tr(path: Path) -> None:
    problems = READ[path].problems
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", SUITES, ids=_ids(SUITES))
def test_every_sentence_has_chinese_with_the_same_placeholders(path: Path) -> None:
    suite = READ[path]
    table = {**INSTRUCTOR, **SHIPPED} if path in HIDDEN else SHIPPED
    home = "grader/hidden/translations" if path in HIDDEN else "grader/messages/suites"
    problems = []
    for text in suite.templates + suite.descriptions:
        if text.english not in table:
            problems.append(f"{text.where}: no Chinese in {home}/ for {text.english!r}")
            continue
        chinese, module = table[text.english]
        if text in suite.templates and _fields(chinese) != _fields(text.english):
            problems.append(f"{text.where}: {module} uses the fields {_fields(chinese)} for "
                            f"{text.english!r}, whose fields are {_fields(text.english)}")
        if not re.search(r"[\u4e00-\u9fff]", chinese):
            problems.append(f"{text.where}: {module} has no Chinese for {text.english!r}: {chinese!r}")
    for text in suite.templates:
        names = {name.split(".")[0].split("[")[0] for name, _, _ in _fields(text.english)}
        if "" in names or any(n.isdigit() for n in names):
            problems.append(f"{text.where}: name every field of {text.english!r} ({{}} and {{0}} can't be "
                            "translated safely)")
        elif text.keywords is not None and names != text.keywords:
            problems.append(f"{text.where}: tr({text.english!r}) is given {sorted(text.keywords)}, "
                            f"its fields are {sorted(names)}")
    assert not problems, "\n".join(problems)


def test_no_translation_is_stale_and_none_of_the_hidden_ships() -> None:
    visible = {t.english for p in VISIBLE for t in READ[p].templates + READ[p].descriptions}
    hidden = {t.english for p in HIDDEN for t in READ[p].templates + READ[p].descriptions}
    hidden_only = " (only by a hidden one: move it to grader/hidden/translations)"
    problems = [f"{module}: {english!r} is used by no visible suite"
                + (hidden_only if english in hidden else "")
                for english, (_, module) in SHIPPED.items() if english not in visible]
    problems += [f"{module}: {english!r} is used by no hidden suite"
                 for english, (_, module) in INSTRUCTOR.items() if english not in hidden]
    problems += [f"{module}: {english!r} is also in {SHIPPED[english][1]}: keep one"
                 for english, (_, module) in INSTRUCTOR.items() if english in SHIPPED]
    assert not problems, "\n".join(problems)


def test_tr_translates_fills_in_and_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    english, (chinese, _) = next(iter(SHIPPED.items()))
    values = {name.split(".")[0].split("[")[0]: "X" for name, _, _ in _fields(english)}
    monkeypatch.setenv("NETLINGS_LANG", "zh")
    assert tr(english, **values) == chinese.format(**values)
    assert tr("no such sentence {n}", n=1) == "no such sentence 1"
    monkeypatch.setenv("NETLINGS_LANG", "en")
    assert tr(english, **values) == english.format(**values)


def test_a_sentence_is_translated_the_same_way_everywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    assert texts.conflicts("zh") == []
    import types

    one, two = types.ModuleType("one"), types.ModuleType("two")
    one.ZH, two.ZH = {"Hello": "你好"}, {"Hello": "您好"}  # type: ignore[attr-defined]
    monkeypatch.setattr(texts, "_modules", lambda package: [one, two] if package == texts.PACKAGES[0] else [])
    assert texts.conflicts("zh") == ["'Hello' is translated differently in one and two"]


def test_the_checks_catch_an_untranslated_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lint can fail: an f-string assertion, a bare expected=, a tr() with a computed template."""
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    path = tmp_path / "test_x.py"
    path.write_text(
        'def test_a(x):\n'
        '    """Checks a thing."""\n'
        '    assert x, f"the value {x!r} is wrong here"\n'
        '    check(x, "m", call="f()", expected="a reply to every datagram", actual=repr(x))\n'
        '    assert x, tr("the value " + "is wrong")\n'
        '    assert x, tr("{x!r} is not the right value", x=x)\n'
        '    assert x, tr("fine {y}", y=1) + " and more words here"\n'
        '    body = "Hello from the test suite"  # tr: data\n'
        '    assert x, tr("{x!r} is fine, {y}", x=x, y=f"{x} is not the one")\n', encoding="utf-8")
    problems = read_suite(path).problems
    assert [p.split(":")[1] for p in problems] == ["3", "4", "5", "7", "9"], problems
