"""The exceptions youthmedia raises; every message names the file, variable, row or value at
fault and says what to do.

Examples
--------
>>> from youthmedia.errors import DataError, YouthmediaError
>>> issubclass(DataError, YouthmediaError)
True
"""

__all__ = ["ConfigError", "DataError", "DisclosureError", "YouthmediaError", "YouthmediaWarning"]


class YouthmediaError(Exception):
    """Base class of every error youthmedia raises on purpose."""


class DataError(YouthmediaError, ValueError):
    """The input (a file, a column, a value in it) is not what it must be."""


class ConfigError(YouthmediaError, ValueError):
    """The arguments of a call do not fit together or name something that does not exist."""


class DisclosureError(YouthmediaError):
    """A request would let identifying or too-small-to-show data leave the machine."""


class YouthmediaWarning(UserWarning):
    """Something was done that the user should know of (values made missing, a fallback taken)."""
