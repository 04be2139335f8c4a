"""Each hand-written buggy submission loses points on its own exercise only, with the mistake named.

A buggy submission is the reference solutions with one module replaced by
``buggy/<mistake>/<unit>/<module>.py``. All buggy submissions of a unit are graded
in one batch through the real pipeline (prepare, sandbox, one pytest process per
submission, the collect plugin), against that unit's hidden and visible tests,
with the untouched reference alongside as a control.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader.grade.batch import grade_batch
from grader.messages.mistakes import MISTAKES
from grader.report.model import BatchResult, Status

REPO = Path(__file__).resolve().parents[2]
BUGGY = Path(__file__).with_name("buggy")
CORRECT = Path(__file__).with_name("correct")


@dataclass(frozen=True)
class Case:
    mistake: str
    unit: str
    module: str  # "01_udp/udp_client.py"

    @property
    def exercise(self) -> str:
        return self.module.removesuffix(".py")

    @property
    def student(self) -> str:
        return f"{self.mistake}-{Path(self.module).stem}"


def cases() -> list[Case]:
    found = []
    for path in sorted(BUGGY.glob("*/*/*.py")):
        mistake, unit = path.parts[-3], path.parts[-2]
        found.append(Case(mistake, unit, f"{unit}/{path.name}"))
    return found


def submission(base: Path, name: str, overrides: list[Path]) -> Path:
    """The reference solutions with ``overrides`` (``.../<unit>/<module>.py``) put in place."""
    folder = base / name
    shutil.copytree(REPO / "solutions", folder, ignore=shutil.ignore_patterns("__pycache__"))
    for path in overrides:
        shutil.copy(path, folder / path.parent.name / path.name)
    return folder


@pytest.fixture(scope="module")
def graded_unit(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], BatchResult]:
    """Grade all buggy submissions of a unit once (plus the reference), on first use."""
    batches: dict[str, BatchResult] = {}

    def grade(unit: str) -> BatchResult:
        if unit not in batches:
            base = tmp_path_factory.mktemp(f"subs-{unit}")
            subs = [submission(base, "reference", [])]
            subs += [submission(base, c.student, [BUGGY / c.mistake / c.module])
                     for c in cases() if c.unit == unit]
            subs += [submission(base, f"correct-{p.parts[-3]}", [p])
                     for p in sorted(CORRECT.glob(f"*/{unit}/*.py"))]
            visible = sorted((REPO / "exercises" / unit).glob("test_*.py"))
            suite = [REPO / "grader" / "hidden" / unit, *visible]
            batches[unit] = grade_batch(subs, tmp_path_factory.mktemp(f"out-{unit}"), suite=suite, jobs=2,
                                        progress=False, timeout_per_submission=240)
        return batches[unit]

    return grade


def test_every_buggy_submission_names_a_catalogued_mistake() -> None:
    assert cases(), "no buggy submissions found"
    unknown = sorted({c.mistake for c in cases()} - set(MISTAKES))
    assert not unknown, f"buggy folders must be named after a mistake id in mistakes.py: {unknown}"


def test_every_catalogued_mistake_has_a_buggy_submission() -> None:
    missing = sorted(set(MISTAKES) - {c.mistake for c in cases()})
    assert not missing, f"no buggy submission demonstrates: {missing}"


# The first test of a unit grades that unit's whole batch (it is shared by the rest).
@pytest.mark.timeout(900)
@pytest.mark.parametrize("case", cases(), ids=lambda c: f"{c.mistake}-{c.exercise}")
def test_buggy_submission_loses_points_on_its_exercise_only(case: Case, graded_unit) -> None:
    result = graded_unit(case.unit).get(case.student)
    failed = [t for t in result.tests if t.status not in (Status.PASS, Status.SKIPPED)]
    assert failed, f"{case.mistake}: the buggy {case.module} passed every test: no test catches it"
    elsewhere = [f"{t.nodeid}: {t.message[:300]}" for t in failed if t.exercise != case.exercise]
    assert not elsewhere, (f"{case.mistake} must only cost points on {case.exercise}, but:\n"
                           + "\n".join(elsewhere))
    title = MISTAKES[case.mistake]["en"][0]
    assert any(title in t.message for t in failed), (
        f"no failing test names the mistake {title!r}; messages were:\n"
        + "\n---\n".join(f"{t.nodeid}: {t.message[:500]}" for t in failed)
    )


@pytest.mark.timeout(900)
@pytest.mark.parametrize("unit", sorted({c.unit for c in cases()}))
def test_reference_and_correct_variants_get_full_marks(unit: str, graded_unit) -> None:
    batch = graded_unit(unit)
    for result in batch.submissions:
        if result.student == "reference" or result.student.startswith("correct-"):
            lost = [f"{t.nodeid}: {t.status.value}: {t.message[:300]}" for t in result.tests if not t.passed
                    and t.status != Status.SKIPPED]
            assert not lost, f"{result.student} must pass every {unit} test, but:\n" + "\n".join(lost)
            assert result.score == result.max_score > 0
