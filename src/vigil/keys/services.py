"""Creating, rotating and checking the field-encryption keys.

Rotation is resumable: `keys_rotate` first writes a keyring holding the new key (active) and the
old ones, then re-encrypts every encrypted value in batches (each batch one transaction), and
drops the old keys only after a full pass finds nothing left under them. Interrupted anywhere, the
keyring still holds every key some value needs, and running it again continues where it stopped.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, models, transaction

from vigil.access import Actor, require
from vigil.audit.services import audit_record
from vigil.core.crypto import DecryptionError, Keyring, KeyringError, key_id_of, keyring_write
from vigil.keys.fields import encrypted_fields, field_context
from vigil.keys.keyring import keyring, keyring_forget, keyring_from_environment, keyring_path

#: A server re-reads the keyring at most this often; rotation waits this long before its last pass.
SETTLE_SECONDS = 1.5


def keys_init() -> bool:
    """Create the keyring file (0600) if there is none; returns whether one was created. Run by `vigil init`."""
    if keyring_from_environment():
        return False
    path = keyring_path()
    if path.exists():
        return False
    keyring_write(Keyring.generate(), path)
    keyring_forget()
    return True


@dataclass
class RotationReport:
    key_id: str
    reencrypted: int = 0
    dropped: list[str] = field(default_factory=list)
    finished: bool = False
    resumed: bool = False


def _columns(model: type[models.Model], names: list[str]) -> list[tuple[str, str]]:
    return [(model._meta.get_field(n).column, field_context(model, n)) for n in names]  # type: ignore[union-attr]


def _stale_batch(model: type[models.Model], columns: list[tuple[str, str]], active: str, limit: int) -> list[tuple]:
    q = connection.ops.quote_name
    pattern = f"v1.{active}.%"
    where = " OR ".join(f"({q(c)} IS NOT NULL AND {q(c)} <> '' AND {q(c)} NOT LIKE %s)" for c, _ in columns)
    sql = (
        f"SELECT {q(model._meta.pk.column)}, {', '.join(q(c) for c, _ in columns)} FROM {q(model._meta.db_table)} "
        f"WHERE {where} ORDER BY {q(model._meta.pk.column)} LIMIT {int(limit)}"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [pattern] * len(columns))
        return list(cur.fetchall())


def _reencrypt_batch(ring: Keyring, model: type[models.Model], columns: list[tuple[str, str]], rows: list[tuple]) -> int:
    q = connection.ops.quote_name
    sets = ", ".join(f"{q(c)} = %s" for c, _ in columns)
    sql = f"UPDATE {q(model._meta.db_table)} SET {sets} WHERE {q(model._meta.pk.column)} = %s"
    changed = 0
    params = []
    for row in rows:
        pk, values = row[0], row[1:]
        new = []
        for value, (_col, context) in zip(values, columns):
            if value and key_id_of(value) != ring.active:
                value = ring.reencrypt(value, context=context)
                changed += 1
            new.append(value)
        params.append([*new, pk])
    with connection.cursor() as cur:
        cur.executemany(sql, params)
    return changed


def keys_rotate(
    *,
    actor: Actor,
    batch_size: int = 500,
    progress: Callable[[str, int], None] | None = None,
    after_batch: Callable[[], None] | None = None,
) -> RotationReport:
    """Re-encrypt every encrypted value under a new key (or continue an interrupted rotation)."""
    require(actor, "keys.manage")
    if keyring_from_environment():
        raise KeyringError("the keyring comes from VIGIL_FIELD_KEYRING: rotate it with a key file (VIGIL_FIELD_KEY_FILE)")
    path = keyring_path()
    ring = keyring()
    resumed = bool(ring.rotating_from)
    if not resumed:
        ring.rotation_begin()
        keyring_write(ring, path)  # from here on every new value is written under the new key
        keyring_forget()
        with transaction.atomic():
            audit_record(actor=actor, action="keys.rotation_begin", object_type="keyring", object_id=ring.active, detail={"replacing": ring.rotating_from})
        time.sleep(SETTLE_SECONDS)  # servers still holding the old keyring pick up the new one
    report = RotationReport(key_id=ring.active, resumed=resumed)
    for final_pass in (False, True):
        if final_pass:
            time.sleep(SETTLE_SECONDS if report.reencrypted else 0)
        for model, names in encrypted_fields():
            columns = _columns(model, names)
            while rows := _stale_batch(model, columns, ring.active, batch_size):
                with transaction.atomic():
                    report.reencrypted += _reencrypt_batch(ring, model, columns, rows)
                if progress:
                    progress(model._meta.label, len(rows))
                if after_batch:
                    after_batch()
    with transaction.atomic():
        report.dropped = ring.rotation_finish()
        keyring_write(ring, path)
        keyring_forget()
        audit_record(actor=actor, action="keys.rotation_finish", object_type="keyring", object_id=ring.active, detail={"dropped": report.dropped, "reencrypted": report.reencrypted})
    report.finished = True
    return report


@dataclass
class KeyCheck:
    path: str
    mode_ok: bool
    active: str
    rotating: bool
    values_by_key: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.mode_ok and not self.problems


def keys_check(*, actor: Actor) -> KeyCheck:
    """Check the keyring file and that every encrypted value decrypts under a key it holds."""
    require(actor, "keys.manage")
    ring = keyring()
    path = keyring_path()
    inline = keyring_from_environment()
    mode_ok = inline or (path.stat().st_mode & 0o077) == 0
    check = KeyCheck(path="VIGIL_FIELD_KEYRING" if inline else str(path), mode_ok=mode_ok, active=ring.active, rotating=bool(ring.rotating_from))
    if not mode_ok:
        check.problems.append(f"{path} is readable by others (mode {path.stat().st_mode & 0o777:o}); it must be 0600")
    q = connection.ops.quote_name
    for model, names in encrypted_fields():
        columns = _columns(model, names)
        pkcol = q(model._meta.pk.column)
        sql = f"SELECT {pkcol}, {', '.join(q(c) for c, _ in columns)} FROM {q(model._meta.db_table)} ORDER BY {pkcol}"
        with connection.cursor() as cur:
            cur.execute(sql)
            while chunk := cur.fetchmany(2000):
                for row in chunk:
                    for value, (col, context) in zip(row[1:], columns):
                        if not value:
                            continue
                        try:
                            check.values_by_key[key_id_of(value)] += 1
                            ring.decrypt(value, context=context)
                        except DecryptionError as exc:
                            check.problems.append(f"{model._meta.label} #{row[0]} {col}: {exc}")
    return check
