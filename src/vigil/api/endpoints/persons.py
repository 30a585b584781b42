"""Persons: the web search (same filters, names in any script) and the person page's content."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from vigil.api.auth import actor_of
from vigil.api.errors import errors
from vigil.api.values import MAX_ID, NO_NUL, PAGE_MAX, IsoDate, PartialDateOut, PathId, partial_date
from vigil.records.derived import EvidenceLevel
from vigil.records.persons import person_detail, person_list
from vigil.records.search import PersonFilters

router = Router(tags=["persons"])

ClaimType = Literal["detained", "held_at", "sentenced", "transferred", "released", "house_arrest", "forced_labour", "died", "whereabouts_unknown"]
EthnicityValue = Literal["uyghur", "kazakh", "kyrgyz", "hui", "uzbek", "tatar", "tajik", "han", "other"]
Sort = Literal["relevance", "name", "birth", "-birth", "status_date", "-status_date", "evidence", "recent"]


class PersonSearchIn(Schema):
    q: str = Field("", max_length=200, pattern=NO_NUL, description="A name in any script (Cyrillic, Latin, Arabic script, Chinese characters), or an identity number")
    status: ClaimType | None = Field(None, description="Current status (type of the latest claim)")
    ethnicity: EthnicityValue | None = None
    sex: Literal["m", "f"] | None = None
    county: str | None = Field(None, pattern=r"^\d{6}$", description="GB/T 2260 code of the hometown; a prefecture code (…00) takes its counties")
    facility: int | None = Field(None, ge=1, le=MAX_ID, description="Held at this facility by any claim")
    detained_from: IsoDate | None = None
    detained_to: IsoDate | None = None
    born_from: IsoDate | None = None
    born_to: IsoDate | None = None
    evidence_min: int | None = Field(None, ge=0, le=3, description="0 none, 1 single source, 2 corroborated, 3 documented")
    sort: Sort = "relevance"
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(25, ge=1, le=PAGE_MAX)


class PersonSearchItem(Schema):
    id: int
    name: str = Field(description="The first full name on record")
    matched_name: str | None = Field(description="The rendering the query matched")
    score: float | None = Field(description="Name similarity to the query (0–1); null when no name was searched")
    sex: str
    birth: PartialDateOut | None
    ethnicity: str
    status: str
    status_date: dt.date | None
    sources: int = Field(description="Independent sources: testifiers and documents")
    evidence_level: int


class PersonSearchOut(Schema):
    count: int
    offset: int
    limit: int
    query_kind: Literal["name", "id_number", "none"]
    notes: list[str]
    items: list[PersonSearchItem]


@router.get("/", response={200: PersonSearchOut, **errors(400, 401, 403, 422)}, summary="Search persons")
def persons_search(request: HttpRequest, params: Query[PersonSearchIn]) -> PersonSearchOut:
    """Persons whose name matches ``q`` in any script (or whose identity number it is), with the web search's filters."""
    filters = PersonFilters(
        status=params.status or "", ethnicity=params.ethnicity or "", sex=params.sex or "", county=params.county or "",
        facility=params.facility, detained_from=params.detained_from, detained_to=params.detained_to,
        born_from=params.born_from, born_to=params.born_to, evidence_min=params.evidence_min,
    )
    result = person_list(actor=actor_of(request), query=params.q, filters=filters, sort=params.sort, offset=params.offset, limit=params.limit)
    return PersonSearchOut(
        count=result.total, offset=params.offset, limit=params.limit, query_kind=result.query_kind, notes=result.notes,  # type: ignore[arg-type]
        items=[
            PersonSearchItem(
                id=h.person.pk, name=h.person.display_name, matched_name=h.name.text if h.name else None,
                score=round(h.score, 4) if h.score is not None else None, sex=h.person.sex, birth=partial_date(h.person.birth),
                ethnicity=h.person.ethnicity, status=h.person.status, status_date=h.person.status_date,
                sources=h.person.sources, evidence_level=h.person.evidence_level,
            )
            for h in result.hits
        ],
    )


class PersonNameOut(Schema):
    id: int
    text: str
    script: str
    kind: str
    romanized: str
    record_id: int = Field(description="The person record the name came from (a cluster has one per source)")
    testimony_id: int | None
    document_id: int | None


class PersonIdentityNumberOut(Schema):
    id: int
    scheme: str
    value: str
    valid: bool
    problem: str
    birth_date: dt.date | None = Field(description="Decoded from the number")
    sex: str
    county_code: str
    record_id: int
    testimony_id: int | None
    document_id: int | None


class PersonClaimOut(Schema):
    id: int
    type: str
    start: PartialDateOut | None
    end: PartialDateOut | None
    facility_id: int | None
    facility: str | None
    place_code: str | None
    place_text: str
    term_months: int | None
    note: str
    record_id: int
    testimony_id: int | None
    document_id: int | None


class PersonTimelineEventOut(Schema):
    type: str
    label: str
    start: PartialDateOut | None
    end: PartialDateOut | None
    facility: str | None
    place: str | None
    term_months: int | None
    claim_ids: list[int]
    testimony_ids: list[int]
    document_ids: list[int]
    sources: int = Field(description="Independent sources of this fact: distinct testifiers plus documents")


class PersonCorroborationOut(Schema):
    sources: int = Field(description="Independent sources of the whole record")
    evidence_level: int
    evidence_label: str
    status: str = Field(description="Type of the latest claim")
    status_date: dt.date | None


class PersonDetailOut(Schema):
    id: int = Field(description="The cluster's root record")
    records: list[int] = Field(description="Every record of the person's cluster, root first")
    name: str
    sex: str
    birth: PartialDateOut | None
    ethnicity: str
    citizenship: list[str]
    hometown_code: str | None
    hometown_text: str
    names: list[PersonNameOut]
    identity_numbers: list[PersonIdentityNumberOut] | None = Field(description="null when the caller may not see identity numbers")
    claims: list[PersonClaimOut]
    timeline: list[PersonTimelineEventOut]
    corroboration: PersonCorroborationOut
    testimony_ids: list[int]


@router.get("/{person_id}", response={200: PersonDetailOut, **errors(400, 401, 403, 404, 422)}, summary="A person")
def persons_get(request: HttpRequest, person_id: PathId) -> PersonDetailOut:
    """Everything on record about the person: names with their sources, claims, the timeline drawn from them and
    the corroboration of each fact. A merged record's id answers with its whole cluster."""
    d = person_detail(actor=actor_of(request), person_id=person_id)
    p = d.person
    return PersonDetailOut(
        id=p.pk, records=d.records, name=p.display_name, sex=p.sex, birth=partial_date(p.birth), ethnicity=p.ethnicity,
        citizenship=list(p.citizenship or []), hometown_code=p.hometown.code if p.hometown else None, hometown_text=p.hometown_text,
        names=[
            PersonNameOut(id=n.pk, text=n.text, script=n.script, kind=n.kind, romanized=n.romanized, record_id=n.person_id,
                          testimony_id=n.testimony_id, document_id=n.document_id)
            for n in d.names
        ],
        identity_numbers=None if d.identity_numbers is None else [
            PersonIdentityNumberOut(id=i.pk, scheme=i.scheme, value=i.value, valid=i.valid, problem=i.problem, birth_date=i.birth_date,
                                    sex=i.sex, county_code=i.county_code, record_id=i.person_id, testimony_id=i.testimony_id, document_id=i.document_id)
            for i in d.identity_numbers
        ],
        claims=[
            PersonClaimOut(id=c.pk, type=c.type, start=partial_date(c.start), end=partial_date(c.end), facility_id=c.facility_id,
                           facility=c.facility.name if c.facility else None, place_code=c.place.code if c.place else None,
                           place_text=c.place_text, term_months=c.term_months, note=c.note, record_id=c.person_id,
                           testimony_id=c.testimony_id, document_id=c.document_id)
            for c in d.claims
        ],
        timeline=[
            PersonTimelineEventOut(type=e.type, label=str(e.label), start=partial_date(e.start), end=partial_date(e.end), facility=e.facility,
                                   place=e.place, term_months=e.term_months, claim_ids=list(e.claim_ids), testimony_ids=list(e.testimony_ids),
                                   document_ids=list(e.document_ids), sources=e.sources)
            for e in d.timeline.events
        ],
        corroboration=PersonCorroborationOut(
            sources=p.sources, evidence_level=p.evidence_level, evidence_label=str(EvidenceLevel.LABELS.get(p.evidence_level, "")),
            status=p.status, status_date=p.status_date,
        ),
        testimony_ids=d.testimony_ids,
    )
