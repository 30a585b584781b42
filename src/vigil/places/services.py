"""Writes to places: loading the GB/T 2260 table."""

from __future__ import annotations

from django.db import transaction

from vigil.access import Actor, require
from vigil.audit.services import audit_record
from vigil.core.places import PlaceEntry, xinjiang_places
from vigil.places.models import Place, PlaceName


def places_load(*, actor: Actor, check_permission: bool = True) -> int:
    """Load Xinjiang's divisions (prefix 65) from stdnum's GB/T 2260 table; idempotent. Returns places created.

    Each code becomes one Place named by its latest Chinese name; every Chinese name the code has
    carried is kept as a PlaceName with its years.
    """
    if check_permission:
        require(actor, "places.load")
    entries = xinjiang_places()
    by_code: dict[str, list[PlaceEntry]] = {}
    for e in entries:
        by_code.setdefault(e.code, []).append(e)
    with transaction.atomic():
        existing = {p.code: p for p in Place.objects.all()}
        created = 0
        known_names = set(PlaceName.objects.values_list("place_id", "text", "valid_from"))
        new_names: list[PlaceName] = []
        for code in sorted(by_code):
            names = by_code[code]
            latest = names[-1]
            first_from = names[0].valid_from
            last_to = latest.valid_to
            parent_code = code[:2] + "0000" if latest.level == "prefecture" else (code[:4] + "00" if latest.level == "county" else None)
            parent = existing.get(parent_code) if parent_code and parent_code != code else None
            if code == parent_code:
                parent = None
            place = existing.get(code)
            if place is None:
                place = Place.objects.create(
                    code=code, name_zh=latest.name_zh, pinyin=latest.pinyin, level=latest.level,
                    parent=parent, valid_from=first_from, valid_to=last_to,
                )
                existing[code] = place
                created += 1
            for e in names:
                if (place.pk, e.name_zh, e.valid_from) not in known_names:
                    new_names.append(PlaceName(place=place, text=e.name_zh, valid_from=e.valid_from, valid_to=e.valid_to, script="han", language="zh"))
        PlaceName.objects.bulk_create(new_names)
        if created:
            audit_record(actor=actor, action="places.load", object_type="place", detail={"created": created, "source": "stdnum cn/loc.dat, prefix 65"})
    return created
