"""The sample suite (sample_suite/) is data: the grader runs it in its own pytest processes."""

collect_ignore = ["sample_suite"]
