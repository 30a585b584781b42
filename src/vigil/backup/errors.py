"""The one error a backup or a restore raises: its message says what was wrong and where, in one line."""

from __future__ import annotations


class BackupError(Exception):
    """A backup could not be written, or an archive could not be restored (the message is for the user)."""
