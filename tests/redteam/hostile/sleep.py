# Hostile: to_bytes sleeps forever (no CPU used, so only a wall-clock limit stops it).
import time


def to_bytes(text):
    while True:
        time.sleep(3600)
