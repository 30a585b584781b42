"""Reads of the record. The status timeline and corroboration are derived from claims, never typed in.

Every read is cluster-aware: after a merge, a person is the root record and every record merged
into it (``Person.canonical``); each name, claim and testimony still says which record it came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from vigil.access import Actor, allowed, require
from vigil.core.dates import PartialDate
from vigil.records.models import Claim, IdentityNumber, Name, Person, Testimony


def person_root(*, person: Person) -> Person:
    """The root record of the person's cluster (the person itself when never merged)."""
    if person.canonical_id in (None, person.pk):
        return person
    return Person.objects.get(pk=person.canonical_id)


def person_cluster(*, person: Person) -> QuerySet[Person]:
    """Every record of the person's cluster, root first."""
    root_id = person.canonical_id or person.pk
    return Person.objects.filter(canonical_id=root_id).order_by("merged_into_id", "id")


def persons_current() -> QuerySet[Person]:
    """One record per person: the roots of clusters."""
    return Person.objects.filter(merged_into__isnull=True)


def person_get(*, actor: Actor, pk: int) -> Person:
    """One person record (any record of a cluster); raises Person.DoesNotExist."""
    require(actor, "person.view")
    return Person.objects.get(pk=pk)


def person_names(*, actor: Actor, person: Person) -> QuerySet[Name]:
    require(actor, "person.view")
    return Name.objects.filter(person__canonical_id=person.canonical_id or person.pk).select_related("testimony", "document", "person").order_by("person_id", "id")


def person_identity_numbers(*, actor: Actor, person: Person) -> QuerySet[IdentityNumber]:
    require(actor, "identity_number.view")
    return IdentityNumber.objects.filter(person__canonical_id=person.canonical_id or person.pk).order_by("person_id", "id")


def person_testimonies(*, actor: Actor, person: Person) -> list[Testimony]:
    """The testimonies about anyone in the person's cluster. Summaries and transcripts of testimonies
    marked sensitive are blanked (``withheld`` set) for roles that may not read them."""
    require(actor, "testimony.view")
    testimonies = list(
        Testimony.objects.filter(persons__canonical_id=person.canonical_id or person.pk).distinct().order_by("date", "id").prefetch_related("evidence")
    )
    may_read_sensitive = allowed(actor, "testimony.view_sensitive")
    for t in testimonies:
        t.withheld = t.sensitive and not may_read_sensitive  # type: ignore[attr-defined]
        if t.withheld:  # type: ignore[attr-defined]
            t.summary = t.transcript = ""
    return testimonies


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    type: str
    label: str
    start: PartialDate | None
    end: PartialDate | None
    facility: str | None
    place: str | None
    term_months: int | None
    claim_ids: tuple[int, ...]
    testimony_ids: tuple[int, ...]
    document_ids: tuple[int, ...]
    testifier_ids: tuple[int, ...] = ()

    @property
    def sources(self) -> int:
        """Independent sources: distinct testifiers (two accounts by one witness count once) plus documents."""
        return len(self.testifier_ids) + len(self.document_ids)


@dataclass(frozen=True, slots=True)
class Timeline:
    events: list[TimelineEvent] = field(default_factory=list)

    @property
    def current(self) -> str | None:
        """The type of the latest dated event (or of the last undated one when none is dated)."""
        dated = [e for e in self.events if e.start is not None]
        if dated:
            return dated[-1].type
        return self.events[-1].type if self.events else None


def _same_event(a: Claim, b: Claim) -> bool:
    """Two claims assert one fact when type and facility agree and their dates can be the same."""
    if a.type != b.type or a.facility_id != b.facility_id or a.term_months != b.term_months:
        return False
    sa, sb = a.start, b.start
    if sa is None or sb is None:
        return sa is None and sb is None
    return sa.overlaps(sb)


def person_timeline(*, actor: Actor, person: Person) -> Timeline:
    """The person's status over time: one event per fact, with every source that asserts it.

    Claims of the same type and facility whose dates overlap, from any record of the cluster and
    any source, are one event; its corroboration is the number of independent sources.
    """
    require(actor, "person.view")
    claims = sorted(
        Claim.objects.filter(person__canonical_id=person.canonical_id or person.pk).select_related("facility", "place", "testimony"),
        key=lambda c: (c.date or dt.date.max, c.pk),
    )
    groups: list[list[Claim]] = []
    for c in claims:
        for g in groups:
            if _same_event(g[0], c):
                g.append(c)
                break
        else:
            groups.append([c])
    events = []
    for group in groups:
        first = min(group, key=lambda c: (c.date_latest - c.date) if c.date and c.date_latest else dt.timedelta.max)
        events.append(
            TimelineEvent(
                type=first.type,
                label=first.get_type_display(),
                start=first.start,
                end=next((c.end for c in group if c.end is not None), None),
                facility=first.facility.name if first.facility else None,
                place=str(first.place) if first.place else (first.place_text or None),
                term_months=first.term_months,
                claim_ids=tuple(c.pk for c in group),
                testimony_ids=tuple(sorted({c.testimony_id for c in group if c.testimony_id})),
                document_ids=tuple(sorted({c.document_id for c in group if c.document_id})),
                testifier_ids=tuple(sorted({c.testimony.testifier_id for c in group if c.testimony is not None})),
            )
        )
    events.sort(key=lambda e: (e.start.earliest if e.start else dt.date.max, e.claim_ids[0]))
    return Timeline(events)
