"""Errors a user can fix. The CLI prints them as one line and exits with status 2.

Example:
    >>> from helpers.errors import UserError
    >>> str(UserError("corpus folder not found: x"))
    'corpus folder not found: x'
"""


class UserError(Exception):
    """Base of every error caused by input the user gave (missing folder, bad story file ...)."""


class CorpusError(UserError):
    """The corpus folder is missing, not a folder, or holds no readable article."""


class StoryError(UserError):
    """The story file is missing or invalid; the message names the field."""
