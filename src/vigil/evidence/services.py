"""Writes of evidence: originals stored under their SHA-256 (write-once), and working copies made from them.

Every custody event about an evidence file is an audit entry on ``evidence:<id>``: stored,
accessed, copied (a working copy made), redacted, exported. Exports and the check of the whole
media folder are in :mod:`vigil.evidence.custody`.
"""

from __future__ import annotations

import hashlib
import mimetypes
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from django.db import IntegrityError, transaction

from vigil.access import Actor, acting_user, require
from vigil.audit.services import audit_record
from vigil.core import media
from vigil.evidence.models import EvidenceFile, WorkingCopy
from vigil.evidence.storage import StoredFileChanged, hash_blob, open_blob, store_original, working_path, write_blob

#: Recipes: one working copy per original and recipe. Change a recipe's name when its settings change.
THUMBNAIL_RECIPE = f"thumbnail {media.THUMBNAIL_SIZE[0]}x{media.THUMBNAIL_SIZE[1]} jpeg q{media.THUMBNAIL_QUALITY}"
REDACTED_RECIPE = "metadata removed (pixels re-encoded)"


def _kind(media_type: str) -> str:
    major = media_type.split("/", 1)[0]
    if major == "image":
        return EvidenceFile.Kind.PHOTO
    if major in ("video", "audio"):
        return major
    if media_type == "application/pdf":
        return EvidenceFile.Kind.SCAN
    return EvidenceFile.Kind.OTHER


def evidence_file_store(*, actor: Actor, stream: IO[bytes], original_name: str, media_type: str = "") -> EvidenceFile:
    """Store a file as evidence (once per content: the same bytes give the same record), with an audit entry."""
    require(actor, "evidence.add")
    media_type = media_type or mimetypes.guess_type(original_name)[0] or "application/octet-stream"
    h = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(delete=False) as tmp:
        for block in iter(lambda: stream.read(1 << 20), b""):
            h.update(block)
            tmp.write(block)
            size += len(block)
    path = Path(tmp.name)
    try:
        sha256 = h.hexdigest()
        with transaction.atomic():
            existing = EvidenceFile.objects.filter(sha256=sha256).first()
            if existing is not None:
                return existing
            stored = store_original(path, sha256=sha256, area="files")
            record = EvidenceFile.objects.create(
                sha256=sha256, kind=_kind(media_type), media_type=media_type[:100], size=size,
                original_name=Path(original_name).name[:300], stored_path=stored,
            )
            audit_record(actor=actor, action="evidence.store", object_type="evidence", object_id=record.pk, detail={"sha256": sha256, "size": size, "kind": record.kind})
            return record
    finally:
        path.unlink(missing_ok=True)


def is_image(evidence: EvidenceFile) -> bool:
    """Whether working copies of ``evidence`` can be made with Pillow (photos and scans that are images)."""
    return evidence.media_type.startswith("image/")


def read_original(evidence: EvidenceFile) -> bytes:
    """The original's bytes, checked against its SHA-256: nothing is ever derived from a changed original."""
    with open_blob(evidence.stored_path) as fh:
        data = fh.read()
    actual = hashlib.sha256(data).hexdigest()
    if actual != evidence.sha256:
        raise StoredFileChanged(f"the original of evidence #{evidence.pk} hashes to {actual}, not {evidence.sha256}")
    return data


def _store_copy(rendered: media.Rendered, *, kind: str) -> tuple[str, str]:
    sha256 = hashlib.sha256(rendered.data).hexdigest()
    relative = working_path(sha256, kind=kind, extension=rendered.extension)
    try:
        write_blob(relative, rendered.data, expected_sha256=sha256)
    except FileExistsError:
        # Content-addressed: the file is there from an earlier copy (or a rolled-back one); it must be intact.
        if hash_blob(relative).sha256 != sha256:
            raise StoredFileChanged(f"{relative} exists with other content") from None
    return sha256, relative


def _copy_make(
    *, actor: Actor, evidence: EvidenceFile, kind: str, recipe: str, render: Callable[[bytes], media.Rendered],
) -> tuple[WorkingCopy, bool]:
    """The working copy of ``evidence`` for ``recipe``, made (and audited as a copy) if there is none yet."""
    existing = WorkingCopy.objects.filter(evidence=evidence, recipe=recipe).first()
    if existing is not None:
        return existing, False
    rendered = render(read_original(evidence))
    # The file is written before the transaction: a rolled-back copy leaves a file that `evidence verify`
    # reports as unknown, never a record whose file is missing.
    sha256, relative = _store_copy(rendered, kind=kind)
    with transaction.atomic():
        try:
            with transaction.atomic():
                copy = WorkingCopy.objects.create(
                    evidence=evidence, kind=kind, recipe=recipe, method=rendered.method, sha256=sha256,
                    size=len(rendered.data), media_type=rendered.media_type, stored_path=relative, made_by=acting_user(actor),
                )
        except IntegrityError:  # made by a concurrent request
            return WorkingCopy.objects.get(evidence=evidence, recipe=recipe), False
        audit_record(
            actor=actor, action="evidence.copy", object_type="evidence", object_id=evidence.pk,
            detail={"copy": copy.pk, "kind": kind, "recipe": recipe, "sha256": sha256, "original_sha256": evidence.sha256},
        )
    return copy, True


def evidence_thumbnail_copy(*, actor: Actor, evidence: EvidenceFile) -> WorkingCopy | None:
    """The thumbnail of an image (a working copy, made once and recorded); None for other media."""
    require(actor, "evidence.view")
    if not is_image(evidence):
        return None
    return _copy_make(actor=actor, evidence=evidence, kind=WorkingCopy.Kind.THUMBNAIL, recipe=THUMBNAIL_RECIPE, render=media.thumbnail)[0]


def evidence_redact(*, actor: Actor, evidence: EvidenceFile) -> WorkingCopy:
    """A copy of an image with all metadata removed (EXIF, GPS, camera serials, XMP, ICC, comments), re-encoded from its pixels.

    Raises ValueError for media other than images (no redaction of video or audio yet).
    """
    require(actor, "evidence.redact")
    if not is_image(evidence):
        raise ValueError(f"evidence #{evidence.pk} is {evidence.media_type or 'not an image'}: only images can be redacted")
    with transaction.atomic():
        copy, made = _copy_make(actor=actor, evidence=evidence, kind=WorkingCopy.Kind.REDACTED, recipe=REDACTED_RECIPE, render=media.strip_image)
        audit_record(
            actor=actor, action="evidence.redact", object_type="evidence", object_id=evidence.pk,
            detail={"copy": copy.pk, "sha256": copy.sha256, "made": made, "metadata_removed": copy.method.get("metadata_removed", [])},
        )
    return copy


def evidence_public_copy(*, actor: Actor, evidence: EvidenceFile) -> WorkingCopy:
    """The metadata-free copy of an image that the public site may show (made on first use, audited then).

    Whether consent allows publishing the image at all is the caller's decision; this only guarantees
    that no metadata of the original (GPS above all) leaves with it. Read its bytes with
    :func:`working_copy_read`. Raises ValueError for media other than images.
    """
    require(actor, "evidence.public_copy")
    if not is_image(evidence):
        raise ValueError(f"evidence #{evidence.pk} is {evidence.media_type or 'not an image'}: no public copy")
    existing = WorkingCopy.objects.filter(evidence=evidence, recipe=REDACTED_RECIPE).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        copy, made = _copy_make(actor=actor, evidence=evidence, kind=WorkingCopy.Kind.REDACTED, recipe=REDACTED_RECIPE, render=media.strip_image)
        if made:
            audit_record(
                actor=actor, action="evidence.redact", object_type="evidence", object_id=evidence.pk,
                detail={"copy": copy.pk, "sha256": copy.sha256, "made": True, "for": "public", "metadata_removed": copy.method.get("metadata_removed", [])},
            )
    return copy


def working_copy_read(copy: WorkingCopy) -> bytes:
    """A working copy's bytes, checked against its SHA-256 (StoredFileChanged if they differ)."""
    with open_blob(copy.stored_path) as fh:
        data = fh.read()
    actual = hashlib.sha256(data).hexdigest()
    if actual != copy.sha256:
        raise StoredFileChanged(f"working copy #{copy.pk} ({copy.stored_path}) hashes to {actual}, not {copy.sha256}")
    return data
