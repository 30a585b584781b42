"""Reading the metadata of evidence files. Opening an original is ``evidence.selectors.evidence_original_open``
(audited); nothing here touches the files."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from vigil.access import Actor, require
from vigil.evidence.models import EvidenceFile


def evidence_list(*, actor: Actor, kind: str = "", person_id: int | None = None, testimony_id: int | None = None) -> QuerySet[EvidenceFile]:
    """Evidence files, newest first; ``person_id`` takes files of that person's records and of testimonies about them."""
    require(actor, "evidence.view")
    qs = EvidenceFile.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if person_id is not None:
        # A person is a cluster: files of any of its records, and of testimonies about any of them.
        qs = qs.filter(Q(persons__canonical__cluster__pk=person_id) | Q(testimonies__persons__canonical__cluster__pk=person_id)).distinct()
    if testimony_id is not None:
        qs = qs.filter(testimonies__pk=testimony_id).distinct()
    return qs.order_by("-created_at", "-id")


def evidence_get(*, actor: Actor, sha256: str) -> EvidenceFile:
    """One evidence file's metadata by its SHA-256 (Http404 when unknown)."""
    require(actor, "evidence.view")
    return get_object_or_404(EvidenceFile, sha256=sha256)
