"""Bulk grading: ``grade_batch`` (:mod:`.batch`) over one pytest process per submission (:mod:`.runner`)."""

from .batch import grade_batch, prepare_submission
from .runner import SuiteError

__all__ = ["SuiteError", "grade_batch", "prepare_submission"]
