"""The real default suite (every hidden and visible test) against the reference and the stubs.

The issue's first "done when": the reference solutions score full marks and the untouched
stubs score zero, graded together in one batch with ``-j 2`` through the real pipeline
(prepare, sandbox, one pytest process each, the collect plugin). A stub must also fail
*fast* everywhere: a test that sits out a deadline after the student's child has already
died would make a class of unfinished submissions take hours.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from grader.cli.grade import default_suite
from grader.grade.batch import grade_batch
from grader.report.model import BatchResult, Status
from grader.sandbox import contract_modules

REPO = Path(__file__).resolve().parents[2]
STUB_TEST_LIMIT = 5.0
"""Seconds one test may take against a stub: far below any deadline a test could be waiting out."""
BATCH_BOUND = 300.0

pytestmark = pytest.mark.timeout(BATCH_BOUND + 60)  # the batch runs in the first test's setup


def copy_modules(source: Path, target: Path) -> Path:
    """Only the contract's module files, as a student hands them in."""
    for module in contract_modules():
        (target / module).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source / module, target / module)
    return target


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[BatchResult, float]:
    base = tmp_path_factory.mktemp("full")
    subs = [copy_modules(REPO / "solutions", base / "reference"),
            copy_modules(REPO / "exercises", base / "stubs")]
    started = time.monotonic()
    batch = grade_batch(subs, base / "out", suite=default_suite(REPO), jobs=2, progress=False)
    return batch, time.monotonic() - started


def test_the_default_suite_is_every_hidden_and_visible_test(graded: tuple[BatchResult, float]) -> None:
    batch, _ = graded
    nodeids = [t.nodeid for t in batch.get("reference").tests]
    units = sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir())
    for unit in units:
        assert any(n.startswith(f"grader/hidden/{unit}/") for n in nodeids), f"no hidden test of {unit}"
        assert any(n.startswith(f"exercises/{unit}/") for n in nodeids), f"no visible test of {unit}"
    exercises = {m.removesuffix(".py") for m in contract_modules()}
    assert set(batch.exercises()) == exercises, set(batch.exercises()) ^ exercises


def test_the_reference_scores_full_marks(graded: tuple[BatchResult, float]) -> None:
    batch, seconds = graded
    reference = batch.get("reference")
    lost = [f"{t.nodeid}: {t.status.value}: {t.message[:400]}" for t in reference.tests
            if t.status not in (Status.PASS, Status.SKIPPED)]
    assert not lost, "the reference must pass every test, but:\n" + "\n".join(lost)
    assert reference.score == reference.max_score > 0
    assert not reference.problems, reference.problems
    print(f"\nfull suite: {len(reference.tests)} tests; batch {seconds:.1f} s, "
          f"reference {reference.duration:.1f} s, stubs {batch.get('stubs').duration:.1f} s")


def test_the_stubs_score_zero_saying_not_implemented(graded: tuple[BatchResult, float]) -> None:
    batch, _ = graded
    stubs = batch.get("stubs")
    assert stubs.score == 0 and stubs.max_score == batch.get("reference").max_score
    assert not stubs.problems, stubs.problems
    odd = [f"{t.nodeid}: {t.status.value}: {t.message[:300]}" for t in stubs.tests
           if t.status is not Status.FAIL or "is not implemented yet" not in t.message]
    assert not odd, "every test must fail on a stub by saying what is not implemented:\n" + "\n".join(odd)


def test_a_stub_fails_fast_everywhere(graded: tuple[BatchResult, float]) -> None:
    batch, seconds = graded
    stubs = batch.get("stubs")
    slow = [f"{t.nodeid}: {t.duration:.1f} s" for t in stubs.tests if t.duration > STUB_TEST_LIMIT]
    assert not slow, ("these tests wait for something after the stub's child has already died:\n"
                      + "\n".join(slow))
    assert seconds < BATCH_BOUND, f"grading the reference and the stubs took {seconds:.0f} s"
