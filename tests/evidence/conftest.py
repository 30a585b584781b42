import io

import pytest
from PIL import Image

from tests.conftest import grant
from tests.core.test_media import jpeg_with_gps


@pytest.fixture
def media(settings, tmp_path):
    """An empty media folder for the test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def photo(db, media, editor):
    """A synthetic photo with GPS EXIF, stored as evidence."""
    from vigil.evidence.services import evidence_file_store

    return evidence_file_store(actor=editor, stream=io.BytesIO(jpeg_with_gps()), original_name="photo.jpg", media_type="image/jpeg")


@pytest.fixture
def staff(db, django_user_model):
    """A researcher: may view evidence, not redact or export it."""
    return grant(django_user_model.objects.create_user(username="researcher", password="x-unused-x"), "researcher")


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buf, format="PNG")
    return buf.getvalue()
