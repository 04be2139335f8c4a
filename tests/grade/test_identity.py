"""A student's id is a pure function of their submission's name: every script kept, never drifting.

The batch test is the issue's class: ``张三.zip``, ``李四.zip``, ``2024001_张三.zip``,
``_victim.zip`` + ``victim.zip`` + ``Victim.zip`` and an empty folder, graded, then
re-graded after one more student was added: every row keeps its person.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from grading_support import SUITE, VARIANTS, fake_prepare, zip_submission

from grader.grade import grade_batch
from grader.grade.batch import Prepared, _assign_ids, sanitise_id
from grader.grade.identity import MAX_LENGTH, collision_key, disambiguated, short_hash, strip_zip, student_id
from grader.report import BatchResult

HEX = re.compile(r"-[0-9a-f]{6}$")


@pytest.mark.parametrize(("name", "expected"), [
    ("_victim.zip", "_victim"),
    ("victim.zip", "victim"),
    ("张三.zip", "张三"),
    ("José.zip", "José"),
    ("2024001_张三.zip", "2024001_张三"),
    ("李四", "李四"),
    ("a.b.c.ZIP", "a.b.c"),
    ("grades.csv", "grades.csv"),
    ("नमस्ते.zip", "नमस्ते"),  # combining marks after a letter are part of the name
])
def test_a_name_that_is_already_safe_is_its_own_id(name: str, expected: str) -> None:
    assert student_id(name) == expected


@pytest.mark.parametrize(("name", "stem"), [
    ("Ana Maria.zip", "Ana_Maria"),
    ("=cmd.zip", "_cmd"),
    ("+1.zip", "_1"),
    ("@sum.zip", "_sum"),
    ("", "student"),
    (".zip", "student"),
    (".hidden", "_hidden"),
    ("-rf", "_rf"),
    ("..", "_"),
    ("../../etc", "__.._etc"),
    ("a.", "a_"),
    ("CON", "_CON"),
    ("nul.txt", "_nul.txt"),
    ("com1.zip", "_com1"),
    ("<script>x", "_script_x"),
])
def test_a_name_that_had_to_change_gets_a_hash_of_itself(name: str, stem: str) -> None:
    """Lossy: ``-`` and 6 hex digits of sha256 of the NFC name without ``.zip``: still that name's alone."""
    nfc = unicodedata.normalize("NFC", name)
    assert student_id(name) == f"{stem}-{short_hash(strip_zip(nfc))}"


def test_a_folder_and_its_zip_are_one_student_whatever_the_name() -> None:
    """``alice`` and ``alice.zip`` are one id; so are ``Ana Maria`` and ``Ana Maria.zip`` (hashed alike)."""
    assert student_id("alice") == student_id("alice.zip") == "alice"
    assert student_id("Ana Maria") == student_id("Ana Maria.zip") != student_id("Ana_Maria")


def test_a_decomposed_name_from_a_mac_zip_is_the_same_name() -> None:
    nfd = unicodedata.normalize("NFD", "José.zip")
    assert nfd != "José.zip"
    assert student_id(nfd) == "José" == student_id("José.zip"), "NFD is the same name, not a lossy one"


def test_a_long_name_is_cut_with_its_hash() -> None:
    long = "张" * 100 + ".zip"
    got = student_id(long)
    assert len(got) == MAX_LENGTH and HEX.search(got), got
    assert student_id("张" * 99 + "李.zip") != got, "two long names sharing 64 characters stay two ids"


def test_sanitise_id_is_the_same_function() -> None:
    assert sanitise_id("Ana Maria.zip") == student_id("Ana Maria.zip")


ALPHABET = (list("abcXYZ019") + list("张三李四王五") + [" ", ".", "-", "_", "=", "+", "@", "/", ":", "é", "É"]
            + ["\u0301", "😀", "🎉", "\u200b", "\t", "ß", "İ"])


def _random_names(count: int) -> list[str]:
    rng = random.Random(20240601)
    names: set[str] = set()
    while len(names) < count:
        size = rng.choice([0, 1, 2, 3, 5, 8, 12, 70])
        name = "".join(rng.choice(ALPHABET) for _ in range(size))
        names.add(name + rng.choice(["", "", ".zip", ".ZIP"]))
    return sorted(names)


def _valid_folder_name(student: str) -> bool:
    return (bool(student) and len(student) <= MAX_LENGTH and student[0] not in ".-=+@"
            and not student.endswith((".", " ")) and not re.search(r'[<>:"/\\|?*\x00-\x1f]', student)
            and student.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"})


def test_two_thousand_random_names_never_share_an_id_unless_they_are_the_same_name(tmp_path: Path) -> None:
    names = _random_names(2000)
    by_key: dict[str, set[str]] = {}
    for name in names:
        student = student_id(name)
        assert _valid_folder_name(student), f"{name!r} -> {student!r} is no valid folder name"
        assert student == student_id(name), "a pure function"
        same_name = unicodedata.normalize("NFC", strip_zip(unicodedata.normalize("NFC", name))).casefold()
        by_key.setdefault(collision_key(student), set()).add(unicodedata.normalize("NFC", same_name))
    shared = {key: forms for key, forms in by_key.items() if len(forms) > 1}
    assert not shared, f"different names got one id: {shared}"
    for name in names[:300]:  # the ids really are folder names here
        (tmp_path / student_id(name)).mkdir(exist_ok=True)


def test_a_collision_suffix_is_of_the_raw_name_and_stays_short() -> None:
    assert disambiguated("victim", "Victim.zip") == f"victim-{short_hash('Victim.zip')}"
    assert len(disambiguated("x" * MAX_LENGTH, "x.zip")) == MAX_LENGTH


# -- the class of the issue -----------------------------------------------------------------------

CLASS = {
    "张三": "complete",
    "李四": "half",
    "2024001_张三": "stub",
    "_victim": "half",
}


def _prepare(source: Path, workdir: Path) -> Any:
    """fake_prepare, plus the ``empty`` problem real preparation gives a folder with no .py file at all."""
    if source.is_dir() and not any(p.suffix == ".py" for p in source.rglob("*")):
        return SimpleNamespace(student="empty", root=None, content_hash="",
                               problems=[SimpleNamespace(code="empty", path="", message="nothing in it")])
    return fake_prepare(source, workdir)


def _grade(subs: list[Path], out: Path, **options: Any) -> BatchResult:
    return grade_batch(subs, out, suite=[SUITE], prepare=_prepare, progress=False, jobs=2,
                       timeout_per_submission=30, test_timeout=30, **options)


@pytest.fixture(scope="module")
def klass(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    base = tmp_path_factory.mktemp("class")
    subs = [zip_submission(base / "zips", name, VARIANTS[variant]) for name, variant in CLASS.items()]
    # Two folders: victim.zip and Victim.zip cannot sit side by side on Windows or macOS.
    subs.append(zip_submission(base / "a", "victim", VARIANTS["complete"]))
    subs.append(zip_submission(base / "b", "Victim", VARIANTS["stub"]))
    empty = base / "zips" / "empty_folder"
    (empty / "notes").mkdir(parents=True)
    (empty / "notes" / "readme.txt").write_text("nothing here yet", encoding="utf-8")
    subs.append(empty)
    return subs


def _rows(batch: BatchResult) -> dict[str, tuple[str, float]]:
    return {s.student: (s.identity.submission, s.score) for s in batch.submissions}


def test_the_class_keeps_every_name_and_every_person(tmp_path: Path, klass: list[Path]) -> None:
    out = tmp_path / "out"
    first = _grade(klass, out)
    victim, big_victim = f"victim-{short_hash('victim.zip')}", f"Victim-{short_hash('Victim.zip')}"
    assert _rows(first) == {
        "张三": ("张三.zip", 10), "李四": ("李四.zip", 5), "2024001_张三": ("2024001_张三.zip", 0),
        "_victim": ("_victim.zip", 5), victim: ("victim.zip", 10), big_victim: ("Victim.zip", 0),
    }, "every id is its own name's; victim and Victim both get a stable suffix"

    record = json.loads((out / "students" / "2024001_张三" / "result.json").read_text(encoding="utf-8"))
    assert record["student"] == "2024001_张三" and record["identity"]["submission"] == "2024001_张三.zip"

    for student, other in ((victim, "Victim.zip"), (big_victim, "victim.zip")):
        problems = [p for p in first.get(student).problems if p.code == "id_collision"]
        assert len(problems) == 1 and other in problems[0].message, first.get(student).problems
    assert not [p for p in first.get("_victim").problems if p.code == "id_collision"], \
        "_victim is no collision of victim's"

    assert [(p.code, p.path) for p in first.skipped] == [("empty", "empty_folder")]
    assert "empty_folder" not in {s.identity.submission for s in first.submissions}
    folders = [p.name for p in (out / "students").iterdir()]
    assert not [name for name in folders if "empty" in name], f"no folder for an empty submission: {folders}"

    late = zip_submission(tmp_path / "late", "王五", VARIANTS["half"])
    again = _grade([late, *klass], out)
    rows = _rows(again)
    assert rows.pop("王五") == ("王五.zip", 5)
    assert rows == _rows(first), "adding a student changes nobody else's row"
    assert sorted(again.reused) == sorted(_rows(first)), "and every earlier result is kept as it was"
    assert [p.code for p in again.get(victim).problems] == ["id_collision"], \
        "a kept result still reports its collision, once"


def test_a_collision_with_a_folder_of_the_same_name_is_reported(tmp_path: Path) -> None:
    zipped = zip_submission(tmp_path / "zips", "alice", VARIANTS["complete"])
    folder = tmp_path / "folders" / "alice"
    (folder / "99_demo").mkdir(parents=True)
    (folder / "99_demo" / "demo.py").write_text(VARIANTS["stub"], encoding="utf-8")
    batch = _grade([zipped, folder], tmp_path / "out")
    assert sorted(_rows(batch).values()) == [("alice", 0), ("alice.zip", 10)]
    expected = [f"alice-{short_hash('alice')}", f"alice-{short_hash('alice.zip')}"]
    assert sorted(_rows(batch)) == sorted(expected)


def _ids(*paths: str) -> dict[str, tuple[str, list[str]]]:
    items = [Prepared(Path(p), student_id(Path(p).name), None) for p in paths]
    _assign_ids(list(reversed(items)), None)
    return {str(item.source): (item.student, [p.code for p in item.identity_problems]) for item in items}


def test_ids_are_separated_whatever_the_order_even_against_a_name_chosen_to_collide() -> None:
    crafted = f"victim-{short_hash('victim.zip')}.zip"  # named after the id victim.zip would get
    paths = ["a/victim.zip", "b/Victim.zip", f"c/{crafted}", "d/x.zip", "e/x.zip", "f/alice.zip"]
    got = _ids(*paths)
    assert got == _ids(*reversed(paths)), "the order submissions come in changes nothing"
    ids = [student for student, _ in got.values()]
    assert len({collision_key(s) for s in ids}) == len(paths), f"a folder each: {got}"
    assert got["f/alice.zip"] == ("alice", []), "a student nobody collides with keeps the plain id"
    for path in paths[:5]:
        assert got[path][1] == ["id_collision"], f"{path} is told about its collision: {got}"
