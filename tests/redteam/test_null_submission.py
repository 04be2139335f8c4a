"""A null submission earns zero, on every test of the default suite.

Issue 11, item 5: a test that gives points to a submission that does nothing gives them
to every student. Three null submissions (see ``null_support.py``), graded in one batch
(``-j 2``) through the real pipeline against the default suite (every hidden test plus
the grader's copy of the visible tests), must each score 0 on every test:

* ``null-empty``: every contract module is an empty file;
* ``null-none``: every function of the stubs, same signature, returns ``None``;
* ``null-raise``: every function of the stubs, same signature, raises ``RuntimeError("null")``.

An empty ``04_smtp/send.py`` used to score 2 points: the certificate tests accepted any
exception, "send_email is not defined" included. A test that *skips* on a null submission
hands out points too (its weight leaves the maximum), so skips are reported alongside; and
every test must reach a verdict (fail, not error or timeout), or it was never tried.
"""

from __future__ import annotations

import ast
import inspect
import time

import pytest
from null_support import CONTRACT, NULL_KINDS, REPO, STUBS, null_module, null_submission, stub_functions

from grader.cli.grade import default_suite
from grader.grade.batch import grade_batch
from grader.report.model import BatchResult, Status

BATCH_BOUND = 300.0
"""Seconds for the three null submissions together on a busy 2-core machine (40-60 s measured)."""

pytestmark = pytest.mark.timeout(BATCH_BOUND + 60)  # the batch runs in the first graded test's setup


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[BatchResult, float]:
    base = tmp_path_factory.mktemp("null")
    subs = [null_submission(base / f"null-{kind}", STUBS, CONTRACT, kind) for kind in NULL_KINDS]
    started = time.monotonic()
    batch = grade_batch(subs, base / "out", suite=default_suite(REPO), jobs=2, progress=False)
    return batch, time.monotonic() - started


@pytest.mark.parametrize("module", CONTRACT)
def test_the_null_modules_define_what_the_stub_defines(module: str) -> None:
    """The ``none``/``raise`` modules are the stub's functions with null bodies, or the test proves little."""
    stub = (STUBS / module).read_text(encoding="utf-8")
    want = {f.name: ast.dump(f.args) for f in stub_functions(stub)}
    assert want, f"the stub {module} defines no function"
    assert null_module(stub, "empty") == ""
    for kind in ("none", "raise"):
        text = null_module(stub, kind)
        assert {f.name: ast.dump(f.args) for f in stub_functions(text)} == want
        namespace: dict[str, object] = {}
        exec(compile(text, f"null-{kind}/{module}", "exec"), namespace)  # our own two-line functions
        for name in want:
            func = namespace[name]
            assert callable(func)
            params = inspect.signature(func).parameters.values()
            args = {p.name: None for p in params if p.default is p.empty
                    and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
            if kind == "none":
                assert func(**args) is None
            else:
                with pytest.raises(RuntimeError, match="^null$"):
                    func(**args)


@pytest.mark.parametrize("kind", NULL_KINDS)
def test_a_null_submission_earns_zero_on_every_test(kind: str, graded: tuple[BatchResult, float]) -> None:
    batch, seconds = graded
    result = batch.get(f"null-{kind}")
    assert result.tests, f"null-{kind}: no test ran: {result.problems} {result.notes}"
    exercises = {m.removesuffix(".py") for m in CONTRACT}
    assert set(result.exercises()) == exercises, set(result.exercises()) ^ exercises
    free = [f"{t.nodeid}: {t.earned:g} point(s): {t.message[:200]!r}" for t in result.tests if t.earned]
    assert not free, (f"null-{kind} earned {result.score:g} point(s) from these tests (a submission that "
                      f"does nothing must earn none):\n" + "\n".join(free))
    skipped = [f"{t.nodeid}: {t.message[:200]!r}" for t in result.tests if t.status is Status.SKIPPED]
    assert not skipped, (f"null-{kind}: these tests skipped, so their points left the maximum "
                         f"({result.max_score:g}) instead of being lost:\n" + "\n".join(skipped))
    # An error or a timeout earns nothing too, but says nothing: the test never got to judge
    # the null code (a broken harness would make every test "pass" this check vacuously).
    unjudged = [f"{t.nodeid}: {t.status.value}: {t.message[:200]!r}" for t in result.tests
                if t.status not in (Status.FAIL, Status.SKIPPED)]
    assert not unjudged, (f"null-{kind}: these tests reached no verdict, so they were not shown to "
                          f"give nothing:\n" + "\n".join(unjudged))
    assert result.score == 0 and result.max_score > 0
    print(f"\nnull-{kind}: {len(result.tests)} tests, 0 of {result.max_score:g} points, "
          f"{result.duration:.1f} s (batch {seconds:.1f} s)")
