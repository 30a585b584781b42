"""Documents (leaked lists, verdicts, notices) and the rows of tabular ones, exactly as they were in the file."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from vigil.api.auth import actor_of
from vigil.api.errors import errors
from vigil.api.values import PAGE_MAX, PathId, page
from vigil.evidence.documents import document_get, document_list, document_rows
from vigil.evidence.models import Document

router = Router(tags=["documents"])

DocumentKind = Literal["leaked_list", "verdict", "notice", "report", "other"]


class DocumentOut(Schema):
    id: int
    title: str
    kind: str
    sha256: str
    file_name: str
    provenance: str
    obtained_on: dt.date | None
    mapping: dict[str, Any] = Field(description="Which column holds which field (tabular documents)")
    rows: int
    linked_rows: int = Field(description="Rows that are person records")
    created_at: dt.datetime


def _out(d: Document) -> DocumentOut:
    return DocumentOut(
        id=d.pk, title=d.title, kind=d.kind, sha256=d.sha256, file_name=d.file_name, provenance=d.provenance, obtained_on=d.obtained_on,
        mapping=d.mapping if isinstance(d.mapping, dict) else {}, rows=d.row_count, linked_rows=d.linked, created_at=d.created_at,  # type: ignore[attr-defined]
    )


class DocumentListIn(Schema):
    kind: DocumentKind | None = None
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(25, ge=1, le=PAGE_MAX)


class DocumentListOut(Schema):
    count: int
    offset: int
    limit: int
    items: list[DocumentOut]


@router.get("/", response={200: DocumentListOut, **errors(400, 401, 403, 422)}, summary="List documents")
def documents_list(request: HttpRequest, params: Query[DocumentListIn]) -> DocumentListOut:
    """Documents, newest first; ``kind=leaked_list`` gives the lists."""
    items, total = page(document_list(actor=actor_of(request), kind=params.kind or ""), offset=params.offset, limit=params.limit)
    return DocumentListOut(count=total, offset=params.offset, limit=params.limit, items=[_out(d) for d in items])


@router.get("/{document_id}", response={200: DocumentOut, **errors(400, 401, 403, 404, 422)}, summary="A document")
def documents_get(request: HttpRequest, document_id: PathId) -> DocumentOut:
    return _out(document_get(actor=actor_of(request), document_id=document_id))


class DocumentRowOut(Schema):
    id: int
    number: int = Field(description="Row number as a spreadsheet shows it (1 = the header)")
    data: dict[str, Any] = Field(description="The row's cells by column header, as in the file")
    person_id: int | None = Field(description="The person record made from this row, once linked")


class DocumentRowsIn(Schema):
    linked: bool | None = Field(None, description="Only rows that are (true) or are not (false) person records")
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(50, ge=1, le=PAGE_MAX)


class DocumentRowsOut(Schema):
    count: int
    offset: int
    limit: int
    items: list[DocumentRowOut]


@router.get("/{document_id}/rows", response={200: DocumentRowsOut, **errors(400, 401, 403, 404, 422)}, summary="Rows of a document")
def documents_rows(request: HttpRequest, document_id: PathId, params: Query[DocumentRowsIn]) -> DocumentRowsOut:
    qs = document_rows(actor=actor_of(request), document_id=document_id, linked=params.linked)
    items, total = page(qs, offset=params.offset, limit=params.limit)
    return DocumentRowsOut(
        count=total, offset=params.offset, limit=params.limit,
        items=[DocumentRowOut(id=r.pk, number=r.number, data=r.data if isinstance(r.data, dict) else {}, person_id=r.person_id) for r in items],
    )
