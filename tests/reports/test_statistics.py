import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from tests.conftest import testimony_line
from tests.reports.conftest import _record
from vigil.audit.models import AuditEntry
from vigil.reports.services import statistics_export
from vigil.reports.statistics import FacilityRow, facility_map, statistics_report

PERIOD = {"date_from": dt.date(2018, 1, 1), "date_to": dt.date(2018, 12, 31)}


@pytest.fixture
def population(case_person, editor):
    """The merged synthetic person of the case form (detained 2018) and one more person detained in 2016 only."""
    line = testimony_line(ref="T3")
    line["testifier"] = {"ref": "W3", "name": "Synthetic Witness Three"}
    line["persons"][0].update({
        "ref": "R9", "names": [{"text": "Gulnar Tursun"}], "identity_numbers": [], "hometown": {"code": "650102"},
        "claims": [{"type": "detained", "date": "2016-07", "facility": {"name": "Synthetic Camp No. 2", "type": "camp", "county_code": "650102", "lat": 43.8, "lon": 87.6}}],
    })
    return case_person, _record(editor, line)


@pytest.mark.django_db
def test_counts_cover_the_period_and_count_each_person_once(population, editor):
    """A person is in the period when a claim's date overlaps it; three merged records are one person."""
    report = statistics_report(actor=editor, **PERIOD)
    assert report.persons == 1
    assert sum(n for _label, n in report.by_status) == 1
    assert [(r.code, r.persons) for r in report.counties] == [("654021", 1)]
    assert [(f.name, f.persons) for f in report.facilities] == [("Synthetic Detention Centre No. 1", 1)]
    assert report.detentions_by_month == [("2018-03", 1)]
    wider = statistics_report(actor=editor, date_from=dt.date(2016, 1, 1), date_to=dt.date(2018, 12, 31))
    assert wider.persons == 2
    assert {f.name for f in wider.facilities} == {"Synthetic Detention Centre No. 1", "Synthetic Camp No. 2"}
    assert wider.facilities_on_map == 1


@pytest.mark.django_db
def test_statistics_pdf_is_public_safe(population, editor):
    """The statistics PDF opens and holds counts, the map and both tables, but no person's name, no identity
    number and nothing about testifiers; the export is in the audit log."""
    data = statistics_export(actor=editor, date_from=dt.date(2016, 1, 1), date_to=dt.date(2018, 12, 31), fmt="pdf")
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    for expected in ("Persons by current status", "Persons by evidence level", "Map of facilities", "Persons by hometown county",
                     "Persons reported held, by facility", "Synthetic Camp No. 2", "伊宁县", "654021"):
        assert expected in text, expected
    for secret in ("Ерлан", "叶尔兰", "Erlan", "Gulnar", "650102198003120012", "Synthetic Witness", "+7 700", "T1"):
        assert secret not in text, secret
    entry = AuditEntry.objects.get(action="statistics.export")
    assert entry.detail == {"from": "2016-01-01", "to": "2018-12-31", "format": "pdf", "persons": 2}


@pytest.mark.django_db
def test_statistics_need_their_permissions(population, reader, researcher):
    """Anyone without a staff role sees no statistics; a researcher may view and export them."""
    with pytest.raises(PermissionDenied):
        statistics_report(actor=reader, **PERIOD)
    with pytest.raises(PermissionDenied):
        statistics_export(actor=None, fmt="html", **PERIOD)
    assert b"Persons by hometown county" in statistics_export(actor=researcher, fmt="html", **PERIOD)


@pytest.mark.django_db
def test_downloaded_charts_carry_their_styles(population, editor):
    """In a file that leaves vigil, every chart and the map carry their stylesheet inside the SVG (WeasyPrint and
    a browser opening the file need no other file)."""
    html = statistics_export(actor=editor, fmt="html", **PERIOD).decode()
    svgs = [part.split("</svg>")[0] for part in html.split("<svg")[1:]]
    assert len(svgs) >= 5
    assert all("<style>" in svg and "svg .bar { fill:" in svg for svg in svgs)


def test_map_places_points_by_coordinates_and_escapes_names():
    """A facility further east is drawn further right; facilities without coordinates are left off; names are escaped."""
    rows = [
        FacilityRow(1, "West <b>", "camp", "", 4, 40.0, 75.0),
        FacilityRow(2, "East", "camp", "", 1, 40.0, 95.0),
        FacilityRow(3, "Nowhere", "camp", "", 9, None, None),
    ]
    svg = str(facility_map(rows, title="t"))
    assert "West &lt;b&gt;" in svg and "<b>" not in svg and "Nowhere" not in svg
    xs = [float(part.split('"')[1]) for part in svg.split('cx=')[1:]]
    assert xs[0] < xs[1]  # the larger point (West) is drawn first
