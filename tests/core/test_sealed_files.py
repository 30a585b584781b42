import hashlib
import io
import os

import pytest

from vigil.core.sealed_files import HEADER_BYTES, TAG_BYTES, SealedFileError, is_sealed, new_file_key, open_sealed, seal, sealed_size

SMALL = 6  # 64-byte chunks, so that a few hundred bytes make several chunks
SENTINEL = b"SEALED-PLAINTEXT-SENTINEL "


def sealed(data: bytes, key: bytes, chunk_log2: int = SMALL) -> bytes:
    out = io.BytesIO()
    seal(io.BytesIO(data), out, key=key, chunk_log2=chunk_log2)
    return out.getvalue()


def unseal(blob: bytes, key: bytes) -> bytes:
    with open_sealed(io.BytesIO(blob), key=key) as fh:
        return fh.read()


@pytest.mark.parametrize("size", [0, 1, 63, 64, 65, 128, 1000])
def test_round_trip(size):
    """Any plaintext, of any length (empty, shorter than, equal to or a multiple of a chunk), reads back exactly."""
    key = new_file_key()
    data = (SENTINEL * 100)[:size]
    out = io.BytesIO()
    result = seal(io.BytesIO(data), out, key=key, chunk_log2=SMALL)
    assert result.sha256 == hashlib.sha256(data).hexdigest() and result.size == size
    assert len(out.getvalue()) == sealed_size(size, chunk_log2=SMALL)
    assert unseal(out.getvalue(), key) == data


def test_large_file_streams_in_default_chunks():
    """A file of several default (1 MiB) chunks reads back exactly, also in small reads."""
    key = new_file_key()
    data = os.urandom((3 << 20) + 17)
    blob = sealed(data, key, chunk_log2=20)
    with open_sealed(io.BytesIO(blob), key=key) as fh:
        parts = list(iter(lambda: fh.read(100_000), b""))
    assert b"".join(parts) == data


def test_ciphertext_hides_the_plaintext():
    """The sealed bytes contain neither the plaintext nor its magic numbers, and start with the sealed header."""
    key = new_file_key()
    data = b"\xff\xd8\xff\xe0" + SENTINEL * 20
    blob = sealed(data, key)
    assert SENTINEL not in blob and not blob.startswith(b"\xff\xd8")
    assert is_sealed(blob) and not is_sealed(data)


def test_each_file_differs():
    """The same plaintext sealed twice under the same key gives different bytes (random nonce prefix)."""
    key = new_file_key()
    assert sealed(SENTINEL, key) != sealed(SENTINEL, key)


def test_changed_byte_is_detected():
    """One changed byte anywhere (header, any chunk, any tag) fails to authenticate."""
    key = new_file_key()
    blob = sealed(SENTINEL * 10, key)
    for i in (0, 8, 9, HEADER_BYTES, HEADER_BYTES + 70, len(blob) - 1):
        changed = bytearray(blob)
        changed[i] ^= 0x01
        with pytest.raises(SealedFileError):
            unseal(bytes(changed), key)


@pytest.mark.parametrize("cut", [1, TAG_BYTES, 64 + TAG_BYTES, 2 * (64 + TAG_BYTES)])
def test_truncation_is_detected(cut):
    """A file cut short, even exactly at a chunk boundary, fails to authenticate."""
    key = new_file_key()
    blob = sealed(SENTINEL * 20, key)  # 520 bytes: 9 chunks
    with pytest.raises(SealedFileError):
        unseal(blob[:-cut], key)


def test_truncation_to_the_header_is_detected():
    """A sealed file with no chunk at all does not authenticate."""
    key = new_file_key()
    with pytest.raises(SealedFileError):
        unseal(sealed(SENTINEL, key)[:HEADER_BYTES], key)


def test_extension_and_reordering_are_detected():
    """Bytes appended, or two chunks swapped, fail to authenticate."""
    key = new_file_key()
    data = bytes(range(256))  # 4 chunks of 64 bytes
    blob = sealed(data, key)
    with pytest.raises(SealedFileError):
        unseal(blob + b"\x00" * (64 + TAG_BYTES), key)
    n = 64 + TAG_BYTES
    first, second = blob[HEADER_BYTES : HEADER_BYTES + n], blob[HEADER_BYTES + n : HEADER_BYTES + 2 * n]
    swapped = blob[:HEADER_BYTES] + second + first + blob[HEADER_BYTES + 2 * n :]
    with pytest.raises(SealedFileError):
        unseal(swapped, key)


def test_another_key_does_not_open_it():
    """A sealed file opens only with its own file key."""
    blob = sealed(SENTINEL, new_file_key())
    with pytest.raises(SealedFileError):
        unseal(blob, new_file_key())


def test_plain_file_is_refused():
    """Reading a file that is not sealed as if it were fails clearly."""
    with pytest.raises(SealedFileError):
        unseal(b"\x89PNG plain bytes", new_file_key())
