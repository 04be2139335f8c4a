# Hostile: 100 MB of prints (and raw writes to fd 1 and 2), then a failure.
import os
import sys

LINE = "flood " * 166 + "\n"  # 997 characters


def to_bytes(text):
    for _ in range(100_000):
        print(LINE, end="")
    sys.stdout.flush()
    for fd in (1, 2):
        os.write(fd, b"raw " * 250_000)
    raise RuntimeError("that was a lot of output")
