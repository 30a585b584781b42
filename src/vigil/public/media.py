"""Published media: photos only as a copy rebuilt from their pixels, so no metadata can survive.

A photo brought by a relative may carry the GPS position where it was taken, the camera's serial
number, the owner's name, an embedded thumbnail of the uncropped picture, an XMP packet or an ICC
profile naming the device. Copying "without EXIF" misses some of these; rebuilding the image from
its pixels keeps none. The copy is also scaled down, which weakens the sensor-noise fingerprint
that can tie a picture to the camera that took it.

``strip_image_metadata`` is pure (bytes in, bytes out) so it can be swapped for the shared one in
``vigil.core`` once the custody work lands; ``public_image`` caches its result as a working copy.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import IO

from django.conf import settings
from PIL import Image, ImageOps

from vigil.evidence.storage import open_blob
from vigil.public.projection import PublicMediaFile

#: Longest side of a published photo, in pixels.
PUBLIC_IMAGE_MAX = 1600
#: JPEG quality of a published photo.
PUBLIC_IMAGE_QUALITY = 85


class NotAnImage(ValueError):
    """The file could not be read as an image."""


def strip_image_metadata(data: bytes, *, max_size: int = PUBLIC_IMAGE_MAX) -> bytes:
    """A JPEG made from the image's pixels only: no EXIF (GPS, camera serial), XMP, ICC profile,
    comment or embedded thumbnail survives. The EXIF orientation is applied to the pixels first,
    so the picture still stands upright. Raises NotAnImage for anything Pillow cannot read."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            upright = ImageOps.exif_transpose(img)
            rgb = upright.convert("RGB")
    except Exception as exc:  # noqa: BLE001  (untrusted bytes: Pillow raises many kinds of error)
        raise NotAnImage(f"{type(exc).__name__}: {exc}") from None
    rgb.thumbnail((max_size, max_size))
    # A new image from raw pixels has an empty ``info``: nothing of the original's headers is left to copy.
    clean = Image.frombytes("RGB", rgb.size, rgb.tobytes())
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=PUBLIC_IMAGE_QUALITY, optimize=True)
    return out.getvalue()


def _cache_path(sha256: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "working" / "public" / f"{sha256}.jpg"


def public_image(media: PublicMediaFile) -> bytes:
    """The published copy of a public photo (made once, kept as a working copy beside the originals)."""
    if media.media.kind != "photo":
        raise ValueError(f"media {media.media.id} is not a photo")
    cache = _cache_path(media.sha256)
    if cache.exists():
        return cache.read_bytes()
    with open_blob(media.stored_path) as fh:  # decrypts an original encrypted at rest
        data = strip_image_metadata(fh.read())
    cache.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = cache.with_name(cache.name + f".{os.getpid()}.part")
    tmp.write_bytes(data)
    os.replace(tmp, cache)
    return data


def public_file_open(media: PublicMediaFile) -> IO[bytes]:
    """The original of a public video or audio file, opened (published as it is: full consent and checked metadata).

    Read through the media folder's ``open_blob``, which decrypts a file encrypted at rest.
    """
    if media.media.kind not in ("video", "audio"):
        raise ValueError(f"media {media.media.id} is served only as a rebuilt copy")
    return open_blob(media.stored_path)
