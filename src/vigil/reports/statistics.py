"""The statistics report for a period: counts, charts, a map of facilities, per-county and per-facility tables.

Meant to be handed to a journalist, so it holds aggregates only: no person's name, no identity
number, nothing about who testified. A person is in the period when one of their claims is dated
within it (a claim dated to a month or a year counts when that month or year overlaps the period).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from vigil.access import Actor, require
from vigil.places.models import Facility
from vigil.records.derived import EvidenceLevel
from vigil.records.models import Claim, Person, Testimony
from vigil.records.models.choices import Ethnicity
from vigil.reports.render import svg_with_style
from vigil.web.charts import bar_chart

#: Statuses under which a person is still out of reach (held, sentenced, or whereabouts unknown).
STILL_HELD = ("detained", "held_at", "sentenced", "transferred", "house_arrest", "forced_labour", "whereabouts_unknown")
#: Xinjiang's extent, for the map's frame (degrees).
MAP_WEST, MAP_EAST, MAP_SOUTH, MAP_NORTH = 73.0, 97.0, 34.0, 50.0


@dataclass(frozen=True, slots=True)
class CountyRow:
    code: str
    name_zh: str
    pinyin: str
    persons: int
    still_held: int
    corroborated: int


@dataclass(frozen=True, slots=True)
class FacilityRow:
    number: int
    name: str
    type: str
    county: str
    persons: int
    latitude: float | None
    longitude: float | None


@dataclass(slots=True)
class StatisticsReport:
    date_from: dt.date
    date_to: dt.date
    persons: int
    testimonies: int
    by_status: list[tuple[str, int]]
    by_evidence: list[tuple[str, int]]
    by_ethnicity: list[tuple[str, int]]
    detentions_by_month: list[tuple[str, int]]
    counties: list[CountyRow]
    facilities: list[FacilityRow]
    generated_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def facilities_on_map(self) -> int:
        return sum(1 for f in self.facilities if f.latitude is not None and f.longitude is not None)

    @property
    def still_held(self) -> int:
        return sum(r.still_held for r in self.counties)


def _claims_in(date_from: dt.date, date_to: dt.date):  # type: ignore[no-untyped-def]
    return Claim.objects.filter(date__isnull=False, date__lte=date_to).filter(Q(date_latest__gte=date_from) | Q(date_latest__isnull=True, date__gte=date_from))


def statistics_report(*, actor: Actor, date_from: dt.date, date_to: dt.date) -> StatisticsReport:
    """Aggregates for the persons with a claim dated in [date_from, date_to] (each counted once, by cluster)."""
    require(actor, "statistics.view")
    if date_to < date_from:
        raise ValueError("the period ends before it starts")
    claims = _claims_in(date_from, date_to)
    roots = Person.objects.filter(pk__in=claims.values("person__canonical_id"))
    statuses = dict(Claim.Type.choices)
    by_status = [
        (str(statuses.get(r["status"], r["status"] or _("no claims"))), r["n"])
        for r in roots.values("status").annotate(n=Count("id")).order_by("-n", "status")
    ]
    by_evidence = [
        (str(EvidenceLevel.LABELS.get(r["evidence_level"], r["evidence_level"])), r["n"])
        for r in roots.values("evidence_level").annotate(n=Count("id")).order_by("-evidence_level")
    ]
    ethnicities = dict(Ethnicity.choices)
    by_ethnicity = [
        (str(ethnicities.get(r["ethnicity"], r["ethnicity"] or _("unknown"))), r["n"])
        for r in roots.values("ethnicity").annotate(n=Count("id")).order_by("-n", "ethnicity")
    ]
    detentions = [
        (r["month"].strftime("%Y-%m"), r["n"])
        for r in claims.filter(type="detained", date_precision__in=["day", "month"])
        .annotate(month=TruncMonth("date")).values("month").annotate(n=Count("person__canonical", distinct=True)).order_by("month")
    ]
    counties = [
        CountyRow(
            code=r["hometown__code"] or "", name_zh=r["hometown__name_zh"] or _("unknown"), pinyin=r["hometown__pinyin"] or "",
            persons=r["n"], still_held=r["held"], corroborated=r["corroborated"],
        )
        for r in roots.values("hometown__code", "hometown__name_zh", "hometown__pinyin").annotate(
            n=Count("id"),
            held=Count("id", filter=Q(status__in=STILL_HELD)),
            corroborated=Count("id", filter=Q(evidence_level__gte=EvidenceLevel.CORROBORATED)),
        ).order_by("-n", "hometown__code")
    ]
    per_facility = (
        claims.filter(facility__isnull=False).values("facility_id")
        .annotate(n=Count("person__canonical", distinct=True)).order_by("-n", "facility_id")
    )
    counts = {r["facility_id"]: r["n"] for r in per_facility}
    found = Facility.objects.select_related("county").in_bulk(list(counts))
    types = dict(Facility.Type.choices)
    facilities = [
        FacilityRow(
            number=i, name=f.name, type=str(types.get(f.type, f.type)),
            county=f"{f.county.name_zh} ({f.county.pinyin})" if f.county else "", persons=counts[pk],
            latitude=f.latitude, longitude=f.longitude,
        )
        for i, (pk, f) in enumerate(((pk, found[pk]) for pk in counts), start=1)
    ]
    testimonies = Testimony.objects.filter(date__lte=date_to, date_latest__gte=date_from).count()
    return StatisticsReport(
        date_from=date_from, date_to=date_to, persons=roots.count(), testimonies=testimonies,
        by_status=by_status, by_evidence=by_evidence, by_ethnicity=by_ethnicity, detentions_by_month=detentions,
        counties=counties, facilities=facilities,
    )


def facility_map(rows: list[FacilityRow], *, title: str, width: int = 640) -> SafeString:
    """Facilities as points on Xinjiang's frame of longitude and latitude (no base map: nothing is fetched),
    each numbered as in the facility table, its area growing with the persons reported held there."""
    mid = math.cos(math.radians((MAP_SOUTH + MAP_NORTH) / 2))
    pad = 40
    scale = (width - 2 * pad) / ((MAP_EAST - MAP_WEST) * mid)
    height = round((MAP_NORTH - MAP_SOUTH) * scale + 2 * pad)

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return pad + (lon - MAP_WEST) * mid * scale, pad + (MAP_NORTH - lat) * scale

    parts = [f'<rect class="frame" x="{pad}" y="{pad}" width="{width - 2 * pad}" height="{height - 2 * pad}"/>']
    for lon in range(75, 97, 5):
        x, _y = xy(MAP_SOUTH, lon)
        parts.append(f'<line class="grid" x1="{x:.1f}" y1="{pad}" x2="{x:.1f}" y2="{height - pad}"/><text x="{x:.1f}" y="{height - 8}" text-anchor="middle">{lon}°E</text>')
    for lat in range(35, 50, 5):
        _x, y = xy(lat, MAP_WEST)
        parts.append(f'<line class="grid" x1="{pad}" y1="{y:.1f}" x2="{width - pad}" y2="{y:.1f}"/><text x="{pad - 3}" y="{y + 3:.1f}" text-anchor="end">{lat}°N</text>')
    peak = max((r.persons for r in rows), default=1) or 1
    # Largest first, so small points stay visible on top.
    for r in sorted(rows, key=lambda r: -r.persons):
        if r.latitude is None or r.longitude is None:
            continue
        x, y = xy(r.latitude, r.longitude)
        radius = 2.5 + 9 * math.sqrt(r.persons / peak)
        parts.append(
            f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}"><title>{escape(r.name)}: {r.persons}</title></circle>'
            f'<text class="point-label" x="{x + radius + 1:.1f}" y="{y + 3:.1f}">{r.number}</text>'
        )
    svg = (
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )
    return mark_safe(svg)  # every text inside was escaped above


def statistics_context(report: StatisticsReport, *, standalone: bool = False) -> dict[str, object]:
    """What the statistics templates draw: every chart with the rows it is drawn from. ``standalone``:
    for a file that leaves vigil (each SVG then carries its own styles)."""
    svg = svg_with_style if standalone else (lambda s: s)
    figures = [
        ("status", _("Persons by current status"), report.by_status, True),
        ("evidence", _("Persons by evidence level"), report.by_evidence, True),
        ("ethnicity", _("Persons by ethnicity"), report.by_ethnicity, True),
        ("detentions", _("Detentions by month (dated to the month or day)"), report.detentions_by_month, False),
    ]
    return {
        "report": report,
        "figures": [
            {"key": key, "title": title, "rows": rows, "chart": svg(bar_chart(rows, title=title, horizontal=horizontal))}
            for key, title, rows, horizontal in figures
        ],
        "map": svg(facility_map(report.facilities, title=_("Facilities where persons were reported held"))),
    }
