import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied

from vigil.audit.models import AuditEntry
from vigil.core.audit import entry_hash
from vigil.evidence.custody import evidence_export, evidence_verify
from vigil.evidence.models import WorkingCopy
from vigil.evidence.selectors import evidence_thumbnail
from vigil.evidence.services import evidence_redact
from vigil.core.sealed_files import HEADER_BYTES
from vigil.evidence.storage import StoredFileChanged, blob_sealed


def flip_one_byte(path):
    path.chmod(0o600)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.fixture
def stored(photo, editor, staff):
    """A photo with a thumbnail and a redacted copy."""
    evidence_thumbnail(actor=staff, evidence=photo)
    evidence_redact(actor=editor, evidence=photo)
    return photo


@pytest.fixture
def stored_plain(settings, media, editor, staff):
    """The same, with encryption at rest turned off."""
    import io

    from tests.core.test_media import jpeg_with_gps
    from vigil.evidence.services import evidence_file_store

    settings.VIGIL_MEDIA_ENCRYPTION = "none"
    photo = evidence_file_store(actor=editor, stream=io.BytesIO(jpeg_with_gps()), original_name="photo.jpg", media_type="image/jpeg")
    evidence_thumbnail(actor=staff, evidence=photo)
    assert not blob_sealed(photo.stored_path)
    return photo


def test_intact_media_folder_verifies(stored, admin_user):
    """With nothing touched, every original and working copy verifies, and the check is an audit entry."""
    check = evidence_verify(actor=admin_user)
    assert check.ok and check.checked == 3
    entry = AuditEntry.objects.filter(action="evidence.verify").get()
    assert entry.detail["ok"] is True and entry.detail["checked"] == 3


def test_one_changed_byte_in_a_plaintext_original_is_named(stored_plain, admin_user, media):
    """Changing one byte of a plaintext original names that evidence file, with expected and found hashes."""
    stored = stored_plain
    flip_one_byte(media / stored.stored_path)
    check = evidence_verify(actor=admin_user)
    assert not check.ok and not check.missing and len(check.changed) == 1
    problem = check.changed[0]
    assert problem.label == f"evidence #{stored.pk}" and problem.stored_path == stored.stored_path
    assert problem.expected == stored.sha256 and problem.actual == hashlib.sha256((media / stored.stored_path).read_bytes()).hexdigest()
    assert stored.stored_path in str(problem) and "changed" in str(problem)
    assert AuditEntry.objects.get(action="evidence.verify").detail["changed"] == [stored.stored_path]


def test_one_changed_byte_in_an_encrypted_original_is_named(stored, admin_user, media):
    """Changing one byte of an encrypted original names that evidence file as changed: it no longer authenticates."""
    assert blob_sealed(stored.stored_path)
    flip_one_byte(media / stored.stored_path)
    check = evidence_verify(actor=admin_user)
    assert not check.ok and not check.missing and len(check.changed) == 1
    problem = check.changed[0]
    assert problem.label == f"evidence #{stored.pk}" and problem.stored_path == stored.stored_path and problem.expected == stored.sha256
    assert "changed" in str(problem) and "does not authenticate" in str(problem)
    assert AuditEntry.objects.get(action="evidence.verify").detail["changed"] == [stored.stored_path]


def test_truncated_encrypted_original_is_named(stored, admin_user, media):
    """An encrypted original cut short (here: its last chunk removed entirely) is reported changed."""
    path = media / stored.stored_path
    path.chmod(0o600)
    data = path.read_bytes()
    path.write_bytes(data[: HEADER_BYTES])
    assert [p.stored_path for p in evidence_verify(actor=admin_user).changed] == [stored.stored_path]


def test_one_changed_byte_in_a_working_copy_is_named(stored, admin_user, media):
    """Changing one byte of a thumbnail names that working copy and the evidence it derives from."""
    thumb = WorkingCopy.objects.get(kind="thumbnail")
    flip_one_byte(media / thumb.stored_path)
    check = evidence_verify(actor=admin_user)
    assert [p.label for p in check.changed] == [f"working copy #{thumb.pk} (thumbnail of evidence #{stored.pk})"]


def test_deleted_files_are_missing(stored, admin_user, media):
    """A deleted original and a deleted working copy are each reported missing."""
    redacted = WorkingCopy.objects.get(kind="redacted")
    (media / stored.stored_path).unlink()
    (media / redacted.stored_path).unlink()
    check = evidence_verify(actor=admin_user)
    assert {p.stored_path for p in check.missing} == {stored.stored_path, redacted.stored_path}
    assert all(p.actual is None and "missing" in str(p) for p in check.missing)


def test_unknown_files_are_reported(stored, admin_user, media):
    """A file in the media folder that no record knows is reported."""
    stray = media / "originals" / "files" / "00" / ("0" * 64)
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"planted")
    check = evidence_verify(actor=admin_user)
    assert not check.ok and check.unknown == [f"originals/files/00/{'0' * 64}"]


def test_lists_are_checked_too(db, media, admin_user, tmp_path):
    """A leaked list's stored original is re-hashed like any evidence file."""
    from vigil.linkage.lists import list_import

    path = tmp_path / "list.csv"
    path.write_text("姓名\n吐尔逊·买买提\n", encoding="utf-8")
    doc = list_import(actor=admin_user, path=path, title="Synthetic list", mapping=["姓名=full_name"]).document
    flip_one_byte(media / doc.stored_path)
    assert [p.label for p in evidence_verify(actor=admin_user).changed] == [f"document #{doc.pk}"]


def test_only_administrators_verify(stored, editor):
    """Checking the media folder is an administrator's task."""
    with pytest.raises(PermissionDenied):
        evidence_verify(actor=editor)


def test_export_writes_the_original_and_its_custody_record(stored, editor, tmp_path):
    """An export is the original byte for byte plus a custody record whose audit entries re-hash to their stored hashes."""
    result = evidence_export(actor=editor, evidence=stored, folder=tmp_path / "out")
    assert hashlib.sha256(result.file.read_bytes()).hexdigest() == stored.sha256 and result.file.suffix == ".jpg"
    record = json.loads(result.custody_record.read_text(encoding="utf-8"))
    assert record["evidence"]["sha256"] == stored.sha256
    assert [e["action"] for e in record["audit_entries"]] == [
        "evidence.store", "evidence.copy", "evidence.thumbnail", "evidence.copy", "evidence.redact", "evidence.export",
    ]
    for entry in record["audit_entries"]:
        content = {k: entry[k] for k in ("at", "actor", "action", "object_type", "object_id", "detail")}
        assert entry_hash(prev_hash=entry["prev_hash"], content=content) == entry["hash"]
    assert {c["kind"] for c in record["working_copies"]} == {"thumbnail", "redacted"}
    assert record["chain"]["head_hash"] == AuditEntry.objects.latest("id").hash


def test_export_refuses_a_changed_original(stored, editor, media, tmp_path):
    """A changed original is not exported; the refusal is an audit entry."""
    flip_one_byte(media / stored.stored_path)
    with pytest.raises(StoredFileChanged):
        evidence_export(actor=editor, evidence=stored, folder=tmp_path / "out")
    assert not list((tmp_path / "out").iterdir())
    assert AuditEntry.objects.filter(action="evidence.integrity_failure", object_id=str(stored.pk)).exists()
    assert not AuditEntry.objects.filter(action="evidence.export").exists()


def test_researchers_do_not_export_originals(stored, staff, tmp_path):
    """Exporting an original with its custody record is for editors and administrators."""
    with pytest.raises(PermissionDenied):
        evidence_export(actor=staff, evidence=stored, folder=tmp_path / "out")


def test_cli_verify_names_the_changed_file_and_exits_1(stored, admin_user, media):
    """`vigil evidence verify` exits 0 when intact; after one byte changes it names the file and exits 1."""
    from typer.testing import CliRunner

    from vigil.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["evidence", "verify"])
    assert result.exit_code == 0 and "evidence intact" in result.output, result.output
    flip_one_byte(media / stored.stored_path)
    result = runner.invoke(app, ["evidence", "verify"])
    assert result.exit_code == 1, result.output
    assert stored.stored_path in result.output and f"evidence #{stored.pk}" in result.output and stored.sha256 in result.output


def test_cli_export(stored, admin_user, tmp_path):
    """`vigil evidence export SHA --out DIR` writes the original and its custody record."""
    from typer.testing import CliRunner

    from vigil.cli import app

    result = CliRunner().invoke(app, ["evidence", "export", stored.sha256[:16], "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / f"{stored.sha256}.custody.json").exists()
