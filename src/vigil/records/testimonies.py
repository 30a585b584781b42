"""Reading testimonies. Who testified is the most sensitive fact in the system: callers show a
testifier's identity and contacts only to actors allowed ``testifier.view``, and transcripts only
to ``testimony.view_sensitive``; everyone else gets the testifier as an opaque id."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from vigil.access import Actor, require
from vigil.records.models import Testimony


def testimony_list(*, actor: Actor, person_id: int | None = None) -> QuerySet[Testimony]:
    """Testimonies, newest first; with ``person_id``, those about any record of that person's cluster."""
    require(actor, "testimony.view")
    qs = Testimony.objects.select_related("testifier").prefetch_related("persons", "evidence")
    if person_id is not None:
        # A person is a cluster: any record whose root's cluster holds ``person_id``.
        qs = qs.filter(persons__canonical__cluster__pk=person_id).distinct()
    return qs.order_by("-date", "id")


def testimony_get(*, actor: Actor, testimony_id: int) -> Testimony:
    """One testimony (Http404 when unknown)."""
    require(actor, "testimony.view")
    return get_object_or_404(Testimony.objects.select_related("testifier").prefetch_related("persons", "evidence"), pk=testimony_id)
