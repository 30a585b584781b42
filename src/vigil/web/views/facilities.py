from __future__ import annotations

import json

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from vigil.places.models import Facility
from vigil.web.charts import bar_chart
from vigil.records.models import Claim, Person
from vigil.web.access import requires


def _facilities():
    return Facility.objects.select_related("county").annotate(
        persons=Count("claims__person__canonical", distinct=True),
    )


@requires("person.view")
def facilities(request: HttpRequest) -> HttpResponse:
    rows = _facilities().order_by("-persons", "name")
    points = [
        {"id": f.pk, "name": f.name, "lat": f.latitude, "lon": f.longitude, "persons": f.persons}
        for f in rows if f.latitude is not None and f.longitude is not None
    ]
    context = {
        "facilities": rows,
        "points_json": json.dumps(points, ensure_ascii=False),
        "tiles": getattr(settings, "VIGIL_MAP_TILES", ""),
        "tiles_attribution": getattr(settings, "VIGIL_MAP_ATTRIBUTION", ""),
    }
    return render(request, "web/facilities.html", context)


@requires("person.view")
def facility(request: HttpRequest, pk: int) -> HttpResponse:
    f = get_object_or_404(Facility.objects.select_related("county"), pk=pk)
    claims = Claim.objects.filter(facility=f)
    roots = claims.values_list("person__canonical_id", flat=True).distinct()
    persons = Person.objects.filter(pk__in=roots).order_by("id")[:200]
    months = list(
        claims.filter(date__isnull=False).annotate(month=TruncMonth("date")).values("month")
        .annotate(n=Count("person__canonical", distinct=True)).order_by("month")
    )
    bars = [{"month": m["month"], "n": m["n"]} for m in months]
    chart = bar_chart([(m["month"].strftime("%Y-%m"), m["n"]) for m in months], title=f"{f.name}: persons per month")
    context = {"facility": f, "persons": persons, "total": roots.count(), "bars": bars, "chart": chart,
               "by_type": claims.values("type").annotate(n=Count("id")).order_by("-n"),
               "released": claims.filter(Q(type="released")).count()}
    return render(request, "web/facility.html", context)
