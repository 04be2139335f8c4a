"""The student's companion: what ``netlings``, ``check``, ``watch``, ``hint``, ``reset`` and
``solution`` are built on (the commands themselves are thin modules in ``grader/cli/``).

Why: learners of rustlings and exercism rely on a small tool that says where they are
and what to do next, in their language. The pieces:

* :mod:`.workspace`: the student's copy, found from the working directory;
* :mod:`.state`: ``.netlings/state.json`` (cached runs keyed by file content, hints shown);
* :mod:`.runner` + :mod:`.pytest_report`: one exercise's visible tests in a pytest process,
  brought back as plain data;
* :mod:`.progress`: done / not yet / not started, and the current exercise;
* :mod:`.hints`, :mod:`.reset`, :mod:`.solution`: the step-by-step hints, the restore with a
  backup, the solution gated on passing;
* :mod:`.watcher`: the watch loop (``watchdog``, polling fallback);
* :mod:`.render`: the layout (``rich``; plain text when not a terminal).

"Untouched" and ``reset`` need the stub of every exercise, and the student edition has
no ``solutions/`` to regenerate it from: ``netlings build`` records every stub in
``exercises/.stubs.json`` (text and SHA-256), which ships with the exercises. Where even
that is missing, ``solutions/`` is used, and failing that the first version of a file the
companion sees stands in for its stub (``reset`` then asks the student to get the file).
"""
