"""Writing validated testimony drafts in bulk: the one code path behind the intake and the import."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F

from vigil.access import Actor
from vigil.audit.services import AuditEvent, audit_record_many
from vigil.core import idnumbers
from vigil.core.dates import PartialDate
from vigil.core.intake import FacilityRef, NameDraft, PlaceRef, TestimonyDraft
from vigil.core.names import detect_script, match_keys, romanize
from vigil.places.models import Facility, Place
from vigil.records.derived import person_derived_refresh
from vigil.records.models import Claim, IdentityNumber, Name, NameKey, Person, Testifier, Testimony, TestimonyPerson

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


def _dates(value: PartialDate | None) -> tuple[object, object, str]:
    if value is None:
        return None, None, ""
    return value.earliest, value.latest, value.precision.value


def name_fields(draft: NameDraft) -> tuple[str, bool, str, list[str]]:
    """Script (detected unless given), whether it was given, romanised form and match keys of a name."""
    script = draft.script or detect_script(draft.text).value
    return script, draft.script is not None, romanize(draft.text)[:300], sorted(set(match_keys(draft.text)))


class TestimonyWriter:
    """Caches places, facilities and testifiers across batches of one transaction."""

    def __init__(self, *, actor: Actor, source: str = "") -> None:
        self.actor = actor
        self.source = source
        self.places: dict[str, int] = dict(Place.objects.values_list("code", "id"))
        self.facilities: dict[str, int] = dict(Facility.objects.values_list("name", "id"))
        self.testifiers: dict[str, int] = {}

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

    def _testifier_ids(self, drafts: Sequence[TestimonyDraft], counts: WriteCounts) -> list[int]:
        refs = sorted({d.testifier.ref for d in drafts if d.testifier.ref and d.testifier.ref not in self.testifiers})
        for start in range(0, len(refs), 900):
            self.testifiers.update(Testifier.objects.filter(ref__in=refs[start : start + 900]).values_list("ref", "id"))
        new: list[Testifier] = []
        new_refs: dict[str, Testifier] = {}
        for d in drafts:
            t = d.testifier
            if t.ref and (t.ref in self.testifiers or t.ref in new_refs):
                continue
            obj = Testifier(ref=t.ref, name=t.name, relation=t.relation, country=t.country, phone=t.phone, email=t.email, note=t.note)
            new.append(obj)
            if t.ref:
                new_refs[t.ref] = obj
        Testifier.objects.bulk_create(new)
        counts.testifiers += len(new)
        for ref, obj in new_refs.items():
            self.testifiers[ref] = obj.pk
        ids: list[int] = []
        anon = iter(obj for obj in new if not obj.ref)
        for d in drafts:
            ids.append(self.testifiers[d.testifier.ref] if d.testifier.ref else next(anon).pk)
        return ids

    def write(self, drafts: Sequence[TestimonyDraft]) -> tuple[list[Testimony], WriteCounts]:
        """Write the drafts (inside the caller's transaction) with their audit entries."""
        counts = WriteCounts()
        testimonies: list[Testimony] = []
        for start in range(0, len(drafts), BATCH):
            batch = drafts[start : start + BATCH]
            testimonies.extend(self._write_batch(batch, counts))
        return testimonies, counts

    def _write_batch(self, drafts: Sequence[TestimonyDraft], counts: WriteCounts) -> list[Testimony]:
        testifier_ids = self._testifier_ids(drafts, counts)
        testimonies = []
        for d, tid in zip(drafts, testifier_ids):
            early, late, precision = _dates(d.date)
            testimonies.append(
                Testimony(
                    ref=d.ref, testifier_id=tid, date=early, date_latest=late, date_precision=precision,
                    language=d.language, medium=d.medium, summary=d.summary, transcript=d.transcript,
                    consent=d.consent, recorded_by=self.actor if getattr(self.actor, "is_authenticated", False) else None,
                )
            )
        Testimony.objects.bulk_create(testimonies)
        counts.testimonies += len(testimonies)

        persons: list[Person] = []
        owners: list[tuple[Testimony, TestimonyDraft, int]] = []
        for t, d in zip(testimonies, drafts):
            for i, p in enumerate(d.persons):
                early, late, precision = _dates(p.birth)
                hometown_id = self.place_id(p.hometown)
                hometown_text = ""
                if p.hometown is not None and hometown_id is None:
                    hometown_text = p.hometown.text or p.hometown.code or ""
                persons.append(
                    Person(
                        ref=p.ref, sex=p.sex, birth_date=early, birth_date_latest=late, birth_precision=precision,
                        ethnicity=p.ethnicity, citizenship=p.citizenship, hometown_id=hometown_id,
                        hometown_text=hometown_text, notes=p.notes,
                    )
                )
                owners.append((t, d, i))
        Person.objects.bulk_create(persons)
        Person.objects.filter(pk__in=[p.pk for p in persons]).update(canonical=F("pk"))
        for person in persons:
            person.canonical_id = person.pk
        counts.persons += len(persons)

        links: list[TestimonyPerson] = []
        names: list[Name] = []
        name_keys: list[list[str]] = []
        numbers: list[IdentityNumber] = []
        claims: list[Claim] = []
        for person, (t, d, i) in zip(persons, owners):
            p = d.persons[i]
            links.append(TestimonyPerson(testimony=t, person=person, relation=p.relation or d.testifier.relation))
            for n in p.names:
                script, overridden, roman, keys = name_fields(n)
                names.append(Name(person=person, text=n.text, script=script, script_overridden=overridden, kind=n.kind, romanized=roman, testimony=t))
                name_keys.append(keys)
            for num in p.identity_numbers:
                c = idnumbers.check(num.value, scheme=num.scheme)
                numbers.append(
                    IdentityNumber(
                        person=person, scheme=num.scheme, value=num.value, normalized=c.normalized, valid=c.valid,
                        problem=c.problem[:300], notes="; ".join(c.notes)[:500], birth_date=c.birth_date,
                        sex=c.sex or "", county_code=c.county_code or "", testimony=t,
                    )
                )
            for cl in p.claims:
                early, late, precision = _dates(cl.start)
                e_early, e_late, e_precision = _dates(cl.end)
                place_id = self.place_id(cl.place)
                claims.append(
                    Claim(
                        person=person, type=cl.type, date=early, date_latest=late, date_precision=precision,
                        end_date=e_early, end_date_latest=e_late, end_date_precision=e_precision,
                        facility_id=self._facility_id(cl.facility, counts) if cl.facility else None,
                        place_id=place_id,
                        place_text=(cl.place.text or cl.place.code or "") if cl.place is not None and place_id is None else "",
                        term_months=cl.term_months, note=cl.note, testimony=t,
                    )
                )
        TestimonyPerson.objects.bulk_create(links)
        Name.objects.bulk_create(names)
        NameKey.objects.bulk_create([NameKey(name=n, key=k[:64]) for n, keys in zip(names, name_keys) for k in keys], batch_size=5000)
        IdentityNumber.objects.bulk_create(numbers)
        Claim.objects.bulk_create(claims)
        person_derived_refresh(root_ids=[p.pk for p in persons])
        counts.names += len(names)
        counts.identity_numbers += len(numbers)
        counts.claims += len(claims)

        by_testimony: dict[int, list[int]] = {}
        for person, (t, _d, _i) in zip(persons, owners):
            by_testimony.setdefault(t.pk, []).append(person.pk)
        events: list[AuditEvent] = []
        for person, (t, d, i) in zip(persons, owners):
            p = d.persons[i]
            events.append(
                AuditEvent(
                    action="person.create", object_type="person", object_id=str(person.pk),
                    detail={"testimony": t.pk, "names": len(p.names), "claims": len(p.claims), "identity_numbers": len(p.identity_numbers)},
                )
            )
        events += [
            AuditEvent(
                action="testimony.record", object_type="testimony", object_id=str(t.pk),
                detail={
                    "persons": by_testimony.get(t.pk, []),
                    "claims": sum(len(p.claims) for p in d.persons),
                    "names": sum(len(p.names) for p in d.persons),
                    "consent": d.consent,
                    **({"source": self.source} if self.source else {}),
                },
            )
            for t, d in zip(testimonies, drafts)
        ]
        audit_record_many(actor=self.actor, events=events)
        return testimonies
