# Hostile (or just careless): returns 96 MiB. It must get a clear verdict naming the limit,
# and the grader must not hold 96 MiB (times the JSON and base64 copies) for it.


def to_bytes(text):
    return b"x" * (96 * 1024 * 1024)
