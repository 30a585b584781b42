from __future__ import annotations

from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db import transaction

from vigil.access import Actor, require
from vigil.core.intake import FieldError, TestimonyDraft
from vigil.places.models import Place
from vigil.records.models import Person, Testimony
from vigil.records.services.writer import TestimonyWriter


def place_code_refs(draft: TestimonyDraft) -> Iterator[tuple[str, str]]:
    """(field path, code) of every place code a draft refers to."""
    for i, p in enumerate(draft.persons):
        if p.hometown is not None and p.hometown.code:
            yield f"persons[{i}].hometown.code", p.hometown.code
        for j, c in enumerate(p.claims):
            if c.place is not None and c.place.code:
                yield f"persons[{i}].claims[{j}].place.code", c.place.code
            if c.facility is not None and c.facility.county_code:
                yield f"persons[{i}].claims[{j}].facility.county_code", c.facility.county_code


def unknown_place_message(code: str) -> str:
    return f"place code {code} is not in the place table (vigil loads Xinjiang's, prefix 65)"


def _reference_problems(draft: TestimonyDraft) -> list[FieldError]:
    problems: list[FieldError] = []
    codes = dict(place_code_refs(draft))
    known = set(Place.objects.filter(code__in=set(codes.values())).values_list("code", flat=True))
    problems += [FieldError(path, unknown_place_message(code)) for path, code in codes.items() if code not in known]
    if draft.ref and Testimony.objects.filter(ref=draft.ref).exists():
        problems.append(FieldError("ref", f"{draft.ref!r} is already on record"))
    refs = [p.ref for p in draft.persons if p.ref]
    taken = set(Person.objects.filter(ref__in=refs).values_list("ref", flat=True))
    problems += [FieldError(f"persons[{i}].ref", f"{p.ref!r} is already on record") for i, p in enumerate(draft.persons) if p.ref in taken]
    if len(set(refs)) != len(refs):
        problems.append(FieldError("persons", "two persons share a ref"))
    return problems


def testimony_record(*, actor: Actor, draft: TestimonyDraft) -> Testimony:
    """Record one testimony with its testifier, persons, names, identity numbers and claims, in one transaction.

    Raises ValidationError (one message per field: ``path: problem``) when the draft refers to an
    unknown place or reuses a ref already on record.
    """
    require(actor, "testimony.record")
    with transaction.atomic():
        problems = _reference_problems(draft)
        if problems:
            raise ValidationError([str(p) for p in problems])
        ids, _counts = TestimonyWriter(actor=actor).write([draft])
    return Testimony.objects.get(pk=ids[0])
