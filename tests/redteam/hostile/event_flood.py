# Hostile: writes 512 MiB with no newline into every pipe it holds besides stdin, stdout and
# stderr: one of them is the harness's event channel, read by the process that decides the
# grade. Then it raises. The grader's memory must stay bounded and the verdict must not pass.
import os
import stat

CHUNK = b"x" * (1024 * 1024)


def to_bytes(text):
    flooded = []
    for fd in range(3, 64):
        try:
            if not stat.S_ISFIFO(os.fstat(fd).st_mode):
                continue
            for _ in range(512):
                os.write(fd, CHUNK)
            flooded.append(fd)
        except OSError:
            continue
    raise RuntimeError(f"event flood: wrote 512 MiB into fds {flooded}")
