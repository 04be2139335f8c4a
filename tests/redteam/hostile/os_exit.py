# Hostile: to_bytes ends the interpreter at once, without cleanup or a traceback.
import os


def to_bytes(text):
    os._exit(0)
