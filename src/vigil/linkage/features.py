"""Person records of the database as linker records (the columns of ``vigil.core.linkage``).

A record with several full names (a relative gave the name in Cyrillic and in Chinese) becomes one
linker record per full name, ``"<person id>:<name id>"``; a pair of persons scores as its best pair
of names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from vigil.core.dates import PartialDate, Precision
from vigil.core.linkage import PreparedRecord, prepare_record
from vigil.records.models import Claim, IdentityNumber, Name, Person


def _birth(p: dict[str, Any]) -> tuple[str | None, int | None]:
    precision, early, late = p["birth_precision"], p["birth_date"], p["birth_date_latest"]
    if not precision or early is None:
        return None, None
    if precision == "day":
        return early.strftime("%Y%m%d"), early.year
    if precision in ("month", "year"):
        return None, early.year
    if precision in ("about", "range") and late is not None:
        return None, (early.year + late.year) // 2
    return None, None


def linker_fields(person_ids: Iterable[int], *, numbers: bool = True, custody: bool = True) -> Iterator[dict[str, Any]]:
    """Linker fields of each name variant of these person records.

    ``numbers=False`` leaves identity numbers out (not decrypted), ``custody=False`` facilities and detention
    dates: for a comparison with a record that has none, where they would only be compared with nothing. Every
    facility a claim names is given (a person may have been moved), and the earliest detention.
    """
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        persons = Person.objects.filter(pk__in=chunk).values(
            "id", "sex", "birth_date", "birth_date_latest", "birth_precision", "ethnicity", "hometown__code", "hometown_text"
        )
        names: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
        for nid, pid, text, kind in Name.objects.filter(person_id__in=chunk).values_list("id", "person_id", "text", "kind").order_by("id"):
            names[pid].append((nid, text, kind))
        number_of: dict[int, str] = {}
        if numbers:
            for pid, normalized in IdentityNumber.objects.filter(person_id__in=chunk, scheme="cn_ric").order_by("-valid", "id").values_list("person_id", "normalized"):
                number_of.setdefault(pid, normalized)
        facility_of: dict[int, list[str]] = defaultdict(list)
        detained_of: dict[int, PartialDate] = {}
        if custody:
            for pid, fname in Claim.objects.filter(person_id__in=chunk, facility__isnull=False).order_by("date", "id").values_list("person_id", "facility__name"):
                facility_of[pid].append(fname)
            for pid, early, late, precision in Claim.objects.filter(
                    person_id__in=chunk, type=Claim.Type.DETAINED, date__isnull=False).exclude(date_precision="").order_by(
                    "date", "id").values_list("person_id", "date", "date_latest", "date_precision"):
                detained_of.setdefault(pid, PartialDate(early, late or early, Precision(precision)))
        for p in persons:
            pid = p["id"]
            birth_date, birth_year = _birth(p)
            parts = {kind: text for _nid, text, kind in names[pid] if kind in ("given", "father", "family")}
            base = {
                "given_name": parts.get("given"), "father_name": parts.get("father"), "family_name": parts.get("family"),
                "birth_date": birth_date, "birth_year": birth_year, "sex": p["sex"] or None,
                "ethnicity": p["ethnicity"] or None, "id_number": number_of.get(pid),
                "place": p["hometown__code"] or p["hometown_text"] or None, "facility": facility_of.get(pid) or None, "detained_date": detained_of.get(pid),
            }
            full = [(nid, text) for nid, text, kind in names[pid] if kind in ("full", "alias")]
            if not full:
                full = [(0, None)]  # type: ignore[list-item]
            for nid, text in full:
                yield {"id": f"{pid}:{nid}", "full_name": text, **base}


def prepared_records(person_ids: Iterable[int], *, numbers: bool = True, custody: bool = True) -> list[PreparedRecord]:
    return [prepare_record(f) for f in linker_fields(person_ids, numbers=numbers, custody=custody)]


def person_of(record_id: str) -> int:
    return int(record_id.split(":", 1)[0])
