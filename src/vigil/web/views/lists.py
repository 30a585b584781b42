from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.evidence.models import Document, DocumentRow
from vigil.linkage.lists import list_row_person_create
from vigil.linkage.models import Match
from vigil.web.access import requires


@requires("document.view")
def lists(request: HttpRequest) -> HttpResponse:
    documents = Document.objects.filter(kind=Document.Kind.LEAKED_LIST).annotate(
        row_count=Count("rows", distinct=True),
        linked=Count("rows", filter=Q(rows__person__isnull=False), distinct=True),
    )
    return render(request, "web/lists.html", {"documents": documents})


@requires("document.view")
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    state = request.GET.get("state", "")
    rows = DocumentRow.objects.filter(document=document).select_related("person").order_by("number")
    if state == "linked":
        rows = rows.filter(person__isnull=False)
    elif state == "proposed":
        rows = rows.filter(person__isnull=True, matches__status=Match.Status.PROPOSED).distinct()
    elif state == "unmatched":
        rows = rows.filter(person__isnull=True).exclude(matches__status=Match.Status.PROPOSED)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    proposed = {
        m.list_row_id: m
        for m in Match.objects.filter(list_row__in=page.object_list, status=Match.Status.PROPOSED).order_by("list_row_id", "-probability")
    }
    columns = list(page.object_list[0].data) if page.object_list else []
    table = [{"row": r, "cells": [r.data.get(c, "") for c in columns], "match": proposed.get(r.pk)} for r in page.object_list]
    return render(request, "web/list.html", {"document": document, "page": page, "columns": columns, "table": table, "state": state})


@requires("person.create")
@require_POST
def row_person(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer turns a list row that matches no one into a new person record."""
    row = get_object_or_404(DocumentRow, pk=pk)
    try:
        person = list_row_person_create(actor=request.user, row=row)
    except PermissionDenied:
        messages.error(request, _("You may not create persons."))
        return redirect("web:list", pk=row.document_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("web:list", pk=row.document_id)
    messages.success(request, _("Row %(n)s is now a person record.") % {"n": row.number})
    return redirect("web:person", pk=person.pk)
