"""`netlings`, `netlings list` and `netlings check` in a copy of the course, as a student runs them.

The real visible tests run here (in their own pytest process) on the exercises that
are quickest to test; the companion's logic around them is checked with a fake
runner in the other files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from companion_support import FakeRunner, solve

from grader.companion import progress

ANSI = re.compile(r"\x1b\[")


def row(output: str, exercise: str) -> str:
    """The progress-table line of ``exercise``."""
    found = [line for line in output.splitlines() if exercise in line.split() and re.search("[·✓✗]", line)]
    assert found, f"no row for {exercise} in:\n{output}"
    return found[0]


def test_a_fresh_copy_shows_nothing_started_and_the_first_exercise(course: Path, cli, fake_runner) -> None:
    run = cli()  # a bare `netlings`
    assert run.code == 0, run.err
    assert "Your progress: 0 of 11 exercises done (0 of 100 points)" in run.out
    assert run.out.count("· not started") == 11, f"every exercise is an untouched stub:\n{run.out}"
    assert "0 done · 0 not yet · 11 not started" in run.out
    assert "Next: wire — Bytes on the wire" in run.out and "exercises/00_basics/wire.py" in run.out
    assert fake_runner.ran == [], "untouched stubs are never run"
    assert cli("list").out == run.out, "`netlings` is `netlings list`"
    assert not ANSI.search(run.out), "plain text when not a terminal"
    assert all(line == line.rstrip() for line in run.out.splitlines()), "no trailing blanks in plain output"


def test_progress_counts_a_reference_solution_as_done_and_caches_the_run(
    course: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    solve(course, "00_basics/wire.py")
    run = cli("check")  # the current exercise: wire (its file changed, it is not done yet)
    assert run.code == 0, run.out + run.err
    assert run.out.count(" ✓ ") == 9 and " ✗ " not in run.out, f"nine passing tests:\n{run.out}"
    assert "All 9 tests of wire pass: done!" in run.out
    assert "Next: udp_server — A UDP echo server" in run.out

    state = json.loads((course / ".netlings" / "state.json").read_text(encoding="utf-8"))
    assert state["results"]["wire"]["tests"][0]["outcome"] == "passed", "the run is cached"

    refuse = FakeRunner()
    monkeypatch.setattr(progress, "run_check", refuse)
    listing = cli()
    assert refuse.ran == [], "an unchanged file is not run again: the cached result is used"
    assert "Your progress: 1 of 11 exercises done (6 of 100 points)" in listing.out
    assert "✓ done" in row(listing.out, "wire")
    assert "1 done · 0 not yet · 10 not started" in listing.out
    assert "Next: udp_server" in listing.out

    (course / "exercises" / "00_basics" / "wire.py").write_text("# started again\n", encoding="utf-8")
    listing = cli("list")
    assert refuse.ran == ["wire"], "a changed file is a cache miss: its tests run again"
    assert "✗ not yet" in row(listing.out, "wire") and "Next: wire" in listing.out


def test_check_a_stub_in_chinese_then_it_is_still_not_started(course: Path, cli) -> None:
    run = cli("--lang", "zh", "check", "udp_server")
    assert run.code == 1, "a failing check exits 1"
    assert "exercises/01_udp/udp_server.py 还是原始的练习模板" in run.out
    assert "udp_server — UDP 回显服务器" in run.out, "title_zh in Chinese"
    assert "make_udp_socket() 还没有实现" in run.out, (
        f"the tests' own messages are in the chosen language (NETLINGS_LANG reaches the run):\n{run.out}"
    )
    assert "（信息同上）" in run.out, "a repeated message is not printed again"
    assert "4 项测试中通过了 0 项。" in run.out and "netlings hint udp_server" in run.out

    listing = cli("list", "--lang", "zh")
    assert "· 未开始" in row(listing.out, "udp_server"), "an untouched stub is 'not started', checked or not"
    assert "你的进度：已完成 11 个练习中的 0 个" in listing.out


def test_a_changed_exercise_that_fails_is_not_yet_with_its_counts(course: Path, cli) -> None:
    path = course / "exercises" / "01_udp" / "udp_server.py"
    path.write_text(path.read_text(encoding="utf-8") + "\n# I started here\n", encoding="utf-8")
    run = cli("list")
    assert "✗ not yet  (0/4 tests)" in row(run.out, "udp_server"), run.out
    assert "0 done · 1 not yet · 10 not started" in run.out
    assert "Next: wire" in run.out, "the first exercise not done is next, even if a later one was started"


def test_check_shows_first_lines_and_the_named_mistake(course: Path, cli) -> None:
    buggy = Path(__file__).resolve().parents[1] / "hidden" / "buggy" / "server_dies_on_bad_datagram"
    target = course / "exercises" / "01_udp" / "udp_server.py"
    target.write_text((buggy / "01_udp" / "udp_server.py").read_text(encoding="utf-8"), encoding="utf-8")
    run = cli("check", "udp_server")
    assert run.code == 1
    assert run.out.count(" ✓ ") == 2 and run.out.count(" ✗ ") == 2, run.out
    assert "raised UnicodeDecodeError" in run.out
    assert "more lines (--verbose shows them)" in run.out, "a long message is cut to its first lines"
    assert "Likely mistake: one bad datagram kills the server" in run.out, (
        "the named mistake at the end of a cut message is still shown"
    )
    assert "2 of 4 tests pass." in run.out


def test_an_unknown_exercise_is_named_with_the_known_ones(course: Path, cli) -> None:
    run = cli("check", "udp_sever")
    assert run.code == 1
    assert "there is no exercise 'udp_sever'" in run.err and "udp_server" in run.err
    assert "没有名为 'udp_sever' 的练习" in cli("hint", "udp_sever", "--lang", "zh").err
