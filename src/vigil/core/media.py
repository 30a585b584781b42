"""Working copies of images, made from pixels only: no EXIF, GPS, camera serials, XMP, ICC or comments.

A photo a relative brings may carry where and when it was taken and which phone took it. Any copy
that leaves the originals folder (a thumbnail, the public site's image) is re-encoded from its
pixels into a new image, so that no metadata block of the original can survive, whatever its
format. Only the *kinds* of metadata found are reported, never their values.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import PIL
from PIL import Image, ImageCms, ImageOps

#: The EXIF tag that points at the GPS block.
GPS_IFD = 0x8825
#: EXIF tags that identify a camera or its owner.
_SERIAL_TAGS = {0xA431: "body serial number", 0xA435: "lens serial number", 0xA430: "camera owner name", 0x013B: "artist"}

THUMBNAIL_SIZE = (320, 320)
THUMBNAIL_QUALITY = 80
REDACTED_JPEG_QUALITY = 92
#: Longest side, in pixels, of the copy of a photo that the public site shows.
PUBLIC_IMAGE_MAX = 1600
#: JPEG quality of the copy of a photo that the public site shows.
PUBLIC_IMAGE_QUALITY = 85


class NotAnImage(ValueError):
    """The bytes are not an image Pillow can read."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """A working copy's bytes and how they were made (``method`` goes into the custody record)."""

    data: bytes
    media_type: str
    extension: str
    width: int
    height: int
    method: dict[str, object]


def metadata_kinds(data: bytes) -> list[str]:
    """Which kinds of metadata an image carries (``exif``, ``gps``, ``xmp``, ``icc_profile``, ``comment`` …), sorted."""
    with _open(data) as img:
        return _kinds(img)


def _open(data: bytes) -> Image.Image:
    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except (OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise NotAnImage(str(exc)) from exc
    return img


def _kinds(img: Image.Image) -> list[str]:
    kinds: set[str] = set()
    exif = img.getexif()
    if len(exif):
        kinds.add("exif")
        if exif.get_ifd(GPS_IFD) or GPS_IFD in exif:
            kinds.add("gps")
        if any(tag in exif for tag in _SERIAL_TAGS) or any(tag in exif.get_ifd(0x8769) for tag in _SERIAL_TAGS):
            kinds.add("camera serial or owner")
    for key in img.info:
        k = key.lower() if isinstance(key, str) else str(key)
        if k in ("exif",):
            kinds.add("exif")
        elif "xmp" in k or k == "xml:com.adobe.xmp":
            kinds.add("xmp")
        elif k == "icc_profile":
            kinds.add("icc_profile")
        elif k in ("comment", "comments", "description", "author", "software", "title", "copyright"):
            kinds.add("comment")
        elif k in ("photoshop", "iptc", "adobe", "adobe_transform", "mp", "mpoffset"):
            kinds.add(k)
    if getattr(img, "text", None):
        kinds.add("text chunks")
    return sorted(kinds)


def _to_srgb(img: Image.Image) -> Image.Image:
    # Dropping an embedded colour profile shifts colours; convert to sRGB first where we can.
    icc = img.info.get("icc_profile")
    if not icc or img.mode not in ("RGB", "RGBA", "L", "CMYK"):
        return img
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        out_mode = "RGBA" if img.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(img, source, ImageCms.createProfile("sRGB"), outputMode=out_mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return img
    return converted if converted is not None else img


def _pixels_only(img: Image.Image) -> Image.Image:
    """A new image holding only ``img``'s pixels, upright; nothing of its ``info`` survives."""
    img = ImageOps.exif_transpose(img) or img
    img = _to_srgb(img)
    if img.mode not in ("RGB", "RGBA", "L", "LA"):
        img = img.convert("RGBA" if "A" in img.mode or "transparency" in img.info else "RGB")
    return Image.frombytes(img.mode, img.size, img.tobytes())


def strip_image(data: bytes) -> Rendered:
    """A copy of an image re-encoded from its pixels: JPEG stays JPEG, anything else becomes PNG."""
    with _open(data) as original:
        source_format = original.format or "unknown"
        removed = _kinds(original)
        clean = _pixels_only(original)
    out = io.BytesIO()
    if source_format == "JPEG" and clean.mode in ("RGB", "L"):
        clean.save(out, format="JPEG", quality=REDACTED_JPEG_QUALITY)
        media_type, extension, fmt = "image/jpeg", "jpg", "JPEG"
    else:
        clean.save(out, format="PNG", optimize=False)
        media_type, extension, fmt = "image/png", "png", "PNG"
    method: dict[str, object] = {
        "operation": "metadata removed: re-encoded from pixels",
        "source_format": source_format,
        "format": fmt,
        "metadata_removed": removed,
        "pillow": PIL.__version__,
    }
    if fmt == "JPEG":
        method["quality"] = REDACTED_JPEG_QUALITY
    return Rendered(out.getvalue(), media_type, extension, clean.width, clean.height, method)


def strip_image_metadata(data: bytes) -> bytes:
    """The image's pixels in a new file with no metadata at all (see :func:`strip_image`)."""
    return strip_image(data).data


def thumbnail(data: bytes, *, size: tuple[int, int] = THUMBNAIL_SIZE, quality: int = THUMBNAIL_QUALITY) -> Rendered:
    """A JPEG no larger than ``size``, made from the pixels only (no metadata)."""
    with _open(data) as original:
        removed = _kinds(original)
        clean = _pixels_only(original)
    clean.thumbnail(size)
    out = io.BytesIO()
    clean.convert("RGB").save(out, format="JPEG", quality=quality)
    method: dict[str, object] = {
        "operation": "thumbnail, re-encoded from pixels",
        "max_size": list(size),
        "format": "JPEG",
        "quality": quality,
        "metadata_removed": removed,
        "pillow": PIL.__version__,
    }
    return Rendered(out.getvalue(), "image/jpeg", "jpg", clean.width, clean.height, method)


def public_copy(data: bytes) -> Rendered:
    """The copy of a photo that the public site shows: a JPEG made from the pixels only, at most
    :data:`PUBLIC_IMAGE_MAX` pixels on its longest side (scaling down also weakens the sensor-noise
    fingerprint that ties a picture to the camera that took it)."""
    return thumbnail(data, size=(PUBLIC_IMAGE_MAX, PUBLIC_IMAGE_MAX), quality=PUBLIC_IMAGE_QUALITY)
