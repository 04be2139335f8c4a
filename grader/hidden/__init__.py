"""Hidden suites: the instructor's tests that hunt the mistakes beginners make.

Layout: ``grader/hidden/<unit>/test_<module>_hidden.py``, one file per exercise,
each starting with ``pytestmark = pytest.mark.exercise("<unit>/<module>")`` (the
file name alone would not say which exercise it grades). Every test:

* has a one-line docstring a student understands (its description in feedback);
* carries ``@pytest.mark.points(n)`` and, when it should not be shown before the
  due date, ``@pytest.mark.visibility("hidden" | "after_due_date")``;
* runs student code only through the ``student_module`` fixture (child processes);
* judges by what the fake server saw, and on failure names the mistake with
  :func:`grader.hidden.support.fail_mistake` (what was called, expected vs actual,
  the mistake's name and a hint from :mod:`grader.messages.mistakes`).

These files are never shipped to students (``netlings release`` leaves them out).
"""
