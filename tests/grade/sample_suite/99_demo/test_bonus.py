"""Tests that belong to another exercise than the file name says: the exercise marker."""

import pytest

pytestmark = pytest.mark.exercise("99_demo/bonus")


@pytest.mark.points(3)
def test_bonus(student_module):
    """bonus() returns 42"""
    assert student_module("99_demo/demo.py").call("bonus") == 42
