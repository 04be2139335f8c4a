# Honest, not hostile: to_bytes does its work in a thread. Graded at the same time as the
# fork bomb, it must still pass: a neighbour's processes must not use up its thread budget.
import threading


def to_bytes(text):
    box = []
    worker = threading.Thread(target=lambda: box.append(text.encode("utf-8")))
    worker.start()
    worker.join()
    return box[0]
