"""Exceptions for user errors.

Expected outcomes about one input (binary file, no article, not English)
are :class:`tidings.model.Problem` results, not exceptions. These classes
are for errors that stop a whole command and that the CLI prints as one
line without a traceback; anything else is a bug and keeps its traceback.
"""


class TidingsError(Exception):
    """An error caused by the user's input or settings, not by a bug."""


class ConfigError(TidingsError):
    """A configuration value is invalid."""


class InputError(TidingsError):
    """One input cannot be used; the message is the reason (the caller names the input)."""
