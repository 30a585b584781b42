"""Evidence files: metadata, and the original's download (every download is an audit entry)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import FileResponse, HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import Field

from vigil.api.auth import actor_of
from vigil.api.errors import errors
from vigil.api.values import MAX_ID, PAGE_MAX, page
from vigil.evidence.files import evidence_get, evidence_list
from vigil.evidence.models import EvidenceFile
from vigil.evidence.selectors import evidence_original_open

router = Router(tags=["evidence"])

Sha256 = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the file (hex)")]


class EvidenceOut(Schema):
    sha256: str
    kind: str
    media_type: str
    size: int
    original_name: str
    description: str
    person_ids: list[int]
    testimony_ids: list[int]
    created_at: dt.datetime


def _out(e: EvidenceFile) -> EvidenceOut:
    return EvidenceOut(
        sha256=e.sha256, kind=e.kind, media_type=e.media_type, size=e.size, original_name=e.original_name, description=e.description,
        person_ids=sorted(p.pk for p in e.persons.all()), testimony_ids=sorted(t.pk for t in e.testimonies.all()), created_at=e.created_at,
    )


class EvidenceListIn(Schema):
    kind: Literal["photo", "video", "audio", "scan", "other"] | None = None
    person: int | None = Field(None, ge=1, le=MAX_ID, description="Files of this person's records and of testimonies about them")
    testimony: int | None = Field(None, ge=1, le=MAX_ID)
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(25, ge=1, le=PAGE_MAX)


class EvidenceListOut(Schema):
    count: int
    offset: int
    limit: int
    items: list[EvidenceOut]


@router.get("/", response={200: EvidenceListOut, **errors(400, 401, 403, 422)}, summary="List evidence files")
def evidence_files_list(request: HttpRequest, params: Query[EvidenceListIn]) -> EvidenceListOut:
    qs = evidence_list(actor=actor_of(request), kind=params.kind or "", person_id=params.person, testimony_id=params.testimony)
    items, total = page(qs.prefetch_related("persons", "testimonies"), offset=params.offset, limit=params.limit)
    return EvidenceListOut(count=total, offset=params.offset, limit=params.limit, items=[_out(e) for e in items])


@router.get("/{sha256}", response={200: EvidenceOut, **errors(400, 401, 403, 404, 422)}, summary="An evidence file's metadata")
def evidence_files_get(request: HttpRequest, sha256: Sha256) -> EvidenceOut:
    return _out(evidence_get(actor=actor_of(request), sha256=sha256))


_DOWNLOAD = {
    "responses": {
        200: {
            "description": "The original file, byte for byte (its media type is in the metadata)",
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get("/{sha256}/download", response=errors(400, 401, 403, 404, 422), openapi_extra=_DOWNLOAD, summary="Download an evidence file")
def evidence_files_download(request: HttpRequest, sha256: Sha256) -> FileResponse:
    """The write-once original, as an attachment. The download is written to the audit log."""
    actor = actor_of(request)
    evidence = evidence_get(actor=actor, sha256=sha256)
    stream = evidence_original_open(actor=actor, evidence=evidence)  # decrypts as it reads; audited
    response = FileResponse(stream, content_type="application/octet-stream", as_attachment=True, filename=f"{evidence.sha256}")
    response["Cache-Control"] = "private, no-store"
    return response
