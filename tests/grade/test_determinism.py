"""Grading the same submission 10 times gives the same score every time (the issue's last "done when").

The submission is examples/submissions/bob, a typical half-done one: some functions
done, some TODOs, so passes and failures both have to come out the same way. The suite
is the two units where bob's work is half done and the tests talk to fake servers over
the network (01_udp, 03_ftp): if timing could change a verdict, it would show there.
The 10 gradings are two batches of five copies, ``-j 2``, the second one ``--force``d
into the same output folder, so parallel runs and re-grades are both compared.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.grade.batch import grade_batch
from grader.report.model import SubmissionResult

REPO = Path(__file__).resolve().parents[2]
BOB = REPO / "examples" / "submissions" / "bob"
UNITS = ("01_udp", "03_ftp")
COPIES = 5

pytestmark = pytest.mark.timeout(360)


def suite() -> list[Path]:
    paths: list[Path] = []
    for unit in UNITS:
        paths += [REPO / "grader" / "hidden" / unit, *sorted((REPO / "exercises" / unit).glob("test_*.py"))]
    return paths


def verdicts(result: SubmissionResult) -> dict[str, tuple[str, float]]:
    return {t.nodeid: (t.status.value, t.earned) for t in result.tests}


def test_ten_gradings_of_one_submission_agree(tmp_path: Path) -> None:
    subs = [shutil.copytree(BOB, tmp_path / "class" / f"bob{i}") for i in range(1, COPIES + 1)]
    out = tmp_path / "out"
    results: list[SubmissionResult] = []
    for run in range(2):
        batch = grade_batch(subs, out, suite=suite(), jobs=2, force=True, progress=False)
        assert not batch.reused, f"run {run + 1}: --force must re-grade every copy"
        results += batch.submissions
    assert len(results) == 2 * COPIES

    first = results[0]
    assert 0 < first.score < first.max_score, f"bob is half done: {first.score}/{first.max_score}"
    scores = sorted({r.score for r in results})
    assert scores == [first.score], f"10 gradings gave different scores: {[r.score for r in results]}"
    for result in results[1:]:
        differ = {n: (v, verdicts(first)[n]) for n, v in verdicts(result).items() if verdicts(first)[n] != v}
        assert not differ, f"{result.student}: per-test verdicts differ from {first.student}'s: {differ}"
        assert result.exercise_scores() == first.exercise_scores()
        assert result.content_hash == first.content_hash and result.suite_hash == first.suite_hash
