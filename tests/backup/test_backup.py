from __future__ import annotations

import io
import tarfile

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from pyrage import x25519

from tests.backup.conftest import FIELD_KEY, PASSPHRASE, SECRET_KEY, all_rows, data_files
from tests.conftest import grant
from vigil.audit.models import AuditEntry
from vigil.backup.envelope import decrypt_stream
from vigil.backup.errors import BackupError
from vigil.backup.restore import backup_restore
from vigil.backup.services import backup_create

pytestmark = pytest.mark.django_db(transaction=True)

# Most tests encrypt to an age key: a passphrase costs seconds of scrypt at each end.
AGE = x25519.Identity.generate()
TO_AGE = {"recipients": [str(AGE.to_public())]}


def _plaintext(archive, **keys) -> bytes:
    with archive.open("rb") as fh:
        return decrypt_stream(fh, lambda s: s.read(), **keys)


def test_round_trip_restores_every_row_and_file(demo, admin_user, tmp_path, target_database):
    """Backup then restore into another folder and database gives back every row of every table and every file, byte for byte."""
    rows_before = all_rows(connection.settings_dict)
    files_before = data_files(demo)
    assert len(rows_before["records_person"]) == 2
    assert len(rows_before["evidence_evidencefile"]) == 1

    report = backup_create(actor=admin_user, out=tmp_path / "vigil.backup", passphrase=PASSPHRASE)
    restored = tmp_path / "restored"
    result = backup_restore(archive=report.path, data_dir=restored, database=target_database, passphrase=PASSPHRASE)

    assert all_rows(target_database) == rows_before
    expected = {path: content for path, content in files_before.items() if not path.startswith("keys/") and path != "secret_key"}
    assert {p: c for p, c in data_files(restored).items() if p != "vigil.sqlite3"} == expected
    assert any(path.startswith("media/originals/") for path in expected)
    assert oct(expected[next(p for p in expected if p.startswith("media/originals/"))][1]) == oct(0o400)
    assert result.files == len(expected)
    assert not result.keys_restored


def test_backup_is_audited_with_the_archive_checksum(demo, admin_user, tmp_path):
    """A backup writes one audit entry naming the archive's SHA-256, size and whether it holds keys."""
    report = backup_create(actor=admin_user, out=tmp_path / "a.backup", **TO_AGE)
    entry = AuditEntry.objects.filter(action="backup.create").get()
    assert entry.actor_label == admin_user.get_username()
    assert entry.detail["archive_sha256"] == report.sha256
    assert entry.detail["archive_bytes"] == report.path.stat().st_size
    assert entry.detail["includes_keys"] is False


def test_field_key_is_not_in_the_archive_by_default(demo, admin_user, tmp_path):
    """Without --include-keys neither keys/ nor secret_key, nor their bytes, are anywhere in the decrypted archive."""
    report = backup_create(actor=admin_user, out=tmp_path / "a.backup", passphrase=PASSPHRASE)
    plain = _plaintext(report.path, passphrase=PASSPHRASE)
    names = tarfile.open(fileobj=io.BytesIO(plain)).getnames()
    assert "data/media/working/statement-cut.mp4" in names
    assert not [n for n in names if n.startswith("data/keys") or n == "data/secret_key"]
    assert FIELD_KEY not in plain
    assert SECRET_KEY.encode() not in plain


def test_include_keys_archives_and_restores_the_keys(demo, admin_user, tmp_path, target_database):
    """With include_keys the field key and secret_key are archived and restored, with their modes."""
    report = backup_create(actor=admin_user, out=tmp_path / "a.backup", include_keys=True, **TO_AGE)
    assert report.manifest.includes_keys
    result = backup_restore(archive=report.path, data_dir=tmp_path / "restored", database=target_database, identities=[AGE])
    assert result.keys_restored
    key = tmp_path / "restored" / "keys" / "field.key"
    assert key.read_bytes() == FIELD_KEY
    assert key.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "restored" / "secret_key").read_text() == SECRET_KEY


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[: len(b) // 2] + bytes([b[len(b) // 2] ^ 0x01]) + b[len(b) // 2 + 1 :], id="one-bit-flipped"),
        pytest.param(lambda b: b[: len(b) - 70_000], id="truncated"),
        pytest.param(lambda b: b[:200], id="cut-in-the-key"),
        pytest.param(lambda b: b[:450], id="cut-in-the-age-header"),
    ],
)
def test_damaged_archive_is_refused_and_leaves_nothing(demo, admin_user, tmp_path, target_database, damage):
    """A corrupted or truncated archive is refused with a one-line message, and the target stays as it was."""
    report = backup_create(actor=admin_user, out=tmp_path / "a.backup", passphrase=PASSPHRASE)
    bad = tmp_path / "bad.backup"
    bad.write_bytes(damage(report.path.read_bytes()))
    restored = tmp_path / "restored"
    with pytest.raises(BackupError) as caught:
        backup_restore(archive=bad, data_dir=restored, database=target_database, passphrase=PASSPHRASE)
    message = str(caught.value)
    assert message.startswith(f"{bad} is damaged")
    assert "\n" not in message
    assert not restored.exists()


def test_wrong_passphrase_is_refused(demo, admin_user, tmp_path, target_database):
    """A wrong passphrase says so, and restores nothing."""
    report = backup_create(actor=admin_user, out=tmp_path / "a.backup", passphrase=PASSPHRASE)
    with pytest.raises(BackupError, match="^wrong passphrase for "):
        backup_restore(archive=report.path, data_dir=tmp_path / "restored", database=target_database, passphrase="not the passphrase")
    assert not (tmp_path / "restored").exists()


def test_age_recipient_backup_restores_with_its_identity_only(demo, admin_user, tmp_path, target_database):
    """An archive for an age public key restores with its identity; another identity or a passphrase does not open it."""
    identity = x25519.Identity.generate()
    report = backup_create(actor=admin_user, out=tmp_path / "a.backup", recipients=[str(identity.to_public())])
    with pytest.raises(BackupError, match="none of the given keys opens"):
        backup_restore(archive=report.path, data_dir=tmp_path / "restored", database=target_database, identities=[x25519.Identity.generate()])
    with pytest.raises(BackupError, match="give the identity file"):
        backup_restore(archive=report.path, data_dir=tmp_path / "restored", database=target_database, passphrase=PASSPHRASE)
    backup_restore(archive=report.path, data_dir=tmp_path / "restored", database=target_database, identities=[identity])
    assert (tmp_path / "restored" / "linkage" / "model.json").exists()


def test_restore_refuses_a_folder_that_is_not_empty(demo, admin_user, tmp_path, target_database):
    """Restoring into a data folder with anything in it is refused, and the folder is left alone."""
    report = backup_create(actor=admin_user, out=tmp_path / "a.backup", **TO_AGE)
    restored = tmp_path / "restored"
    restored.mkdir()
    (restored / "notes.txt").write_text("mine")
    with pytest.raises(BackupError, match="is not empty"):
        backup_restore(archive=report.path, data_dir=restored, database=target_database, identities=[AGE])
    assert [p.name for p in restored.iterdir()] == ["notes.txt"]


def test_backup_needs_the_backup_permission(demo, editor, django_user_model, tmp_path):
    """Only administrators may back up: an editor is refused and no file is written."""
    with pytest.raises(PermissionDenied):
        backup_create(actor=editor, out=tmp_path / "a.backup", **TO_AGE)
    assert not (tmp_path / "a.backup").exists()
    admin = grant(django_user_model.objects.create_user(username="keeper", password="x-unused-x"), "administrator")
    assert backup_create(actor=admin, out=tmp_path / "a.backup", **TO_AGE).size > 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"passphrase": "short"}, "at least 12 characters"),
        ({"recipients": ["age1notakey"]}, "not an age X25519 public key"),
        ({}, "needs a passphrase or at least one age recipient"),
    ],
)
def test_backup_refuses_weak_or_missing_encryption(demo, admin_user, tmp_path, kwargs, message):
    """A short passphrase, a malformed recipient or no encryption at all is refused before anything is written."""
    with pytest.raises(BackupError, match=message):
        backup_create(actor=admin_user, out=tmp_path / "a.backup", **kwargs)
    assert not (tmp_path / "a.backup").exists()


def test_backup_never_overwrites_and_stays_out_of_the_data_folder(demo, admin_user, tmp_path):
    """An existing file is not overwritten, and an archive inside the data folder is refused."""
    existing = tmp_path / "old.backup"
    existing.write_bytes(b"an older backup")
    with pytest.raises(BackupError, match="already exists"):
        backup_create(actor=admin_user, out=existing, **TO_AGE)
    assert existing.read_bytes() == b"an older backup"
    with pytest.raises(BackupError, match="inside the data folder"):
        backup_create(actor=admin_user, out=demo / "a.backup", **TO_AGE)
