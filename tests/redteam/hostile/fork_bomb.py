# Hostile: a bounded fork bomb whose children leave the process group (setsid), so
# killing the group does not reach them; they sleep to hold their process slots. They
# close the pipes they inherited (or each of its tests would end as a timeout instead).
import os
import time


def to_bytes(text):
    for _ in range(300):
        if os.fork() == 0:
            os.setsid()
            os.closerange(0, 1024)
            time.sleep(30)
            os._exit(0)
    return text.encode("utf-8")
