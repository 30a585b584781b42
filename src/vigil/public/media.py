"""Published media: photos only as a copy rebuilt from their pixels, so no metadata can survive.

A photo brought by a relative may carry the GPS position where it was taken, the camera's serial
number, the owner's name, an embedded thumbnail of the uncropped picture, an XMP packet or an ICC
profile naming the device. Copying "without EXIF" misses some of these; rebuilding the image from
its pixels keeps none. The copy is also scaled down, which weakens the sensor-noise fingerprint
that can tie a picture to the camera that took it.

The copy is the evidence's *public copy* (``vigil.evidence.services.evidence_public_copy``): a
working copy recorded with its hash and audited when made, so that ``vigil evidence verify`` knows
it and the encryption-at-rest rules of working copies apply to it. ``strip_image_metadata`` is the
same rendering (``vigil.core.media.public_copy``) on bytes.
"""

from __future__ import annotations

from typing import IO

from vigil.access import Actor, require
from vigil.core.media import PUBLIC_IMAGE_MAX, PUBLIC_IMAGE_QUALITY, NotAnImage, public_copy
from vigil.evidence.models import EvidenceFile
from vigil.evidence.services import evidence_public_copy, working_copy_read
from vigil.evidence.storage import open_blob
from vigil.public.projection import PublicMediaFile

__all__ = [
    "NotAnImage", "PUBLIC_IMAGE_MAX", "PUBLIC_IMAGE_QUALITY", "public_file_open", "public_image", "strip_image_metadata",
]


def strip_image_metadata(data: bytes) -> bytes:
    """The published copy of an image's bytes: a JPEG made from its pixels only (``vigil.core.media``: no
    EXIF, GPS, camera serial, XMP, ICC profile, comment or embedded thumbnail survives; upright), at most
    ``PUBLIC_IMAGE_MAX`` pixels on its longest side. Raises NotAnImage for anything Pillow cannot read."""
    return public_copy(data).data


def public_image(*, actor: Actor, media: PublicMediaFile) -> bytes:
    """The published copy of a public photo: its evidence's public copy, read and checked against its hash.

    ``media`` comes from ``vigil.public.selectors.public_media``, which decided that consent allows
    publishing it. The copy is made on first use (a working copy, audited then). Raises NotAnImage
    if the original is not a readable image, FileNotFoundError if the copy was lost, and
    StoredFileChanged if its bytes no longer match their record.
    """
    require(actor, "public.view")
    if media.media.kind != "photo":
        raise ValueError(f"media {media.media.id} is not a photo")
    evidence = EvidenceFile.objects.get(pk=media.media.id)
    return working_copy_read(evidence_public_copy(actor=actor, evidence=evidence))


def public_file_open(media: PublicMediaFile) -> IO[bytes]:
    """The original of a public video or audio file, opened (published as it is: full consent and checked metadata).

    Read through the media folder's ``open_blob``, which decrypts a file encrypted at rest.
    """
    if media.media.kind not in ("video", "audio"):
        raise ValueError(f"media {media.media.id} is served only as a rebuilt copy")
    return open_blob(media.stored_path)
