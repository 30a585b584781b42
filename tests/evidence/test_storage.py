import hashlib
import io

import pytest

from vigil.evidence.storage import StoredFileChanged, hash_blob, open_blob, stored_files, write_blob


def test_write_once(media):
    """A stored file is read-only and is never replaced: a second write to its name fails."""
    blob = write_blob("originals/files/ab/x", io.BytesIO(b"first"))
    assert blob.sha256 == hashlib.sha256(b"first").hexdigest() and blob.size == 5
    with pytest.raises(FileExistsError):
        write_blob("originals/files/ab/x", b"second")
    with open_blob("originals/files/ab/x") as fh:
        assert fh.read() == b"first"
    assert (media / "originals/files/ab/x").stat().st_mode & 0o222 == 0


def test_wrong_hash_leaves_nothing(media):
    """Bytes that do not hash to what was expected are not stored, and no partial file is left."""
    with pytest.raises(StoredFileChanged):
        write_blob("originals/files/ab/y", b"data", expected_sha256="0" * 64)
    assert list(stored_files()) == []


def test_hash_is_of_what_open_blob_reads(media):
    """hash_blob hashes the bytes as read back through open_blob (the plaintext, once encryption comes)."""
    write_blob("working/thumbnail/ab/z.jpg", b"thumb")
    assert hash_blob("working/thumbnail/ab/z.jpg").sha256 == hashlib.sha256(b"thumb").hexdigest()
    assert list(stored_files()) == ["working/thumbnail/ab/z.jpg"]
