# Hostile: at import, monkeypatches what it can reach: builtins.print, socket.socket,
# sys.exit and os._exit; imports pytest and the grader (adding likely paths) to patch
# their verdict code; walks up the stack to the harness's own frames and wraps its event
# channel so that an exception is reported as a normal return. Then its to_bytes returns
# the wrong bytes (UTF-16) or raises: none of this may turn that into a pass.
import builtins
import os
import socket
import sys

PATCHED = []


def _patch(owner, name, value):
    try:
        setattr(owner, name, value)
        PATCHED.append(f"{getattr(owner, '__name__', type(owner).__name__)}.{name}")
    except (AttributeError, TypeError):
        pass


_patch(builtins, "print", lambda *args, **kwargs: None)
_patch(socket, "socket", None)
_patch(sys, "exit", lambda *args: None)
_patch(os, "_exit", lambda *args: None)

for _path in ("/work/main", os.path.expanduser("~"), os.getcwd()):
    sys.path.insert(0, _path)
for _name in ("pytest", "_pytest.runner", "grader", "grader.report.collect", "grader.report.model",
              "grader.harness.runner"):
    try:
        _module = __import__(_name, fromlist=["*"])
    except BaseException:  # noqa: BLE001 - hostile code swallows everything
        continue
    for _attr in ("fail", "Collector", "classify", "Status", "StudentRun", "read_collect_file"):
        if hasattr(_module, _attr):
            _patch(_module, _attr, None)

_frame = sys._getframe()
while _frame is not None:
    _events = _frame.f_locals.get("events")
    if _events is not None and hasattr(_events, "send"):

        def _forged_send(*args, _real=_events.send, **event):
            if event.get("event") == "raised":  # claim the call returned normally
                event = {"event": "step", "index": event.get("index", 0), "value": "ok"}
            _real(*args, **event)

        _patch(_events, "send", _forged_send)
    _frame = _frame.f_back


def to_bytes(text):
    if not text:
        raise ValueError("hidden behind the forged event channel")
    return text.encode("utf-16")
