import io

import pytest
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from vigil.core.media import GPS_IFD, NotAnImage, metadata_kinds, strip_image, strip_image_metadata, thumbnail

XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description photoshop:City="Synthetic City"/></rdf:RDF></x:xmpmeta>'


def jpeg_with_gps() -> bytes:
    """A synthetic photo carrying the metadata a phone leaves: camera, serial number, GPS position, XMP, ICC."""
    exif = Image.Exif()
    exif[0x010F] = "SyntheticCam"  # Make
    exif[0x0110] = "Model 7"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90° to show upright
    exif.get_ifd(0x8769)[0xA431] = "SN-0000-1111"  # BodySerialNumber
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (43.0, 49.0, 30.5)
    gps[3] = "E"
    gps[4] = (87.0, 36.0, 12.25)
    img = Image.new("RGB", (64, 48), (200, 30, 30))
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif, xmp=XMP, icc_profile=icc, comment=b"taken near the camp gate")
    return buf.getvalue()


def test_the_test_photo_really_carries_gps():
    """The synthetic photo has the metadata the other tests expect to see removed (so they can fail)."""
    data = jpeg_with_gps()
    assert {"exif", "gps", "xmp", "icc_profile", "camera serial or owner", "comment"} <= set(metadata_kinds(data))
    assert b"Exif" in data and b"SN-0000-1111" in data and b"Synthetic City" in data


def test_stripped_jpeg_has_no_metadata_at_all():
    """A JPEG with EXIF, GPS, a serial number, XMP, ICC and a comment comes out with none of them."""
    out = strip_image_metadata(jpeg_with_gps())
    image = Image.open(io.BytesIO(out))
    assert image.format == "JPEG"
    assert not image.getexif() and not image.getexif().get_ifd(GPS_IFD)
    assert "exif" not in image.info and "xmp" not in image.info and "icc_profile" not in image.info and "comment" not in image.info
    for marker in (b"Exif", b"SyntheticCam", b"SN-0000-1111", b"Synthetic City", b"camp gate", b"http://ns.adobe.com/xap"):
        assert marker not in out
    assert metadata_kinds(out) == []


def test_stripped_copy_is_upright_and_keeps_the_pixels():
    """The orientation tag is applied to the pixels before it is dropped, so the copy looks as the original does."""
    rendered = strip_image(jpeg_with_gps())
    assert (rendered.width, rendered.height) == (48, 64)
    r, g, b = Image.open(io.BytesIO(rendered.data)).convert("RGB").getpixel((24, 32))
    assert r > 150 and g < 80 and b < 80


def test_method_names_what_was_removed_but_not_its_values():
    """The record of how a copy was made lists kinds of metadata, never the GPS position or serial."""
    method = strip_image(jpeg_with_gps()).method
    assert "gps" in method["metadata_removed"]
    assert "87" not in repr(method) and "SN-0000" not in repr(method)


def test_png_text_chunks_are_removed():
    """A PNG's text chunks and EXIF do not survive; a PNG stays a PNG."""
    info = PngInfo()
    info.add_text("Comment", "synthetic location note")
    exif = Image.Exif()
    exif[0x010F] = "SyntheticCam"
    buf = io.BytesIO()
    Image.new("RGBA", (10, 10), (1, 2, 3, 128)).save(buf, format="PNG", pnginfo=info, exif=exif)
    rendered = strip_image(buf.getvalue())
    assert rendered.media_type == "image/png"
    assert b"synthetic location note" not in rendered.data and b"SyntheticCam" not in rendered.data
    assert Image.open(io.BytesIO(rendered.data)).mode == "RGBA"


def test_thumbnail_is_small_and_clean():
    """A thumbnail fits the box and carries no metadata."""
    big = io.BytesIO()
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD)[1] = "N"
    Image.new("RGB", (1000, 500), "navy").save(big, format="JPEG", exif=exif)
    rendered = thumbnail(big.getvalue())
    image = Image.open(io.BytesIO(rendered.data))
    assert max(image.size) <= 320 and not image.getexif() and b"Exif" not in rendered.data


def test_not_an_image_is_refused():
    """Bytes that are not an image raise NotAnImage (not a Pillow internal error)."""
    with pytest.raises(NotAnImage):
        strip_image_metadata(b"not an image at all")
