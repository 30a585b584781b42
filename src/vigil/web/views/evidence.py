from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from vigil.evidence.models import EvidenceFile
from vigil.evidence.selectors import evidence_original_open, evidence_thumbnail
from vigil.web.access import requires


@requires("evidence.view")
def evidence_file(request: HttpRequest, sha256: str) -> HttpResponse:
    evidence = get_object_or_404(EvidenceFile, sha256=sha256)
    try:
        stream = evidence_original_open(actor=request.user, evidence=evidence)
    except PermissionDenied:
        raise Http404 from None
    except FileNotFoundError:
        raise Http404 from None  # `vigil evidence verify` names a missing original
    response = FileResponse(stream, content_type=evidence.media_type or "application/octet-stream")
    response["Content-Disposition"] = f'inline; filename="{evidence.sha256[:16]}"'
    response["Cache-Control"] = "private, no-store"
    return response


@requires("evidence.view")
def evidence_thumb(request: HttpRequest, sha256: str) -> HttpResponse:
    evidence = get_object_or_404(EvidenceFile, sha256=sha256)
    try:
        data = evidence_thumbnail(actor=request.user, evidence=evidence)
    except PermissionDenied:
        raise Http404 from None
    if data is None:
        raise Http404
    return HttpResponse(data, content_type="image/jpeg", headers={"Cache-Control": "private, max-age=3600"})
