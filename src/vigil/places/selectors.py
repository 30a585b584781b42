"""Reading places (administrative divisions) and facilities."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from vigil.access import Actor, require
from vigil.places.models import Facility, Place


def place_list(*, actor: Actor, level: str = "", parent_code: str = "", query: str = "") -> QuerySet[Place]:
    """Places by code; ``query`` matches the Chinese name, pinyin or any other name."""
    require(actor, "place.view")
    qs = Place.objects.select_related("parent").prefetch_related("names")
    if level:
        qs = qs.filter(level=level)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    if query:
        qs = qs.filter(Q(name_zh__icontains=query) | Q(pinyin__icontains=query) | Q(names__text__icontains=query)).distinct()
    return qs.order_by("code")


def place_get(*, actor: Actor, code: str) -> Place:
    """One place by its code (Http404 when unknown)."""
    require(actor, "place.view")
    return get_object_or_404(Place.objects.select_related("parent").prefetch_related("names"), code=code)


def _facilities() -> QuerySet[Facility]:
    return Facility.objects.select_related("county").annotate(persons=Count("claims__person__canonical", distinct=True))


def facility_list(*, actor: Actor, type: str = "", county_code: str = "") -> QuerySet[Facility]:
    """Facilities by name, each with the number of persons held there by any claim (``persons``)."""
    require(actor, "place.view")
    qs = _facilities()
    if type:
        qs = qs.filter(type=type)
    if county_code:
        qs = qs.filter(county__code=county_code)
    return qs.order_by("name", "id")


def facility_get(*, actor: Actor, facility_id: int) -> Facility:
    """One facility with ``persons`` (Http404 when unknown)."""
    require(actor, "place.view")
    return get_object_or_404(_facilities(), pk=facility_id)
