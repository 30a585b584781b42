import pytest
from django.db import connection, transaction

from vigil.audit.models import AuditEntry
from vigil.audit.selectors import audit_chain_verify
from vigil.audit.services import audit_record


def record(n, actor=None):
    with transaction.atomic():
        for i in range(n):
            audit_record(actor=actor, action="test.event", object_type="thing", object_id=i, detail={"i": i, "text": "ü 中"})


@pytest.mark.django_db
def test_chain_verifies_after_reading_back(admin_user):
    """Entries read back from the database hash to what was written."""
    record(5, admin_user)
    report = audit_chain_verify()
    assert report.ok and report.checked == 5
    assert report.head == AuditEntry.objects.latest("id").hash


@pytest.mark.django_db
def test_changed_row_is_named():
    """Changing one row by hand in the database is detected at that row."""
    record(5)
    target = AuditEntry.objects.order_by("id")[2]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEntry._meta.db_table} SET action = %s WHERE id = %s", ["test.other", target.pk])
    report = audit_chain_verify()
    assert not report.ok and report.broken_at == target.pk and "changed" in report.reason


@pytest.mark.django_db
def test_deleted_row_is_detected():
    """Deleting a row is named: the entry after it no longer links, right after a gap in the ids."""
    record(5)
    ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [ids[1]])
    report = audit_chain_verify()
    assert not report.ok and report.broken_at == ids[2] and f"entry #{ids[1]} missing" in report.reason


@pytest.mark.django_db(transaction=True)
def test_entries_need_a_transaction():
    """An audit entry is only written inside the service's transaction."""
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="x")
