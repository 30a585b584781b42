"""Writing validated testimony drafts in bulk: the one code path behind the intake and the import.

Rows go in with plain INSERTs and ids reserved up front (``bulk.py``): an import of 100,000
persons writes millions of rows, and Django's per-instance machinery would dominate its time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from vigil.access import Actor, acting_user
from vigil.audit.services import AuditEvent, audit_record_many
from vigil.core import idnumbers
from vigil.core.dates import PartialDate
from vigil.core.intake import FacilityRef, NameDraft, PlaceRef, TestimonyDraft
from vigil.core.names import detect_script, match_keys, prepare, romanize
from vigil.places.models import Facility, Place
from vigil.records.derived import derive
from vigil.records.models import Claim, IdentityNumber, Name, NameKey, Person, Testifier, Testimony, TestimonyPerson
from vigil.bulk import as_json, insert_rows, reserve_ids
from vigil.keys.fields import stored

BATCH = 2000


@dataclass(slots=True)
class WriteCounts:
    testimonies: int = 0
    testifiers: int = 0
    persons: int = 0
    names: int = 0
    identity_numbers: int = 0
    claims: int = 0
    facilities: int = 0

    def add(self, other: WriteCounts) -> None:
        for f in self.__dataclass_fields__:
            setattr(self, f, getattr(self, f) + getattr(other, f))


def name_index_keys(text: str) -> list[str]:
    """The keys a name is indexed under: its cross-script match keys, and ``p:<key>`` for each part
    (so that one given name typed alone finds every name that has it)."""
    prepared = prepare(text)
    keys = set(match_keys(prepared))
    keys.update(f"p:{k}" for k in prepared.keys if k)
    return sorted(k[:64] for k in keys)


def name_fields(draft: NameDraft) -> tuple[str, bool, str, list[str]]:
    """Script (detected unless given), whether it was given, romanised form and index keys of a name."""
    script = draft.script or detect_script(draft.text).value
    return script, draft.script is not None, romanize(draft.text)[:300], name_index_keys(draft.text)


class TestimonyWriter:
    """Caches places, facilities and testifiers across batches of one transaction."""

    def __init__(self, *, actor: Actor, source: str = "") -> None:
        self.actor = actor
        user = acting_user(actor)
        self.user_id = user.pk if user is not None else None
        self.source = source
        self.places: dict[str, int] = dict(Place.objects.values_list("code", "id"))
        self.facilities: dict[str, int] = dict(Facility.objects.values_list("name", "id"))
        self.testifiers: dict[str, int] = {}
        self.ops = connection.ops

    def _date(self, value: dt.date | None) -> Any:
        return self.ops.adapt_datefield_value(value)

    def _dates(self, value: PartialDate | None) -> tuple[Any, Any, str]:
        if value is None:
            return None, None, ""
        return self._date(value.earliest), self._date(value.latest), value.precision.value

    def place_id(self, ref: PlaceRef | None) -> int | None:
        if ref is None or not ref.code:
            return None
        return self.places.get(ref.code)

    def _facility_id(self, ref: FacilityRef, counts: WriteCounts) -> int:
        fid = self.facilities.get(ref.name)
        if fid is None:
            facility = Facility.objects.create(
                name=ref.name, type=ref.type, county_id=self.places.get(ref.county_code or ""),
                latitude=ref.lat, longitude=ref.lon,
            )
            fid = self.facilities[ref.name] = facility.pk
            counts.facilities += 1
        return fid

    def _testifier_ids(self, drafts: Sequence[TestimonyDraft], now: Any, counts: WriteCounts) -> list[int]:
        refs = sorted({d.testifier.ref for d in drafts if d.testifier.ref and d.testifier.ref not in self.testifiers})
        for start in range(0, len(refs), 900):
            self.testifiers.update(Testifier.objects.filter(ref__in=refs[start : start + 900]).values_list("ref", "id"))
        ids: list[int] = []
        rows: list[tuple[Any, ...]] = []
        new = [d.testifier for d in drafts if not d.testifier.ref or d.testifier.ref not in self.testifiers]
        fresh = iter(reserve_ids(Testifier, len(new)))
        for d in drafts:
            t = d.testifier
            if t.ref and t.ref in self.testifiers:
                ids.append(self.testifiers[t.ref])
                continue
            pk = next(fresh)
            rows.append((
                pk, t.ref, stored(Testifier, "name", t.name), t.relation, t.country,
                stored(Testifier, "phone", t.phone), stored(Testifier, "email", t.email), stored(Testifier, "note", t.note), now,
            ))
            if t.ref:
                self.testifiers[t.ref] = pk
            ids.append(pk)
        insert_rows(Testifier, ["id", "ref", "name", "relation", "country", "phone", "email", "note", "created_at"], rows)
        counts.testifiers += len(rows)
        return ids

    def write(self, drafts: Sequence[TestimonyDraft]) -> tuple[list[int], WriteCounts]:
        """Write the drafts (inside the caller's transaction) with their audit entries; return the testimony ids."""
        counts = WriteCounts()
        ids: list[int] = []
        for start in range(0, len(drafts), BATCH):
            ids.extend(self._write_batch(drafts[start : start + BATCH], counts))
        return ids, counts

    def _write_batch(self, drafts: Sequence[TestimonyDraft], counts: WriteCounts) -> list[int]:
        now_dt = timezone.now()
        now = self.ops.adapt_datetimefield_value(now_dt)
        testifier_ids = self._testifier_ids(drafts, now, counts)
        testimony_ids = reserve_ids(Testimony, len(drafts))
        rows: list[tuple[Any, ...]] = []
        for pk, d, tid in zip(testimony_ids, drafts, testifier_ids):
            early, late, precision = self._dates(d.date)
            rows.append((
                pk, d.ref, tid, early, late, precision, d.language, d.medium, stored(Testimony, "summary", d.summary),
                stored(Testimony, "transcript", d.transcript), d.sensitive, d.consent, self.user_id, now,
            ))
        insert_rows(
            Testimony,
            ["id", "ref", "testifier_id", "date", "date_latest", "date_precision", "language", "medium", "summary", "transcript",
             "sensitive", "consent", "recorded_by_id", "created_at"],
            rows,
        )
        counts.testimonies += len(rows)

        owners = [(t_id, d, tid, i) for t_id, d, tid in zip(testimony_ids, drafts, testifier_ids) for i in range(len(d.persons))]
        person_ids = reserve_ids(Person, len(owners))
        person_rows, link_rows, name_rows, key_rows, number_rows, claim_rows = [], [], [], [], [], []
        name_ids = iter(reserve_ids(Name, sum(len(d.persons[i].names) for _t, d, _tid, i in owners)))
        number_ids = iter(reserve_ids(IdentityNumber, sum(len(d.persons[i].identity_numbers) for _t, d, _tid, i in owners)))
        events: list[AuditEvent] = []
        by_testimony: dict[int, list[int]] = {}
        for pid, (t_id, d, tid, i) in zip(person_ids, owners):
            p = d.persons[i]
            early, late, precision = self._dates(p.birth)
            hometown_id = self.place_id(p.hometown)
            hometown_text = (p.hometown.text or p.hometown.code or "") if p.hometown is not None and hometown_id is None else ""
            # A new record is its own cluster: its derived facts come from its own claims.
            status, status_date, sources, level = derive(
                (j, c.type, c.start.earliest if c.start else None, tid, None) for j, c in enumerate(p.claims)
            )
            person_rows.append((
                pid, p.ref, p.sex, early, late, precision, p.ethnicity, as_json(p.citizenship), hometown_id,
                hometown_text[:200], stored(Person, "notes", p.notes), None, pid, status, self._date(status_date), sources, level, now, now,
            ))
            link_rows.append((t_id, pid, (p.relation or d.testifier.relation)[:64]))
            for n in p.names:
                script, overridden, roman, keys = name_fields(n)
                nid = next(name_ids)
                name_rows.append((nid, pid, n.text, script, overridden, n.kind, roman, t_id, None))
                key_rows.extend((nid, k) for k in keys)
            for num in p.identity_numbers:
                c = idnumbers.check(num.value, scheme=num.scheme)
                number_rows.append((
                    next(number_ids), pid, num.scheme, stored(IdentityNumber, "value", num.value),
                    stored(IdentityNumber, "normalized", c.normalized), IdentityNumber.lookup_of(c.normalized), c.valid, c.problem[:300],
                    stored(IdentityNumber, "notes", "; ".join(c.notes)), self._date(c.birth_date), c.sex or "", c.county_code or "", t_id, None,
                ))
            for cl in p.claims:
                early, late, precision = self._dates(cl.start)
                e_early, e_late, e_precision = self._dates(cl.end)
                place_id = self.place_id(cl.place)
                place_text = (cl.place.text or cl.place.code or "") if cl.place is not None and place_id is None else ""
                claim_rows.append((
                    pid, cl.type, early, late, precision, e_early, e_late, e_precision,
                    self._facility_id(cl.facility, counts) if cl.facility else None, place_id, place_text[:200],
                    cl.term_months, stored(Claim, "note", cl.note), t_id, None, now,
                ))
            by_testimony.setdefault(t_id, []).append(pid)
            events.append(AuditEvent(
                action="person.create", object_type="person", object_id=str(pid),
                detail={"testimony": t_id, "names": len(p.names), "claims": len(p.claims), "identity_numbers": len(p.identity_numbers)},
            ))
        # Each new record is the root of its own cluster (canonical_id = id; the constraint is deferred).
        insert_rows(
            Person,
            ["id", "ref", "sex", "birth_date", "birth_date_latest", "birth_precision", "ethnicity", "citizenship", "hometown_id",
             "hometown_text", "notes", "merged_into_id", "canonical_id", "status", "status_date", "sources", "evidence_level",
             "created_at", "updated_at"],
            person_rows,
        )
        insert_rows(TestimonyPerson, ["testimony_id", "person_id", "relation"], link_rows)
        insert_rows(Name, ["id", "person_id", "text", "script", "script_overridden", "kind", "romanized", "testimony_id", "document_id"], name_rows)
        insert_rows(NameKey, ["name_id", "key"], key_rows)
        insert_rows(
            IdentityNumber,
            ["id", "person_id", "scheme", "value", "normalized", "lookup", "valid", "problem", "notes", "birth_date", "sex", "county_code", "testimony_id", "document_id"],
            number_rows,
        )
        insert_rows(
            Claim,
            ["person_id", "type", "date", "date_latest", "date_precision", "end_date", "end_date_latest", "end_date_precision",
             "facility_id", "place_id", "place_text", "term_months", "note", "testimony_id", "document_id", "created_at"],
            claim_rows,
        )
        counts.persons += len(person_rows)
        counts.names += len(name_rows)
        counts.identity_numbers += len(number_rows)
        counts.claims += len(claim_rows)
        events += [
            AuditEvent(
                action="testimony.record", object_type="testimony", object_id=str(t_id),
                detail={
                    "persons": by_testimony.get(t_id, []),
                    "claims": sum(len(p.claims) for p in d.persons),
                    "names": sum(len(p.names) for p in d.persons),
                    "consent": d.consent,
                    **({"source": self.source} if self.source else {}),
                },
            )
            for t_id, d in zip(testimony_ids, drafts)
        ]
        audit_record_many(actor=self.actor, events=events)
        return testimony_ids
