from __future__ import annotations

from django.db import transaction

from vigil.access import Actor, require_permission
from vigil.core.intake import TestimonyDraft
from vigil.records.models import Testimony
from vigil.records.services.writer import TestimonyWriter


def testimony_record(*, actor: Actor, draft: TestimonyDraft) -> Testimony:
    """Record one testimony with its testifier, persons, names, identity numbers and claims, in one transaction."""
    require_permission(actor, "records.add_testimony")
    with transaction.atomic():
        testimonies, _counts = TestimonyWriter(actor=actor).write([draft])
    return testimonies[0]
