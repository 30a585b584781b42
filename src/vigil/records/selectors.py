"""Reads of the record. The status timeline is derived from claims, never typed in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from vigil.core.dates import PartialDate
from vigil.records.models import Claim, Person


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

    @property
    def sources(self) -> int:
        """How many distinct testimonies and documents assert this event."""
        return len(self.testimony_ids) + len(self.document_ids)


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


def _key(claim: Claim) -> tuple[dt.date, int]:
    return (claim.date or dt.date.max, claim.pk)


def person_timeline(*, person: Person) -> Timeline:
    """The person's status over time: one event per distinct fact, with every source that asserts it.

    Claims of the same type, date and facility from different sources are one event with several
    sources (that is what corroboration counts).
    """
    claims = sorted(
        Claim.objects.filter(person=person).select_related("facility", "place"),
        key=_key,
    )
    grouped: dict[tuple[object, ...], list[Claim]] = {}
    for c in claims:
        k = (c.type, c.date, c.date_precision, c.facility_id, c.place_id, c.term_months)
        grouped.setdefault(k, []).append(c)
    events = []
    for group in grouped.values():
        first = group[0]
        events.append(
            TimelineEvent(
                type=first.type,
                label=first.get_type_display(),
                start=first.start,
                end=first.end,
                facility=first.facility.name if first.facility else None,
                place=str(first.place) if first.place else (first.place_text or None),
                term_months=first.term_months,
                claim_ids=tuple(c.pk for c in group),
                testimony_ids=tuple(sorted({c.testimony_id for c in group if c.testimony_id})),
                document_ids=tuple(sorted({c.document_id for c in group if c.document_id})),
            )
        )
    events.sort(key=lambda e: (e.start.earliest if e.start else dt.date.max, e.claim_ids[0]))
    return Timeline(events)
