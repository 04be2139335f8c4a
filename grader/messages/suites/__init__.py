"""Chinese for the visible suites' own sentences, one module per exercise module.

Each module defines ``ZH: dict[str, str]``: English template (as written in
``exercises/<unit>/test_<module>.py``) → Simplified Chinese. See :mod:`grader.messages.texts`.
"""
