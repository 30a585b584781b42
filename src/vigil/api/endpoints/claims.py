"""Claims: each fact about a person with the testimony or document that asserts it."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from vigil.api.auth import actor_of
from vigil.api.endpoints.persons import ClaimType
from vigil.api.errors import errors
from vigil.api.values import MAX_ID, PAGE_MAX, PartialDateOut, PathId, page, partial_date
from vigil.records.claims import claim_get, claim_list
from vigil.records.models import Claim

router = Router(tags=["claims"])


class ClaimOut(Schema):
    id: int
    person_id: int = Field(description="The person record that carries the claim")
    type: str
    start: PartialDateOut | None
    end: PartialDateOut | None
    facility_id: int | None
    place_code: str | None
    place_text: str
    term_months: int | None
    note: str
    testimony_id: int | None
    document_id: int | None


def _out(c: Claim) -> ClaimOut:
    return ClaimOut(
        id=c.pk, person_id=c.person_id, type=c.type, start=partial_date(c.start), end=partial_date(c.end), facility_id=c.facility_id,
        place_code=c.place.code if c.place else None, place_text=c.place_text, term_months=c.term_months, note=c.note,
        testimony_id=c.testimony_id, document_id=c.document_id,
    )


class ClaimListIn(Schema):
    person: int | None = Field(None, ge=1, le=MAX_ID, description="Claims of any record of this person's cluster")
    type: ClaimType | None = None
    facility: int | None = Field(None, ge=1, le=MAX_ID)
    testimony: int | None = Field(None, ge=1, le=MAX_ID)
    document: int | None = Field(None, ge=1, le=MAX_ID)
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(25, ge=1, le=PAGE_MAX)


class ClaimListOut(Schema):
    count: int
    offset: int
    limit: int
    items: list[ClaimOut]


@router.get("/", response={200: ClaimListOut, **errors(400, 401, 403, 422)}, summary="List claims")
def claims_list(request: HttpRequest, params: Query[ClaimListIn]) -> ClaimListOut:
    """Claims, oldest first."""
    qs = claim_list(actor=actor_of(request), person_id=params.person, type=params.type or "", facility_id=params.facility,
                    testimony_id=params.testimony, document_id=params.document)
    items, total = page(qs, offset=params.offset, limit=params.limit)
    return ClaimListOut(count=total, offset=params.offset, limit=params.limit, items=[_out(c) for c in items])


@router.get("/{claim_id}", response={200: ClaimOut, **errors(400, 401, 403, 404, 422)}, summary="A claim")
def claims_get(request: HttpRequest, claim_id: PathId) -> ClaimOut:
    return _out(claim_get(actor=actor_of(request), claim_id=claim_id))
