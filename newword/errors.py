"""The one error type newword raises for problems a user can fix."""


class NewwordError(Exception):
    """A problem with the input, a parameter or the environment.

    The message is one line that names the file, line or parameter at fault; the CLI prints it
    and exits non-zero, without a traceback.
    """


class SourceUnavailable(NewwordError):
    """A source could not be fetched for a reason that may pass (network, timeout, HTTP 5xx or 429):
    worth retrying, unlike bad content."""


class UsageError(NewwordError):
    """A bad option value (a parameter out of range, a malformed list): exit 2, as argparse does."""
