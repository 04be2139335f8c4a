"""The grader's side of the harness is bounded, and a forged or broken event stream is never a pass.

Student code runs in the same process as the harness's child, so it can find the
event channel (a pipe the child keeps open: a FIFO that is neither stdin nor the
output pipe) and the run's token (``main()``'s ``job``, one frame up the stack).
These tests are such a student: they flood the channel, forge events, nest JSON
200,000 deep, or return 96 MiB. The parent must keep its memory bounded, refuse
what is too big or malformed, and turn any of it into a failing verdict.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from grader.harness import EventsTampered, StudentFailure, StudentModule, call
from grader.harness.child import EVENT_LINE_LIMIT, VALUE_LIMIT
from grader.harness.runner import _EventLog, _Tampered, nested_deeper_than

HOSTILE = '''
"""A hostile submission: it writes on the harness's event channel."""
import atexit
import os
import stat
import sys


def channel_fd():
    """The event pipe: a FIFO that is neither stdin nor the output pipe behind fd 1 and 2."""
    known = {os.fstat(fd).st_ino for fd in (0, 1, 2)}
    for fd in range(3, 256):
        try:
            st = os.fstat(fd)
        except OSError:
            continue
        if stat.S_ISFIFO(st.st_mode) and st.st_ino not in known:
            return fd
    raise RuntimeError("no event channel found")


def token():
    """The run's token, from the harness's own frame (its main() keeps the job)."""
    frame = sys._getframe()
    while frame is not None:
        job = frame.f_locals.get("job")
        if isinstance(job, dict) and "token" in job:
            return job["token"]
        frame = frame.f_back
    raise RuntimeError("no token found")


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def line(text):
    return (token() + " " + text + "\\n").encode()


def ok():
    return "ok"


def flood(mib):
    """Megabytes without a newline on the event channel, then a normal return."""
    fd = channel_fd()
    chunk = b"x" * (1 << 20)
    for _ in range(mib):
        write_all(fd, chunk)
    return "flooded"


def huge(mib):
    return b"x" * (mib << 20)


def text_of(mib):
    return "\u4f60" * ((mib << 20) // 3)


def forge_done_deep_then_raise(depth):
    fd = channel_fd()
    write_all(fd, line('{"event": "step", "index": 0, "value": "forged"}'))
    write_all(fd, line('{"event": "done"}'))
    write_all(fd, line("[" * depth + "]" * depth))
    raise RuntimeError("the real outcome: this function raised")


def forge(raw, outcome):
    """One raw line on the channel (with the token unless it starts with '!'), then return or raise."""
    fd = channel_fd()
    write_all(fd, raw[1:].encode() + b"\\n" if raw.startswith("!") else line(raw))
    if outcome == "raise":
        raise RuntimeError("raised after forging")
    return "ok"


class LateForger:
    """Stands in for sys.stderr; its first flush (after the harness said 'raised') forges 'done'."""

    def __init__(self, real, fd, done):
        self.real, self.fd, self.done, self.sent = real, fd, done, False

    def write(self, text):
        return self.real.write(text)

    def flush(self):
        if not self.sent:
            self.sent = True
            write_all(self.fd, self.done)
        self.real.flush()


class Sneaky(dict):
    def items(self):
        raise ZeroDivisionError("my items() is broken")


def unsendable():
    return Sneaky(a=1)


def done_after_raise():
    forger = LateForger(sys.stderr, os.dup(channel_fd()), line('{"event": "done"}'))
    sys.stdout = sys.stderr = forger
    atexit.register(forger.flush)
    raise ValueError("the real outcome: this function raised")
'''

MIB = 1024 * 1024


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETLINGS_LANG", "en")


@pytest.fixture
def hostile(tmp_path: Path) -> StudentModule:
    (tmp_path / "u").mkdir()
    (tmp_path / "u" / "hostile.py").write_text(HOSTILE, encoding="utf-8")
    return StudentModule(tmp_path, "u/hostile.py", timeout=20)


def tampered(info: pytest.ExceptionInfo[EventsTampered]) -> str:
    """The error says the event channel was tampered with, and the run carries the reason.

    Not a StudentFailure (an AssertionError): the test errors, and no ``except StudentFailure``
    in a test can take the tampering for the failure it expected.
    """
    assert not isinstance(info.value, AssertionError)
    result = info.value.result
    assert result is not None and result.tampered, "the run must be marked as tampered with"
    assert "tampered" in str(info.value), str(info.value)
    assert not result.completed and result.exception is None and not result.values, \
        "a tampered run reports nothing a test could take for a pass"
    return result.tampered


# -- sizes ------------------------------------------------------------------------------------


def test_a_96_mib_return_value_gets_a_clear_verdict(hostile: StudentModule) -> None:
    with pytest.raises(StudentFailure) as info:
        hostile.call("huge", 96)
    text = str(info.value)
    assert "huge(96) returned 96 MiB" in text and "the limit" in text and "8 MiB" in text, text
    result = info.value.result
    assert result is not None and result.limit == "value" and not result.tampered
    assert result.exception is not None and result.exception.phase == "return"


def test_the_value_limit_speaks_chinese_too(hostile: StudentModule, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETLINGS_LANG", "zh")
    with pytest.raises(StudentFailure) as info:
        hostile.call("huge", 9)
    text = str(info.value)
    assert "9 MiB" in text and "8 MiB" in text and "上限" in text, text


def test_large_honest_values_still_come_back(hostile: StudentModule) -> None:
    assert hostile.call("huge", 7) == b"x" * (7 * MIB), "7 MiB of bytes is under the limit"
    text = hostile.call("text_of", 7)
    assert isinstance(text, str) and len(text) == (7 * MIB) // 3, "7 MiB of Chinese text too"


def test_the_line_bound_covers_any_value_under_the_limit() -> None:
    """Base64 (4/3) and \\uXXXX escapes (3x for 4-byte characters) of a value at the limit fit a line."""
    assert EVENT_LINE_LIMIT >= 3 * VALUE_LIMIT + 1024


# -- floods and forgeries --------------------------------------------------------------------


def test_a_flood_without_newline_is_tampering(hostile: StudentModule) -> None:
    with pytest.raises(EventsTampered) as info:
        hostile.call("flood", 40)
    assert tampered(info)


FORGERIES = {
    "unknown-kind": '{"event": "gift", "points": 100}',
    "step-out-of-order": '{"event": "step", "index": 3, "value": 1}',
    "bad-json": '{"event": "step", ',
    "not-an-object": "[1, 2, 3]",
    "too-deep": "[" * 100_000 + "]" * 100_000,
    "junk-without-token": "!hello, harness",
    "early-done": '{"event": "done"}',
    "bad-port": '{"event": "socket", "name": null, "port": "80; rm -rf /", "kind": "tcp"}',
    "bad-value": '{"event": "step", "index": 0, "value": {"$bytes": 5}}',
    "deep-value": '{"event": "step", "index": 0, "value": ' + "[" * 150 + "]" * 150 + "}",
}


@pytest.mark.parametrize("outcome", ["return", "raise"])
@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_a_forged_or_malformed_event_is_tampering(hostile: StudentModule, forgery: str, outcome: str) -> None:
    with pytest.raises(EventsTampered) as info:
        hostile.call("forge", FORGERIES[forgery], outcome)
    assert tampered(info)


def test_forged_done_then_deep_json_then_raise_is_never_a_pass(hostile: StudentModule) -> None:
    with pytest.raises(EventsTampered) as info:
        hostile.call("forge_done_deep_then_raise", 200_000)
    assert tampered(info)


def test_a_forged_done_after_the_function_raised_is_tampering(hostile: StudentModule) -> None:
    with hostile.run([{"op": "call", "func": "done_after_raise", "args": [], "kwargs": {}}]) as run:
        result = run.result()
    assert result.tampered, f"raised, then a forged done: {result}"
    assert result.exception is None and not result.completed
    with pytest.raises(EventsTampered, match="tampered"):
        hostile.check(result, "done_after_raise()", "done_after_raise")
    with pytest.raises(EventsTampered, match="tampered"):
        hostile.call_raises(ValueError, "done_after_raise")


# -- the parent's memory, measured in a process of its own -------------------------------------

PROBE = textwrap.dedent('''
    import json, sys
    from grader.harness import StudentModule

    def peak_kib():
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))

    root, func, arg, recursion = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    module = StudentModule(root, "u/hostile.py", timeout=30)
    module.call("ok")  # the fork server and every import are in the baseline
    sys.setrecursionlimit(recursion)
    before = peak_kib()
    try:
        verdict, tampered = "pass: " + repr(module.call(func, arg))[:100], None
    except Exception as failure:  # StudentFailure, EventsTampered
        verdict = str(failure)[:300]
        tampered = getattr(failure.result, "tampered", None)
    print(json.dumps({"growth_mib": (peak_kib() - before) / 1024, "verdict": verdict, "tampered": tampered}))
''')


def probe(module: StudentModule, func: str, arg: int, recursion: int = 1000) -> dict[str, object]:
    proc = subprocess.run([sys.executable, "-c", PROBE, str(module.root), func, str(arg), str(recursion)],
                          capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert proc.returncode == 0, f"the grading process died ({proc.returncode}): {proc.stderr[-2000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


needs_proc = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak RSS read from /proc")


@needs_proc
def test_a_192_mib_flood_does_not_grow_the_grader(hostile: StudentModule) -> None:
    report = probe(hostile, "flood", 192)
    assert report["tampered"], report
    assert report["growth_mib"] < 80, f"the grader's peak memory grew by {report['growth_mib']:.0f} MiB"


@needs_proc
def test_a_96_mib_return_does_not_grow_the_grader(hostile: StudentModule) -> None:
    report = probe(hostile, "huge", 96)
    assert "96 MiB" in str(report["verdict"]), report
    assert report["growth_mib"] < 48, f"the grader's peak memory grew by {report['growth_mib']:.0f} MiB"


@needs_proc
def test_deep_json_cannot_crash_the_grader_even_with_a_high_recursion_limit(hostile: StudentModule) -> None:
    """json.loads recurses in C: with a raised recursion limit, 200,000 levels overflow the thread's stack."""
    report = probe(hostile, "forge_done_deep_then_raise", 200_000, recursion=1_000_000)
    assert report["tampered"], report


# -- the pieces, without a child ----------------------------------------------------------------


@pytest.mark.parametrize(("text", "limit", "deeper"), [
    (b"[]", 0, True),
    (b"[]", 1, False),
    (b'{"a": [1, {"b": [[]]}]}', 5, False),
    (b'{"a": [1, {"b": [[]]}]}', 4, True),
    (b'["[[[[[[[[[[", "{{{{{{{{{{", "\\"[[[[[["]', 1, False),  # brackets inside strings do not nest
    (b"[[]]" * 1000, 2, False),  # many brackets, shallow
    (b"[" * 101 + b"]" * 101, 100, True),
    (b"[" * 100 + b"]" * 100, 100, False),
])
def test_nesting_is_measured_without_parsing(text: bytes, limit: int, deeper: bool) -> None:
    assert nested_deeper_than(text, limit) is deeper


LISTENER = [{"op": "tcp_listener", "save": "L"}, call("serve", save="S")]


@pytest.mark.parametrize("events", [
    [{"event": "raised", "index": -1, "phase": "import",
      "exception": {"type": "SyntaxError", "mro": ["SyntaxError"], "message": "", "traceback": ""}}],
    [{"event": "socket", "name": "L", "port": 4000, "kind": "tcp"},
     {"event": "step", "index": 0, "value": None},
     {"event": "socket", "name": "S", "port": 0, "kind": "SOCK_STREAM"},
     {"event": "step", "index": 1, "value": {"$socket": {"closed": False, "laddr": ["127.0.0.1", 1]}}},
     {"event": "done"}],
    [{"event": "step", "index": 0, "value": None}, {"event": "too_big", "index": 1, "size": 9 << 20,
                                                    "limit": 8 << 20}],
], ids=["import-error", "listener-and-server", "too-big"])
def test_an_honest_child_s_events_are_accepted(events: list[dict[str, object]]) -> None:
    log = _EventLog(LISTENER)
    for event in events:
        log.accept(event)
    assert log.ended and log.tampered is None


@pytest.mark.parametrize("events", [
    [{"event": "socket", "name": "X", "port": 4000, "kind": "tcp"}],  # not the name the step saves
    [{"event": "socket", "name": "L", "port": 1}, {"event": "socket", "name": "L", "port": 2}],  # twice
    [{"event": "step", "index": 0, "value": None}, {"event": "step", "index": 0, "value": None}],
    [{"event": "raised", "index": -1, "phase": "import", "exception": {}}],  # no type: not data
    [{"event": "step", "index": 0, "value": None},
     {"event": "raised", "index": -1, "phase": "import", "exception": {"type": "E"}}],  # import after a step
    [{"event": "too_big", "index": 0, "size": 1, "limit": 8 << 20}],  # "too big" but small
    [{"event": "step", "index": True, "value": None}],
    [{"event": "step", "index": 0, "value": {"$bytes": "A" * (12 << 20)}}],  # 9 MiB the child did not refuse
])
def test_events_an_honest_child_never_sends_are_refused(events: list[dict[str, object]]) -> None:
    log = _EventLog(LISTENER)
    with pytest.raises(_Tampered):
        for event in events:
            log.accept(event)


def test_a_value_that_cannot_be_sent_is_the_step_s_exception(hostile: StudentModule) -> None:
    with pytest.raises(StudentFailure, match="ZeroDivisionError: my items\\(\\) is broken") as info:
        hostile.call("unsendable")
    assert info.value.result is not None and not info.value.result.tampered
