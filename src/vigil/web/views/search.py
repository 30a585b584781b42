from __future__ import annotations

import datetime as dt
import time

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from vigil.places.models import Facility, Place
from vigil.records.derived import EvidenceLevel
from vigil.records.models import Claim
from vigil.records.models.choices import Ethnicity, Sex
from vigil.records.search import SORTS, PersonFilters, person_search
from vigil.web.access import requires

PAGE = 25


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def filters_from(request: HttpRequest) -> PersonFilters:
    g = request.GET
    return PersonFilters(
        status=g.get("status", "") if g.get("status", "") in Claim.Type.values else "",
        ethnicity=g.get("ethnicity", "") if g.get("ethnicity", "") in Ethnicity.values else "",
        sex=g.get("sex", "") if g.get("sex", "") in Sex.values else "",
        county=g.get("county", "")[:6] if g.get("county", "").isdigit() else "",
        facility=_int(g.get("facility")),
        detained_from=_date(g.get("detained_from")),
        detained_to=_date(g.get("detained_to")),
        born_from=_date(g.get("born_from")),
        born_to=_date(g.get("born_to")),
        evidence_min=_int(g.get("evidence")),
    )


@requires("person.view")
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    sort = request.GET.get("sort", "relevance")
    if sort not in SORTS:
        sort = "relevance"
    page = max(1, _int(request.GET.get("page")) or 1)
    filters = filters_from(request)
    started = time.perf_counter()
    result = person_search(actor=request.user, query=query, filters=filters, sort=sort, offset=(page - 1) * PAGE, limit=PAGE)
    elapsed_ms = (time.perf_counter() - started) * 1000
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "q": query,
        "result": result,
        "filters": filters,
        "sort": sort,
        "page": page,
        "pages": max(1, -(-result.total // PAGE)),
        "base_query": params.urlencode(),
        "elapsed_ms": elapsed_ms,
        "statuses": Claim.Type.choices,
        "ethnicities": Ethnicity.choices,
        "sexes": Sex.choices,
        "evidence_levels": sorted(EvidenceLevel.LABELS.items()),
        "facilities": Facility.objects.order_by("name").values_list("id", "name"),
        "counties": Place.objects.filter(level__in=["county", "prefecture"], valid_to__isnull=True).order_by("code").values_list("code", "name_zh", "pinyin"),
        "sorts": [("relevance", _("relevance")), ("name", _("name")), ("birth", _("birth (oldest first)")), ("-birth", _("birth (youngest first)")), ("-status_date", _("latest news first")), ("evidence", _("best evidence first")), ("recent", _("recently added"))],
    }
    template = "web/search_results.html" if request.headers.get("HX-Request") else "web/search.html"
    return render(request, template, context)


@requires("person.view")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {})
