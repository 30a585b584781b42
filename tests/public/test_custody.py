"""The public site's photo copies are working copies of the evidence: recorded, audited and verified like the others."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from vigil.audit.models import AuditEntry
from vigil.core.media import PUBLIC_IMAGE_MAX
from vigil.evidence.custody import evidence_verify
from vigil.evidence.models import WorkingCopy
from vigil.evidence.storage import hash_blob


def _serve(client, world) -> bytes:
    response = client.get(reverse("public:media", args=[world.media["photo_full"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    return response.content


@pytest.mark.django_db
def test_serving_a_photo_leaves_the_media_folder_verifiable(world, client, admin_user):
    """After the public site served a photo, `vigil evidence verify` finds every file known and intact."""
    _serve(client, world)
    check = evidence_verify(actor=admin_user)
    assert check.unknown == [] and check.changed == [] and check.missing == []
    assert check.ok


@pytest.mark.django_db
def test_served_photo_is_a_recorded_working_copy(world, client):
    """What the public site serves is the photo's public working copy: recorded with its hash, made once, audited once."""
    photo = world.media["photo_full"]
    data = _serve(client, world)
    copy = WorkingCopy.objects.get(evidence=photo)
    assert copy.kind == WorkingCopy.Kind.REDACTED and copy.recipe.startswith("public ")
    assert copy.media_type == "image/jpeg" and copy.stored_path.startswith("working/redacted/")
    assert hash_blob(copy.stored_path).sha256 == copy.sha256 and copy.size == len(data)
    assert "gps" in copy.method["metadata_removed"] and copy.made_by is None
    with Image.open(io.BytesIO(data)) as img:
        assert max(img.size) <= PUBLIC_IMAGE_MAX and len(img.getexif()) == 0
    made = list(AuditEntry.objects.filter(object_type="evidence", object_id=str(photo.pk), action__in=["evidence.copy", "evidence.redact"]))
    assert [e.action for e in made] == ["evidence.copy", "evidence.redact"] and made[1].detail["for"] == "public"
    assert made[0].detail["sha256"] == copy.sha256 and made[0].actor_label == "anonymous"
    count = AuditEntry.objects.count()
    assert _serve(client, world) == data
    assert AuditEntry.objects.count() == count and WorkingCopy.objects.filter(evidence=photo).count() == 1


@pytest.mark.django_db
def test_tampered_public_copy_is_caught_and_not_served(world, client, admin_user, settings):
    """A public copy changed on disk is named by verify and answers 404 instead of being served."""
    _serve(client, world)
    copy = WorkingCopy.objects.get(evidence=world.media["photo_full"])
    path = settings.MEDIA_ROOT / copy.stored_path
    path.chmod(0o600)
    raw = bytearray(path.read_bytes())
    raw[-10] ^= 0x01
    path.write_bytes(bytes(raw))
    check = evidence_verify(actor=admin_user)
    assert not check.ok and [p.stored_path for p in check.changed] == [copy.stored_path]
    assert check.unknown == [] and check.missing == []
    assert client.get(reverse("public:media", args=[world.media["photo_full"].pk])).status_code == 404
