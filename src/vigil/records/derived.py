"""Facts derived from claims and sources, stored on each cluster's root so lists can filter on them.

Nothing here is typed in: ``person_derived_refresh`` recomputes them from the claims of every
record of the cluster, and every service that changes claims or clusters calls it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from vigil.records.models import Claim, Person


class EvidenceLevel:
    """How well a person's record is supported (see docs): more is better."""

    NONE = 0  # no claim at all
    SINGLE = 1  # one testifier
    CORROBORATED = 2  # two or more independent testifiers
    DOCUMENTED = 3  # at least one document (a leaked list, a verdict) besides testimony

    LABELS = {NONE: "no claims", SINGLE: "single source", CORROBORATED: "corroborated", DOCUMENTED: "documented"}


def _level(testifiers: set[int], documents: set[int]) -> int:
    if documents:
        return EvidenceLevel.DOCUMENTED
    if len(testifiers) >= 2:
        return EvidenceLevel.CORROBORATED
    return EvidenceLevel.SINGLE if testifiers else EvidenceLevel.NONE


def person_derived_refresh(*, root_ids: Iterable[int]) -> int:
    """Recompute status, status date, evidence level and source count of these cluster roots."""
    roots = sorted(set(root_ids))
    updated = 0
    for start in range(0, len(roots), 900):
        chunk = roots[start : start + 900]
        latest: dict[int, tuple[dt.date, int, str]] = {}
        undated: dict[int, tuple[int, str]] = {}
        testifiers: dict[int, set[int]] = defaultdict(set)
        documents: dict[int, set[int]] = defaultdict(set)
        rows = Claim.objects.filter(person__canonical_id__in=chunk).values_list(
            "person__canonical_id", "id", "type", "date", "testimony__testifier_id", "document_id"
        )
        for root, cid, ctype, date, testifier, document in rows.iterator(chunk_size=5000):
            if date is not None:
                if root not in latest or (date, cid) > latest[root][:2]:
                    latest[root] = (date, cid, ctype)
            elif root not in undated or cid > undated[root][0]:
                undated[root] = (cid, ctype)
            if testifier is not None:
                testifiers[root].add(testifier)
            if document is not None:
                documents[root].add(document)
        persons = list(Person.objects.filter(pk__in=chunk).only("id"))
        for p in persons:
            if p.pk in latest:
                p.status, p.status_date = latest[p.pk][2], latest[p.pk][0]
            elif p.pk in undated:
                p.status, p.status_date = undated[p.pk][1], None
            else:
                p.status, p.status_date = "", None
            p.sources = len(testifiers[p.pk]) + len(documents[p.pk])
            p.evidence_level = _level(testifiers[p.pk], documents[p.pk])
        Person.objects.bulk_update(persons, ["status", "status_date", "sources", "evidence_level"], batch_size=900)
        updated += len(persons)
    return updated
