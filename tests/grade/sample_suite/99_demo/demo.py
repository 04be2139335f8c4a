"""The 99_demo unit's reference solution: the contract of the sample suite.

The grading tests build submissions from this file (complete), from stubs, and from
broken variants. Each function is tiny on purpose: the tests are about grading.
"""


def add(a, b):
    return a + b


def greet(name):
    return b"Hello, " + name.encode("utf-8") + b"\r\n"


def shout(text):
    return text.upper()


def countdown(n):
    return list(range(n, 0, -1))


def wait_for_it():
    return "done"


def bonus():
    return 42
