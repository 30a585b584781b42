"""Reading claims: each fact with the testimony or document that asserts it."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from vigil.access import Actor, require
from vigil.records.models import Claim


def claim_list(
    *,
    actor: Actor,
    person_id: int | None = None,
    type: str = "",
    facility_id: int | None = None,
    testimony_id: int | None = None,
    document_id: int | None = None,
) -> QuerySet[Claim]:
    """Claims, oldest first; ``person_id`` takes the claims of every record of that person's cluster."""
    require(actor, "person.view")
    qs = Claim.objects.select_related("facility", "place")
    if person_id is not None:
        qs = qs.filter(person__canonical__cluster__pk=person_id)
    if type:
        qs = qs.filter(type=type)
    if facility_id is not None:
        qs = qs.filter(facility_id=facility_id)
    if testimony_id is not None:
        qs = qs.filter(testimony_id=testimony_id)
    if document_id is not None:
        qs = qs.filter(document_id=document_id)
    return qs.order_by("date", "id")


def claim_get(*, actor: Actor, claim_id: int) -> Claim:
    """One claim (Http404 when unknown)."""
    require(actor, "person.view")
    return get_object_or_404(Claim.objects.select_related("facility", "place"), pk=claim_id)
