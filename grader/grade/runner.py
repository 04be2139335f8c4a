"""One submission → one pytest process → one SubmissionResult.

Why a separate process per submission: that process owns the fake servers and imports
the test suite; whatever a student's code does to it (hang, crash, flood) ends with
that process, which we kill with its whole tree at a wall-clock deadline. The only
thing read back is the JSON the collect plugin wrote (:mod:`grader.report.collect`).

Why the command line looks as it does:

* ``PYTEST_DISABLE_PLUGIN_AUTOLOAD=1`` and explicit ``-p`` plugins: nothing installed on
  the grading machine (pytest-randomly, xdist …) may change order or results;
* ``-c`` an empty ini we ship, ``--rootdir``/``--confcutdir`` the suite's own folder: no
  configuration from a student's tree or from a parent folder is read, and node ids are
  stable (``exercises/01_udp/test_udp_server.py::test_x``) whatever the temp dirs are;
* ``--import-mode=importlib``: hidden and visible test files share names
  (``01_udp/test_udp_server.py`` in both) without ``__init__.py`` files;
* ``--basetemp`` inside the submission's scratch dir: removed with it.

Language: the pytest process gets ``NETLINGS_LANG`` set to the batch's language, so
the harness's verdicts it writes are in the language of the feedback around them and
of the verdicts written here; the result records it (:attr:`SubmissionResult.lang`).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..messages import current_language, msg
from ..report.collect import COLLECT_FORMAT, sign
from ..report.model import RESULT_FORMAT, Problem, Status, SubmissionResult, TestResult
from ..sandbox.limits import SandboxConfig

EMPTY_INI = Path(__file__).with_name("empty.ini")
PACKAGE_PARENT = Path(__file__).resolve().parents[2]
DEFAULT_TEST_TIMEOUT = 60.0
COLLECT_TIMEOUT = 120.0
LOG_TAIL = 4000
LANG_ENV = "NETLINGS_LANG"
_DROPPED_ENV = ("PYTEST_ADDOPTS", "PYTEST_PLUGINS", "PYTHONSTARTUP", "PYTHONINSPECT")

Wrap = Callable[[list[str]], Any]
"""``sandbox.wrap(cmd) -> (cmd, extra_env)``: how the pytest process is isolated."""


class SuiteError(Exception):
    """The test suite itself is broken (missing path, import error, no tests): grading stops."""


def grader_version() -> str:
    try:
        from importlib.metadata import version

        return version("netlings")
    except Exception:  # noqa: BLE001 - not installed: still hash something stable
        return "0+unknown"


# -- the suite ----------------------------------------------------------------------------


@dataclass
class Suite:
    """The tests every submission runs, collected once per batch: the canonical test list.

    Points, visibility and exercise of every test come from here (a collect-only run
    that executes no student code), never from a submission's run, so a forged results
    file cannot raise a test's worth, and a submission whose run died still gets a row
    for every test.
    """

    paths: list[Path]
    rootdir: Path
    hash: str
    tests: list[dict[str, Any]] = field(default_factory=list)

    @property
    def max_score(self) -> float:
        return sum(float(t["points"]) for t in self.tests)


def suite_rootdir(paths: Sequence[Path]) -> Path:
    folders = [p if p.is_dir() else p.parent for p in paths]
    return Path(os.path.commonpath([str(f) for f in folders]))


def suite_files(paths: Iterable[Path]) -> list[Path]:
    """Every file that can change what the suite does (tests, conftests, data), sorted."""
    found: set[Path] = set()
    for path in paths:
        if path.is_file():
            found.add(path)
            continue
        for file in path.rglob("*"):
            parts = file.relative_to(path).parts
            if file.is_file() and not any(p == "__pycache__" or p.startswith(".") for p in parts) \
                    and file.suffix not in (".pyc", ".pyo"):
                found.add(file)
    return sorted(found)


def suite_hash(paths: Sequence[Path]) -> str:
    """sha256 over the suite files (relative path + bytes), the grader version and formats."""
    root = suite_rootdir(paths)
    digest = hashlib.sha256(f"netlings {grader_version()} result/{RESULT_FORMAT} {COLLECT_FORMAT}\0".encode())
    for file in suite_files(paths):
        digest.update(file.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def pytest_command(suite: Suite, results: Path, *, basetemp: Path, root: Path | None = None,
                   test_timeout: float = DEFAULT_TEST_TIMEOUT, collect_only: bool = False) -> list[str]:
    cmd = [sys.executable, "-m", "pytest", *[str(p) for p in suite.paths],
           "-p", "grader.plugin", "-p", "grader.report.collect", "-p", "pytest_timeout",
           "-p", "no:cacheprovider", "-c", str(EMPTY_INI), "--rootdir", str(suite.rootdir),
           "--confcutdir", str(suite.rootdir), "--import-mode=importlib", "--basetemp", str(basetemp),
           "--netlings-results", str(results), "-q", "--no-header", "--color=no", "-p", "no:randomly"]
    if collect_only:
        cmd.append("--collect-only")
    else:
        cmd += ["--timeout", f"{test_timeout:g}"]
    if root is not None:
        cmd += ["--netlings-root", str(root)]
    return cmd


def pytest_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
    env.update({"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONDONTWRITEBYTECODE": "1",
                "PYTHONHASHSEED": "0", "PYTHONIOENCODING": "utf-8"})
    env["PYTHONPATH"] = os.pathsep.join(
        [str(PACKAGE_PARENT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    env.update(extra or {})
    return env


def collect_suite(paths: Sequence[Path], scratch: Path) -> Suite:
    """Resolve, hash and collect the suite once; SuiteError says what is wrong with it."""
    resolved = []
    for path in paths:
        path = Path(path).resolve()
        if not path.exists():
            raise SuiteError(msg("grade.suite.not_found", path=path))
        resolved.append(path)
    if not resolved:
        raise SuiteError(msg("grade.suite.none"))
    suite = Suite(resolved, suite_rootdir(resolved), suite_hash(resolved))
    scratch.mkdir(parents=True, exist_ok=True)
    results = scratch / "collect.json"
    outcome = run_process(pytest_command(suite, results, basetemp=scratch / "tmp", collect_only=True),
                          env=pytest_env(), cwd=scratch, timeout=COLLECT_TIMEOUT, log=scratch / "collect.log")
    document = read_collect_file(results)
    if document is None:
        raise SuiteError(msg("grade.suite.collect_failed", code=outcome.returncode, log=outcome.log_tail))
    errors = document.get("collect_errors") or []
    if errors:
        text = "\n\n".join(f"{e.get('nodeid')}:\n{e.get('message')}" for e in errors if isinstance(e, dict))
        raise SuiteError(msg("grade.suite.does_not_collect", errors=text))
    tests = [t for t in document.get("tests", []) if isinstance(t, dict) and isinstance(t.get("nodeid"), str)]
    if not tests:
        raise SuiteError(msg("grade.suite.no_tests", paths=", ".join(map(str, resolved)),
                             log=outcome.log_tail))
    suite.tests = sorted(tests, key=lambda t: t["nodeid"])
    return suite


# -- processes ----------------------------------------------------------------------------


@dataclass
class ProcessOutcome:
    returncode: int | None
    timed_out: bool
    duration: float
    log_tail: str


class ProcessRegistry:
    """Live pytest processes, so Ctrl-C on the batch can kill them all (they are in their own sessions)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._procs: set[subprocess.Popen[bytes]] = set()

    def add(self, proc: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._procs.add(proc)

    def discard(self, proc: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._procs.discard(proc)

    def kill_all(self) -> None:
        with self._lock:
            procs = list(self._procs)
        for proc in procs:
            kill_tree(proc)


RUNNING = ProcessRegistry()


def run_process(cmd: list[str], *, env: dict[str, str], cwd: Path, timeout: float, log: Path,
                preexec: Callable[[], None] | None = None, key_fd: int | None = None) -> ProcessOutcome:
    """Run ``cmd`` with output to ``log``; at ``timeout`` kill it and every descendant.

    ``key_fd`` (POSIX): the read end of a pipe the child inherits (``--netlings-key-fd``).
    """
    kwargs: dict[str, Any] = {}
    if os.name == "posix":
        kwargs["start_new_session"] = True
        if preexec is not None:
            kwargs["preexec_fn"] = preexec
        if key_fd is not None:
            kwargs["pass_fds"] = (key_fd,)
    else:  # pragma: no cover - Windows
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
    started = time.monotonic()
    timed_out = False
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                cwd=str(cwd), env=env, **kwargs)
        RUNNING.add(proc)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            kill_tree(proc)
        except BaseException:  # Ctrl-C while waiting: the process must not outlive us
            kill_tree(proc)
            raise
        finally:
            RUNNING.discard(proc)
    return ProcessOutcome(proc.returncode, timed_out, time.monotonic() - started, _tail(log))


def _tail(path: Path, limit: int = LOG_TAIL) -> str:
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - limit))
            return handle.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _children_map() -> dict[int, list[int]]:
    """pid → child pids, from /proc (Linux) or ``ps`` (macOS, BSD)."""
    pairs: list[tuple[int, int]] = []
    proc_dir = Path("/proc")
    if (proc_dir / "self" / "stat").exists():
        for entry in proc_dir.iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            pairs.append((int(entry.name), ppid))
    else:
        try:
            text = subprocess.run(["ps", "-A", "-o", "pid=", "-o", "ppid="], capture_output=True,
                                  text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            text = ""
        for line in text.splitlines():
            fields = line.split()
            if len(fields) == 2 and fields[0].isdigit() and fields[1].isdigit():
                pairs.append((int(fields[0]), int(fields[1])))
    children: dict[int, list[int]] = {}
    for pid, ppid in pairs:
        children.setdefault(ppid, []).append(pid)
    return children


def descendants(pid: int) -> list[int]:
    children = _children_map()
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.append(child)
                todo.append(child)
    return found


def kill_tree(proc: subprocess.Popen[bytes]) -> None:
    """Kill a process, its process group, and every descendant's group.

    The harness starts each student child in a session of its own, so killing the
    pytest process's group alone would leave a spinning student child behind. Stop
    the whole tree first (no more forks), then kill.
    """
    if os.name != "posix":  # pragma: no cover - Windows
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True, check=False)
        with contextlib.suppress(OSError):
            proc.kill()
        proc.wait()
        return
    own_group = os.getpgrp()
    tree = [proc.pid, *descendants(proc.pid)]
    for pid in tree:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGSTOP)
    tree += [pid for pid in descendants(proc.pid) if pid not in tree]
    for pid in tree:
        with contextlib.suppress(OSError):
            group = os.getpgid(pid)
            if group != own_group:
                os.killpg(group, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        proc.wait(10)


# -- one submission -------------------------------------------------------------------------


class ForgedResults(Exception):
    """The results file's signature does not match: something other than pytest wrote it."""


def read_collect_file(path: Path, key: bytes | None = None) -> dict[str, Any] | None:
    """The collect plugin's JSON, or None if missing, unreadable, or not finished.

    With ``key``, the document must carry a matching HMAC, else :class:`ForgedResults`.
    """
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("format") != COLLECT_FORMAT:
        return None
    if key is not None:
        mac = document.get("mac")
        if not isinstance(mac, str) or not hmac.compare_digest(mac, sign(document, key)):
            raise ForgedResults(str(path))
    if not document.get("finished"):
        return None
    if not isinstance(document.get("tests"), list):
        return None
    return document


def _read_current(results: Path, suite: Suite) -> str | None:
    """The node id of the test that was running, if it is one of the suite's (the file is unsigned)."""
    try:
        text = results.with_name(results.name + ".current").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text if any(t["nodeid"] == text for t in suite.tests) else None


def _skipped(meta: dict[str, Any]) -> dict[str, Any] | None:
    reason = meta.get("skip")
    return {"status": Status.SKIPPED.value, "message": reason} if isinstance(reason, str) else None


def canonical_results(suite: Suite, status: Status, message: str, details: str = "") -> list[TestResult]:
    """Every test of the suite with the same verdict (no exercises found, run killed …).

    Tests the suite skips here by marker stay skipped, so every student has the same maximum.
    """
    verdict = {"status": status.value, "message": message, "details": details}
    return [TestResult.from_dict({**meta, **(_skipped(meta) or verdict)}) for meta in suite.tests]


def merge(suite: Suite, document: dict[str, Any], lang: str | None = None) -> list[TestResult]:
    """Take verdicts from the run, metadata (points, visibility, exercise) from the suite."""
    ran = {t.get("nodeid"): t for t in document["tests"] if isinstance(t, dict)}
    results = []
    for meta in suite.tests:
        got = ran.get(meta["nodeid"])
        if got is None or got.get("status") is None:
            verdict = _skipped(meta) or {
                "status": Status.ERROR.value,
                "message": msg("grade.did_not_run", lang)}
        else:
            verdict = {k: got.get(k)
                       for k in ("status", "message", "output", "sections", "details", "mistakes")}
        duration = got.get("duration", 0.0) if isinstance(got, dict) else 0.0
        results.append(TestResult.from_dict({**meta, **verdict}, duration=duration))
    return results


_HARNESS_COPY = re.compile(r"""[^\s"'()]*netlings-run-[^\s"'/\\]+[/\\]root(?=[/\\])""")
r"""The private copy of the root the harness runs each child in (a new temp dir every run): a path
token ending in ``netlings-run-<random>/root``. The reference for :func:`hide_harness_copy`, which
replaces it without this pattern's cost: its leading ``[^\s"'()]*`` retries from every character of
a long token, quadratic (2-3 s of CPU on one 16,000-character transcript line)."""

_RUN_MARK = "netlings-run-"
_RUN_TAIL = re.compile(r"""netlings-run-[^\s"'/\\]+[/\\]root(?=[/\\])""")
_TOKEN_END = frozenset("\"'()")


def hide_harness_copy(text: str) -> str:
    """``text`` with every harness copy path (see :data:`_HARNESS_COPY`) replaced by ``exercises``.

    Linear: only where ``netlings-run-`` occurs, the path's start is found by walking back
    over the token's characters (never past the previous replacement). The same result as
    ``_HARNESS_COPY.sub("exercises", text)`` (tests/grade/test_scrub.py compares them).
    """
    if _RUN_MARK not in text:
        return text
    def same_token(chunk: str) -> bool:
        return not any(c.isspace() or c in _TOKEN_END for c in chunk)

    spans: list[list[int]] = []  # [start, end] of each path to replace
    last_tail = 0
    for match in _RUN_TAIL.finditer(text):
        done = spans[-1][1] if spans else 0
        if spans and same_token(text[last_tail:match.start()]):
            spans[-1][1] = match.end()  # one token: the pattern's greedy prefix reaches its last copy
            last_tail = match.start()
            continue
        last_tail = match.start()
        start = match.start()
        while start > done and not (text[start - 1].isspace() or text[start - 1] in _TOKEN_END):
            start -= 1
        spans.append([start, match.end()])
    out, done = [], 0
    for start, stop in spans:
        out += [text[done:start], "exercises"]
        done = stop
    out.append(text[done:])
    return "".join(out)


def _scrub(results: list[TestResult], replacements: list[tuple[str, str]]) -> None:
    """Replace scratch paths by stable names, so messages read well and never differ between runs."""
    pairs = [(old, new) for old, new in replacements if old]
    pairs.sort(key=lambda p: -len(p[0]))

    def fix(text: str) -> str:
        for old, new in pairs:
            text = text.replace(old, new)
        return hide_harness_copy(text)

    for test in results:
        test.message, test.output, test.details = fix(test.message), fix(test.output), fix(test.details)
        test.sections = [type(s)(s.title, fix(s.text)) for s in test.sections]


def grade_prepared(*, student: str, root: Path | None, problems: list[Problem], content_hash: str,
                   suite: Suite, scratch: Path, timeout: float, test_timeout: float = DEFAULT_TEST_TIMEOUT,
                   wrap: Wrap | None = None, extra_env: Mapping[str, str] | None = None,
                   lang: str | None = None) -> SubmissionResult:
    """Run the suite against one prepared submission; whatever the student's code does, return a result.

    ``lang``: the language of every verdict, the pytest process's included (default: the current one).
    """
    started = time.monotonic()
    lang = lang or current_language()
    result = SubmissionResult(student=student, content_hash=content_hash, suite_hash=suite.hash,
                              problems=list(problems), lang=lang)
    if root is None:
        message = msg("grade.no_files", lang)
        if problems:
            first = problems[0]
            where = f"{first.path}: " if first.path and first.path not in first.message else ""
            message = msg("grade.no_test_could_run", lang, problem=f"{where}{first.message}")
        result.tests = canonical_results(suite, Status.ERROR, message)
        result.duration = time.monotonic() - started
        return result
    scratch.mkdir(parents=True, exist_ok=True)
    private_tmp = scratch / "tmp"
    for folder in (scratch, private_tmp):
        folder.mkdir(exist_ok=True)
        os.chmod(folder, 0o711)
    results_file = scratch / f"results-{os.urandom(8).hex()}.json"
    extra = dict(extra_env or {})
    config = SandboxConfig.from_env(extra)
    basetemp = private_tmp / "pytest"
    if config is not None and config.boxed:
        # The student box's one folder: pytest's basetemp (every tmp_path a test hands to
        # student code) and the harness's working copies. The pytest process's own temp
        # dir (the FTP server's files, the server's TLS key) stays outside it.
        shared = scratch / "box"
        shared.mkdir(exist_ok=True)
        os.chmod(shared, 0o711)
        basetemp = shared / "pytest"
        extra.update(replace(config, shared=str(shared.resolve())).to_env())
    cmd = pytest_command(suite, results_file, basetemp=basetemp, root=root, test_timeout=test_timeout)
    env = pytest_env({**extra, **{name: str(private_tmp) for name in ("TMPDIR", "TEMP", "TMP")},
                      LANG_ENV: lang})
    preexec = None
    if wrap is not None:
        cmd, env, preexec = _apply_wrap(wrap, cmd, env)
    if config is not None and os.name == "posix":
        env["MALLOC_ARENA_MAX"] = "2"  # glibc reserves 64 MiB of address space per arena and thread
        preexec = _with_memory_limit(preexec)
    key, key_fd = None, None
    if os.name == "posix":
        key = secrets.token_bytes(32)
        key_fd, write_end = os.pipe()
        os.write(write_end, key)  # 32 bytes: far below a pipe's buffer, never blocks
        os.close(write_end)
        cmd += ["--netlings-key-fd", str(key_fd)]
    try:
        outcome = run_process(cmd, env=env, cwd=scratch, timeout=timeout, log=scratch / "pytest.log",
                              preexec=preexec, key_fd=key_fd)
    finally:
        if key_fd is not None:
            os.close(key_fd)
    forged = False
    try:
        document = None if outcome.timed_out else read_collect_file(results_file, key)
    except ForgedResults:
        document, forged = None, True
    if forged:
        message = msg("grade.forged", lang)
        result.notes.append(msg("grade.note.forged", lang))
        result.tests = canonical_results(suite, Status.ERROR, message)
    elif outcome.timed_out:
        where = _while_running(results_file, suite, lang)
        message = msg("grade.timeout", lang, seconds=f"{timeout:g}", where=where)
        result.notes.append(msg("grade.note.timeout", lang, seconds=f"{timeout:g}", where=where))
        result.tests = canonical_results(suite, Status.TIMEOUT, message)
    elif document is None:
        where = _while_running(results_file, suite, lang)
        code = outcome.returncode
        message = msg("grade.crashed", lang, code=code, where=where)
        result.notes.append(msg("grade.note.crashed", lang, code=code, where=where))
        result.content_hash = ""  # perhaps the machine's fault (out of memory): retry on the next run
        result.tests = canonical_results(suite, Status.ERROR, message, details=outcome.log_tail)
    else:
        result.tests = merge(suite, document, lang)
    replacements = [(str(root.resolve()), "exercises"), (str(root), "exercises"),
                    (str(basetemp.resolve()), "<tmp>"), (str(basetemp), "<tmp>"),
                    (str(scratch.resolve()), "<scratch>"), (str(scratch), "<scratch>")]
    _scrub(result.tests, replacements)
    result.duration = time.monotonic() - started
    return result


def _while_running(results: Path, suite: Suite, lang: str) -> str:
    """`` while running <node id>`` when the run left word of its current test, else ``""``."""
    current = _read_current(results, suite)
    return msg("grade.while_running", lang, test=current) if current else ""


TEST_PROCESS_MEMORY = 3 * 1024**3
"""Address space of a graded run's pytest process (the fake servers, the suite, the harness's
buffers): a backstop under the bounds each of them keeps, so no submission can take the
grading host's memory. Past it that submission's run fails; the class goes on."""


def _with_memory_limit(preexec: Callable[[], None] | None) -> Callable[[], None]:
    """``preexec`` (if any), then RLIMIT_AS = :data:`TEST_PROCESS_MEMORY` for the pytest process."""

    import resource  # here, not after the fork: an import in a forked child of a threaded parent can hang

    def limited() -> None:
        if preexec is not None:
            preexec()
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = TEST_PROCESS_MEMORY if hard == resource.RLIM_INFINITY else min(hard, TEST_PROCESS_MEMORY)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    return limited


def _apply_wrap(wrap: Wrap, cmd: list[str], env: dict[str, str]
                ) -> tuple[list[str], dict[str, str], Callable[[], None] | None]:
    """Accept ``wrap(cmd)`` returning a command, or (command, env dict | preexec callable | None)."""
    wrapped = wrap(cmd)
    if isinstance(wrapped, list):
        return wrapped, env, None
    new_cmd, extra = wrapped
    if callable(extra):
        return list(new_cmd), env, extra
    if isinstance(extra, Mapping):
        return list(new_cmd), {**env, **{str(k): str(v) for k, v in extra.items()}}, None
    return list(new_cmd), env, None
