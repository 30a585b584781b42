"""Published media: photos only as a copy rebuilt from their pixels, so no metadata can survive.

A photo brought by a relative may carry the GPS position where it was taken, the camera's serial
number, the owner's name, an embedded thumbnail of the uncropped picture, an XMP packet or an ICC
profile naming the device. Copying "without EXIF" misses some of these; rebuilding the image from
its pixels keeps none. The copy is also scaled down, which weakens the sensor-noise fingerprint
that can tie a picture to the camera that took it.

``strip_image_metadata`` is the shared pixels-only rendering of ``vigil.core.media`` at the public
size; ``public_image`` caches its result beside the originals.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from django.conf import settings

from vigil.core.media import NotAnImage, thumbnail
from vigil.evidence.storage import open_blob
from vigil.public.projection import PublicMediaFile

__all__ = ["NotAnImage", "PUBLIC_IMAGE_MAX", "public_file_open", "public_image", "strip_image_metadata"]

#: Longest side of a published photo, in pixels.
PUBLIC_IMAGE_MAX = 1600
#: JPEG quality of a published photo.
PUBLIC_IMAGE_QUALITY = 85


def strip_image_metadata(data: bytes, *, max_size: int = PUBLIC_IMAGE_MAX) -> bytes:
    """A JPEG made from the image's pixels only (``vigil.core.media``: no EXIF, GPS, camera serial, XMP,
    ICC profile, comment or embedded thumbnail survives; upright), at most ``max_size`` pixels on its
    longest side. Raises NotAnImage for anything Pillow cannot read."""
    return thumbnail(data, size=(max_size, max_size), quality=PUBLIC_IMAGE_QUALITY).data


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
