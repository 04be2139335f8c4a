"""Benchmarks of netlings on this machine: ``python -m bench`` writes ``bench/RESULTS.md``.

Why a benchmark of our own: the grader's cost is dominated by processes (one pytest per
submission, one child per student call) and by tests that wait on purpose (timeouts,
slow peers). Whether a change makes a class of 100 submissions faster is only known by
measuring the real commands (``pytest exercises/``, ``netlings grade``, ``nbgrader
autograde``) on real-looking submissions, several times, and keeping the medians.

Modules: :mod:`bench.submissions` builds the seeded submissions, :mod:`bench.measure`
times commands, :mod:`bench.sections` holds what is measured, :mod:`bench.notebooks` the
nbgrader pipeline, :mod:`bench.report` the Markdown, :mod:`bench.run` the command line.
"""
