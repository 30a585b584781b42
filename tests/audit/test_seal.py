import json

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from typer.testing import CliRunner

from vigil.audit.models import AuditEntry
from vigil.audit.selectors import audit_chain_verify, audit_seal_verify
from vigil.audit.services import audit_record, audit_seal
from vigil.cli import app
from vigil.core.audit import GENESIS, Seal, entry_hash

runner = CliRunner()
TABLE = AuditEntry._meta.db_table


def record(n):
    with transaction.atomic():
        for i in range(n):
            audit_record(actor=None, action="test.event", object_type="thing", object_id=i, detail={"i": i})


def rechain_in_database():
    """What an attacker with database access does after a change: recompute every stored hash so `verify` passes."""
    prev = GENESIS
    with connection.cursor() as cursor:
        for entry in AuditEntry.objects.order_by("id"):
            h = entry_hash(prev_hash=prev, content=entry.chain_content())
            cursor.execute(f"UPDATE {TABLE} SET prev_hash = %s, hash = %s WHERE id = %s", [prev, h, entry.pk])
            prev = h


@pytest.mark.django_db
def test_seal_is_recorded_and_its_own_head(admin_user):
    """Sealing records an audit.seal entry; the seal's head is that entry, counting every entry up to it."""
    record(4)
    seal = audit_seal(actor=admin_user)
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "audit.seal" and entry.actor_label == "admin"
    assert (seal.entry_id, seal.count, seal.head_hash) == (entry.pk, 5, entry.hash)
    assert f"#{entry.pk}" in seal.statement and seal.head_hash in seal.statement
    assert audit_seal_verify(seal).ok


@pytest.mark.django_db
def test_only_administrators_seal(editor):
    """An editor may not seal the chain."""
    with pytest.raises(PermissionDenied):
        audit_seal(actor=editor)


@pytest.mark.django_db
def test_broken_chain_is_not_sealed(admin_user):
    """A chain that does not verify is not sealed (and nothing is recorded)."""
    record(3)
    first = AuditEntry.objects.earliest("id")
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET action = %s WHERE id = %s", ["test.other", first.pk])
    with pytest.raises(ValueError, match=f"#{first.pk}"):
        audit_seal(actor=admin_user)
    assert not AuditEntry.objects.filter(action="audit.seal").exists()


@pytest.mark.django_db
def test_change_before_the_seal_is_caught_even_if_rechained(admin_user):
    """Change an entry before the seal and re-hash every row after it: `verify` alone passes, the seal check fails."""
    record(5)
    seal = audit_seal(actor=admin_user)
    record(3)
    target = AuditEntry.objects.order_by("id")[1]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET detail = %s WHERE id = %s", [json.dumps({"i": 99}), target.pk])
    rechain_in_database()
    assert audit_chain_verify().ok
    report = audit_seal_verify(seal)
    assert not report.ok and f"#{seal.entry_id}" in report.reason and "changed" in report.reason


@pytest.mark.django_db
def test_deletion_before_the_seal_is_caught_even_if_rechained(admin_user):
    """Delete an entry before the seal and re-chain: the seal check reports an entry deleted."""
    record(5)
    seal = audit_seal(actor=admin_user)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [AuditEntry.objects.order_by("id")[2].pk])
    rechain_in_database()
    assert audit_chain_verify().ok
    report = audit_seal_verify(seal)
    assert not report.ok and "1 deleted" in report.reason


@pytest.mark.django_db
def test_changes_after_the_seal_leave_it_intact(admin_user):
    """The seal covers entries up to it only: later entries (even re-chained) do not break it."""
    record(2)
    seal = audit_seal(actor=admin_user)
    record(2)
    last = AuditEntry.objects.latest("id")
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET action = %s WHERE id = %s", ["test.other", last.pk])
    assert audit_seal_verify(seal).ok
    assert audit_chain_verify().broken_at == last.pk


@pytest.mark.django_db(transaction=True)
def test_cli_seal_and_verify_with_seal(admin_user, tmp_path):
    """`vigil audit seal --out FILE` writes the seal; `vigil audit verify --seal FILE` passes, then fails after a re-chained change."""
    record(3)
    seal_file = tmp_path / "seal.json"
    result = runner.invoke(app, ["audit", "seal", "--out", str(seal_file)])
    assert result.exit_code == 0, result.output
    seal = Seal.from_json(json.loads(seal_file.read_text(encoding="utf-8")))
    assert seal.count == 4 and seal.sealed_at
    result = runner.invoke(app, ["audit", "verify", "--seal", str(seal_file)])
    assert result.exit_code == 0 and "seal holds" in result.output, result.output
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET object_id = %s WHERE id = %s", ["forged", AuditEntry.objects.earliest("id").pk])
    rechain_in_database()
    result = runner.invoke(app, ["audit", "verify", "--seal", str(seal_file)])
    assert result.exit_code == 1 and "intact" in result.output and "seal broken" in result.output, result.output


@pytest.mark.django_db(transaction=True)
def test_cli_verify_names_a_deleted_entry(admin_user):
    """`vigil audit verify` exits 1 and names the deleted entry."""
    record(4)
    victim = AuditEntry.objects.order_by("id")[1].pk
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [victim])
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1 and f"entry #{victim} missing" in result.output, result.output
