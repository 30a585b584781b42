"""Backups that restore: one encrypted archive of the database, the data folder and a manifest of checksums.

The pure parts (no Django) are :mod:`~vigil.backup.envelope` (the age encryption around the archive),
:mod:`~vigil.backup.archive` (the tar stream and its manifest), :mod:`~vigil.backup.databases`
(SQLite's online backup, ``pg_dump`` and ``pg_restore``) and :mod:`~vigil.backup.restore`.
:mod:`~vigil.backup.services` is the audited, permission-checked backup of a running vigil.
"""
