"""``grade_batch``: prepare, run and report every submission of a class, in parallel, resumably.

Why it is built this way:

* The suite is collected once (:func:`~grader.grade.runner.collect_suite`); every
  submission's result is laid over that canonical list, so every student gets a row for
  every test, whatever happened to their run.
* Submissions are prepared first (safe extraction, pre-flight; cheap), so student ids
  can be made unique in a fixed order before anything runs in parallel.
* ``-j N`` is a thread pool whose threads each wait on one pytest process: the work is
  in the processes, the threads only wait. One submission failing in any way becomes
  that student's verdict; the batch always completes.
* Each student's files are written atomically as soon as they are graded, result.json
  last, so an interrupted batch resumes where it stopped: a ``result.json`` with the
  same content hash and suite hash is kept unless ``force``.
* Students graded at the same time must not reach each other (the red team in
  tests/redteam/ tries): each parallel worker drops its student children to a user of
  its own (:func:`worker_users`), so one student's processes never count against
  another's process limit nor own another's files; and every submission's scratch
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
import re
import secrets
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..messages import LANGUAGES, current_language, msg
from ..report.model import BatchResult, Problem, Status, SubmissionResult
from ..report.writers import RESULT_NAME, write_batch, write_submission
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
    """A student id that is a safe folder name on every OS."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._-")
    return cleaned[:100] or "student"


@dataclass
class Prepared:
    """What the orchestrator needs of a prepared submission (the sandbox's Prepared, normalised)."""

    source: Path
    student: str
    root: Path | None
    problems: list[Problem] = field(default_factory=list)
    content_hash: str = ""
    scratch: Path | None = None


PASSABLE = 0o711
"""Scratch folders on the way to a student child's working dir: others may pass, never list."""


def _passable_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, PASSABLE)
    return path


def _scratch_name(batch: Path, index: int) -> Path:
    return batch / f"s{index}-{secrets.token_hex(8)}"


def _prepare_one(prepare: PrepareFn, source: Path, scratch: Path) -> Prepared:
    """Run ``prepare``; any exception becomes a problem of this submission, never of the batch.

    ``work/`` (the unpacked submission and its clean root) stays the grader's alone: the
    harness copies what a student child runs, so no student's code ever needs to read it.
    """
    _passable_dir(scratch)
    fallback = sanitise_id(source.stem if source.suffix.lower() == ".zip" else source.name)
    work = scratch / "work"
    work.mkdir(mode=0o700)
    try:
        got = prepare(source, work)
    except Exception as exc:  # noqa: BLE001 - one broken submission must not stop the batch
        problem = Problem("internal", str(source.name),
                          msg("grade.prepare_failed", error=f"{type(exc).__name__}: {exc}"))
        return Prepared(source, fallback, None, [problem], "", scratch)
    finally:
        os.chmod(work, 0o700)
    root = getattr(got, "root", None)
    return Prepared(
        source=source,
        student=sanitise_id(str(getattr(got, "student", "") or fallback)),
        root=Path(root) if root is not None else None,
        problems=[Problem.from_any(p) for p in getattr(got, "problems", None) or []],
        content_hash=str(getattr(got, "content_hash", "") or ""),
        scratch=scratch,
    )


def _unique_ids(prepared: list[Prepared]) -> None:
    seen: set[str] = set()
    for item in prepared:
        base, n = item.student, 1
        while item.student.lower() in seen:
            n += 1
            item.student = f"{base}-{n}"
        seen.add(item.student.lower())


def load_result(path: Path) -> SubmissionResult | None:
    try:
        return SubmissionResult.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def _reusable(existing: SubmissionResult | None, item: Prepared, suite: Suite, lang: str) -> bool:
    """Same content, suite, student and language: its verdicts and feedback would be the same."""
    return (existing is not None and bool(item.content_hash) and existing.content_hash == item.content_hash
            and existing.suite_hash == suite.hash and existing.student == item.student
            and existing.lang == lang)


WORKER_UIDS = range(64100, 64356)
"""Where the numeric users of parallel workers come from (ids with no passwd or group entry
are taken; 16-bit, so they exist in containers that map only 0-65535)."""


class WorkerUsers:
    """The users of a batch's parallel workers, each claimed for as long as the batch runs.

    A claim is an exclusive ``flock`` on ``<tmp>/netlings-uid-<uid>.lock``, so two batches
    graded at the same time on one machine never share a user either; it ends with
    :meth:`release` or with the process.
    """

    def __init__(self, users: list[str | None], locks: list[int] | None = None) -> None:
        self.users = users
        self._locks = locks or []

    def release(self) -> None:
        for fd in self._locks:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._locks = []

    def __enter__(self) -> WorkerUsers:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release()


def worker_users(jobs: int, notices: list[str]) -> WorkerUsers:
    """One user per parallel worker for the student children, or the default user for all.

    Why: ``RLIMIT_NPROC`` counts every process of a user, and a user's files are open
    to all its processes. Were every worker's children ``nobody``, one student's fork
    bomb would make a neighbour's ``fork``/``Thread.start`` fail, and a student's code
    could write into the folders the grader lends a neighbour. Numeric ids need no passwd
    entry; each is checked (a real run of Python as that user) before it is used.
    """
    from ..sandbox import SandboxConfig
    from ..sandbox.limits import user_drop

    default = SandboxConfig().user
    if jobs <= 1 or not user_drop(default).available:
        return WorkerUsers([default] * max(1, jobs))  # nothing to keep apart, or no drop at all
    claimed = WorkerUsers([])
    for uid in WORKER_UIDS:
        if len(claimed.users) == jobs:
            break
        if _id_taken(uid):
            continue
        fd = _claim(uid)
        if fd is None:
            continue  # another batch on this machine uses it now
        if not user_drop(str(uid)).available:
            os.close(fd)
            break  # ids like this one do not work here (e.g. not mapped in this container)
        claimed.users.append(str(uid))
        claimed._locks.append(fd)
    if len(claimed.users) < jobs:
        claimed.release()
        notices.append(msg("grade.notice.shared_user", user=default, start=WORKER_UIDS.start))
        return WorkerUsers([default] * jobs)
    return claimed


def _claim(uid: int) -> int | None:
    """An exclusive, non-blocking lock meaning "this batch uses ``uid``", or None if taken."""
    import fcntl

    path = Path(tempfile.gettempdir()) / f"netlings-uid-{uid}.lock"
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _id_taken(uid: int) -> bool:
    try:
        import grp
        import pwd
    except ImportError:  # pragma: no cover - Windows has no user drop anyway
        return True
    for lookup in (pwd.getpwuid, grp.getgrgid):
        try:
            lookup(uid)
        except KeyError:
            continue
        return True
    return False


def _sandbox_defaults(notices: list[str], jobs: int) -> tuple[Wrap | None, list[dict[str, str]], WorkerUsers]:
    """The sandbox's ``wrap`` (network/PID namespaces when root on Linux) and, per parallel
    worker, its ``NETLINGS_SANDBOX`` settings (limits and user drop for every student child),
    with the workers' users (to :meth:`~WorkerUsers.release` when the batch ends).

    What isolation is missing is said once, through ``notices`` (the CLI prints them).
    """
    try:
        from ..sandbox import SandboxConfig
        from ..sandbox import wrap as sandbox_wrap
    except ImportError:
        notices.append(msg("grade.notice.no_sandbox"))
        return None, [{}] * jobs, WorkerUsers([])

    def wrap(cmd: list[str]) -> list[str]:
        return sandbox_wrap(cmd, notify=lambda text: notices.append(text) if text not in notices else None)

    users = worker_users(jobs, notices)
    return wrap, [SandboxConfig(user=user).to_env() for user in users.users], users


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
) -> BatchResult:
    """Grade every submission into ``out``; returns the whole batch (reused results included).

    ``lang`` (``en``/``zh``, default the current language) is the batch's one language:
    it is ``NETLINGS_LANG`` while the batch runs, so everything that speaks (the pytest
    processes, the sandbox's preparation) agrees with the feedback.

    Raises :class:`SuiteError` only when the suite itself is broken; anything a
    submission does ends up in that submission's result.
    """
    lang = lang or current_language()
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    with _speaking(lang):
        return _grade_batch(submissions, out, suite=suite, jobs=jobs, force=force,
                            timeout_per_submission=timeout_per_submission, progress=progress, prepare=prepare,
                            test_timeout=test_timeout, wrap=wrap, sandbox_env=sandbox_env, lang=lang)


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
                 lang: str) -> BatchResult:
    started = time.monotonic()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    sources = sorted(dict.fromkeys(Path(s) for s in submissions), key=lambda p: str(p))
    notices: list[str] = []
    show = sys.stderr.isatty() if progress is None else progress
    stop = threading.Event()
    jobs = max(1, int(jobs))
    users = WorkerUsers([])
    if wrap is None and sandbox_env is None:
        wrap, worker_envs, users = _sandbox_defaults(notices, jobs)
    else:
        worker_envs = [dict(sandbox_env or {})] * jobs
    slots: queue.SimpleQueue[int] = queue.SimpleQueue()
    for slot in range(jobs):
        slots.put(slot)

    with users, tempfile.TemporaryDirectory(prefix="netlings-grade-") as tmp:
        scratch = Path(tmp)
        os.chmod(scratch, PASSABLE)  # student children pass through to their own folder; no one lists it
        suite_info = collect_suite(list(suite), scratch / "suite")
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="netlings-grade") as pool:
            try:
                # Unguessable names: a student child may pass through the batch folder, never list it.
                prepared = list(pool.map(
                    lambda pair: _prepare_one(prepare, pair[1], _scratch_name(scratch, pair[0])),
                    enumerate(sources)))
                _unique_ids(prepared)
                results: dict[str, SubmissionResult] = {}
                reused: list[str] = []
                todo: list[Prepared] = []
                for item in prepared:
                    existing = None if force else load_result(out / item.student / RESULT_NAME)
                    if existing is not None and _reusable(existing, item, suite_info, lang):
                        results[item.student] = existing
                        reused.append(item.student)
                        _cleanup(item)
                    else:
                        todo.append(item)

                def work(item: Prepared) -> SubmissionResult:
                    if stop.is_set():
                        raise KeyboardInterrupt
                    slot = slots.get()  # one per worker thread: its own user for student children
                    try:
                        result = _grade_one(item, suite_info, timeout_per_submission, test_timeout,
                                            wrap, dict(worker_envs[slot]), lang)
                    finally:
                        slots.put(slot)
                    if stop.is_set():  # its process was killed by Ctrl-C: not a verdict to keep
                        raise KeyboardInterrupt
                    write_submission(result, out / item.student)
                    _cleanup(item)
                    return result

                with _Progress(show, len(sources)) as bar:
                    for student in reused:
                        bar.advance(student)
                    futures: dict[Future[SubmissionResult], Prepared] = {
                        pool.submit(work, item): item for item in todo}
                    pending = set(futures)
                    while pending:
                        done, pending = wait(pending, return_when=FIRST_COMPLETED)
                        for future in done:
                            item = futures[future]
                            results[item.student] = future.result()
                            bar.advance(item.student)
            except BaseException:
                stop.set()
                pool.shutdown(wait=False, cancel_futures=True)
                RUNNING.kill_all()
                raise

    batch = BatchResult(submissions=list(results.values()), reused=sorted(reused), out=out,
                        duration=time.monotonic() - started, notices=notices, lang=lang)
    write_batch(batch, out)
    return batch


def _grade_one(item: Prepared, suite: Suite, timeout: float, test_timeout: float, wrap: Wrap | None,
               extra_env: dict[str, str], lang: str) -> SubmissionResult:
    try:
        return grade_prepared(student=item.student, root=item.root, problems=item.problems,
                              content_hash=item.content_hash, suite=suite,
                              scratch=(item.scratch or Path(tempfile.mkdtemp())) / "run",
                              timeout=timeout, test_timeout=test_timeout, wrap=wrap, extra_env=extra_env,
                              lang=lang)
    except Exception as exc:  # noqa: BLE001 - a grader failure on one submission is reported, not raised
        error = f"{type(exc).__name__}: {exc}"
        # No content hash: a grader failure must be retried next run, not kept.
        result = SubmissionResult(item.student, "", suite.hash, list(item.problems), lang=lang)
        result.tests = canonical_results(suite, Status.ERROR, msg("grade.grader_failed", lang, error=error))
        result.notes.append(msg("grade.note.grader_failed", lang, error=error))
        return result


def _cleanup(item: Prepared) -> None:
    if item.scratch is not None:
        shutil.rmtree(item.scratch, ignore_errors=True)


__all__ = ["BatchResult", "Prepared", "SuiteError", "grade_batch", "load_result", "prepare_submission",
           "sanitise_id"]
