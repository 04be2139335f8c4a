"""The benchmark's own code: seeded classes, well-formed tables, a quick run end to end.

Nothing here asserts a time (the machine decides those); what must hold is that the
benchmark grades what it says it grades and writes a file a reader can trust.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # bench/ is a folder of the checkout, not an installed package
    sys.path.insert(0, str(REPO))

from bench import notebooks, report, submissions  # noqa: E402
from bench.run import main  # noqa: E402
from bench.sections import Config, bench_bulk  # noqa: E402


def table_rows(text: str, first_header: str) -> list[list[str]]:
    """The rows of the Markdown table whose first header cell is ``first_header``; checks its shape."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    width = len(cells(lines[start]))
    assert re.fullmatch(r"\|(---\|)+", lines[start + 1]), f"no separator under {lines[start]!r}"
    assert len(cells(lines[start + 1])) == width
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        assert len(cells(line)) == width, f"a row with the wrong number of cells: {line!r}"
        rows.append(cells(line))
    return rows


def cells(line: str) -> list[str]:
    """A table line's cells (an escaped ``\\|`` is part of a cell)."""
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def test_a_generated_class_is_seeded_and_grows_by_adding_students(tmp_path: Path) -> None:
    small = submissions.generate(tmp_path / "a", 3, seed=7)
    again = submissions.generate(tmp_path / "b", 5, seed=7)
    assert [p.name for p in small] == ["s000", "s001", "s002"]
    for one, other in zip(small, again[:3], strict=True):
        for module in submissions.modules():
            assert (one / module).read_bytes() == (other / module).read_bytes(), f"{one.name}/{module}"
    mixes = [submissions.random_mix(7, i) for i in range(40)]
    used = {choice.split(":")[0] for mix in mixes for choice in mix.values()}
    assert used == {"solution", "stub", "buggy"}, "a class mixes solved, unstarted and buggy modules"
    assert submissions.random_mix(8, 0) != submissions.random_mix(7, 0) or submissions.random_mix(
        8, 1
    ) != submissions.random_mix(7, 1), "another seed gives another class"
    for module, choice in submissions.random_mix(7, 2).items():
        source = submissions.source_file(submissions.REPO, module, choice)
        assert (small[2] / module).read_bytes() == source.read_bytes()


def test_the_half_done_submission_has_solutions_stubs_and_the_named_bugs(tmp_path: Path) -> None:
    mix = submissions.half_done_mix()
    assert mix["05_pop3/receive.py"] == "stub" and mix["00_basics/wire.py"] == "solution"
    assert sorted(c for c in mix.values() if c.startswith("buggy:")) == [
        "buggy:no_udp_timeout",
        "buggy:single_recv",
    ]
    folder = submissions.write_submission(tmp_path / "half", mix)
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*.py")) == sorted(submissions.modules())


def test_tables_are_well_formed_and_only_reruns_replace_their_section(tmp_path: Path) -> None:
    table = report.Table(["a", "b"])
    table.add("x|y", 1)
    with pytest.raises(ValueError):
        table.add("too", "many", "cells")
    out = tmp_path / "R.md"
    report.write(
        out, report.header(["first"]), [report.Section("one", "One", blocks=[table])], ["one", "two"]
    )
    report.write(out, report.header(["second"]), [report.Section("two", "Two")], ["one", "two"])
    text = out.read_text(encoding="utf-8")
    assert "second" in text and "first" not in text, "the header is always the latest"
    assert text.index("## One") < text.index("## Two"), "sections keep their order"
    assert table_rows(text, "a") == [["x\\|y", "1"]], "a | in a cell is escaped"


def test_a_quick_servers_run_writes_the_machine_and_every_server(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    assert main(["--quick", "--only", "servers", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert re.search(r"\| CPU cores \| \d+ \|", text) and f"| Python | {sys.version.split()[0]}" in text
    rows = table_rows(text, "server")
    names = [row[0] for row in rows]
    for server in ("FTPServer", "SMTPServer", "POP3Server", "UDPPeer", "TCPPeer"):
        assert server in names, f"{server} was not measured: {names}"
    for row in rows:
        assert all(re.fullmatch(r"[\d.]+", cell) for cell in row[1:4]), f"not a number in {row}"
        assert row[-1] == "0", f"{row[0]} left threads behind"


def test_a_tiny_bulk_run_grades_the_class_and_compares_grades(tmp_path: Path) -> None:
    messages: list[str] = []
    cfg = Config.make(
        REPO,
        tmp_path,
        quick=True,
        bulk_counts=(1, 2),
        bulk_jobs=(1,),
        before_counts=(),
        nb_count=1,
        suite=[REPO / "exercises" / "00_basics" / "test_wire.py"],
        log=messages.append,
    )
    section = bench_bulk(cfg)
    text = section.markdown()
    rows = table_rows(text, "submissions")
    assert [(r[0], r[1], r[2]) for r in rows] == [("1", "1", "on"), ("2", "1", "on")], rows
    for row in rows:
        assert float(row[4]) > 0 and float(row[6]) > 0, f"no time or throughput in {row}"
    assert "the run failed" not in text, text
    assert "grades.csv identical" in text
    assert cfg.shared["netlings_nb"][1].grades, "the nbgrader comparison gets the 1-submission grades"


def test_a_student_notebook_holds_the_submission_modules(tmp_path: Path) -> None:
    (tmp_path / "01_udp").mkdir()
    (tmp_path / "01_udp" / "udp_client.py").write_text("def udp_request():\n    return 1\n", encoding="utf-8")
    release = {
        "cells": [
            {"cell_type": "markdown", "source": "%%netlings 01_udp/udp_client.py\n"},
            {
                "cell_type": "code",
                "source": ["%%netlings 01_udp/udp_client.py\n", "raise NotImplementedError\n"],
            },
            {"cell_type": "code", "source": "%%netlings 01_udp/udp_server.py\nraise NotImplementedError\n"},
            {
                "cell_type": "code",
                "source": "%%netlings_tests exercises/01_udp/test_udp_client.py --points 1\n",
            },
        ]
    }
    notebook, filled = notebooks.student_notebook(release, tmp_path)
    assert filled == 1
    assert (
        notebook["cells"][1]["source"]
        == "%%netlings 01_udp/udp_client.py\ndef udp_request():\n    return 1\n"
    )
    assert notebook["cells"][2]["source"].endswith("raise NotImplementedError\n"), (
        "a missing module stays a stub"
    )
    assert notebook["cells"][0] == release["cells"][0] and notebook["cells"][3] == release["cells"][3]
    assert release["cells"][1]["source"][1] == "raise NotImplementedError\n", "the release is not changed"


def test_the_header_names_what_was_measured_not_where_it_went() -> None:
    from bench.run import describe_command

    argv = ["--only", "grade", "--out", "/tmp/x.md", "--keep=/tmp/w", "--runs", "5", "--label", "abc"]
    assert describe_command(argv) == "python -m bench --only grade --runs 5"


def test_ab_grades_both_checkouts_in_turn_and_writes_one_row(tmp_path: Path) -> None:
    """bench.ab against the same checkout twice, on the small sample suite: a well-formed row."""
    from bench import ab

    submission = tmp_path / "alice"
    (submission / "99_demo").mkdir(parents=True)
    suite = REPO / "tests" / "grade" / "sample_suite"
    (submission / "99_demo" / "demo.py").write_bytes((suite / "99_demo" / "demo.py").read_bytes())
    text = ab.compare(REPO, REPO, submission, 1, ["--suite", str(suite), "--unsafe-shared-host"])
    rows = table_rows(text, "submission")
    assert len(rows) == 1 and rows[0][0] == "alice", rows
    assert re.fullmatch(r"[+-]\d+\.\d %", rows[0][3]), rows
    assert "1 rounds, interleaved; load average" in text
