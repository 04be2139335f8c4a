"""``grade_batch``: prepare, run and report every submission of a class, in parallel, resumably.

Why it is built this way:

* The suite is collected once (:func:`~grader.grade.runner.collect_suite`); every
  submission's result is laid over that canonical list, so every student gets a row for
  every test, whatever happened to their run.
* Submissions are prepared first (safe extraction, pre-flight; cheap). A student's id is
  a pure function of the submission's own name (:mod:`grader.grade.identity`), or the
  roster's id (``--roster``, :mod:`grader.grade.roster`): never the order, never the
  other students. Two submissions whose ids would be one folder (``Victim.zip``,
  ``victim.zip``) both get an id with a hash of their own raw name, the same on every
  run, and a problem saying so. An empty submission (prepare's ``empty`` problem) is
  not graded and gets no row: it is listed in ``BatchResult.skipped``.
* ``-j N`` is a thread pool whose threads each wait on one pytest process: the work is
  in the processes, the threads only wait.
* One student never stops the class: every step of one submission (prepare, grade,
  write its files, remove its scratch folder) catches everything it raises, including
  ``RecursionError`` and ``MemoryError`` (all but the instructor's own Ctrl-C of the batch,
  see :func:`_is_stop`), and makes it that student's verdict: an error on every test and a
  note, without a content hash, so the next run tries again. grades.csv and summary.md
  are always written, with a row for every student.
* Each student's files live in ``OUT/students/<id>/`` (see :mod:`grader.report.writers`):
  an id is a name the student chose (``grades.csv.zip``), so it never sits beside the
  class files.
* Each student's files are written atomically as soon as they are graded, result.json
  last, so an interrupted batch resumes where it stopped: a ``result.json`` with the
  same content hash and suite hash is kept unless ``force``.
* Students graded at the same time must not reach each other (the red team in
  tests/redteam/ tries): each submission's student code runs in a box of its own
  (:mod:`grader.sandbox.bwrap`) and, as root, each worker drops its student children to a
  user of its own (:func:`grader.sandbox.users.claim_workers`), so one student's processes
  never count against another's process limit nor own another's files; and every submission's scratch
  folder has an unguessable name inside a batch folder nobody else may list, its clean
  root (``work/``) is private to the grader, and the harness's copies for student
  children live under it (see :func:`~grader.grade.runner.grade_prepared`), so no
  student's code can find, read or change another student's files.
* One language per batch (``lang``, default the current one: ``--lang`` /
  ``NETLINGS_LANG`` / the locale): the pytest processes, the sandbox's problems, the
  notes, the feedback and summary.md all speak it, and each result.json records it, so
  a result graded in another language is re-graded, never mixed into this batch.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import secrets
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..messages import LANGUAGES, current_language, msg
from ..report.history import changes
from ..report.model import IDENTITY_CODES, BatchResult, Identity, Problem, Status, SubmissionResult
from ..report.scale import course_weights
from ..report.writers import RESULT_NAME, make_out, student_folder, write_batch, write_submission
from ..sandbox.cleanup import remove_tree
from ..sandbox.users import WorkerUsers
from .identity import collision_key, disambiguated, student_id
from .roster import Roster
from .runner import (
    DEFAULT_TEST_TIMEOUT,
    LANG_ENV,
    RUNNING,
    Suite,
    SuiteError,
    Wrap,
    canonical_results,
    collect_suite,
    grade_prepared,
)

PrepareFn = Callable[[Path, Path], Any]


def prepare_submission(source: Path, workdir: Path) -> Any:
    """The sandbox's ``prepare_submission``, imported when first used (it lives in grader/sandbox/)."""
    from ..sandbox import prepare_submission as real  # type: ignore[attr-defined]

    return real(source, workdir)


def sanitise_id(name: str) -> str:
    """A student id that is a safe folder name on every OS: :func:`grader.grade.identity.student_id`."""
    return student_id(name)


# IDENTITY_CODES (report.model): problems about who a submission is, decided afresh by every run
# (a reused result gets today's), shown to the instructor only.


def _is_stop(exc: BaseException, stop: threading.Event) -> bool:
    """True if ``exc`` is the instructor stopping the batch (Ctrl-C, SystemExit): it must go on up.

    Anything else a step raises is that submission's failure. Signals reach the main
    thread only, so in a worker a KeyboardInterrupt or SystemExit is the batch stopping
    only once ``stop`` is set; raised by a step before that, it is one more failure.
    """
    if not isinstance(exc, (KeyboardInterrupt, SystemExit)):
        return False
    return stop.is_set() or threading.current_thread() is threading.main_thread()


def _describe(exc: BaseException) -> str:
    """``RecursionError: maximum recursion depth exceeded``, short, whatever ``str(exc)`` does."""
    try:
        text = str(exc)
    except Exception:  # noqa: BLE001 - an exception whose __str__ fails is still described
        text = ""
    text = text if len(text) <= 500 else text[:500] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@dataclass
class Prepared:
    """What the orchestrator needs of a prepared submission (the sandbox's Prepared, normalised)."""

    source: Path
    student: str
    root: Path | None
    problems: list[Problem] = field(default_factory=list)
    content_hash: str = ""
    scratch: Path | None = None
    identity: Identity | None = None
    """Who it is (set by :func:`_assign_ids`); None: only the submission's name is known."""
    identity_problems: list[Problem] = field(default_factory=list)
    """This run's :data:`IDENTITY_CODES` problems, laid over the result's by :func:`_finish`."""


PASSABLE = 0o711
"""Scratch folders on the way to a student child's working dir: others may pass, never list."""


def _passable_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, PASSABLE)
    return path


def _scratch_name(batch: Path, index: int) -> Path:
    return batch / f"s{index}-{secrets.token_hex(8)}"


def _prepare_one(prepare: PrepareFn, source: Path, scratch: Path, stop: threading.Event) -> Prepared:
    """Run ``prepare``; anything it raises becomes a problem of this submission, never of the batch.

    ``RecursionError`` and ``MemoryError`` included (a zip nested 1,000 folders deep):
    the submission gets no content hash, so it is prepared again next run.

    ``work/`` (the unpacked submission and its clean root) stays the grader's alone: the
    harness copies what a student child runs, so no student's code ever needs to read it.

    The id comes from the submission's own name (:func:`~grader.grade.identity.student_id`),
    whatever ``prepare`` calls the student.
    """
    student = student_id(source.name)
    work = scratch / "work"
    try:
        _passable_dir(scratch)
        work.mkdir(mode=0o700)
        try:
            got = prepare(source, work)
        finally:
            os.chmod(work, 0o700)
        root = getattr(got, "root", None)
        return Prepared(
            source=source,
            student=student,
            root=Path(root) if root is not None else None,
            problems=[Problem.from_any(p) for p in getattr(got, "problems", None) or []],
            content_hash=str(getattr(got, "content_hash", "") or ""),
            scratch=scratch,
        )
    except BaseException as exc:  # noqa: BLE001 - one broken submission must not stop the batch
        if _is_stop(exc, stop):
            raise
        problem = Problem("internal", str(source.name), msg("grade.prepare_failed", error=_describe(exc)))
        return Prepared(source, student, None, [problem], "", scratch)


def _is_empty(item: Prepared) -> bool:
    """Nothing to grade at all (no file, no ``.py`` file): preparation said so with an ``empty`` problem."""
    return any(p.code == "empty" for p in item.problems)


def _skipped(item: Prepared) -> Problem:
    return Problem("empty", item.source.name, msg("identity.empty", submission=item.source.name))


def _assign_ids(prepared: list[Prepared], roster: Roster | None) -> tuple[dict[str, Identity], list[str]]:
    """Every submission's final id, identity and identity problems; returns ``(absent, unmatched)``.

    The id is the roster entry's id if it has one, else the one derived from the name.
    Ids that would be one folder (same :func:`~grader.grade.identity.collision_key`) are
    all :func:`~grader.grade.identity.disambiguated` by their raw names (their full paths
    if even those are equal: two ``x.zip`` of two class folders), each with an
    ``id_collision`` problem naming the others; nothing depends on order. ``absent``: the
    roster entries no submission matched, ``{id: identity}``; ``unmatched``: the ids of
    submissions on no entry.
    """
    names = [item.source.name for item in prepared]
    resolution = roster.resolve(names) if roster is not None else None
    for index, item in enumerate(prepared):
        entry = resolution.entries[index] if resolution else None
        item.identity = entry.identity(item.source.name) if entry else Identity(submission=item.source.name)
        item.student = entry.id if entry and entry.id else student_id(item.source.name)
        item.identity_problems = list(resolution.problems[index]) if resolution else []
    _separate_ids(prepared)
    unmatched = sorted(item.student for index, item in enumerate(prepared)
                       if resolution and any(p.code == "not_on_roster" for p in resolution.problems[index]))
    absent: dict[str, Identity] = {}
    taken = {collision_key(item.student) for item in prepared}
    for entry in resolution.absent if resolution else []:
        student = entry.student()
        if collision_key(student) in taken:
            student = disambiguated(student, f"roster line {entry.line}")
        taken.add(collision_key(student))
        absent[student] = entry.identity()
    return absent, unmatched


def _separate_ids(prepared: list[Prepared]) -> None:
    """Give every submission of a group that would share one folder an id of its own, and say so.

    Each member gets ``<id>-<6 hex of sha256 of its raw name>`` (of its full path when
    another member has the same raw name) and an ``id_collision`` problem naming the
    others. A new id can meet another one (a zip named after a suffixed id, on purpose):
    then the round is repeated on the full paths; what still collides after that (a hash
    collision) is numbered in path order. Nothing depends on the order submissions came in.
    """
    for attempt in range(4):
        groups: dict[str, list[Prepared]] = {}
        for item in prepared:
            groups.setdefault(collision_key(item.student), []).append(item)
        clashes = [group for group in groups.values() if len(group) > 1]
        if not clashes:
            return
        for group in clashes:
            raw = [item.source.name for item in group]
            if attempt == 3:
                for number, item in enumerate(sorted(group, key=lambda i: str(i.source)), start=1):
                    item.student = disambiguated(item.student, str(number))
                continue
            for item in group:
                base, own = item.student, item.source.name
                unique = raw.count(own) == 1 and attempt == 0
                item.student = disambiguated(base, own if unique else f"{item.source}#{attempt}")
                if any(p.code == "id_collision" for p in item.identity_problems):
                    continue
                others = ", ".join(sorted(other.source.name if other.source.name != own
                                          else f"{other.source.parent.name}/{other.source.name}"
                                          for other in group if other is not item))
                item.identity_problems.append(Problem("id_collision", "", msg(
                    "identity.collision", others=others, student=base)))


RESULT_SIZE_LIMIT = 64 * 1024 * 1024
"""A result.json larger than this was not written by us (messages are capped): not read at all."""


def load_result(path: Path) -> SubmissionResult | None:
    """The result.json at ``path``, or None if there is none or it is not one of ours.

    Whatever the file holds (too large, nested 100,000 deep, not JSON) it is None, never
    an exception: a result that cannot be read is graded again.
    """
    try:
        if path.stat().st_size > RESULT_SIZE_LIMIT:
            return None
        return SubmissionResult.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except Exception:  # noqa: BLE001 - RecursionError, MemoryError, OSError, ValueError...: not reusable
        return None


def _reusable(existing: SubmissionResult | None, item: Prepared, suite: Suite, lang: str) -> bool:
    """Same content, suite, student and language: its verdicts and feedback would be the same."""
    return (existing is not None and bool(item.content_hash) and existing.content_hash == item.content_hash
            and existing.suite_hash == suite.hash and existing.student == item.student
            and existing.lang == lang)


class SandboxUnavailable(RuntimeError):
    """No sandbox can be had here and the instructor did not accept grading without one."""


def _sandbox_defaults(notices: list[str], jobs: int, unsafe_shared_host: bool = False
                      ) -> tuple[Wrap | None, list[dict[str, str]], WorkerUsers]:
    """The run box (``wrap``) and, per worker, its ``NETLINGS_SANDBOX`` settings (limits, the
    student box, the worker's own user as root), with the workers' users (to
    :meth:`~WorkerUsers.release` when the batch ends).

    Without a sandbox (:func:`~grader.sandbox.limits.network_isolation` says why) the
    batch is refused (:class:`SandboxUnavailable`) unless ``unsafe_shared_host``; then
    ``notices`` says in one sentence what a student's code can do.
    """
    from ..sandbox import SandboxConfig
    from ..sandbox import wrap as sandbox_wrap
    from ..sandbox.limits import network_isolation, user_drop
    from ..sandbox.users import claim_workers

    boxed, reason = network_isolation()
    if not boxed and not unsafe_shared_host:
        raise SandboxUnavailable(msg("grade.unsafe.refused", reason=reason))
    if not boxed:
        notices.append(msg("grade.notice.unsafe", reason=reason))
        users = claim_workers(jobs, user_ok=lambda uid: user_drop(str(uid)).available)

        def wrap(cmd: list[str]) -> list[str]:
            return list(cmd)
    else:
        users = claim_workers(jobs)

        def wrap(cmd: list[str]) -> list[str]:
            return sandbox_wrap(cmd, notify=lambda text: None if text in notices else notices.append(text))

    envs = [SandboxConfig(user=user, boxed=boxed).to_env() for user in users.users]
    return wrap, envs, users


class _Progress:
    """A rich progress bar with ETA on a terminal; nothing at all otherwise."""

    def __init__(self, enabled: bool, total: int) -> None:
        self._bar: Any = None
        if not enabled:
            return
        try:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
        except ImportError:  # rich missing: grading matters more than the bar
            return
        self._bar = Progress(TextColumn(msg("grade.progress")), BarColumn(), MofNCompleteColumn(),
                             TimeElapsedColumn(), TextColumn(msg("grade.progress_eta")),
                             TimeRemainingColumn(), TextColumn("{task.description}"),
                             console=Console(stderr=True), transient=True)
        self._task = self._bar.add_task("", total=total)

    def __enter__(self) -> _Progress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._bar is not None:
            self._bar.stop()

    def advance(self, student: str) -> None:
        if self._bar is not None:
            self._bar.update(self._task, advance=1, description=student)


def grade_batch(
    submissions: Sequence[Path],
    out: Path,
    *,
    suite: Sequence[Path],
    jobs: int = 1,
    force: bool = False,
    timeout_per_submission: float = 300,
    progress: bool | None = None,
    prepare: PrepareFn = prepare_submission,
    test_timeout: float = DEFAULT_TEST_TIMEOUT,
    wrap: Wrap | None = None,
    sandbox_env: Mapping[str, str] | None = None,
    lang: str | None = None,
    unsafe_shared_host: bool = False,
    roster: Roster | None = None,
) -> BatchResult:
    """Grade every submission into ``out``; returns the whole batch (reused results included).

    ``roster`` (``--roster``, :func:`~grader.grade.roster.load_roster`) gives the students'
    ids and names; the batch then lists its absent and unmatched students.

    ``lang`` (``en``/``zh``, default the current language) is the batch's one language:
    it is ``NETLINGS_LANG`` while the batch runs, so everything that speaks (the pytest
    processes, the sandbox's preparation) agrees with the feedback.

    Without a sandbox here the batch is refused (:class:`SandboxUnavailable`) unless
    ``unsafe_shared_host`` (``--unsafe-shared-host``); as root, too few worker users is
    :class:`~grader.sandbox.users.WorkerUsersUnavailable`. Both are raised before anything runs.

    Raises :class:`SuiteError` only when the suite itself is broken; anything a
    submission does ends up in that submission's result.
    """
    lang = lang or current_language()
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    with _speaking(lang):
        return _grade_batch(submissions, out, suite=suite, jobs=jobs, force=force,
                            timeout_per_submission=timeout_per_submission, progress=progress, prepare=prepare,
                            test_timeout=test_timeout, wrap=wrap, sandbox_env=sandbox_env, lang=lang,
                            unsafe_shared_host=unsafe_shared_host, roster=roster)


@contextlib.contextmanager
def _speaking(lang: str) -> Any:
    """``NETLINGS_LANG=lang`` while the batch runs, as it was afterwards (like ``netlings --lang``)."""
    previous = os.environ.get(LANG_ENV)
    os.environ[LANG_ENV] = lang
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(LANG_ENV, None)
        else:
            os.environ[LANG_ENV] = previous


def _grade_batch(submissions: Sequence[Path], out: Path, *, suite: Sequence[Path], jobs: int, force: bool,
                 timeout_per_submission: float, progress: bool | None, prepare: PrepareFn,
                 test_timeout: float, wrap: Wrap | None, sandbox_env: Mapping[str, str] | None,
                 lang: str, unsafe_shared_host: bool = False, roster: Roster | None = None) -> BatchResult:
    started = time.monotonic()
    out = Path(out)
    make_out(out)
    sources = sorted(dict.fromkeys(Path(s) for s in submissions), key=lambda p: str(p))
    notices: list[str] = []
    show = sys.stderr.isatty() if progress is None else progress
    stop = threading.Event()
    jobs = max(1, int(jobs))
    users = WorkerUsers([])
    if wrap is None and sandbox_env is None:
        wrap, worker_envs, users = _sandbox_defaults(notices, jobs, unsafe_shared_host)
    else:
        worker_envs = [dict(sandbox_env or {})] * jobs
    slots: queue.SimpleQueue[int] = queue.SimpleQueue()
    for slot in range(jobs):
        slots.put(slot)

    with users, _batch_folder(notices, lang) as scratch:
        os.chmod(scratch, PASSABLE)  # student children pass through to their own folder; no one lists it
        suite_info = collect_suite(list(suite), scratch / "suite")
        weights = course_weights({str(t["exercise"]) for t in suite_info.tests})
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="netlings-grade") as pool:
            try:
                # Unguessable names: a student child may pass through the batch folder, never list it.
                prepared = list(pool.map(
                    lambda pair: _prepare_one(prepare, pair[1], _scratch_name(scratch, pair[0]), stop),
                    enumerate(sources)))
                skipped = [_skipped(item) for item in prepared if _is_empty(item)]
                for item in prepared:
                    if _is_empty(item):
                        notices.extend(_cleanup(item, lang))
                prepared = [item for item in prepared if not _is_empty(item)]
                absent, unmatched = _assign_ids(prepared, roster)
                results: dict[str, SubmissionResult] = {}
                reused: list[str] = []
                todo: list[Prepared] = []
                for item in prepared:
                    # Only OUT/students/<id>/: a result of an older layout (OUT/<id>/) is not reused.
                    existing = None if force else load_result(student_folder(out, item.student) / RESULT_NAME)
                    if existing is not None and _reusable(existing, item, suite_info, lang):
                        kept = _finish(item, existing, out, suite_info, lang, stop, weights, write=False)
                        results[item.student] = kept
                        if kept is existing:
                            reused.append(item.student)
                    else:
                        todo.append(item)

                def work(item: Prepared) -> SubmissionResult:
                    if stop.is_set():
                        raise KeyboardInterrupt
                    slot = slots.get()  # one per worker thread: its own user for student children
                    try:
                        result = _grade_one(item, suite_info, timeout_per_submission, test_timeout,
                                            wrap, dict(worker_envs[slot]), lang, stop)
                    finally:
                        slots.put(slot)
                    if stop.is_set():  # its process was killed by Ctrl-C: not a verdict to keep
                        raise KeyboardInterrupt
                    return _finish(item, result, out, suite_info, lang, stop, weights)

                with _Progress(show, len(prepared)) as bar:
                    for student in reused:
                        bar.advance(student)
                    futures: dict[Future[SubmissionResult], Prepared] = {
                        pool.submit(work, item): item for item in todo}
                    pending = set(futures)
                    while pending:
                        done, pending = wait(pending, return_when=FIRST_COMPLETED)
                        for future in done:
                            item = futures[future]
                            error = future.exception()  # done: returns at once
                            if error is None:
                                results[item.student] = future.result()
                            elif isinstance(error, (KeyboardInterrupt, SystemExit)):
                                raise error  # a worker raises these only once the batch is stopping
                            else:  # not expected (every step is guarded), still that student's alone
                                failed = _failed(item, suite_info, lang, "grade.note.grader_failed",
                                                 _describe(error))
                                results[item.student] = _finish(item, failed, out, suite_info, lang, stop,
                                                                weights)
                            bar.advance(item.student)
            except BaseException:
                stop.set()
                pool.shutdown(wait=False, cancel_futures=True)
                RUNNING.kill_all()
                raise

    batch = BatchResult(submissions=list(results.values()), reused=sorted(reused), out=out,
                        duration=time.monotonic() - started, notices=notices, lang=lang,
                        skipped=sorted(skipped, key=lambda p: p.path), absent=absent, unmatched=unmatched)
    batch.changes = changes(batch, out)  # the students' files are written: history holds what they replaced
    write_batch(batch, out)
    return batch


def _grade_one(item: Prepared, suite: Suite, timeout: float, test_timeout: float, wrap: Wrap | None,
               extra_env: dict[str, str], lang: str, stop: threading.Event) -> SubmissionResult:
    try:
        return grade_prepared(student=item.student, root=item.root, problems=item.problems,
                              content_hash=item.content_hash, suite=suite,
                              scratch=(item.scratch or Path(tempfile.mkdtemp())) / "run",
                              timeout=timeout, test_timeout=test_timeout, wrap=wrap, extra_env=extra_env,
                              lang=lang)
    except BaseException as exc:  # noqa: BLE001 - a grader failure on one submission is reported, not raised
        if _is_stop(exc, stop):
            raise
        return _failed(item, suite, lang, "grade.note.grader_failed", _describe(exc))


def _failed(item: Prepared, suite: Suite, lang: str, note: str, error: str) -> SubmissionResult:
    """The verdict of a step that failed on this submission: an error on every test and a note.

    No content hash: a failure of the grader's own steps is tried again next run, never kept.
    """
    result = SubmissionResult(item.student, "", suite.hash, list(item.problems), lang=lang)
    result.tests = canonical_results(suite, Status.ERROR, msg("grade.grader_failed", lang, error=error))
    result.notes.append(msg(note, lang, error=error))
    return result


def _finish(item: Prepared, result: SubmissionResult, out: Path, suite: Suite, lang: str,
            stop: threading.Event, weights: Mapping[str, float], *, write: bool = True) -> SubmissionResult:
    """Remove the submission's scratch folder, then write its files; returns its final verdict.

    Either step failing (a tree :func:`~grader.sandbox.cleanup.remove_tree` could not remove,
    a result that cannot be rendered or written) turns ``result`` into an error result
    (:func:`_failed`), written in its place if it can be; if even that cannot be written,
    an older result.json there is removed, so the next run grades again rather than keep it.
    ``write=False`` (a reused result) writes only if the verdict, the course's weights
    (:mod:`grader.report.scale`) or the student's identity changed: none of them needs a re-run.
    """
    try:
        left = _cleanup(item, lang)
    except BaseException as exc:  # noqa: BLE001 - see _is_stop
        if _is_stop(exc, stop):
            raise
        left = [_describe(exc)]
    if left:
        result = _failed(item, suite, lang, "grade.note.cleanup_failed", "; ".join(left[:3]))
        write = True
    if _stamp(result, item, weights):
        write = True
    if not write:
        return result
    folder = student_folder(out, item.student)
    try:
        write_submission(result, folder)
        return result
    except BaseException as exc:  # noqa: BLE001 - see _is_stop
        if _is_stop(exc, stop):
            raise
        result = _failed(item, suite, lang, "grade.note.report_failed", _describe(exc))
        _stamp(result, item, weights)
    try:
        write_submission(result, folder)
    except BaseException as exc:  # noqa: BLE001 - see _is_stop
        if _is_stop(exc, stop):
            raise
        with contextlib.suppress(Exception):
            (folder / RESULT_NAME).unlink(missing_ok=True)
    return result


def _stamp(result: SubmissionResult, item: Prepared, weights: Mapping[str, float]) -> bool:
    """Give ``result`` this run's weights, identity and identity problems; True if any changed.

    None of them needs a re-run (a reused result just gets today's), only a rewrite.
    """
    changed = _with_identity_problems(result, item)
    identity = _identity(item)
    if result.weights != dict(weights) or result.identity != identity:
        result.weights, result.identity = dict(weights), identity
        changed = True
    return changed


def _identity(item: Prepared) -> Identity:
    """Who ``item`` is, as its result records it: the submission's own name, verbatim, and the
    roster's name, SIS id, login and section (see :func:`_assign_ids`)."""
    return item.identity or Identity(submission=item.source.name)


def _with_identity_problems(result: SubmissionResult, item: Prepared) -> bool:
    """Lay this run's identity problems over ``result``'s (a reused one has the last run's); True if changed.

    They go after the submission's own problems: what is wrong with the work comes first.
    """
    wanted = [p for p in result.problems if p.code not in IDENTITY_CODES] + list(item.identity_problems)
    if wanted == result.problems:
        return False
    result.problems = wanted
    return True


def _cleanup(item: Prepared, lang: str) -> list[str]:
    """Remove the submission's scratch folder; what could not be removed, as sentences (never raises).

    The folder's own path reads ``<scratch>`` in them: the sentences end up in the feedback.
    """
    if item.scratch is None:
        return []
    return [text.replace(str(item.scratch), "<scratch>") for text in remove_tree(item.scratch, lang=lang)]


@contextlib.contextmanager
def _batch_folder(notices: list[str], lang: str) -> Iterator[Path]:
    """The batch's private scratch folder, removed at the end whatever a student left in it.

    Not ``tempfile.TemporaryDirectory``: its ``shutil.rmtree`` raises ``RecursionError`` on a
    tree 1,000 folders deep, after every student was graded and before grades.csv was
    written. What cannot be removed is said in ``notices``.
    """
    folder = Path(tempfile.mkdtemp(prefix="netlings-grade-"))
    try:
        yield folder
    finally:
        notices.extend(remove_tree(folder, lang=lang))


__all__ = ["BatchResult", "Prepared", "SandboxUnavailable", "SuiteError", "grade_batch", "load_result",
           "prepare_submission", "sanitise_id"]
