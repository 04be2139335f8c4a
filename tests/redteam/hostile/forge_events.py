# Hostile: forges the harness's events. It finds the job (and its secret token) among the
# objects of its own process, writes "step" and "done" events that claim the right answer,
# then a 200,000-deep JSON event meant to crash the parent's reader thread, then raises.
# A verdict must never be a pass.
import base64
import gc
import json
import os
import stat


def _job():
    for obj in gc.get_objects():
        if isinstance(obj, dict) and "token" in obj and "steps" in obj:
            return obj
    return None


def to_bytes(text):
    job = _job()
    token = job["token"] if job else ""
    value = {"$bytes": base64.b64encode(text.encode("utf-8")).decode("ascii")}
    lines = [json.dumps({"event": "step", "index": i, "value": value}) for i in range(len(job["steps"]))]
    lines.append(json.dumps({"event": "done"}))
    lines.append("[" * 200_000 + "]" * 200_000)
    payload = "".join(f"{token} {line}\n" for line in lines).encode()
    for fd in range(3, 64):
        try:
            if stat.S_ISFIFO(os.fstat(fd).st_mode):
                os.write(fd, payload)
        except OSError:
            continue
    raise RuntimeError("forged events sent")
