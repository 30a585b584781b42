"""Recomputing every stored name's romanised form and index keys after the name rules change."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from vigil.access import Actor, require
from vigil.audit.services import audit_record
from vigil.bulk import insert_rows
from vigil.core.names import detect_script, romanize
from vigil.records.models import Name, NameKey
from vigil.records.services.writer import name_index_keys

BATCH = 5000


def names_reindex(*, actor: Actor, progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute the detected script (unless set by hand), romanised form and keys of every name.

    Runs in batches, each its own transaction: an interrupted run leaves every name either as
    before or recomputed, and running again finishes the job. Returns the number of names changed.
    """
    require(actor, "names.reindex")
    total = Name.objects.count()
    changed = 0
    done = 0
    last_id = 0
    while True:
        batch = list(Name.objects.filter(pk__gt=last_id).order_by("pk").values_list("pk", "text", "script", "script_overridden", "romanized")[:BATCH])
        if not batch:
            break
        last_id = batch[-1][0]
        ids = [row[0] for row in batch]
        old_keys: dict[int, set[str]] = {i: set() for i in ids}
        for name_id, key in NameKey.objects.filter(name_id__in=ids).values_list("name_id", "key"):
            old_keys[name_id].add(key)
        updates: list[Name] = []
        new_keys: list[tuple[int, str]] = []
        stale: list[int] = []
        for pk, text, script, overridden, roman in batch:
            new_script = script if overridden else detect_script(text).value
            new_roman = romanize(text)[:300]
            keys = set(name_index_keys(text))
            if (new_script, new_roman) != (script, roman):
                updates.append(Name(pk=pk, script=new_script, romanized=new_roman))
            if keys != old_keys[pk]:
                stale.append(pk)
                new_keys.extend((pk, k) for k in sorted(keys))
        with transaction.atomic():
            if updates:
                Name.objects.bulk_update(updates, ["script", "romanized"], batch_size=1000)
            if stale:
                NameKey.objects.filter(name_id__in=stale).delete()
                insert_rows(NameKey, ["name_id", "key"], new_keys)
        changed += len({u.pk for u in updates} | set(stale))
        done += len(batch)
        if progress:
            progress(done, total)
    with transaction.atomic():
        audit_record(actor=actor, action="names.reindex", object_type="name", detail={"names": total, "changed": changed})
    return changed
