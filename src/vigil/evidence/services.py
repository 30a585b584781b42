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
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class _Rendered:
    rendered: media.Rendered
    sha256: str
    stored_path: str


def _render(evidence: EvidenceFile, *, kind: str, render: Callable[[bytes], media.Rendered]) -> _Rendered:
    # Rendering and writing happen before the service's transaction, so that the database's write lock
    # (SQLite takes it at BEGIN) is not held while Pillow works. A copy whose transaction then rolls
    # back leaves a file that `vigil evidence verify` reports as unknown, never a record without a file.
    rendered = render(read_original(evidence))
    sha256, relative = _store_copy(rendered, kind=kind)
    return _Rendered(rendered, sha256, relative)


def _record_copy(*, actor: Actor, evidence: EvidenceFile, kind: str, recipe: str, made: _Rendered) -> tuple[WorkingCopy, bool]:
    """Record a rendered working copy and audit it as a copy (inside the caller's transaction)."""
    try:
        with transaction.atomic():
            copy = WorkingCopy.objects.create(
                evidence=evidence, kind=kind, recipe=recipe, method=made.rendered.method, sha256=made.sha256,
                size=len(made.rendered.data), media_type=made.rendered.media_type, stored_path=made.stored_path,
                made_by=acting_user(actor),
            )
    except IntegrityError:  # made meanwhile by a concurrent request
        return WorkingCopy.objects.get(evidence=evidence, recipe=recipe), False
    audit_record(
        actor=actor, action="evidence.copy", object_type="evidence", object_id=evidence.pk,
        detail={"copy": copy.pk, "kind": kind, "recipe": recipe, "sha256": made.sha256, "original_sha256": evidence.sha256},
    )
    return copy, True


def _redacted(*, actor: Actor, evidence: EvidenceFile, audit_reuse: bool, purpose: str) -> WorkingCopy:
    existing = WorkingCopy.objects.filter(evidence=evidence, recipe=REDACTED_RECIPE).first()
    if existing is not None and not audit_reuse:
        return existing
    prepared = None if existing is not None else _render(evidence, kind=WorkingCopy.Kind.REDACTED, render=media.strip_image)
    with transaction.atomic():
        if prepared is None:
            copy, made = existing, False
        else:
            copy, made = _record_copy(actor=actor, evidence=evidence, kind=WorkingCopy.Kind.REDACTED, recipe=REDACTED_RECIPE, made=prepared)
        assert copy is not None
        if made or audit_reuse:
            audit_record(
                actor=actor, action="evidence.redact", object_type="evidence", object_id=evidence.pk,
                detail={"copy": copy.pk, "sha256": copy.sha256, "made": made, "for": purpose, "metadata_removed": copy.method.get("metadata_removed", [])},
            )
    return copy


def evidence_thumbnail_copy(*, actor: Actor, evidence: EvidenceFile) -> WorkingCopy | None:
    """The thumbnail of an image (a working copy, made once and recorded); None for other media."""
    require(actor, "evidence.view")
    if not is_image(evidence):
        return None
    existing = WorkingCopy.objects.filter(evidence=evidence, recipe=THUMBNAIL_RECIPE).first()
    if existing is not None:
        return existing
    prepared = _render(evidence, kind=WorkingCopy.Kind.THUMBNAIL, render=media.thumbnail)
    with transaction.atomic():
        return _record_copy(actor=actor, evidence=evidence, kind=WorkingCopy.Kind.THUMBNAIL, recipe=THUMBNAIL_RECIPE, made=prepared)[0]


def evidence_redact(*, actor: Actor, evidence: EvidenceFile) -> WorkingCopy:
    """A copy of an image with all metadata removed (EXIF, GPS, camera serials, XMP, ICC, comments), re-encoded from its pixels.

    Made once per original; every request is an audit entry. Raises ValueError for media other than
    images (no redaction of video or audio yet).
    """
    require(actor, "evidence.redact")
    if not is_image(evidence):
        raise ValueError(f"evidence #{evidence.pk} is {evidence.media_type or 'not an image'}: only images can be redacted")
    return _redacted(actor=actor, evidence=evidence, audit_reuse=True, purpose="redaction")


def evidence_public_copy(*, actor: Actor, evidence: EvidenceFile) -> WorkingCopy:
    """The metadata-free copy of an image that the public site may show (made on first use, audited then).

    Whether consent allows publishing the image at all is the caller's decision; this only guarantees
    that no metadata of the original (GPS above all) leaves with it. Read its bytes with
    :func:`working_copy_read`. Raises ValueError for media other than images.
    """
    require(actor, "evidence.public_copy")
    if not is_image(evidence):
        raise ValueError(f"evidence #{evidence.pk} is {evidence.media_type or 'not an image'}: no public copy")
    return _redacted(actor=actor, evidence=evidence, audit_reuse=False, purpose="public")


def working_copy_read(copy: WorkingCopy) -> bytes:
    """A working copy's bytes, checked against its SHA-256 (StoredFileChanged if they differ)."""
    with open_blob(copy.stored_path) as fh:
        data = fh.read()
    actual = hashlib.sha256(data).hexdigest()
    if actual != copy.sha256:
        raise StoredFileChanged(f"working copy #{copy.pk} ({copy.stored_path}) hashes to {actual}, not {copy.sha256}")
    return data
