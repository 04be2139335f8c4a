# Hostile: to_bytes spins forever (pure CPU, never returns).


def to_bytes(text):
    while True:
        pass
