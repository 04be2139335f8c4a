# Hostile: to_bytes allocates 50 MiB after 50 MiB (bounded at 8 GiB, touching every page).


def to_bytes(text):
    hog = []
    for _ in range(160):
        block = bytearray(50 * 1024 * 1024)
        block[::4096] = b"x" * len(block[::4096])
        hog.append(block)
    return text.encode("utf-8")
