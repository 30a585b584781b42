"""Writes of evidence: originals stored under their SHA-256 (write-once), and working copies made from them.

Every custody event about an evidence file is an audit entry on ``evidence:<id>``: stored,
accessed, copied (a working copy made), redacted, encrypted at rest, exported. Exports and the check
of the whole media folder are in :mod:`vigil.evidence.custody`; which files are encrypted at rest in
:mod:`vigil.evidence.encryption`.
"""

from __future__ import annotations

import hashlib
import mimetypes
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.db import IntegrityError, transaction

from vigil.access import Actor, acting_user, require
from vigil.audit.services import audit_record
from vigil.core import media
from vigil.evidence.encryption import evidence_seal_due, media_encryption, original_seals
from vigil.evidence.models import Document, EvidenceFile, WorkingCopy
from vigil.evidence.storage import (
    StoredFileChanged, blob_sealed, hash_blob, open_blob, seal_blob, store_original, working_path, write_blob,
)
from vigil.records.models import Testimony

#: Recipes: one working copy per original and recipe. Change a recipe's name when its settings change.
THUMBNAIL_RECIPE = f"thumbnail {media.THUMBNAIL_SIZE[0]}x{media.THUMBNAIL_SIZE[1]} jpeg q{media.THUMBNAIL_QUALITY}"
REDACTED_RECIPE = "metadata removed (pixels re-encoded)"
PUBLIC_RECIPE = f"public {media.PUBLIC_IMAGE_MAX}x{media.PUBLIC_IMAGE_MAX} jpeg q{media.PUBLIC_IMAGE_QUALITY}"


def _kind(media_type: str) -> str:
    major = media_type.split("/", 1)[0]
    if major == "image":
        return EvidenceFile.Kind.PHOTO
    if major in ("video", "audio"):
        return major
    if media_type == "application/pdf":
        return EvidenceFile.Kind.SCAN
    return EvidenceFile.Kind.OTHER


def evidence_file_store(
    *, actor: Actor, stream: IO[bytes], original_name: str, media_type: str = "", testimony: Testimony | None = None,
) -> EvidenceFile:
    """Store a file as evidence (once per content: the same bytes give the same record), with an audit entry.

    Given the ``testimony`` it belongs to, the file is attached to it in the same transaction, and
    its consent decides whether the original is encrypted at rest (:mod:`vigil.evidence.encryption`:
    by default a file is left plain only when stored for a testimony given with full consent).
    """
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
                # Already stored, perhaps in plaintext: `vigil evidence encrypt` seals it if this testimony makes it due.
                if testimony is not None:
                    testimony.evidence.add(existing)
                return existing
            seal = original_seals(area="files", testimonies=[testimony] if testimony is not None else [])
            stored = store_original(path, sha256=sha256, area="files", seal=seal)
            record = EvidenceFile.objects.create(
                sha256=sha256, kind=_kind(media_type), media_type=media_type[:100], size=size,
                original_name=Path(original_name).name[:300], stored_path=stored,
            )
            if testimony is not None:
                testimony.evidence.add(record)
            audit_record(
                actor=actor, action="evidence.store", object_type="evidence", object_id=record.pk,
                detail={"sha256": sha256, "size": size, "kind": record.kind, "encrypted": blob_sealed(stored)},
            )
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


def copy_seals(evidence: EvidenceFile) -> bool:
    """Whether a working copy of ``evidence`` is sealed: always when its original is (a thumbnail shows what the photo shows)."""
    return media_encryption() == "all" or blob_sealed(evidence.stored_path)


def _store_copy(rendered: media.Rendered, *, kind: str, seal: bool) -> tuple[str, str]:
    sha256 = hashlib.sha256(rendered.data).hexdigest()
    relative = working_path(sha256, kind=kind, extension=rendered.extension)
    try:
        write_blob(relative, rendered.data, expected_sha256=sha256, seal=seal)
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
    sha256, relative = _store_copy(rendered, kind=kind, seal=copy_seals(evidence))
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


def _redacted(
    *, actor: Actor, evidence: EvidenceFile, recipe: str, render: Callable[[bytes], media.Rendered], audit_reuse: bool, purpose: str,
) -> WorkingCopy:
    """The metadata-free copy of ``evidence`` made by ``recipe`` (made and recorded on first use)."""
    existing = WorkingCopy.objects.filter(evidence=evidence, recipe=recipe).first()
    if existing is not None and not audit_reuse:
        return existing
    prepared = None if existing is not None else _render(evidence, kind=WorkingCopy.Kind.REDACTED, render=render)
    with transaction.atomic():
        if prepared is None:
            copy, made = existing, False
        else:
            copy, made = _record_copy(actor=actor, evidence=evidence, kind=WorkingCopy.Kind.REDACTED, recipe=recipe, made=prepared)
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
    return _redacted(actor=actor, evidence=evidence, recipe=REDACTED_RECIPE, render=media.strip_image, audit_reuse=True, purpose="redaction")


def evidence_public_copy(*, actor: Actor, evidence: EvidenceFile) -> WorkingCopy:
    """The copy of an image that the public site shows, exactly as served (:func:`vigil.core.media.public_copy`:
    a JPEG rebuilt from the pixels only, at most ``PUBLIC_IMAGE_MAX`` pixels on its longest side).

    A working copy like the others (kind "redacted", recipe :data:`PUBLIC_RECIPE`): made on first use
    and audited then (``evidence.copy`` and ``evidence.redact`` for "public"), reused without new
    entries, since showing it to a visitor is not a custody event. Whether consent allows publishing
    the image at all is the caller's decision; this only guarantees that no metadata of the original
    (GPS above all) leaves with it. Read its bytes with :func:`working_copy_read`. Raises ValueError
    for media other than images (NotAnImage for a file Pillow cannot read).
    """
    require(actor, "evidence.public_copy")
    if not is_image(evidence):
        raise ValueError(f"evidence #{evidence.pk} is {evidence.media_type or 'not an image'}: no public copy")
    return _redacted(actor=actor, evidence=evidence, recipe=PUBLIC_RECIPE, render=media.public_copy, audit_reuse=False, purpose="public")


def working_copy_read(copy: WorkingCopy) -> bytes:
    """A working copy's bytes, checked against its SHA-256 (StoredFileChanged if they differ)."""
    with open_blob(copy.stored_path) as fh:
        data = fh.read()
    actual = hashlib.sha256(data).hexdigest()
    if actual != copy.sha256:
        raise StoredFileChanged(f"working copy #{copy.pk} ({copy.stored_path}) hashes to {actual}, not {copy.sha256}")
    return data


# ---------------------------------------------------------------------------------------------------
# Encryption at rest of files already stored


@dataclass(slots=True)
class EncryptionReport:
    """What a pass of :func:`evidence_encrypt_due` sealed."""

    evidence: list[int]
    documents: list[int]
    files: int = 0
    problems: list[str] = field(default_factory=list)  # files left as they were: missing, or not matching their hash


def _seal_evidence(evidence: EvidenceFile) -> list[str]:
    """Seal the original and every working copy of ``evidence`` that is still plaintext; returns their paths."""
    sealed = []
    if seal_blob(evidence.stored_path, expected_sha256=evidence.sha256):
        sealed.append(evidence.stored_path)
    for copy in evidence.working_copies.order_by("id"):
        try:
            if seal_blob(copy.stored_path, expected_sha256=copy.sha256):
                sealed.append(copy.stored_path)
        except FileNotFoundError:
            continue  # `vigil evidence verify` names it; a lost copy can be made again
    return sealed


def evidence_encrypt(*, actor: Actor, evidence: EvidenceFile) -> list[str]:
    """Encrypt at rest the original of ``evidence`` and its working copies, in place; returns the paths sealed now.

    Each file is checked against its SHA-256 before and after (StoredFileChanged if it no longer
    matches, and it is left as it was); its name and hash do not change. The file key is committed
    before the file is switched, so this runs outside a transaction and is not all-or-nothing; run
    again, it finishes what an interruption left. Sealing anything is an audit entry.
    """
    require(actor, "keys.manage")
    sealed = _seal_evidence(evidence)
    if sealed:
        with transaction.atomic():
            audit_record(
                actor=actor, action="evidence.encrypt", object_type="evidence", object_id=evidence.pk,
                detail={"sha256": evidence.sha256, "files": len(sealed)},
            )
    return sealed


def evidence_encrypt_due(*, actor: Actor, progress: Callable[[str], None] | None = None) -> EncryptionReport:
    """Encrypt in place every stored plaintext file the rule now seals (``vigil evidence encrypt``).

    Evidence files whose testimonies make them due (:func:`vigil.evidence.encryption.evidence_seal_due`),
    working copies of sealed originals, and documents (unless the setting is "none"). Each file sealed
    is an audit entry on its record.
    """
    require(actor, "keys.manage")
    report = EncryptionReport(evidence=[], documents=[])
    for evidence in EvidenceFile.objects.order_by("id").iterator():
        if evidence_seal_due(evidence) or blob_sealed(evidence.stored_path):
            try:
                sealed = evidence_encrypt(actor=actor, evidence=evidence)
            except (OSError, StoredFileChanged) as exc:
                report.problems.append(f"evidence #{evidence.pk}: {exc}")
                sealed = []
            if sealed:
                report.evidence.append(evidence.pk)
                report.files += len(sealed)
        if progress is not None:
            progress(f"evidence #{evidence.pk}")
    if media_encryption() != "none":
        for document in Document.objects.exclude(stored_path="").order_by("id").iterator():
            try:
                sealed_now = seal_blob(document.stored_path, expected_sha256=document.sha256)
            except (OSError, StoredFileChanged) as exc:
                report.problems.append(f"document #{document.pk}: {exc}")
                sealed_now = False
            if sealed_now:
                report.documents.append(document.pk)
                report.files += 1
                with transaction.atomic():
                    audit_record(actor=actor, action="document.encrypt", object_type="document", object_id=document.pk, detail={"sha256": document.sha256})
            if progress is not None:
                progress(f"document #{document.pk}")
    return report
