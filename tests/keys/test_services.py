from __future__ import annotations

import random
import sqlite3

import pytest
from django.db import connection

from tests.conftest import testimony_line, write_jsonl
from vigil.core.crypto import Keyring, key_id_of
from vigil.keys.fields import encrypted_fields, field_context
from vigil.keys.keyring import keyring, keyring_forget
from vigil.keys.services import keys_check, keys_rotate
from vigil.records.models import IdentityNumber, Testifier
from vigil.records.services import testimonies_import



@pytest.fixture
def stored_records(own_keyring, places, editor, tmp_path):
    lines = []
    for n in range(12):
        line = testimony_line(ref=f"T{n}", transcript=f"transcript sentinel {n}")
        line["testifier"] = {**line["testifier"], "ref": f"W{n}", "name": f"Testifier Sentinel{n}", "phone": f"+7 700 555 01{n:02d}"}
        line["persons"] = [{**line["persons"][0], "ref": f"R{n}"}]
        lines.append(line)
    testimonies_import(actor=editor, path=write_jsonl(tmp_path / "t.jsonl", lines))


def _raw_values():
    """Every stored encrypted value, read without the ORM: (context, ciphertext)."""
    out = []
    q = connection.ops.quote_name
    for model, names in encrypted_fields():
        cols = [model._meta.get_field(n).column for n in names]
        with connection.cursor() as cur:
            cur.execute(f"SELECT {', '.join(q(c) for c in cols)} FROM {q(model._meta.db_table)}")
            for row in cur.fetchall():
                out.extend((field_context(model, n), v) for n, v in zip(names, row) if v)
    return out


def test_sensitive_fields_are_stored_encrypted_and_read_back(stored_records):
    """The testifier's name and phone and the identity number are ciphertext in the table and plain through the model."""
    raw = _raw_values()
    assert raw and all(v.startswith("v1.") for _c, v in raw)
    assert not any("Sentinel" in v or "555 01" in v or "650102198003120012" in v for _c, v in raw)
    t = Testifier.objects.get(ref="W3")
    assert t.name == "Testifier Sentinel3" and t.phone == "+7 700 555 0103"
    number = IdentityNumber.objects.first()
    assert number.normalized == "650102198003120012"
    assert IdentityNumber.objects.filter(lookup=IdentityNumber.lookup_of("650102198003120012")).count() == 12


def test_encrypted_fields_refuse_sql_lookups(stored_records):
    """Filtering on an encrypted column could never match; it fails loudly instead."""
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError, match="encrypted"):
        list(Testifier.objects.filter(name="Testifier Sentinel3"))


@pytest.mark.django_db(transaction=True)
def test_no_sensitive_value_is_in_the_sqlite_file(stored_records, settings):
    """The database file (and its WAL) holds no testifier name, phone or identity number in plain text."""
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL dump is checked in tests/protection")
    name = connection.settings_dict["NAME"]
    if name == ":memory:" or "mode=memory" in str(name):
        # the test database lives in memory: copy it to a file with SQLite's backup API
        path = settings.VIGIL_FIELD_KEY_FILE.parent / "copy.sqlite3"
        connection.ensure_connection()
        dest = sqlite3.connect(path)
        connection.connection.backup(dest)
        dest.close()
        data = path.read_bytes()
    else:
        data = open(name, "rb").read()
    for needle in ("Sentinel", "555 0103", "650102198003120012", "transcript sentinel"):
        assert needle.encode() not in data, needle


@pytest.mark.parametrize("seed", range(4))
def test_rotation_interrupted_anywhere_resumes_to_one_key(stored_records, admin_user, seed):
    """Stopped after a random batch, a rotation leaves every value readable; resumed, all values are under the new key only."""
    before = {(c, keyring().decrypt(v, context=c)) for c, v in _raw_values()}
    total_batches = -(-len(_raw_values()) // 3) + 5
    stop_after = random.Random(seed).randrange(1, total_batches)
    calls = {"n": 0}

    class Interrupted(Exception):
        pass

    def after_batch():
        calls["n"] += 1
        if calls["n"] == stop_after:
            raise Interrupted

    try:
        keys_rotate(actor=admin_user, batch_size=3, after_batch=after_batch)
    except Interrupted:
        pass
    keyring_forget()
    ring = keyring()
    if calls["n"] == stop_after:  # interrupted: both keys still held, every value still decrypts
        assert ring.rotating_from
        assert {(c, ring.decrypt(v, context=c)) for c, v in _raw_values()} == before
        report = keys_rotate(actor=admin_user, batch_size=3)
        assert report.resumed
    keyring_forget()
    ring = keyring()
    assert len(ring.keys) == 1 and not ring.rotating_from
    assert {key_id_of(v) for _c, v in _raw_values()} == {ring.active}
    assert {(c, ring.decrypt(v, context=c)) for c, v in _raw_values()} == before
    assert keys_check(actor=admin_user).ok


def test_check_names_a_value_that_does_not_decrypt(stored_records, admin_user):
    """A value under a key the keyring lacks is reported with its table, row and column."""
    stranger = Keyring.generate().encrypt("x", context="records.testifier.phone")
    t = Testifier.objects.get(ref="W1")
    with connection.cursor() as cur:
        cur.execute("UPDATE records_testifier SET phone = %s WHERE id = %s", [stranger, t.pk])
    report = keys_check(actor=admin_user)
    assert not report.ok
    assert any(p.startswith(f"records.Testifier #{t.pk} phone:") for p in report.problems)


def test_only_administrators_manage_keys(stored_records, editor):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        keys_rotate(actor=editor)
    with pytest.raises(PermissionDenied):
        keys_check(actor=editor)
