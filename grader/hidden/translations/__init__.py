"""Chinese for the hidden suites' own sentences, one module per exercise module.

Each module defines ``ZH: dict[str, str]``: English template (as written in
``grader/hidden/<unit>/test_<module>_hidden.py``) → Simplified Chinese. Kept here,
not in :mod:`grader.messages.suites`, so that it never ships to students
(``netlings release`` leaves ``grader/hidden`` out). See :mod:`grader.messages.texts`.
"""
