"""Facts derived from claims and sources, stored on each cluster's root so lists can filter on them.

Nothing here is typed in: ``person_derived_refresh`` recomputes them from the claims of every
record of the cluster, and every service that changes claims or clusters calls it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.utils.translation import gettext_lazy as _

from vigil.records.models import Claim, Person


class EvidenceLevel:
    """How well a person's record is supported (see docs): more is better."""

    NONE = 0  # no claim at all
    SINGLE = 1  # one testifier
    CORROBORATED = 2  # two or more independent testifiers
    DOCUMENTED = 3  # at least one document (a leaked list, a verdict) besides testimony

    LABELS = {NONE: _("no claims"), SINGLE: _("single source"), CORROBORATED: _("corroborated"), DOCUMENTED: _("documented")}


def _level(testifiers: set[int], documents: set[int]) -> int:
    if documents:
        return EvidenceLevel.DOCUMENTED
    if len(testifiers) >= 2:
        return EvidenceLevel.CORROBORATED
    return EvidenceLevel.SINGLE if testifiers else EvidenceLevel.NONE


def derive(claims: Iterable[tuple[int, str, dt.date | None, int | None, int | None]]) -> tuple[str, dt.date | None, int, int]:
    """(status, status date, sources, evidence level) from (claim id, type, date, testifier id, document id) rows."""
    latest: tuple[dt.date, int, str] | None = None
    undated: tuple[int, str] | None = None
    testifiers: set[int] = set()
    documents: set[int] = set()
    for cid, ctype, date, testifier, document in claims:
        if date is not None:
            if latest is None or (date, cid) > latest[:2]:
                latest = (date, cid, ctype)
        elif undated is None or cid > undated[0]:
            undated = (cid, ctype)
        if testifier is not None:
            testifiers.add(testifier)
        if document is not None:
            documents.add(document)
    if latest is not None:
        status, status_date = latest[2], latest[0]
    elif undated is not None:
        status, status_date = undated[1], None
    else:
        status, status_date = "", None
    return status, status_date, len(testifiers) + len(documents), _level(testifiers, documents)


def person_derived_refresh(*, root_ids: Iterable[int]) -> int:
    """Recompute status, status date, evidence level and source count of these cluster roots."""
    roots = sorted(set(root_ids))
    updated = 0
    for start in range(0, len(roots), 900):
        chunk = roots[start : start + 900]
        by_root: dict[int, list[tuple[int, str, dt.date | None, int | None, int | None]]] = defaultdict(list)
        rows = Claim.objects.filter(person__canonical_id__in=chunk).values_list(
            "person__canonical_id", "id", "type", "date", "testimony__testifier_id", "document_id"
        )
        for root, *claim in rows.iterator(chunk_size=5000):
            by_root[root].append(tuple(claim))  # type: ignore[arg-type]
        values = []
        for pk in chunk:
            status, status_date, sources, level = derive(by_root.get(pk, []))
            values.append((status, status_date.isoformat() if status_date else None, sources, level, pk))
        # One plain UPDATE per person: Django's bulk_update builds a CASE per row and is far slower.
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {Person._meta.db_table} SET status = %s, status_date = %s, sources = %s, evidence_level = %s WHERE id = %s",
                values,
            )
        updated += len(values)
    return updated
