"""The media folder: write-once originals under their SHA-256, working copies kept apart.

Every byte of stored evidence is written by :func:`write_blob` (or sealed in place by
:func:`seal_blob`) and read by :func:`open_blob`, and by nothing else. A file may be stored *sealed*
(encrypted at rest, :mod:`vigil.core.sealed_files`) under its own file key, which is kept wrapped
under the field keyring in a :class:`~vigil.evidence.models.FileKey` row by the file's path;
:func:`open_blob` decrypts it as it is read. Hashes are always of the plaintext: what the relative
brought, not what lies on the disk. Whether to seal is the caller's decision (see
:mod:`vigil.evidence.encryption`).

Layout under ``MEDIA_ROOT``::

    originals/<area>/ab/abcdef…        write-once originals (area: files, documents)
    working/<kind>/ab/abcdef….<ext>    working copies (thumbnails, redacted copies, transcodes)
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from django.conf import settings
from django.db import IntegrityError, transaction

from vigil.core import sealed_files
from vigil.evidence.encryption import original_seals
from vigil.evidence.models import FileKey

ORIGINALS = "originals"
WORKING = "working"
_PART = ".part"


class StoredFileChanged(Exception):
    """A stored file no longer has the SHA-256 it was stored under."""


class StoredFileUnreadable(StoredFileChanged):
    """A sealed file does not decrypt: changed, truncated, replaced, or its file key is gone.

    ``reason`` says which, in words fit for a report ("does not authenticate …").
    """

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


NOT_AUTHENTIC = "does not authenticate (a changed byte, a truncation, or another file)"
NO_KEY = "has no file key on record"


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


def _encode_key(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


def _file_key(relative: str) -> bytes | None:
    stored = FileKey.objects.filter(stored_path=relative).values_list("file_key", flat=True).first()
    return None if stored is None else base64.b64decode(stored)


def _looks_sealed(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return sealed_files.is_sealed(fh.read(len(sealed_files.MAGIC)))
    except FileNotFoundError:
        return False


def _discard_orphan(path: Path) -> None:
    """Remove a sealed file whose key was never committed (its write rolled back): nothing can ever read it."""
    path.unlink()


def write_blob(
    relative: str, source: IO[bytes] | bytes, *, expected_sha256: str | None = None, seal: bool = False,
) -> Blob:
    """Write a new stored file, once: read-only afterwards; FileExistsError if it is there already.

    The bytes go to a ``.part`` file first and take the final name only when complete (and, given
    ``expected_sha256``, only when they hash to it), so no half-written file ever has a stored name.
    With ``seal``, the file is encrypted under a new file key, whose ``FileKey`` row is written in the
    same transaction as the file (the caller's, if there is one): a sealed file left by a write that
    rolled back has no key, is unreadable, and is replaced by the next write of the same name.
    """
    target = media_root() / relative
    if isinstance(source, bytes):
        chunks: Iterator[bytes] = iter([source])
    else:
        chunks = iter(lambda: source.read(1 << 20), b"")
    if not seal:
        if target.exists():
            raise FileExistsError(relative)
        return _write_new(target, relative, chunks, expected_sha256=expected_sha256, key=None)
    with transaction.atomic():
        key = sealed_files.new_file_key()
        try:
            # The row doubles as the lock on the name: a concurrent writer of the same name waits here
            # for the first to commit (then gets FileExistsError) or roll back.
            with transaction.atomic():
                FileKey.objects.create(stored_path=relative, file_key=_encode_key(key))
        except IntegrityError:
            raise FileExistsError(relative) from None
        if target.exists():
            if not _looks_sealed(target):
                raise FileExistsError(relative)
            _discard_orphan(target)
        return _write_new(target, relative, chunks, expected_sha256=expected_sha256, key=key)


class _Hashing:
    """A readable stream over ``chunks`` that hashes what is read."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._pending = b""
        self.hash = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        while n < 0 or len(self._pending) < n:
            block = next(self._chunks, b"")
            if not block:
                break
            self._pending += block
        out, self._pending = (self._pending, b"") if n < 0 else (self._pending[:n], self._pending[n:])
        self.hash.update(out)
        self.size += len(out)
        return out


def _write_new(target: Path, relative: str, chunks: Iterator[bytes], *, expected_sha256: str | None, key: bytes | None) -> Blob:
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = target.with_name(target.name + _PART)
    try:
        with tmp.open("wb") as out:
            plain = _Hashing(chunks)
            if key is None:
                for block in iter(lambda: plain.read(1 << 20), b""):
                    out.write(block)
            else:
                sealed_files.seal(plain, out, key=key)  # type: ignore[arg-type]
            out.flush()
            os.fsync(out.fileno())
        blob = Blob(plain.hash.hexdigest(), plain.size)
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
    """Open a stored file for reading its plaintext, decrypting a sealed file as it is read (streaming).

    FileNotFoundError if it is gone; reading a sealed file that does not authenticate (one changed
    byte, a truncation) raises StoredFileUnreadable, at the latest when its end is read.
    """
    raw = (media_root() / relative).open("rb")
    try:
        head = raw.read(len(sealed_files.MAGIC))
        raw.seek(0)
        if not sealed_files.is_sealed(head):
            return raw  # plaintext; also a file whose sealing was interrupted before the switch
        key = _file_key(relative)
        if key is None:
            raise StoredFileUnreadable(f"{relative} is sealed but no file key is on record for it", reason=NO_KEY)
        return cast(IO[bytes], _Unsealing(sealed_files.open_sealed(raw, key=key), relative))  # a read-only, non-seekable IO
    except BaseException:
        raw.close()
        raise


class _Unsealing:
    """A sealed file's plaintext stream that reports authentication failures as StoredFileUnreadable."""

    def __init__(self, inner: IO[bytes], relative: str) -> None:
        self._inner = inner
        self._relative = relative

    def read(self, n: int = -1) -> bytes:
        try:
            return self._inner.read(n)
        except sealed_files.SealedFileError as exc:
            raise StoredFileUnreadable(f"{self._relative}: {exc}", reason=NOT_AUTHENTIC) from None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def close(self) -> None:
        self._inner.close()

    @property
    def closed(self) -> bool:
        return self._inner.closed

    def __enter__(self) -> _Unsealing:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[bytes]:
        return iter(lambda: self.read(1 << 16), b"")


def blob_sealed(relative: str) -> bool:
    """Whether a stored file is sealed (encrypted at rest) with its key on record."""
    return _looks_sealed(media_root() / relative) and FileKey.objects.filter(stored_path=relative).exists()


def seal_blob(relative: str, *, expected_sha256: str) -> bool:
    """Encrypt a plaintext stored file in place; returns False when it is sealed already.

    The file key is committed first (so there is never a sealed file without its key), then the
    sealed form is written beside the file, read back and checked against ``expected_sha256``, and
    only then takes the file's name in one atomic rename. Interrupted anywhere, the file is still
    readable (plaintext, or sealed with its key) and running this again finishes the work. Must not
    run inside a transaction. The plaintext's old disk blocks are not overwritten (see docs/custody.md).
    """
    if transaction.get_connection().in_atomic_block:
        raise RuntimeError("seal_blob commits the file key first: call it outside a transaction")
    target = media_root() / relative
    if not target.is_file():
        raise FileNotFoundError(relative)
    if _looks_sealed(target) and _file_key(relative) is not None:
        return False
    key = _file_key(relative)
    if key is None:
        key = sealed_files.new_file_key()
        try:
            FileKey.objects.create(stored_path=relative, file_key=_encode_key(key))
        except IntegrityError:  # sealed meanwhile by someone else
            return False
    tmp = target.with_name(target.name + ".sealing" + _PART)
    try:
        with target.open("rb") as src, tmp.open("xb") as out:
            sealed = sealed_files.seal(src, out, key=key)
            out.flush()
            os.fsync(out.fileno())
        if sealed.sha256 != expected_sha256:
            raise StoredFileChanged(f"{relative}: the plaintext hashes to {sealed.sha256}, not {expected_sha256}: not sealed")
        h = hashlib.sha256()
        try:
            with sealed_files.open_sealed(tmp.open("rb"), key=key) as check:
                for block in iter(lambda: check.read(1 << 20), b""):
                    h.update(block)
        except sealed_files.SealedFileError as exc:
            raise StoredFileUnreadable(f"{relative}: the sealed copy does not read back ({exc}): not sealed", reason=NOT_AUTHENTIC) from None
        if h.hexdigest() != expected_sha256:
            raise StoredFileChanged(f"{relative}: the sealed copy reads back as {h.hexdigest()}: not sealed")
        os.chmod(tmp, 0o400)
        os.replace(tmp, target)
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    finally:
        tmp.unlink(missing_ok=True)
    return True


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


def store_original(source: Path, *, sha256: str, area: str, seal: bool | None = None) -> str:
    """Copy ``source`` into the originals folder (once; read-only afterwards) and return its relative path.

    ``seal``: whether to encrypt it at rest; None decides by the area and ``VIGIL_MEDIA_ENCRYPTION``
    (:func:`vigil.evidence.encryption.original_seals`). An original already stored is kept as it is.
    """
    relative = original_path(sha256, area=area)
    path = media_root() / relative
    orphan = path.is_file() and _looks_sealed(path) and _file_key(relative) is None
    if not path.is_file() or orphan:
        if seal is None:
            seal = original_seals(area=area)
        try:
            with source.open("rb") as fh:
                # Only a sealed write may replace an orphan (it takes the name's FileKey row first).
                write_blob(relative, fh, expected_sha256=sha256, seal=seal or orphan)
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
    "Blob", "StoredFileChanged", "StoredFileUnreadable", "blob_exists", "blob_sealed", "copy_out", "hash_blob",
    "open_blob", "original_path", "seal_blob", "sha256_file", "store_original", "stored_files", "working_path",
    "write_blob",
]
