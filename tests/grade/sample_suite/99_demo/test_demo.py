"""The sample suite's tests for 99_demo/demo.py (exercise id from the file's place: 99_demo/demo)."""

import sys

import pytest


@pytest.fixture
def demo(student_module):
    return student_module("99_demo/demo.py", timeout=10)


def test_add(demo):
    """add() returns the sum of its arguments"""
    assert demo.call("add", 2, 3) == 5


@pytest.mark.parametrize("name", ["alice", "bob"])
def test_greet(demo, name):
    """greet() returns the greeting as bytes ending in CRLF"""
    got = demo.call("greet", name)
    expected = b"Hello, " + name.encode() + b"\r\n"
    assert got == expected, f"greet({name!r}) returned {got!r}, expected {expected!r}"


@pytest.mark.points(2)
@pytest.mark.visibility("hidden")
def test_shout(demo):
    """shout() upper-cases its text"""
    assert demo.call("shout", "hi") == "HI"


@pytest.mark.visibility("after_due_date")
def test_countdown(demo):
    """countdown(3) counts down to 1"""
    assert demo.call("countdown", 3) == [3, 2, 1]


def test_wait_for_it(demo):
    """wait_for_it() returns 'done'"""
    # A long deadline on purpose: a submission that hangs here meets the per-submission limit.
    assert demo.call("wait_for_it", deadline=60) == "done"


@pytest.mark.skipif(sys.platform != "nonexistent-os", reason="only on an OS that does not exist")
def test_never_applies(demo):
    """a test that is always skipped counts for nothing"""
    raise AssertionError("this test never runs")
