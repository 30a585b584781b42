"""Reports in the staff app: WGEID case forms (start, review and edit, preview, download) and the statistics report."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.access import allowed, require
from vigil.records.models import Person
from vigil.reports import content as c
from vigil.reports.forms import case_form_edit_from_post, case_form_sections, parse_day
from vigil.reports.models import CaseForm
from vigil.reports.selectors import case_form_document, case_forms
from vigil.reports.services import (
    case_form_create,
    case_form_export,
    case_form_refill,
    case_form_update,
    statistics_export,
)
from vigil.reports.statistics import statistics_context, statistics_report
from vigil.web.access import requires

_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


def _attachment(data: bytes, *, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = dt.date.today()
    date_to = parse_day(request.GET.get("to")) or today
    date_from = parse_day(request.GET.get("from")) or date_to - dt.timedelta(days=3652)  # about ten years
    return date_from, date_to


@requires("statistics.view")
def reports(request: HttpRequest) -> HttpResponse:
    may_wgeid = allowed(request.user, "report.wgeid")
    forms = case_forms(actor=request.user)[:50] if may_wgeid else []
    date_from, date_to = _period(request)
    return render(request, "reports/index.html", {"case_forms": forms, "may_wgeid": may_wgeid, "date_from": date_from, "date_to": date_to})


@requires("report.wgeid")
@require_POST
def case_form_new(request: HttpRequest) -> HttpResponse:
    try:
        person = Person.objects.get(pk=int(request.POST.get("person", "")))
    except (ValueError, Person.DoesNotExist):
        messages.error(request, _("No person with that record number."))
        return redirect("reports:index")
    form = case_form_create(actor=request.user, person=person)
    return redirect("reports:case_form", pk=form.pk)


@requires("report.wgeid")
def case_form(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "report.wgeid")
    form = get_object_or_404(CaseForm.objects.select_related("person"), pk=pk)
    if request.method == "POST":
        edit = case_form_edit_from_post(request.POST, c.from_json(form.content))
        form = case_form_update(actor=request.user, case_form=form, edit=edit)
        if "refill" in request.POST:
            case_form_refill(actor=request.user, case_form=form)
            messages.success(request, _("Saved, and filled again from the record; your edits are kept."))
        else:
            messages.success(request, _("Case form saved."))
        return redirect("reports:case_form", pk=form.pk)
    content = c.from_json(form.content)
    context = {
        "form": form,
        "content": content,
        "sections": case_form_sections(content),
        "missing": case_form_document(actor=request.user, case_form=form).missing_titles,
        "may_name_testifiers": allowed(request.user, "testifier.view"),
        "statuses": CaseForm.Status.choices,
    }
    return render(request, "reports/case_form.html", context)


@requires("report.wgeid")
def case_form_preview(request: HttpRequest, pk: int) -> HttpResponse:
    form = get_object_or_404(CaseForm, pk=pk)
    document = case_form_document(actor=request.user, case_form=form)
    return render(request, "reports/case_form_preview.html", {"form": form, "doc": document})


@requires("report.wgeid")
def case_form_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in _TYPES:
        raise Http404
    form = get_object_or_404(CaseForm, pk=pk)
    data = case_form_export(actor=request.user, case_form=form, fmt=fmt)  # type: ignore[arg-type]
    return _attachment(data, fmt=fmt, filename=f"wgeid-case-{form.pk}")


@requires("statistics.view")
def statistics(request: HttpRequest) -> HttpResponse:
    date_from, date_to = _period(request)
    if date_to < date_from:
        date_from, date_to = date_to, date_from
    report = statistics_report(actor=request.user, date_from=date_from, date_to=date_to)
    context = {**statistics_context(report), "may_export": allowed(request.user, "export.run")}
    return render(request, "reports/statistics.html", context)


@requires("export.run")
def statistics_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in _TYPES:
        raise Http404
    date_from, date_to = _period(request)
    if date_to < date_from:
        date_from, date_to = date_to, date_from
    data = statistics_export(actor=request.user, date_from=date_from, date_to=date_to, fmt=fmt)  # type: ignore[arg-type]
    return _attachment(data, fmt=fmt, filename=f"vigil-statistics-{date_from}-{date_to}")
