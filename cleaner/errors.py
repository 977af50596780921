"""Exceptions raised by cleaner.

Tree::

    CleanerError            base class: catch this to catch everything cleaner raises
    ├── InputError          the input cannot be cleaned (binary data, undecodable bytes)
    ├── ConfigError         an option has no valid value (also a ValueError)
    ├── PatternError        a rule file is invalid (names the file and the rule id)
    └── RestoreError        a log does not fit the clean text it is applied to
"""


class CleanerError(Exception):
    """Base class of every error cleaner raises on purpose."""


class InputError(CleanerError):
    """The input cannot be cleaned; the message says why and what to do."""


class ConfigError(CleanerError, ValueError):
    """An option has no valid value, such as an unknown stage name."""


class PatternError(CleanerError):
    """A rule file is invalid; the message names the file and the rule."""


class RestoreError(CleanerError):
    """An edit log does not match the clean text it is being applied to."""
