"""Decisions about publication. Each is an editor's act: one transaction, a permission check, an audit entry.

Nothing is public by default: a document, a testimony's summary and a video or audio file each
wait for one of these. Consent itself is recorded with the testimony (vigil.records).
"""

from __future__ import annotations

from django.db import transaction

from vigil.access import Actor, require
from vigil.audit.services import audit_record
from vigil.evidence.models import Document, EvidenceFile
from vigil.records.models import Testimony


def document_publish(*, actor: Actor, document: Document, published: bool = True) -> Document:
    """Publish (or withdraw) the facts a document asserts: its names and claims of persons, under its title.

    The document's file, rows, identity numbers and provenance are never published."""
    require(actor, "document.publish")
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.published != published:
            document.published = published
            document.save(update_fields=["published"])
        audit_record(
            actor=actor, action="document.publish" if published else "document.unpublish",
            object_type="document", object_id=document.pk, detail={"published": published},
        )
    return document


def testimony_summary_publish(*, actor: Actor, testimony: Testimony, public: bool = True) -> Testimony:
    """Clear (or withdraw) a testimony's summary for the public view, after reading it for anything
    that identifies a testifier. It appears only while the testimony's consent is full."""
    require(actor, "testimony.publish_summary")
    with transaction.atomic():
        testimony = Testimony.objects.select_for_update().get(pk=testimony.pk)
        if testimony.summary_public != public:
            testimony.summary_public = public
            testimony.save(update_fields=["summary_public"])
        audit_record(
            actor=actor, action="testimony.summary_publish" if public else "testimony.summary_unpublish",
            object_type="testimony", object_id=testimony.pk, detail={"summary_public": public, "consent": testimony.consent},
        )
    return testimony


def evidence_metadata_check(*, actor: Actor, evidence: EvidenceFile, checked: bool = True) -> EvidenceFile:
    """Record that an editor checked a file's embedded metadata (GPS, device, names), or withdraw that.
    A video or audio file is published only when checked and every testimony it belongs to has full consent."""
    require(actor, "evidence.check_metadata")
    with transaction.atomic():
        evidence = EvidenceFile.objects.select_for_update().get(pk=evidence.pk)
        if evidence.metadata_checked != checked:
            evidence.metadata_checked = checked
            evidence.save(update_fields=["metadata_checked"])
        audit_record(
            actor=actor, action="evidence.metadata_checked" if checked else "evidence.metadata_unchecked",
            object_type="evidence", object_id=evidence.pk, detail={"metadata_checked": checked, "sha256": evidence.sha256},
        )
    return evidence
