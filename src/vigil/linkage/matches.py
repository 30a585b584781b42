"""Reading proposed and decided matches. Deciding one is ``vigil.linkage.services.match_decide``."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from vigil.access import Actor, require
from vigil.linkage.models import Match


def match_list(*, actor: Actor, status: str = "", person_id: int | None = None, document_id: int | None = None) -> QuerySet[Match]:
    """Matches, most likely first; ``person_id`` takes those of any record of that person's cluster."""
    require(actor, "match.view")
    qs = Match.objects.select_related("list_row")
    if status:
        qs = qs.filter(status=status)
    if person_id is not None:
        qs = qs.filter(Q(person_a__canonical__cluster__pk=person_id) | Q(person_b__canonical__cluster__pk=person_id)).distinct()
    if document_id is not None:
        qs = qs.filter(list_row__document_id=document_id)
    return qs.order_by("-probability", "id")


def match_get(*, actor: Actor, match_id: int) -> Match:
    """One match (Http404 when unknown)."""
    require(actor, "match.view")
    return get_object_or_404(Match.objects.select_related("list_row"), pk=match_id)
