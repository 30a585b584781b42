"""Fast inserts for bulk imports: plain INSERT statements with ids vigil allocates itself.

Django's ``bulk_create`` builds a model instance and resolves expressions for every row, which
dominates an import of hundreds of thousands of rows. Inside an import's transaction, ids are
reserved up front (PostgreSQL: from the table's sequence; SQLite: the import holds the only write
lock, so the next ids after the current maximum are free), and rows go in with ``executemany``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys for ``model`` (inside the caller's transaction)."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            # The import's IMMEDIATE transaction holds SQLite's only write lock.
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
            start = cursor.fetchone()[0] + 1
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            if row is not None and row[0] >= start:
                start = row[0] + 1
            return list(range(start, start + count))
    raise NotImplementedError(f"bulk import is not supported on {connection.vendor}")


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (values in ``columns`` order, already in database form) into ``model``'s table.

    PostgreSQL gets them through COPY (an order of magnitude faster than INSERTs); SQLite through
    one prepared INSERT run for every row.
    """
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)


def as_json(value: Any) -> str:
    """A JSONField value in database form."""
    return json.dumps(value, ensure_ascii=False)
