"""Testimonies. A testifier's identity and contacts are shown only to roles allowed ``testifier.view``,
transcripts only to ``testimony.view_sensitive``; everyone else sees the testifier as an opaque id."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from vigil.access import Actor, allowed
from vigil.api.auth import actor_of
from vigil.api.errors import errors
from vigil.api.values import MAX_ID, PAGE_MAX, PartialDateOut, PathId, page, partial_date
from vigil.records.models import Testimony
from vigil.records.testimonies import testimony_get, testimony_list

router = Router(tags=["testimonies"])


class TestifierOut(Schema):
    id: int = Field(description="Opaque: the same id in two testimonies is the same testifier")
    relation: str = Field(description="Relation to the persons spoken about (sister, son, neighbour, self …)")
    identity: TestifierIdentityOut | None = Field(description="null unless the caller may see who testified")


class TestifierIdentityOut(Schema):
    ref: str | None
    name: str
    country: str
    phone: str
    email: str
    note: str


TestifierOut.model_rebuild()


class TestimonyOut(Schema):
    id: int
    ref: str | None
    date: PartialDateOut
    language: str
    medium: str
    consent: str
    summary: str
    transcript: str | None = Field(description="null unless the caller may read transcripts")
    testifier: TestifierOut
    person_ids: list[int] = Field(description="The person records this testimony created or concerns")
    evidence: list[str] = Field(description="SHA-256 of each evidence file")
    created_at: dt.datetime


def _out(t: Testimony, actor: Actor) -> TestimonyOut:
    testifier = t.testifier
    identity = None
    if allowed(actor, "testifier.view"):
        identity = TestifierIdentityOut(ref=testifier.ref, name=testifier.name, country=testifier.country, phone=testifier.phone,
                                        email=testifier.email, note=testifier.note)
    return TestimonyOut(
        id=t.pk, ref=t.ref, date=partial_date(t.when), language=t.language, medium=t.medium, consent=t.consent,  # type: ignore[arg-type]
        summary=t.summary, transcript=t.transcript if allowed(actor, "testimony.view_sensitive") else None,
        testifier=TestifierOut(id=testifier.pk, relation=testifier.relation, identity=identity),
        person_ids=sorted(p.pk for p in t.persons.all()), evidence=[e.sha256 for e in t.evidence.all()], created_at=t.created_at,
    )


class TestimonyListIn(Schema):
    person: int | None = Field(None, ge=1, le=MAX_ID, description="Only testimonies about this person (any record of the cluster)")
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(25, ge=1, le=PAGE_MAX)


class TestimonyListOut(Schema):
    count: int
    offset: int
    limit: int
    items: list[TestimonyOut]


@router.get("/", response={200: TestimonyListOut, **errors(400, 401, 403, 422)}, summary="List testimonies")
def testimonies_list(request: HttpRequest, params: Query[TestimonyListIn]) -> TestimonyListOut:
    """Testimonies, newest first."""
    actor = actor_of(request)
    items, total = page(testimony_list(actor=actor, person_id=params.person), offset=params.offset, limit=params.limit)
    return TestimonyListOut(count=total, offset=params.offset, limit=params.limit, items=[_out(t, actor) for t in items])


@router.get("/{testimony_id}", response={200: TestimonyOut, **errors(400, 401, 403, 404, 422)}, summary="A testimony")
def testimonies_get(request: HttpRequest, testimony_id: PathId) -> TestimonyOut:
    actor = actor_of(request)
    return _out(testimony_get(actor=actor, testimony_id=testimony_id), actor)
