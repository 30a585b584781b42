"""The archive's own checks, with archives made by hand (no database): what age cannot catch, the manifest does."""

from __future__ import annotations

import io
import tarfile

import pytest

from pyrage import x25519

from vigil.backup.archive import Manifest, Source, write_archive
from vigil.backup.envelope import encrypt_stream
from vigil.backup.errors import BackupError
from vigil.backup.restore import backup_restore

SQLITE = {"ENGINE": "django.db.backends.sqlite3"}
# An age identity, not a passphrase: scrypt would make each test take seconds.
IDENTITY = x25519.Identity.generate()


def _manifest() -> Manifest:
    return Manifest(vigil_version="0", created="2026-01-01T00:00:00+00:00", database_engine="sqlite",
                    database_member="database/vigil.sqlite3", migrations={}, includes_keys=False)


def _seal(path, members: list[tuple[str, bytes]]) -> None:
    """An envelope around a tar holding exactly ``members`` (name, bytes), in order."""
    def produce(stream):
        with tarfile.open(fileobj=stream, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            for name, data in members:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))

    with path.open("wb") as fh:
        encrypt_stream(fh, produce, recipients=[str(IDENTITY.to_public())])


def _good_members(tmp_path) -> list[tuple[str, bytes]]:
    db, media = tmp_path / "db", tmp_path / "photo.jpg"
    db.write_bytes(b"synthetic database")
    media.write_bytes(b"synthetic photo")
    plain = io.BytesIO()
    manifest = write_archive(plain, [Source("database/vigil.sqlite3", db), Source("data/media/photo.jpg", media)], _manifest())
    return [("database/vigil.sqlite3", db.read_bytes()), ("data/media/photo.jpg", media.read_bytes()), ("manifest.json", manifest.to_json())]


def _restore(tmp_path, archive):
    target = tmp_path / "restored"
    return target, lambda: backup_restore(archive=archive, data_dir=target, database={**SQLITE, "NAME": str(target / "vigil.sqlite3")}, identities=[IDENTITY])


def test_hand_made_archive_restores(tmp_path):
    """The hand-made archive used below restores (so the refusals below are due to their one change)."""
    archive = tmp_path / "a.backup"
    _seal(archive, _good_members(tmp_path))
    target, restore = _restore(tmp_path, archive)
    restore()
    assert (target / "media" / "photo.jpg").read_bytes() == b"synthetic photo"
    assert (target / "vigil.sqlite3").read_bytes() == b"synthetic database"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: [m[0], ("data/media/photo.jpg", b"another photo"), m[2]], "data/media/photo.jpg: checksum mismatch"),
        (lambda m: [m[0], m[2]], "lacks 'data/media/photo.jpg'"),
        (lambda m: [m[0], m[1], ("data/extra.txt", b"x"), m[2]], "'data/extra.txt', which manifest.json does not list"),
        (lambda m: [m[0], m[1]], "no manifest.json"),
        (lambda m: [m[0], m[2], m[1]], "member after manifest.json"),
        (lambda m: [("data/../../escape", b"x"), *m], "unsafe member name"),
        (lambda m: [("/etc/escape", b"x"), *m], "unsafe member name"),
        (lambda m: [m[0], m[1], m[1], m[2]], "twice"),
    ],
    ids=["changed-file", "missing-file", "extra-file", "no-manifest", "manifest-not-last", "dot-dot", "absolute", "duplicate"],
)
def test_archive_that_disagrees_with_its_manifest_is_refused(tmp_path, change, message):
    """An authentic archive whose members do not match manifest.json (or could escape the folder) restores nothing."""
    archive = tmp_path / "a.backup"
    _seal(archive, change(_good_members(tmp_path)))
    target, restore = _restore(tmp_path, archive)
    with pytest.raises(BackupError, match=message):
        restore()
    assert not target.exists()
    assert not (tmp_path / "escape").exists()


def test_not_a_backup_is_refused(tmp_path):
    """Any other file is refused in one line that names it."""
    other = tmp_path / "notes.txt"
    other.write_text("synthetic notes\n")
    _, restore = _restore(tmp_path, other)
    with pytest.raises(BackupError, match=f"^{other} is not a vigil backup"):
        restore()
