# Hostile: puts markup, a link and terminal escape sequences into its error message, which
# lands in summary.md, feedback.md, feedback.html and on the instructor's terminal.


def to_bytes(text):
    raise RuntimeError("<script>alert('markup')</script> [click me](javascript:alert(1)) "
                       "\x1b[2J\x1b]0;pwned\x07 \u202etxt.exe <img src=x onerror=alert(2)>")
