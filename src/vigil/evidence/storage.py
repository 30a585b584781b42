"""The media folder: write-once originals under their SHA-256, working copies kept apart.

Every byte of stored evidence is written by :func:`write_blob` and read by :func:`open_blob`, and
by nothing else, so that encryption at rest can be added in these two functions alone. Hashes are
always of the plaintext: what the relative brought, not what lies on the disk.

Layout under ``MEDIA_ROOT``::

    originals/<area>/ab/abcdef…        write-once originals (area: files, documents)
    working/<kind>/ab/abcdef….<ext>    working copies (thumbnails, redacted copies, transcodes)
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings

ORIGINALS = "originals"
WORKING = "working"
_PART = ".part"


class StoredFileChanged(Exception):
    """A stored file no longer has the SHA-256 it was stored under."""


@dataclass(frozen=True, slots=True)
class Blob:
    sha256: str
    size: int


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def sha256_file(path: Path) -> str:
    """SHA-256 of a file outside the media folder (an upload, an import file)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def original_path(sha256: str, *, area: str) -> str:
    """Path of an original, relative to the media folder: ``originals/<area>/ab/abcdef…``."""
    return f"{ORIGINALS}/{area}/{sha256[:2]}/{sha256}"


def working_path(sha256: str, *, kind: str, extension: str) -> str:
    """Path of a working copy, relative to the media folder: ``working/<kind>/ab/abcdef….<ext>``."""
    return f"{WORKING}/{kind}/{sha256[:2]}/{sha256}.{extension}"


def write_blob(relative: str, source: IO[bytes] | bytes, *, expected_sha256: str | None = None) -> Blob:
    """Write a new stored file, once: read-only afterwards; FileExistsError if it is there already.

    The bytes go to a ``.part`` file first and take the final name only when complete (and, given
    ``expected_sha256``, only when they hash to it), so no half-written file ever has a stored name.
    """
    target = media_root() / relative
    if target.exists():
        raise FileExistsError(relative)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = target.with_name(target.name + _PART)
    h = hashlib.sha256()
    size = 0
    try:
        with tmp.open("wb") as out:
            if isinstance(source, bytes):
                chunks: Iterator[bytes] = iter([source])
            else:
                chunks = iter(lambda: source.read(1 << 20), b"")
            for block in chunks:
                h.update(block)
                out.write(block)
                size += len(block)
            out.flush()
            os.fsync(out.fileno())
        blob = Blob(h.hexdigest(), size)
        if expected_sha256 is not None and blob.sha256 != expected_sha256:
            raise StoredFileChanged(f"{relative}: the bytes hash to {blob.sha256}, not {expected_sha256}")
        os.chmod(tmp, 0o400)
        # A hard link never replaces an existing file (os.replace would): write-once even in a race.
        try:
            os.link(tmp, target)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links
            if target.exists():
                raise FileExistsError(relative) from None
            os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return blob


def open_blob(relative: str) -> IO[bytes]:
    """Open a stored file for reading its (plaintext) bytes. FileNotFoundError if it is gone."""
    return (media_root() / relative).open("rb")


def blob_exists(relative: str) -> bool:
    return (media_root() / relative).is_file()


def hash_blob(relative: str) -> Blob:
    """SHA-256 and size of a stored file's plaintext, as read through :func:`open_blob`."""
    h = hashlib.sha256()
    size = 0
    with open_blob(relative) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
            size += len(block)
    return Blob(h.hexdigest(), size)


def stored_files() -> Iterator[str]:
    """Every file under ``originals/`` and ``working/``, relative to the media folder, sorted."""
    root = media_root()
    for top in (ORIGINALS, WORKING):
        base = root / top
        if base.is_dir():
            for path in sorted(p for p in base.rglob("*") if p.is_file()):
                yield path.relative_to(root).as_posix()


def store_original(source: Path, *, sha256: str, area: str) -> str:
    """Copy ``source`` into the originals folder (once; read-only afterwards) and return its relative path."""
    relative = original_path(sha256, area=area)
    if not blob_exists(relative):
        try:
            with source.open("rb") as fh:
                write_blob(relative, fh, expected_sha256=sha256)
        except StoredFileChanged:
            raise OSError(f"{source} changed while it was being stored") from None
        except FileExistsError:
            pass  # stored meanwhile by another request: same name, same content
    return relative


def copy_out(relative: str, destination: Path) -> Blob:
    """Copy a stored file's plaintext to ``destination`` (outside the media folder), hashing as it goes."""
    h = hashlib.sha256()
    size = 0
    with open_blob(relative) as src, destination.open("xb") as out:
        for block in iter(lambda: src.read(1 << 20), b""):
            h.update(block)
            out.write(block)
            size += len(block)
    return Blob(h.hexdigest(), size)


__all__ = [
    "Blob", "StoredFileChanged", "blob_exists", "copy_out", "hash_blob", "open_blob", "original_path",
    "sha256_file", "store_original", "stored_files", "working_path", "write_blob",
]
