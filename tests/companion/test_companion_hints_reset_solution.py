"""`netlings hint`, `netlings reset` and `netlings solution` in a copy of the course.

None of these needs the real tests: where a status matters, a fake runner says
whether the exercise passes (the real runs are covered in test_companion_progress.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from companion_support import solve

from grader.curriculum.build import STUBS_INDEX, read_stubs_index
from grader.curriculum.manifest import REPO_ROOT, load_manifest

MANIFEST = load_manifest()
UDP_SERVER = MANIFEST.exercise("udp_server")


def hints_state(root: Path) -> dict[str, int]:
    return json.loads((root / ".netlings" / "state.json").read_text(encoding="utf-8"))["hints"]


# -- hint -----------------------------------------------------------------------------------------


def test_hints_are_revealed_one_step_at_a_time_and_remembered(course: Path, cli) -> None:
    first = cli("hint", "udp_server")
    assert first.code == 0
    assert "Hints for udp_server — A UDP echo server" in first.out
    assert "Step 1 of 3" in first.out and UDP_SERVER.hints[0] in first.out
    assert "Step 2 of 3" not in first.out and UDP_SERVER.hints[1] not in first.out, "only the first step"
    assert "(2 left)" in first.out
    assert hints_state(course) == {"udp_server": 1}

    second = cli("hint", "udp_server")
    assert UDP_SERVER.hints[0] in second.out and UDP_SERVER.hints[1] in second.out, "earlier steps stay shown"
    assert UDP_SERVER.hints[2] not in second.out and "(1 left)" in second.out

    third = cli("hint", "udp_server", "--lang", "zh")
    assert "udp_server 的提示 — UDP 回显服务器" in third.out
    assert all(step in third.out for step in UDP_SERVER.hints_zh), "all three steps, in Chinese"
    assert "第 3 步（共 3 步）" in third.out and "这是最后一步了" in third.out
    assert "exercises/01_udp/README.zh.md" in third.out, "the Chinese README is pointed to"

    again = cli("hint", "udp_server")
    assert "That was the last step" in again.out and hints_state(course) == {"udp_server": 3}, (
        "asking again past the last step changes nothing"
    )


def test_hint_all_and_the_default_exercise(course: Path, cli) -> None:
    everything = cli("--lang", "zh", "hint", "framing", "--all")
    framing = MANIFEST.exercise("framing")
    assert all(step in everything.out for step in framing.hints_zh)
    assert hints_state(course) == {"framing": 3}
    current = cli("hint")
    assert "Hints for wire" in current.out, "without a name: the current exercise (the first not done)"


# -- reset ----------------------------------------------------------------------------------------


def test_reset_asks_first_and_keeps_a_backup(course: Path, cli) -> None:
    target = course / "exercises" / "01_udp" / "udp_server.py"
    stub = target.read_text(encoding="utf-8")
    mine = stub + "\n# an hour of my work\n"
    target.write_text(mine, encoding="utf-8")

    refused = cli("reset", "udp_server", stdin="n\n")
    assert refused.code == 1
    assert "Reset udp_server? exercises/01_udp/udp_server.py goes back to the stub" in refused.out
    assert "[y/N]" in refused.out and "Nothing changed." in refused.out
    assert target.read_text(encoding="utf-8") == mine, "'n' keeps the file"
    assert cli("reset", "udp_server").code == 1, "no answer (end of input) is no"
    assert target.read_text(encoding="utf-8") == mine

    accepted = cli("reset", "udp_server", stdin="y\n")
    assert accepted.code == 0
    assert target.read_text(encoding="utf-8") == stub, "the stub is back"
    backup = course / ".netlings" / "backup" / "01_udp" / "udp_server.py"
    assert backup.read_text(encoding="utf-8") == mine, "the student's version is kept"
    assert ".netlings/backup/01_udp/udp_server.py" in accepted.out

    assert "already the untouched stub" in cli("reset", "udp_server", "--yes").out


def test_reset_yes_in_chinese_and_a_deleted_file(course: Path, cli) -> None:
    target = course / "exercises" / "00_basics" / "wire.py"
    target.unlink()
    run = cli("reset", "wire", "--yes", "--lang", "zh")
    assert run.code == 0 and "已恢复为原始模板" in run.out
    assert target.read_text(encoding="utf-8") == read_stubs_index(course / "exercises")["00_basics/wire.py"]


def test_reset_works_from_the_stubs_index_alone_and_says_when_there_is_no_stub(course: Path, cli) -> None:
    assert not (course / "solutions").exists(), "the student edition: no solutions/"
    target = course / "exercises" / "02_tcp" / "framing.py"
    target.write_text("broken", encoding="utf-8")
    assert cli("reset", "framing", "-y").code == 0
    assert target.read_text(encoding="utf-8").startswith("# Exercise stub generated from solutions/02_tcp")

    (course / "exercises" / STUBS_INDEX).unlink()
    target.write_text("broken", encoding="utf-8")
    run = cli("reset", "framing", "-y")
    assert run.code == 1 and "ask your instructor" in run.err
    assert target.read_text(encoding="utf-8") == "broken", "nothing is written without a stub"


def test_reset_falls_back_to_generating_the_stub_from_solutions(course_with_solutions: Path, cli) -> None:
    course = course_with_solutions
    (course / "exercises" / STUBS_INDEX).unlink()
    solve(course, "02_tcp/framing.py")
    assert cli("reset", "framing", "-y").code == 0
    restored = (course / "exercises" / "02_tcp" / "framing.py").read_text(encoding="utf-8")
    assert restored == (REPO_ROOT / "exercises" / "02_tcp" / "framing.py").read_text(encoding="utf-8")


# -- solution -------------------------------------------------------------------------------------


SOLUTION_LINE = "### BEGIN SOLUTION"


def test_solution_is_locked_until_the_exercise_passes(course_with_solutions: Path, cli, fake_runner) -> None:
    course = course_with_solutions
    untouched = cli("solution", "wire")
    assert untouched.code == 1 and "shown once your version passes" in untouched.out
    assert SOLUTION_LINE not in untouched.out and fake_runner.ran == [], "a stub is not even run"

    target = course / "exercises" / "00_basics" / "wire.py"
    target.write_text(target.read_text(encoding="utf-8") + "# trying\n", encoding="utf-8")
    failing = cli("solution", "wire", "--lang", "zh")
    assert failing.code == 1 and "参考答案要等你的代码通过测试之后才会显示" in failing.out
    assert SOLUTION_LINE not in failing.out and fake_runner.ran == ["wire"], "its tests were run to decide"

    fake_runner.passing.add("wire")
    target.write_text(target.read_text(encoding="utf-8") + "# solved\n", encoding="utf-8")
    shown = cli("solution", "wire")
    assert shown.code == 0
    assert "Reference solution of wire (solutions/00_basics/wire.py)" in shown.out
    expected = (REPO_ROOT / "solutions" / "00_basics" / "wire.py").read_text(encoding="utf-8")
    assert expected.rstrip("\n") in shown.out, "the reference, verbatim"


def test_without_solutions_the_instructor_has_them(course: Path, cli, fake_runner) -> None:
    fake_runner.passing.add("wire")
    solve(course, "00_basics/wire.py")
    run = cli("solution", "wire")
    assert run.code == 0 and "your instructor has them" in run.out
    assert SOLUTION_LINE not in run.out


@pytest.mark.parametrize(("lang", "expected"), [("en", "your progress: every exercise"), ("zh", "你的进度")])
def test_help_comes_from_the_catalogue(lang: str, expected: str, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    from grader.cli import main

    monkeypatch.setenv("NETLINGS_LANG", lang)
    with pytest.raises(SystemExit):
        main(["--help"])
    assert expected in capsys.readouterr().out
