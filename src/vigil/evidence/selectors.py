"""Reading evidence files: every access to an original is an audit entry; thumbnails are working copies."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.db import transaction
from PIL import Image, ImageOps

from vigil.access import Actor, require
from vigil.audit.services import audit_record
from vigil.evidence.models import EvidenceFile

THUMBNAIL_SIZE = (320, 320)


def evidence_original_open(*, actor: Actor, evidence: EvidenceFile) -> Path:
    """The path of the write-once original, after checking permission and writing the access to the audit log."""
    require(actor, "evidence.view")
    with transaction.atomic():
        audit_record(actor=actor, action="evidence.access", object_type="evidence", object_id=evidence.pk, detail={"sha256": evidence.sha256})
    return Path(settings.MEDIA_ROOT) / evidence.stored_path


def evidence_thumbnail(*, actor: Actor, evidence: EvidenceFile) -> bytes | None:
    """A JPEG thumbnail of a photo or scan (a working copy, cached beside the originals, never the original)."""
    require(actor, "evidence.view")
    if evidence.kind not in (EvidenceFile.Kind.PHOTO, EvidenceFile.Kind.SCAN) or not evidence.media_type.startswith("image/"):
        return None
    cache = Path(settings.MEDIA_ROOT) / "working" / "thumbnails" / f"{evidence.sha256}.jpg"
    if cache.exists():
        return cache.read_bytes()
    with Image.open(Path(settings.MEDIA_ROOT) / evidence.stored_path) as img:
        img = ImageOps.exif_transpose(img)
        img.thumbnail(THUMBNAIL_SIZE)
        out = io.BytesIO()
        # A fresh image without the original's metadata (EXIF, GPS).
        img.convert("RGB").save(out, format="JPEG", quality=80)
    data = out.getvalue()
    cache.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    cache.write_bytes(data)
    return data
