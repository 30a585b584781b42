"""Matches: candidate pairs that may be one person, with the weight of each field; a reviewer accepts
(merging them, reversibly) or rejects (never proposed again) through ``match_decide``, as on the web."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from vigil.api.auth import actor_of
from vigil.api.errors import errors, error_body
from vigil.api.values import MAX_ID, PAGE_MAX, PathId, page
from vigil.linkage.matches import match_get, match_list
from vigil.linkage.models import Match
from vigil.linkage.services import match_decide

router = Router(tags=["matches"])


class MatchOut(Schema):
    id: int
    person_a_id: int
    person_b_id: int | None = Field(description="null when the pair is a list row and a person")
    list_row_id: int | None
    document_id: int | None = Field(description="The list the row belongs to")
    probability: float
    match_weight: float
    field_weights: dict[str, float] = Field(description="Weight (log2 Bayes factor) of each compared field")
    model_version: str
    status: str
    decided_at: dt.datetime | None
    created_at: dt.datetime


def _out(m: Match) -> MatchOut:
    weights = {str(k): float(v) for k, v in (m.field_weights or {}).items() if isinstance(v, int | float)}
    return MatchOut(
        id=m.pk, person_a_id=m.person_a_id, person_b_id=m.person_b_id, list_row_id=m.list_row_id,
        document_id=m.list_row.document_id if m.list_row else None, probability=m.probability, match_weight=m.match_weight,
        field_weights=weights, model_version=m.model_version, status=m.status, decided_at=m.decided_at, created_at=m.created_at,
    )


class MatchListIn(Schema):
    status: Literal["proposed", "accepted", "rejected"] | None = None
    person: int | None = Field(None, ge=1, le=MAX_ID, description="Matches of any record of this person's cluster")
    document: int | None = Field(None, ge=1, le=MAX_ID, description="Matches of this list's rows")
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(25, ge=1, le=PAGE_MAX)


class MatchListOut(Schema):
    count: int
    offset: int
    limit: int
    items: list[MatchOut]


@router.get("/", response={200: MatchListOut, **errors(400, 401, 403, 422)}, summary="List matches")
def matches_list(request: HttpRequest, params: Query[MatchListIn]) -> MatchListOut:
    """Matches, most likely first (``status=proposed`` is the review queue)."""
    qs = match_list(actor=actor_of(request), status=params.status or "", person_id=params.person, document_id=params.document)
    items, total = page(qs, offset=params.offset, limit=params.limit)
    return MatchListOut(count=total, offset=params.offset, limit=params.limit, items=[_out(m) for m in items])


@router.get("/{match_id}", response={200: MatchOut, **errors(400, 401, 403, 404, 422)}, summary="A match")
def matches_get(request: HttpRequest, match_id: PathId) -> MatchOut:
    return _out(match_get(actor=actor_of(request), match_id=match_id))


class MatchAcceptOut(Schema):
    match: MatchOut
    merge_id: int | None = Field(description="The merge that joined the two records (undo it on the person page)")
    person_id: int = Field(description="The person (cluster root) the records now are")


@router.post("/{match_id}/accept", response={200: MatchAcceptOut, **errors(400, 401, 403, 404, 409, 422)}, summary="Accept a match")
def matches_accept(request: HttpRequest, match_id: PathId) -> MatchAcceptOut | Status:
    """The two records are one person: merge them (reversibly). 409 when the match was already decided."""
    actor = actor_of(request)
    match = match_get(actor=actor, match_id=match_id)
    try:
        merge = match_decide(actor=actor, match=match, accept=True)
    except ValidationError as exc:
        return Status(409, error_body(409, " ".join(exc.messages)))
    match.refresh_from_db()
    survivor = merge.survivor if merge is not None else match.person_a
    return MatchAcceptOut(match=_out(match), merge_id=merge.pk if merge else None, person_id=survivor.canonical_id or survivor.pk)


class MatchRejectOut(Schema):
    match: MatchOut


@router.post("/{match_id}/reject", response={200: MatchRejectOut, **errors(400, 401, 403, 404, 409, 422)}, summary="Reject a match")
def matches_reject(request: HttpRequest, match_id: PathId) -> MatchRejectOut | Status:
    """The two records are not one person; the pair will not be proposed again. 409 when already decided."""
    actor = actor_of(request)
    match = match_get(actor=actor, match_id=match_id)
    try:
        match_decide(actor=actor, match=match, accept=False)
    except ValidationError as exc:
        return Status(409, error_body(409, " ".join(exc.messages)))
    match.refresh_from_db()
    return MatchRejectOut(match=_out(match))
