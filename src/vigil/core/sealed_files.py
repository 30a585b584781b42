"""Sealed files: a file encrypted in authenticated chunks (AES-256-GCM), read and written as streams.

Each sealed file has its own random 256-bit *file key*; the caller keeps that key elsewhere (vigil
keeps it wrapped under the field keyring, in the database). The format (documented in
docs/custody.md) is the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár, as age and
Tink use it::

    header   16 bytes: MAGIC (8) | chunk size as log2 (1) | nonce prefix (7, random)
    chunks   AES-256-GCM(file key, nonce, plaintext chunk, associated data = header), each
             ``chunk size`` plaintext bytes + 16 bytes of tag; only the last may be shorter
             (or empty, for an empty file)
    nonce    nonce prefix (7) | chunk number (4, big-endian, from 0) | 0x01 for the last chunk, else 0x00

Because the chunk number and the last-chunk flag are in the nonce, a chunk moved, dropped, repeated
or cut off, and a file truncated at a chunk boundary, all fail to authenticate; the header (chunk
size included) is authenticated as associated data of every chunk.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"VGSEALv1"
KEY_BYTES = 32
TAG_BYTES = 16
PREFIX_BYTES = 7
HEADER_BYTES = len(MAGIC) + 1 + PREFIX_BYTES
#: 1 MiB chunks: large enough that the 16-byte tags cost nothing, small enough to stream.
DEFAULT_CHUNK_LOG2 = 20
_MIN_CHUNK_LOG2, _MAX_CHUNK_LOG2 = 6, 24
_MAX_CHUNKS = 1 << 32


class SealedFileError(Exception):
    """A sealed file does not authenticate: changed, truncated, extended, or not sealed with this key."""


@dataclass(frozen=True, slots=True)
class Sealed:
    """What was sealed: the plaintext's SHA-256 and size."""

    sha256: str
    size: int


def new_file_key() -> bytes:
    """A fresh random 256-bit file key."""
    return AESGCM.generate_key(bit_length=256)


def is_sealed(head: bytes) -> bool:
    """Whether ``head`` (the first bytes of a file, at least 8) starts like a sealed file."""
    return head[: len(MAGIC)] == MAGIC


def sealed_size(plain_size: int, *, chunk_log2: int = DEFAULT_CHUNK_LOG2) -> int:
    """The size of the sealed file of ``plain_size`` plaintext bytes."""
    chunks = max(1, -(-plain_size // (1 << chunk_log2)))
    return HEADER_BYTES + plain_size + chunks * TAG_BYTES


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    if counter >= _MAX_CHUNKS:
        raise SealedFileError("too many chunks")
    return prefix + struct.pack(">I", counter) + (b"\x01" if last else b"\x00")


def _read_full(stream: IO[bytes], n: int) -> bytes:
    """Up to ``n`` bytes, fewer only at the end of the stream (streams may return short reads)."""
    parts = []
    while n > 0:
        block = stream.read(n)
        if not block:
            break
        parts.append(block)
        n -= len(block)
    return b"".join(parts)


def _chunks(source: IO[bytes], size: int) -> Iterator[tuple[bytes, bool]]:
    """The source in chunks of ``size`` bytes, each with whether it is the last (one empty chunk for an empty source)."""
    current = _read_full(source, size)
    while True:
        following = _read_full(source, size) if len(current) == size else b""
        yield current, not following
        if not following:
            return
        current = following


def seal(source: IO[bytes], out: IO[bytes], *, key: bytes, chunk_log2: int = DEFAULT_CHUNK_LOG2) -> Sealed:
    """Encrypt ``source`` to ``out`` as a sealed file under ``key``, streaming; returns the plaintext's hash and size."""
    if len(key) != KEY_BYTES:
        raise ValueError(f"a file key has {KEY_BYTES} bytes")
    if not _MIN_CHUNK_LOG2 <= chunk_log2 <= _MAX_CHUNK_LOG2:
        raise ValueError("chunk size out of range")
    prefix = os.urandom(PREFIX_BYTES)
    header = MAGIC + bytes([chunk_log2]) + prefix
    out.write(header)
    aead = AESGCM(key)
    h = hashlib.sha256()
    size = 0
    for counter, (chunk, last) in enumerate(_chunks(source, 1 << chunk_log2)):
        h.update(chunk)
        size += len(chunk)
        out.write(aead.encrypt(_nonce(prefix, counter, last), chunk, header))
    return Sealed(h.hexdigest(), size)


class SealedReader(io.RawIOBase):
    """The plaintext of a sealed file, read as a stream; SealedFileError at the first chunk that does not authenticate.

    Not seekable. Closing it closes the underlying file.
    """

    def __init__(self, raw: IO[bytes], *, key: bytes) -> None:
        super().__init__()
        self._raw = raw
        header = _read_full(raw, HEADER_BYTES)
        if len(header) != HEADER_BYTES or not is_sealed(header):
            raw.close()
            raise SealedFileError("not a sealed file (no header)")
        chunk_log2 = header[len(MAGIC)]
        if not _MIN_CHUNK_LOG2 <= chunk_log2 <= _MAX_CHUNK_LOG2:
            raw.close()
            raise SealedFileError("not a sealed file (chunk size out of range)")
        self._header = header
        self._prefix = header[len(MAGIC) + 1 :]
        self._sealed_chunk = (1 << chunk_log2) + TAG_BYTES
        self._aead = AESGCM(key)
        self._counter = 0
        self._buffer = b""
        self._pos = 0
        self._next = _read_full(raw, self._sealed_chunk)
        self._done = False

    def readable(self) -> bool:
        return True

    def _fill(self) -> None:
        current = self._next
        following = _read_full(self._raw, self._sealed_chunk) if len(current) == self._sealed_chunk else b""
        last = not following
        try:
            self._buffer, self._pos = self._aead.decrypt(_nonce(self._prefix, self._counter, last), current, self._header), 0
        except InvalidTag:
            raise SealedFileError(f"chunk {self._counter} does not authenticate (changed, truncated or another key)") from None
        self._counter += 1
        self._next = following
        self._done = last

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while self._pos == len(self._buffer) and not self._done:
            self._fill()
        n = min(len(buffer), len(self._buffer) - self._pos)
        buffer[:n] = self._buffer[self._pos : self._pos + n]
        self._pos += n
        return n

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


def open_sealed(raw: IO[bytes], *, key: bytes) -> IO[bytes]:
    """A buffered reader of the plaintext of the sealed file ``raw``."""
    return io.BufferedReader(SealedReader(raw, key=key), buffer_size=1 << 20)


__all__ = [
    "DEFAULT_CHUNK_LOG2", "HEADER_BYTES", "KEY_BYTES", "MAGIC", "Sealed", "SealedFileError", "SealedReader",
    "is_sealed", "new_file_key", "open_sealed", "seal", "sealed_size",
]
