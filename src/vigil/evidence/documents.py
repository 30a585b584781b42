"""Reading documents (leaked lists, verdicts, notices) and the rows of tabular ones."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from vigil.access import Actor, require
from vigil.evidence.models import Document, DocumentRow


def _documents() -> QuerySet[Document]:
    return Document.objects.annotate(
        row_count=Count("rows", distinct=True),
        linked=Count("rows", filter=Q(rows__person__isnull=False), distinct=True),
    )


def document_list(*, actor: Actor, kind: str = "") -> QuerySet[Document]:
    """Documents, newest first, each with ``row_count`` and ``linked`` (rows that are person records)."""
    require(actor, "document.view")
    qs = _documents()
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-id")


def document_get(*, actor: Actor, document_id: int) -> Document:
    """One document with its row counts (Http404 when unknown)."""
    require(actor, "document.view")
    return get_object_or_404(_documents(), pk=document_id)


def document_rows(*, actor: Actor, document_id: int, linked: bool | None = None) -> QuerySet[DocumentRow]:
    """The rows of a document in file order, exactly as they were (Http404 for an unknown document)."""
    require(actor, "document.view_rows")
    document = get_object_or_404(Document, pk=document_id)
    qs = DocumentRow.objects.filter(document=document)
    if linked is not None:
        qs = qs.filter(person__isnull=not linked)
    return qs.order_by("number")
