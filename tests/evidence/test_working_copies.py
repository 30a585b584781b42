import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from PIL import Image

from vigil.audit.models import AuditEntry
from vigil.audit.selectors import audit_chain_verify
from vigil.core.media import GPS_IFD, PUBLIC_IMAGE_MAX, public_copy
from vigil.evidence.models import WorkingCopy
from vigil.evidence.selectors import evidence_custody, evidence_original_open, evidence_thumbnail
from vigil.evidence.services import PUBLIC_RECIPE, evidence_file_store, evidence_public_copy, evidence_redact, working_copy_read
from vigil.evidence.storage import StoredFileChanged, open_blob


def actions(evidence):
    return list(AuditEntry.objects.filter(object_type="evidence", object_id=str(evidence.pk)).order_by("id").values_list("action", flat=True))


def test_original_is_write_once_and_apart(photo, editor, media):
    """The original is stored read-only under originals/ by its SHA-256; working copies go under working/."""
    original = media / photo.stored_path
    assert photo.stored_path == f"originals/files/{photo.sha256[:2]}/{photo.sha256}"
    assert original.stat().st_mode & 0o777 == 0o400
    copy = evidence_redact(actor=editor, evidence=photo)
    assert copy.stored_path.startswith("working/redacted/") and not copy.stored_path.startswith("originals/")
    assert (media / copy.stored_path).stat().st_mode & 0o777 == 0o400


def test_redacted_copy_has_no_exif_or_gps(photo, editor, media):
    """A JPEG with GPS EXIF goes in; its redacted copy has no EXIF, no GPS, no 'Exif' marker, and is recorded."""
    with open_blob(photo.stored_path) as fh:
        original = fh.read()
    assert b"Exif" in original  # so the check below can fail
    copy = evidence_redact(actor=editor, evidence=photo)
    data = working_copy_read(copy)
    image = Image.open(io.BytesIO(data))
    assert not image.getexif() and not image.getexif().get_ifd(GPS_IFD) and "exif" not in image.info
    assert b"Exif" not in data and b"SN-0000-1111" not in data
    assert copy.kind == WorkingCopy.Kind.REDACTED and copy.evidence == photo and copy.sha256 != photo.sha256
    assert "gps" in copy.method["metadata_removed"] and copy.method["pillow"]
    entry = AuditEntry.objects.filter(action="evidence.redact").get()
    assert entry.detail["copy"] == copy.pk and entry.actor_label == "editor"
    assert actions(photo) == ["evidence.store", "evidence.copy", "evidence.redact"]


def test_public_copy_is_a_bounded_metadata_free_jpeg_made_once(photo, editor):
    """The public site's copy is a metadata-free JPEG of at most PUBLIC_IMAGE_MAX pixels, made once (audited then),
    reused without new entries, and a working copy of its own beside the full-size redacted copy."""
    first = evidence_public_copy(actor=None, evidence=photo)
    data = working_copy_read(first)
    assert b"Exif" not in data and first.media_type == "image/jpeg" and first.recipe == PUBLIC_RECIPE
    assert first.kind == WorkingCopy.Kind.REDACTED and first.stored_path.startswith("working/redacted/")
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "JPEG" and max(img.size) <= PUBLIC_IMAGE_MAX and not img.getexif()
    assert data == public_copy(open_blob(photo.stored_path).read()).data
    assert actions(photo) == ["evidence.store", "evidence.copy", "evidence.redact"]
    count = AuditEntry.objects.count()
    assert evidence_public_copy(actor=None, evidence=photo) == first
    assert AuditEntry.objects.count() == count
    assert evidence_redact(actor=editor, evidence=photo) != first
    assert WorkingCopy.objects.count() == 2


def test_redaction_needs_permission(photo, staff):
    """A researcher may view evidence but not make a redacted copy."""
    with pytest.raises(PermissionDenied):
        evidence_redact(actor=staff, evidence=photo)


def test_only_images_are_redacted(db, media, editor):
    """A video cannot be redacted (yet): ValueError, and no working copy."""
    video = evidence_file_store(actor=editor, stream=io.BytesIO(b"\x00\x00\x00 ftypisom synthetic"), original_name="v.mp4", media_type="video/mp4")
    with pytest.raises(ValueError):
        evidence_redact(actor=editor, evidence=video)
    assert evidence_thumbnail(actor=editor, evidence=video) is None
    assert not WorkingCopy.objects.exists()


def test_thumbnail_is_a_recorded_working_copy_and_each_serving_is_audited(photo, staff, media):
    """The first thumbnail is made, stored under working/thumbnail/ and recorded; every serving is an audit entry."""
    one = evidence_thumbnail(actor=staff, evidence=photo)
    two = evidence_thumbnail(actor=staff, evidence=photo)
    assert one == two and b"Exif" not in one
    copy = WorkingCopy.objects.get(kind="thumbnail")
    assert copy.stored_path.startswith("working/thumbnail/") and open_blob(copy.stored_path).read() == one
    assert actions(photo) == ["evidence.store", "evidence.copy", "evidence.thumbnail", "evidence.thumbnail"]
    assert audit_chain_verify().ok


def test_changed_thumbnail_is_not_served(photo, staff, media):
    """A thumbnail whose bytes no longer match its record raises StoredFileChanged instead of being served."""
    evidence_thumbnail(actor=staff, evidence=photo)
    path: Path = media / WorkingCopy.objects.get().stored_path
    path.chmod(0o600)
    path.write_bytes(path.read_bytes() + b"x")
    with pytest.raises(StoredFileChanged):
        evidence_thumbnail(actor=staff, evidence=photo)


def test_copy_is_never_made_from_a_changed_original(photo, editor, media):
    """If the original no longer matches its SHA-256, no working copy is derived from it."""
    path = media / photo.stored_path
    path.chmod(0o600)
    data = bytearray(path.read_bytes())
    data[-3] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(StoredFileChanged):
        evidence_redact(actor=editor, evidence=photo)
    assert not WorkingCopy.objects.exists()


def test_opening_the_original_is_audited(photo, staff):
    """Opening an original returns its bytes and writes an access entry."""
    with evidence_original_open(actor=staff, evidence=photo) as fh:
        assert b"Exif" in fh.read()
    assert [e.action for e in evidence_custody(actor=staff, evidence=photo)] == ["evidence.store", "evidence.access"]
