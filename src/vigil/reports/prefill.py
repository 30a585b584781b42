"""Filling a WGEID case form from the record: every statement with the testimonies and documents behind it.

Reads only, through vigil.records' selectors (cluster-aware: every record merged into the person
counts). The authorities believed responsible are not on record: vigil suggests them from the
places and facilities of the claims, as suggestions a person must tick before they are printed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from vigil.access import Actor
from vigil.evidence.models import Document, DocumentRow
from vigil.places.models import Facility, Place
from vigil.records.models import Claim, IdentityNumber, Name, Person, Testimony, TestimonyPerson
from vigil.records.models.choices import Ethnicity, Script, Sex
from vigil.records.selectors import (
    TimelineEvent,
    person_cluster,
    person_identity_numbers,
    person_names,
    person_timeline,
)
from vigil.reports.content import SECTIONS, CaseContent, Source, Statement

#: Claims after which a person is out of their family's reach: the first of them dates the disappearance.
DEPRIVATION = ("detained", "held_at", "sentenced", "transferred", "house_arrest", "forced_labour", "whereabouts_unknown")


class _Sources:
    """Source entries for testimonies and documents, looked up once per form."""

    def __init__(self, person: Person) -> None:
        root_id = person.canonical_id or person.pk
        self.testimonies = {t.pk: t for t in Testimony.objects.filter(persons__canonical_id=root_id).distinct()}
        # A document names the person in the row linked to one of the cluster's records.
        self.rows: dict[int, int] = {}
        for doc_id, number in DocumentRow.objects.filter(person__canonical_id=root_id).values_list("document_id", "number"):
            self.rows.setdefault(doc_id, number)
        self.documents: dict[int, Document] = {}
        # Fields of a person record rest on the testimonies that speak of that record and the list row it came from.
        self.cluster = list(person_cluster(person=person).select_related("hometown"))
        self.record_testimonies: dict[int, set[int]] = defaultdict(set)
        for person_id, testimony_id in TestimonyPerson.objects.filter(person__in=self.cluster).values_list("person_id", "testimony_id"):
            self.record_testimonies[person_id].add(testimony_id)
        self.record_documents: dict[int, set[int]] = defaultdict(set)
        for person_id, doc_id in DocumentRow.objects.filter(person__in=self.cluster).values_list("person_id", "document_id"):
            self.record_documents[person_id].add(doc_id)

    def _testimony(self, pk: int) -> Testimony:
        if pk not in self.testimonies:
            self.testimonies[pk] = Testimony.objects.get(pk=pk)
        return self.testimonies[pk]

    def _document(self, pk: int) -> Document:
        if pk not in self.documents:
            self.documents[pk] = Document.objects.get(pk=pk)
        return self.documents[pk]

    def testimony(self, pk: int) -> Source:
        t = self._testimony(pk)
        return Source(kind="testimony", id=t.pk, ref=t.ref or f"#{t.pk}", date=str(t.when), consent=t.consent)

    def document(self, pk: int) -> Source:
        d = self._document(pk)
        return Source(kind="document", id=d.pk, title=d.title, row=self.rows.get(d.pk))

    def of_records(self, records: Iterable[Person]) -> list[Source]:
        """The sources of fields of these person records (sex, birth, hometown, …)."""
        records = list(records)
        return self.of(
            testimony_ids=[t for r in records for t in self.record_testimonies[r.pk]],
            document_ids=[d for r in records for d in self.record_documents[r.pk]],
        )

    def of(self, *, testimony_ids: Iterable[int | None] = (), document_ids: Iterable[int | None] = ()) -> list[Source]:
        return [self.testimony(t) for t in sorted({t for t in testimony_ids if t})] + [
            self.document(d) for d in sorted({d for d in document_ids if d})
        ]


def _place_label(place: Place) -> str:
    return f"{place.name_zh} ({place.pinyin}, {place.code})"


def _event_text(e: TimelineEvent) -> str:
    parts = [capfirst(e.label)]
    if e.start is not None:
        parts.append(str(e.start) + (f" – {e.end}" if e.end is not None else ""))
    if e.facility:
        parts.append(e.facility)
    if e.place:
        parts.append(e.place)
    if e.term_months:
        parts.append(_("sentence of %(months)s months") % {"months": e.term_months})
    return ", ".join(parts)


def _identity(actor: Actor, person: Person, sources: _Sources) -> list[Statement]:
    out: list[Statement] = []
    scripts, kinds = dict(Script.choices), {"full": _("full name"), "given": _("given name"), "father": _("father's name"), "family": _("family name"), "alias": _("alias")}
    # One statement per rendering, with every source that gives it: a list and a testimony that spell a
    # name alike are two sources of one name.
    names: dict[tuple[str, str, str], list[Name]] = defaultdict(list)
    for n in person_names(actor=actor, person=person):
        names[(n.text, n.script, n.kind)].append(n)
    for (text, script, kind), same in names.items():
        out.append(Statement(
            key=f"name-{same[0].pk}", field="name",
            text=_("%(kind)s: %(name)s (%(script)s)") % {"kind": capfirst(kinds.get(kind, kind)), "name": text, "script": scripts.get(script, script)},
            sources=sources.of(testimony_ids=[n.testimony_id for n in same], document_ids=[n.document_id for n in same]),
        ))
    cluster = sources.cluster
    sexes, ethnicities = dict(Sex.choices), dict(Ethnicity.choices)
    by_value: dict[tuple[str, str], list[Person]] = defaultdict(list)
    for record in cluster:
        if record.sex:
            by_value[("sex", _("Sex: %(sex)s") % {"sex": sexes.get(record.sex, record.sex)})].append(record)
        if record.birth is not None:
            by_value[("birth", _("Born: %(date)s") % {"date": record.birth})].append(record)
        if record.ethnicity:
            by_value[("ethnicity", _("Ethnicity: %(ethnicity)s") % {"ethnicity": ethnicities.get(record.ethnicity, record.ethnicity)})].append(record)
        if record.citizenship:
            by_value[("citizenship", _("Citizenship: %(codes)s") % {"codes": ", ".join(record.citizenship)})].append(record)
        if record.hometown is not None:
            by_value[("hometown", _("Hometown (usual residence): %(place)s") % {"place": _place_label(record.hometown)})].append(record)
        elif record.hometown_text:
            by_value[("hometown", _("Hometown (usual residence): %(place)s") % {"place": record.hometown_text})].append(record)
    for (fieldname, text), records in by_value.items():
        out.append(Statement(
            key=f"{fieldname}-{records[0].pk}", field=fieldname, text=text,
            sources=sources.of_records(records),
        ))
    schemes = {"cn_ric": _("Chinese resident identity number"), "kz_iin": _("Kazakhstan IIN"), "passport": _("passport"), "other": _("identity number")}
    numbers: dict[tuple[str, str], list[IdentityNumber]] = defaultdict(list)
    for number in person_identity_numbers(actor=actor, person=person):
        numbers[(number.scheme, number.normalized or number.value)].append(number)
    for (scheme, _value), same in numbers.items():
        number = same[0]
        text = f"{schemes.get(scheme, scheme)}: {number.value}"
        if not number.valid:
            text += " " + _("(fails its check digit or format: %(problem)s)") % {"problem": number.problem}
        out.append(Statement(
            key=f"idnumber-{number.pk}", field="identity_number", text=text,
            sources=sources.of(testimony_ids=[n.testimony_id for n in same], document_ids=[n.document_id for n in same]),
        ))
    return out


def case_content_prefill(*, actor: Actor, person: Person) -> CaseContent:
    """The form as far as the record can fill it. Call only after the caller's permission check."""
    sources = _Sources(person)
    content = CaseContent(sections={s: [] for s in SECTIONS})
    content.sections["identity"] = _identity(actor, person, sources)

    timeline = person_timeline(actor=actor, person=person)
    claims = {c.pk: c for c in Claim.objects.filter(person__canonical_id=person.canonical_id or person.pk).select_related("place", "facility__county")}
    deprivations = [e for e in timeline.events if e.type in DEPRIVATION]
    detentions = [e for e in deprivations if e.type == "detained"] or deprivations[:1]
    for e in detentions:
        event_sources = sources.of(testimony_ids=e.testimony_ids, document_ids=e.document_ids)
        first = e.claim_ids[0]
        if e.start is not None:
            content.sections["disappearance"].append(Statement(
                key=f"date-{first}", field="date", precision=e.start.precision.value, sources=event_sources,
                text=_("%(event)s: %(date)s") % {"event": capfirst(e.label), "date": e.start},
            ))
        where = [c for c in (claims[i] for i in e.claim_ids) if c.place is not None or c.place_text or c.facility is not None]
        if where:
            c = where[0]
            where = [x for x in where if (x.place_id, x.place_text, x.facility_id) == (c.place_id, c.place_text, c.facility_id)]
            if c.facility is not None:
                place = c.facility.name + (f", {_place_label(c.facility.county)}" if c.facility.county else "")
            else:
                place = _place_label(c.place) if c.place is not None else c.place_text
            # Only the claims that name the place are its sources.
            place_sources = sources.of(testimony_ids=[x.testimony_id for x in where], document_ids=[x.document_id for x in where])
            content.sections["place"].append(Statement(
                key=f"place-{first}", field="place", sources=place_sources,
                text=_("%(event)s at: %(place)s") % {"event": capfirst(e.label), "place": place},
            ))
    hometowns: dict[int, tuple[Place, list[Person]]] = {}
    for record in sources.cluster:
        if record.hometown is not None:
            hometowns.setdefault(record.hometown.pk, (record.hometown, []))[1].append(record)
    if not content.sections["place"]:
        # In Xinjiang people are mostly taken where their household is registered: a guess, so a suggestion.
        content.sections["place"] = [
            Statement(
                key=f"place-hometown-{place.code}", field="place", suggested=True, include=False, sources=sources.of_records(records),
                text=_("%(place)s: the person's hometown (the place of arrest is not on record)") % {"place": _place_label(place)},
            )
            for place, records in hometowns.values()
        ]
    for e in timeline.events:
        if e in detentions:
            continue
        content.sections["whereabouts"].append(Statement(
            key=f"event-{e.claim_ids[0]}", field=e.type, text=_event_text(e),
            precision=e.start.precision.value if e.start else "",
            sources=sources.of(testimony_ids=e.testimony_ids, document_ids=e.document_ids),
        ))
    content.sections["responsible"] = _responsible_suggestions(claims.values(), sources)
    named = {s.key for s in content.sections["responsible"]}
    content.sections["responsible"] += [
        Statement(
            key=f"responsible-county-{place.code}", field="responsible", suggested=True, include=False, sources=sources.of_records(records),
            text=_("The Public Security Bureau (police) of %(county)s, the person's hometown") % {"county": _place_label(place)},
        )
        for place, records in hometowns.values() if f"responsible-county-{place.code}" not in named
    ]
    return content


def _responsible_suggestions(claims: Iterable[Claim], sources: _Sources) -> list[Statement]:
    """Suggestions, never facts: the county police where the person was taken or held, the facility's
    operators, the court that sentenced them. Each is unticked until a person checks it."""
    counties: dict[int, tuple[Place, list[Claim]]] = {}
    facilities: dict[int, tuple[Facility, list[Claim]]] = {}
    courts: list[Claim] = []
    for c in claims:
        county = c.facility.county if c.facility is not None and c.facility.county is not None else c.place
        if county is not None and c.type in DEPRIVATION:
            counties.setdefault(county.pk, (county, []))[1].append(c)
        if c.facility is not None:
            facilities.setdefault(c.facility.pk, (c.facility, []))[1].append(c)
        if c.type == "sentenced":
            courts.append(c)

    def basis(cs: list[Claim]) -> list[Source]:
        return sources.of(testimony_ids=[c.testimony_id for c in cs], document_ids=[c.document_id for c in cs])

    out = [
        Statement(
            key=f"responsible-county-{place.code}", field="responsible", suggested=True, include=False, sources=basis(cs),
            text=_("The Public Security Bureau (police) of %(county)s, where the person was detained or held") % {"county": _place_label(place)},
        )
        for place, cs in counties.values()
    ]
    out += [
        Statement(
            key=f"responsible-facility-{f.pk}", field="responsible", suggested=True, include=False, sources=basis(cs),
            text=_("The authorities running %(facility)s (%(type)s)") % {"facility": f.name, "type": f.get_type_display()},
        )
        for f, cs in facilities.values()
    ]
    if courts:
        out.append(Statement(
            key="responsible-court", field="responsible", suggested=True, include=False, sources=basis(courts),
            text=_("The people's court that passed the sentence (which court is not on record)"),
        ))
    return out
