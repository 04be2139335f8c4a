"""Results of grading: one model (:mod:`.model`) and writers that take only the model.

* :mod:`.collect`: the pytest plugin that writes per-test JSON in a grading run;
* :mod:`.model`: Status, TestResult, SubmissionResult, BatchResult;
* :mod:`.writers`: result.json, feedback.md/html, grades.csv, summary.md, Gradescope;
* :mod:`.safe_text`: how every writer shows a student's text (no markup, links or control characters).
"""

from .model import BatchResult, Problem, Section, Status, SubmissionResult, TestResult

__all__ = ["BatchResult", "Problem", "Section", "Status", "SubmissionResult", "TestResult"]
