from __future__ import annotations

import csv

from django.db.models import Count
from django.db.models.functions import TruncMonth, TruncWeek
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from vigil.records.models import Claim, Person, Testimony
from vigil.records.models.choices import Ethnicity
from vigil.web.charts import bar_chart
from vigil.web.access import requires

_STATUS = dict(Claim.Type.choices)
_ETHNICITY = dict(Ethnicity.choices)


def _roots():
    return Person.objects.filter(merged_into__isnull=True)


def dashboard_tables() -> dict[str, tuple[str, list[tuple[str, int]]]]:
    """Every dashboard figure as (title, rows of (label, count)); charts, tables and CSV are drawn from these."""
    roots = _roots()
    by_status = [(str(_STATUS.get(r["status"], r["status"] or _("no claims"))), r["n"]) for r in roots.values("status").annotate(n=Count("id")).order_by("-n")]
    by_ethnicity = [(str(_ETHNICITY.get(r["ethnicity"], r["ethnicity"] or _("unknown"))), r["n"]) for r in roots.values("ethnicity").annotate(n=Count("id")).order_by("-n")]
    by_county = [
        (f"{r['hometown__name_zh'] or _('unknown')} {r['hometown__pinyin'] or ''}".strip(), r["n"])
        for r in roots.values("hometown__name_zh", "hometown__pinyin").annotate(n=Count("id")).order_by("-n")[:25]
    ]
    by_facility = [
        (r["facility__name"], r["n"])
        for r in Claim.objects.filter(facility__isnull=False).values("facility__name").annotate(n=Count("person__canonical", distinct=True)).order_by("-n")[:25]
    ]
    detentions = [
        (r["month"].strftime("%Y-%m"), r["n"])
        for r in Claim.objects.filter(type="detained", date__isnull=False, date_precision__in=["day", "month"])
        .annotate(month=TruncMonth("date")).values("month").annotate(n=Count("person__canonical", distinct=True)).order_by("month")
    ]
    weekly = [
        (r["week"].strftime("%Y-%m-%d"), r["n"])
        for r in Testimony.objects.annotate(week=TruncWeek("created_at")).values("week").annotate(n=Count("id")).order_by("week")
    ]
    return {
        "status": (_("Persons by current status"), by_status),
        "ethnicity": (_("Persons by ethnicity"), by_ethnicity),
        "county": (_("Persons by hometown (top 25)"), by_county),
        "facility": (_("Persons reported held, by facility (top 25)"), by_facility),
        "detentions": (_("Detentions by month (dated to the month or day)"), detentions),
        "testimonies": (_("Testimonies recorded per week"), weekly),
    }


@requires("statistics.view")
def dashboard(request: HttpRequest) -> HttpResponse:
    tables = dashboard_tables()
    figures = []
    for key, (title, rows) in tables.items():
        horizontal = key not in ("detentions", "testimonies")
        figures.append({"key": key, "title": title, "rows": rows, "chart": bar_chart(rows, title=title, horizontal=horizontal)})
    return render(request, "web/dashboard.html", {"figures": figures, "persons": _roots().count(), "testimonies": Testimony.objects.count()})


@requires("statistics.view")
def dashboard_csv(request: HttpRequest, key: str) -> HttpResponse:
    tables = dashboard_tables()
    if key not in tables:
        raise Http404
    title, rows = tables[key]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vigil-{key}.csv"'
    writer = csv.writer(response)
    writer.writerow(["label", "count"])
    writer.writerows(rows)
    return response
