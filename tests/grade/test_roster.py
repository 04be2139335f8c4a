"""``--roster FILE.csv``: submissions mapped to students by exact name, glob or regex; gaps reported."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
from grading_support import SUITE, VARIANTS, fake_prepare, zip_submission

from grader.cli import grade as grade_cli
from grader.cli import main
from grader.grade import grade_batch
from grader.grade.identity import short_hash
from grader.grade.roster import RosterError, load_roster, parse_roster
from grader.report import BatchResult
from grader.report.model import Identity

ROSTER = """\ufeffSubmission,ID,Name,SIS_ID,login_id,section,email
张三.zip,2024002,张三,S2,zhangsan,A,ignored@example.com
*李四*,2024003,李四,S3,lisi,B,
re:2024001_.*,2024001,张三,S1,zhangsan1,A,
王五,,王五,S5,wangwu,B,
,,,,,,
"""


def _names(roster_text: str, names: list[str]) -> Any:
    return parse_roster(roster_text, "roster.csv").resolve(names)


def test_exact_glob_and_regex_entries_match_their_submission() -> None:
    names = ["张三.zip", "lisi_李四_late.zip", "2024001_张三.zip", "stranger.zip"]
    got = _names(ROSTER, names)
    assert [e.id if e else None for e in got.entries] == ["2024002", "2024003", "2024001", None]
    assert got.entries[0].identity("张三.zip") == Identity("张三.zip", "张三", "S2", "zhangsan", "A")
    assert [[p.code for p in found] for found in got.problems] == [[], [], [], ["not_on_roster"]]
    assert "stranger.zip" in got.problems[3][0].message
    assert [e.submission for e in got.absent] == ["王五"], "王五 handed in nothing; a blank line is no entry"


def test_an_exact_name_matches_with_or_without_zip_and_in_either_normal_form() -> None:
    roster = "submission,id\nJosé,j1\nbob.zip,b1\n"
    got = _names(roster, ["José.zip", "bob", "Bob.zip"])
    assert [e.id if e else None for e in got.entries] == ["j1", "b1", None]


def test_an_exact_match_wins_over_a_pattern() -> None:
    roster = "submission,id\n*张三*,z_any\n张三.zip,z_exact\n2024001_张三.zip,z_num\n"
    got = _names(roster, ["张三.zip", "2024001_张三.zip"])
    assert [e.id for e in got.entries if e] == ["z_exact", "z_num"]
    assert [e.id for e in got.absent] == ["z_any"]


def test_ambiguous_matches_are_reported_for_every_submission_and_never_guessed() -> None:
    roster = "submission,id\n*张三*,z1\n2024*,z2\n"
    got = _names(roster, ["张三.zip", "2024001_张三.zip", "2024002_李四.zip"])
    assert got.entries == [None, None, None], "no SIS id is given to a guess"
    codes = [[p.code for p in found] for found in got.problems]
    assert codes == [["roster_ambiguous"]] * 3, codes
    assert "*张三*" in got.problems[1][0].message and "2024*" in got.problems[1][0].message, \
        "a submission matching two entries names both"
    assert "2024002_李四.zip" in got.problems[2][0].message, "an entry matching two submissions names them"
    assert got.absent == [], "an entry that matched is not absent, even ambiguously"


def test_roster_ids_are_made_safe_with_the_student_id_rules() -> None:
    got = _names("submission,id\nx.zip,=HYPERLINK(1)\n", ["x.zip"])
    assert got.entries[0].id.startswith("_HYPERLINK_1_-"), got.entries[0].id


@pytest.mark.parametrize(("text", "words"), [
    ("name,id\nx,1\n", "no 'submission' column"),
    ("", "no 'submission' column"),
    ("submission,id\nre:(unclosed,1\n", "not a valid regular expression"),
    ("submission,id,name\n,1,Bob\n", "line 2"),
])
def test_a_malformed_roster_is_one_sentence(text: str, words: str) -> None:
    with pytest.raises(RosterError) as caught:
        parse_roster(text, "r.csv")
    assert words in str(caught.value) and "\n" not in str(caught.value), str(caught.value)


def test_an_unreadable_roster_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="cannot be read"):
        load_roster(tmp_path / "nope.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("submission\nJos\xe9\n".encode("latin-1"))
    with pytest.raises(RosterError, match="cannot be read"):
        load_roster(latin)
    bom = tmp_path / "bom.csv"
    bom.write_bytes("submission,id\n张三,z\n".encode("utf-8-sig"))
    assert [e.id for e in load_roster(bom).entries] == ["z"], "Excel's BOM is fine"


def _grade(subs: list[Path], out: Path, **options: Any) -> BatchResult:
    return grade_batch(subs, out, suite=[SUITE], prepare=fake_prepare, progress=False,
                       timeout_per_submission=30, test_timeout=30, **options)


def test_a_batch_with_a_roster_names_its_students_and_its_gaps(tmp_path: Path) -> None:
    zips = tmp_path / "zips"
    subs = [zip_submission(zips, "张三", VARIANTS["complete"]),
            zip_submission(zips, "2024001_张三", VARIANTS["half"]),
            zip_submission(zips, "stranger", VARIANTS["stub"])]
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    batch = _grade(subs, tmp_path / "out", roster=load_roster(roster))
    rows = {s.student: (s.identity, s.score) for s in batch.submissions}
    assert rows == {
        "2024002": (Identity("张三.zip", "张三", "S2", "zhangsan", "A"), 10),
        "2024001": (Identity("2024001_张三.zip", "张三", "S1", "zhangsan1", "A"), 5),
        "stranger": (Identity("stranger.zip"), 0),
    }
    assert batch.unmatched == ["stranger"]
    assert [p.code for p in batch.get("stranger").problems] == ["not_on_roster"]
    assert batch.absent == {"2024003": Identity("", "李四", "S3", "lisi", "B"),
                            "王五": Identity("", "王五", "S5", "wangwu", "B")}

    fixed = tmp_path / "fixed.csv"
    fixed.write_text(ROSTER + "stranger,,Stranger,S9,s9,C\n", encoding="utf-8")
    again = _grade(subs, tmp_path / "out", roster=load_roster(fixed))
    assert sorted(again.reused) == ["2024001", "2024002", "stranger"]
    assert again.unmatched == [] and not again.get("stranger").problems, \
        "a result kept from before the roster was fixed loses its not_on_roster problem"
    assert again.get("stranger").identity == Identity("stranger.zip", "Stranger", "S9", "s9", "C")
    record = (tmp_path / "out" / "students" / "stranger" / "result.json").read_text(encoding="utf-8")
    assert "not_on_roster" not in record and "Stranger" in record, "and its result.json is rewritten"


def test_a_roster_giving_one_id_twice_gets_two_stable_ids(tmp_path: Path) -> None:
    subs = [zip_submission(tmp_path / "zips", name, VARIANTS["complete"]) for name in ("a", "b")]
    roster = parse_roster("submission,id\na,same\nb,same\n", "r.csv")
    batch = _grade(subs, tmp_path / "out", roster=roster)
    assert sorted(s.student for s in batch.submissions) == sorted(
        [f"same-{short_hash('a.zip')}", f"same-{short_hash('b.zip')}"])
    assert all([p.code for p in s.problems] == ["id_collision"] for s in batch.submissions)


def test_the_cli_refuses_a_malformed_roster_before_grading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(grade_cli, "grade_batch", functools.partial(grade_batch, prepare=fake_prepare))
    sub = zip_submission(tmp_path / "zips", "alice", VARIANTS["complete"])
    roster = tmp_path / "roster.csv"
    roster.write_text("name,id\nalice,1\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["grade", str(sub), "--out", str(out), "--suite", str(SUITE), "--roster", str(roster)])
    err = capsys.readouterr().err
    assert code == 1 and "no 'submission' column" in err and len(err.strip().splitlines()) == 1, err
    assert not out.exists(), "nothing ran"
