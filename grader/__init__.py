"""netlings: auto-graded network-programming exercises. ``grader`` is the instructor-side package."""
