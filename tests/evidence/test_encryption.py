import hashlib
import io
import os

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction

from tests.conftest import testimony_line
from tests.evidence.conftest import png_bytes
from vigil.audit.models import AuditEntry
from vigil.core.crypto import key_id_of
from vigil.core.intake import parse_testimony
from vigil.core.sealed_files import MAGIC
from vigil.evidence.custody import evidence_export, evidence_verify
from vigil.evidence.models import FileKey, WorkingCopy
from vigil.evidence.selectors import evidence_original_open, evidence_thumbnail
from vigil.evidence.services import evidence_encrypt, evidence_encrypt_due, evidence_file_store, evidence_public_copy, working_copy_read
from vigil.evidence.storage import StoredFileChanged, blob_sealed, hash_blob, open_blob, seal_blob, write_blob
from vigil.records.services import testimony_record

SENTINEL = b"MEDIA-PLAINTEXT-SENTINEL"
JPEG, PNG = b"\xff\xd8\xff", b"\x89PNG"


def photo_bytes() -> bytes:
    """A PNG that carries a distinctive sentinel (in a text chunk) that must never lie on the disk."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SENTINEL.decode())
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), "navy").save(buf, format="PNG", pnginfo=info)
    return buf.getvalue()


@pytest.fixture
def testimony(places, editor):
    def make(consent: str, n: int = 1):
        line = testimony_line(ref=f"T-{consent}-{n}", consent=consent)
        line["testifier"] = {**line["testifier"], "ref": f"W-{consent}-{n}"}
        line["persons"] = [{**line["persons"][0], "ref": f"R-{consent}-{n}"}]
        return testimony_record(actor=editor, draft=parse_testimony(line)[0])

    return make


def store(editor, data: bytes, *, testimony=None, name="photo.png", media_type="image/png"):
    return evidence_file_store(actor=editor, stream=io.BytesIO(data), original_name=name, media_type=media_type, testimony=testimony)


def on_disk(media, relative: str) -> bytes:
    return (media / relative).read_bytes()


def test_file_of_a_testimony_without_consent_is_unreadable_in_the_media_folder(media, editor, staff, testimony):
    """A photo stored for a consent-none testimony is ciphertext on disk (no sentinel, no image magic), and reads back exactly through the selectors."""
    data = photo_bytes()
    assert SENTINEL in data and data.startswith(PNG)  # so the checks below can fail
    t = testimony("none")
    evidence = store(editor, data, testimony=t)
    assert list(t.evidence.all()) == [evidence]
    raw = on_disk(media, evidence.stored_path)
    assert SENTINEL not in raw and not raw.startswith(PNG) and not raw.startswith(JPEG) and raw.startswith(MAGIC)
    assert evidence.sha256 == hashlib.sha256(data).hexdigest() and evidence.size == len(data)
    with evidence_original_open(actor=staff, evidence=evidence) as fh:
        assert fh.read() == data
    assert hash_blob(evidence.stored_path).sha256 == evidence.sha256
    assert AuditEntry.objects.get(action="evidence.store").detail["encrypted"] is True


def test_working_copies_of_an_encrypted_original_are_encrypted_and_work(media, editor, staff, admin_user, testimony):
    """The thumbnail and the metadata-free copy of an encrypted photo are made from it, are encrypted too, and read back."""
    evidence = store(editor, photo_bytes(), testimony=testimony("anonymised"))
    thumb = evidence_thumbnail(actor=staff, evidence=evidence)
    public = working_copy_read(evidence_public_copy(actor=editor, evidence=evidence))
    assert thumb.startswith(JPEG) and public.startswith((JPEG, PNG)) and SENTINEL not in public
    copies = WorkingCopy.objects.filter(evidence=evidence)
    assert copies.count() == 2
    for copy in copies:
        raw = on_disk(media, copy.stored_path)
        assert raw.startswith(MAGIC) and not raw.startswith((JPEG, PNG)) and blob_sealed(copy.stored_path)
    assert evidence_verify(actor=admin_user).ok


@pytest.mark.parametrize(
    ("mode", "consent", "sealed"),
    [
        ("unpublishable", "none", True),
        ("unpublishable", "anonymised", True),
        ("unpublishable", "full", False),
        ("unpublishable", None, True),  # publishability unknown when stored: encrypted
        ("all", "full", True),
        ("none", "none", False),
    ],
)
def test_what_is_encrypted(settings, media, editor, testimony, mode, consent, sealed):
    """VIGIL_MEDIA_ENCRYPTION, read when the file is stored, and the testimony's consent decide whether the original is encrypted."""
    settings.VIGIL_MEDIA_ENCRYPTION = mode
    evidence = store(editor, photo_bytes(), testimony=testimony(consent) if consent else None)
    assert blob_sealed(evidence.stored_path) is sealed
    assert (SENTINEL in on_disk(media, evidence.stored_path)) is not sealed
    with open_blob(evidence.stored_path) as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == evidence.sha256


def test_documents_are_encrypted_by_default(db, media, admin_user, tmp_path):
    """A leaked list's original (identity numbers) is encrypted at rest, and still verifies."""
    from vigil.linkage.lists import list_import

    path = tmp_path / "list.csv"
    path.write_text("姓名,身份证号\n吐尔逊·买买提,650102198003120012\n", encoding="utf-8")
    doc = list_import(actor=admin_user, path=path, title="Synthetic list", mapping=["姓名=full_name", "身份证号=id_number"]).document
    raw = on_disk(media, doc.stored_path)
    assert b"650102198003120012" not in raw and raw.startswith(MAGIC)
    assert evidence_verify(actor=admin_user).ok


def test_unknown_setting_is_refused(settings, media, editor):
    """A misspelt setting fails loudly instead of silently storing plaintext."""
    from django.core.exceptions import ImproperlyConfigured

    settings.VIGIL_MEDIA_ENCRYPTION = "yes"
    with pytest.raises(ImproperlyConfigured):
        store(editor, photo_bytes())


def test_large_file_streams_through(media, editor, staff):
    """A file of several 1 MiB chunks is stored encrypted and reads back exactly, in pieces."""
    data = os.urandom((3 << 20) + 5)
    evidence = store(editor, data, name="statement.mp4", media_type="video/mp4")
    assert blob_sealed(evidence.stored_path)
    with evidence_original_open(actor=staff, evidence=evidence) as fh:
        assert b"".join(iter(lambda: fh.read(300_000), b"")) == data


def test_export_of_an_encrypted_original_is_the_plaintext(media, editor, tmp_path):
    """An export writes what was received, not what lies on the disk."""
    data = photo_bytes()
    evidence = store(editor, data)
    result = evidence_export(actor=editor, evidence=evidence, folder=tmp_path / "out")
    assert result.file.read_bytes() == data


def test_changed_encrypted_original_is_refused_for_copies_and_export(media, editor, tmp_path):
    """One changed byte in an encrypted original: no working copy is made from it and it is not exported."""
    evidence = store(editor, photo_bytes())
    path = media / evidence.stored_path
    path.chmod(0o600)
    raw = bytearray(path.read_bytes())
    raw[-3] ^= 0x20
    path.write_bytes(bytes(raw))
    with pytest.raises(StoredFileChanged):
        evidence_public_copy(actor=editor, evidence=evidence)
    with pytest.raises(StoredFileChanged):
        evidence_export(actor=editor, evidence=evidence, folder=tmp_path / "out")
    assert not list((tmp_path / "out").iterdir())
    assert AuditEntry.objects.filter(action="evidence.integrity_failure").exists()


# --- encrypting files stored in plaintext ------------------------------------------------------


@pytest.fixture
def plain_photo(settings, media, editor, staff, testimony):
    """A photo stored in plaintext for a full-consent testimony, with a thumbnail."""
    t = testimony("full")
    evidence = store(editor, photo_bytes(), testimony=t)
    evidence_thumbnail(actor=staff, evidence=evidence)
    assert not blob_sealed(evidence.stored_path)
    return evidence, t


@pytest.mark.django_db(transaction=True)
def test_encrypting_in_place_keeps_name_and_hash(plain_photo, media, admin_user):
    """evidence_encrypt seals the original and its thumbnail under the same names: same SHA-256, verified, audited."""
    evidence, _t = plain_photo
    copy = WorkingCopy.objects.get(evidence=evidence)
    sealed = evidence_encrypt(actor=admin_user, evidence=evidence)
    assert sealed == [evidence.stored_path, copy.stored_path]
    for path in sealed:
        assert SENTINEL not in on_disk(media, path) and on_disk(media, path).startswith(MAGIC)
        assert (media / path).stat().st_mode & 0o777 == 0o400
    assert hash_blob(evidence.stored_path).sha256 == evidence.sha256
    assert evidence_verify(actor=admin_user).ok
    assert AuditEntry.objects.get(action="evidence.encrypt").detail == {"sha256": evidence.sha256, "files": 2}
    assert evidence_encrypt(actor=admin_user, evidence=evidence) == []  # nothing left to do


@pytest.mark.django_db(transaction=True)
def test_lowering_consent_makes_a_plaintext_file_due(plain_photo, media, admin_user, testimony):
    """Once a plaintext file is attached to a testimony without consent, `evidence_encrypt_due` seals it; files still publishable stay plain."""
    evidence, _t = plain_photo
    other = store(admin_user, b"\x00\x00\x00\x18ftypmp42 synthetic", name="v.mp4", media_type="video/mp4", testimony=_t)
    assert evidence_encrypt_due(actor=admin_user).files == 0
    testimony("none").evidence.add(evidence)
    report = evidence_encrypt_due(actor=admin_user)
    assert report.evidence == [evidence.pk] and report.files == 2 and not report.problems
    assert blob_sealed(evidence.stored_path) and not blob_sealed(other.stored_path)


@pytest.mark.django_db(transaction=True)
def test_interrupted_encryption_leaves_the_file_readable_and_is_finished_later(plain_photo, media, admin_user, monkeypatch):
    """Stopped after the file key is committed but before the switch, the file still reads; running again seals it."""
    evidence, _t = plain_photo

    def crash(*_args):
        raise OSError("synthetic crash before the switch")

    with monkeypatch.context() as m:
        m.setattr("vigil.evidence.storage.os.replace", crash)
        with pytest.raises(OSError):
            seal_blob(evidence.stored_path, expected_sha256=evidence.sha256)
    assert FileKey.objects.filter(stored_path=evidence.stored_path).exists()
    assert not on_disk(media, evidence.stored_path).startswith(MAGIC)
    assert hash_blob(evidence.stored_path).sha256 == evidence.sha256
    assert seal_blob(evidence.stored_path, expected_sha256=evidence.sha256) is True
    assert blob_sealed(evidence.stored_path) and hash_blob(evidence.stored_path).sha256 == evidence.sha256


@pytest.mark.django_db(transaction=True)
def test_a_changed_plaintext_file_is_not_encrypted(plain_photo, media, admin_user):
    """A plaintext original that no longer matches its hash is left as it is (for verify to name), never sealed."""
    evidence, _t = plain_photo
    path = media / evidence.stored_path
    path.chmod(0o600)
    path.write_bytes(path.read_bytes() + b"x")
    with pytest.raises(StoredFileChanged):
        seal_blob(evidence.stored_path, expected_sha256=evidence.sha256)
    assert not on_disk(media, evidence.stored_path).startswith(MAGIC)


def test_only_administrators_encrypt(plain_photo, editor):
    """Encrypting stored files in place is an administrator's task (keys.manage)."""
    with pytest.raises(PermissionDenied):
        evidence_encrypt(actor=editor, evidence=plain_photo[0])


def test_sealed_write_that_rolled_back_is_replaced(media, editor):
    """A sealed file whose transaction rolled back has no key; storing the same content again replaces it and reads back."""
    data = photo_bytes()
    with pytest.raises(RuntimeError), transaction.atomic():
        store(editor, data)
        raise RuntimeError("synthetic failure after the file was written")
    relative = f"originals/files/{hashlib.sha256(data).hexdigest()[:2]}/{hashlib.sha256(data).hexdigest()}"
    assert (media / relative).is_file() and not FileKey.objects.exists()
    evidence = store(editor, data)
    assert evidence.stored_path == relative
    with open_blob(relative) as fh:
        assert fh.read() == data


def test_second_sealed_write_of_a_name_is_refused(db, media):
    """A second sealed write of a name already taken fails like any second write: originals are write-once."""
    write_blob("working/thumbnail/ab/x.jpg", b"one", seal=True)
    with pytest.raises(FileExistsError):
        write_blob("working/thumbnail/ab/x.jpg", b"two", seal=True)
    with open_blob("working/thumbnail/ab/x.jpg") as fh:
        assert fh.read() == b"one"


# --- keys ----------------------------------------------------------------------------------------



def test_rotation_rewraps_file_keys_and_leaves_files_readable(own_keyring, media, admin_user, editor):
    """After `keys_rotate`, every file key is wrapped under the new key only, no file was rewritten, and every file reads back."""
    from vigil.keys.services import keys_check, keys_rotate

    data = [photo_bytes(), png_bytes(), os.urandom(70_000)]
    stored = [store(editor, d, name=f"f{n}.bin", media_type="application/octet-stream") for n, d in enumerate(data)]
    before = {e.stored_path: on_disk(media, e.stored_path) for e in stored}
    report = keys_rotate(actor=admin_user)
    assert report.finished and report.reencrypted >= len(stored)
    with connection.cursor() as cur:
        cur.execute(f"SELECT file_key FROM {FileKey._meta.db_table}")
        wrapped = [row[0] for row in cur.fetchall()]
    assert len(wrapped) == len(stored) and {key_id_of(w) for w in wrapped} == {report.key_id}
    for evidence, original in zip(stored, data):
        assert on_disk(media, evidence.stored_path) == before[evidence.stored_path]
        with open_blob(evidence.stored_path) as fh:
            assert fh.read() == original
    assert keys_check(actor=admin_user).ok


def test_cli_encrypt(plain_photo, admin_user, testimony, transactional_db):
    """`vigil evidence encrypt` seals what is due and says how many files."""
    from typer.testing import CliRunner

    from vigil.cli import app

    testimony("none").evidence.add(plain_photo[0])
    result = CliRunner().invoke(app, ["evidence", "encrypt"])
    assert result.exit_code == 0, result.output
    assert "2 files encrypted" in result.output and blob_sealed(plain_photo[0].stored_path)
