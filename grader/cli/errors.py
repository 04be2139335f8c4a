"""The one error type the CLI turns into a message on stderr and exit status 1."""


class CLIError(Exception):
    """A user-facing error: printed to stderr, exit status 1."""
