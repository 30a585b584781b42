"""strip_image_metadata: a published photo keeps its pixels and nothing else."""

from __future__ import annotations

import io

import pytest
from PIL import Image, PngImagePlugin

from tests.public.conftest import jpeg_with_metadata
from vigil.public.media import PUBLIC_IMAGE_MAX, NotAnImage, strip_image_metadata


def test_exif_gps_and_every_other_header_are_gone():
    """EXIF (GPS, camera model and serial), comment, ICC profile and XMP of a JPEG do not survive."""
    original = jpeg_with_metadata()
    assert b"Exif" in original and b"XMP-SENTINEL" in original
    clean = strip_image_metadata(original)
    for marker in (b"Exif", b"SentinelCam", b"SERIAL-SENTINEL", b"COMMENT-SENTINEL", b"ICC-SENTINEL", b"XMP-SENTINEL"):
        assert marker not in clean
    with Image.open(io.BytesIO(clean)) as img:
        assert img.format == "JPEG" and img.size == (64, 48)
        assert len(img.getexif()) == 0 and not {"exif", "icc_profile", "comment", "xmp"} & set(img.info)


def test_png_text_chunks_are_gone():
    """A PNG's text chunks (which can hold anything: an author, a location) do not survive."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "PNG-AUTHOR-SENTINEL")
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (1, 2, 3, 128)).save(out, "PNG", pnginfo=info)
    clean = strip_image_metadata(out.getvalue())
    assert b"PNG-AUTHOR-SENTINEL" not in clean
    with Image.open(io.BytesIO(clean)) as img:
        assert img.format == "JPEG" and img.mode == "RGB"


def test_orientation_is_applied_to_the_pixels():
    """A photo tagged "rotate 90°" is published upright, though the tag itself is dropped."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (0, 0, 0)).save(out, "JPEG", exif=exif)
    with Image.open(io.BytesIO(strip_image_metadata(out.getvalue()))) as img:
        assert img.size == (20, 40)


def test_large_photos_are_scaled_down():
    """The published copy is at most PUBLIC_IMAGE_MAX pixels on its longest side."""
    out = io.BytesIO()
    Image.new("RGB", (PUBLIC_IMAGE_MAX * 2, 100), (9, 9, 9)).save(out, "JPEG")
    with Image.open(io.BytesIO(strip_image_metadata(out.getvalue()))) as img:
        assert max(img.size) == PUBLIC_IMAGE_MAX


def test_what_is_not_an_image_is_refused():
    """Bytes Pillow cannot read raise NotAnImage (the public view answers 404)."""
    with pytest.raises(NotAnImage):
        strip_image_metadata(b"\x00\x00\x00\x18ftypmp42 not a picture")
