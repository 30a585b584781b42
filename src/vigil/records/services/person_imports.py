"""``vigil import persons``: person records from a CSV or XLSX file, through a column mapping saved per source.

Every row is checked first; any problem (a bad cell, an unknown place code, a ref already on
record, a file already imported) imports nothing, and each is reported as ``file:row N:column:
problem``. A dry run reports what each row would become: a new person, or a new record that
probably is a person already on record (``vigil.linkage.candidates``). A real run keeps the file as
a Document with every row as it was, creates one person record per row (sourced to that document),
and proposes the probable matches for review; nothing is merged.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import F, Q

from vigil.access import Actor, require
from vigil.audit.services import AuditEvent, audit_record_many
from vigil.core import idnumbers
from vigil.core.dates import exact
from vigil.core.intake import NameDraft
from vigil.core.lists import ListRowFacts, MappingError, parse_mapping, row_facts
from vigil.core.tables import Table, TableError, TableProblem, read_table
from vigil.evidence.models import Document, DocumentRow
from vigil.evidence.storage import sha256_file, store_original
from vigil.exports.models import ImportSource
from vigil.linkage.candidates import Candidate, CandidateQuery, candidates
from vigil.linkage.models import Match
from vigil.linkage.trained import model_load
from vigil.places.models import Facility, Place
from vigil.records.derived import person_derived_refresh
from vigil.records.models import Claim, IdentityNumber, Name, NameKey, Person
from vigil.records.services.writer import name_fields

#: A row whose best candidate scores at least this is reported as a probable match (and proposed for review).
MATCH_PROBABILITY = 0.5
MAX_PROBLEMS = 1000
_CODE = re.compile(r"^\d{6}$")

Progress = Callable[[str, int, int], None]


class PersonImportProblems(Exception):
    """The file or the mapping has problems; nothing was imported."""

    def __init__(self, problems: list[TableProblem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); nothing was imported")


@dataclass(frozen=True, slots=True)
class RowOutcome:
    row: int  # as a spreadsheet numbers it (the header is row 1)
    name: str
    person_id: int | None = None  # the record created (a real run)
    match_id: int | None = None  # the person on record it probably is
    probability: float | None = None

    def describe(self, *, dry_run: bool) -> str:
        match = f"person #{self.match_id} ({self.probability:.2f})" if self.match_id is not None else ""
        if dry_run:
            return f"row {self.row}: would match {match}" if match else f"row {self.row}: would create"
        made = f"row {self.row}: created person #{self.person_id}"
        return f"{made}, proposed for review as a match of {match}" if match else made


@dataclass(slots=True)
class PersonImportReport:
    file: str
    sha256: str
    source: str
    mapping: dict[str, str]
    dry_run: bool
    rows: list[RowOutcome] = field(default_factory=list)
    document_id: int | None = None
    seconds: float = 0.0

    @property
    def matched(self) -> int:
        return sum(1 for r in self.rows if r.match_id is not None)


def _mapping(source: str, items: list[str] | None, table: Table, name: str) -> dict[str, str]:
    if not items:
        saved = ImportSource.objects.filter(name=source).first()
        if saved is None:
            raise PersonImportProblems([TableProblem(name, None, None, f"no column mapping is saved for source {source!r}: give --map COLUMN=FIELD")])
        items = [f"{column}={target}" for column, target in saved.mapping.items()]
    try:
        return parse_mapping(items, table.header)
    except MappingError as exc:
        raise PersonImportProblems([TableProblem(name, None, None, str(exc))]) from None


def _place_lookup(text: str, places: dict[str, int]) -> tuple[int | None, str]:
    """(place id, hometown text) of a cell: a known code, a place's name in any script, else the text as given."""
    if _CODE.match(text):
        return places.get(text), ""
    # A name can belong to an old code and a current one: the code in use now wins.
    place = (
        Place.objects.filter(Q(name_zh=text) | Q(pinyin__iexact=text) | Q(names__text=text))
        .order_by(F("valid_to").desc(nulls_first=True), "code").first()
    )
    return (place.pk, "") if place else (None, text[:200])


def _ref(source: str, facts: ListRowFacts) -> str | None:
    ref = facts.fields.get("ref")
    return f"{source}:{ref}" if ref else None


def _check_rows(table: Table, mapping: dict[str, str], source: str, name: str, places: dict[str, int]) -> tuple[list[ListRowFacts], list[TableProblem]]:
    problems: list[TableProblem] = []
    facts_of: list[ListRowFacts] = []
    ref_column = next((c for c, f in mapping.items() if f == "ref"), None)
    place_column = next((c for c, f in mapping.items() if f == "place"), None)
    seen: dict[str, int] = {}
    for row in table.rows:
        facts, bad = row_facts(row.cells, mapping)
        facts_of.append(facts)
        problems += [TableProblem(name, row.number, column or None, message) for column, message in bad]
        if (place := facts.fields.get("place")) and _CODE.match(place) and place not in places:
            problems.append(TableProblem(name, row.number, place_column, f"place code {place} is not in the place table (vigil loads Xinjiang's, prefix 65)"))
        if (ref := _ref(source, facts)) is not None:
            if len(ref) > 64:
                problems.append(TableProblem(name, row.number, ref_column, f"the record's ref {ref!r} is longer than 64 characters"))
            elif ref in seen:
                problems.append(TableProblem(name, row.number, ref_column, f"{facts.fields['ref']!r} was already used on row {seen[ref]}"))
            seen.setdefault(ref, row.number)
    refs = sorted(seen)
    for start in range(0, len(refs), 900):
        for ref in Person.objects.filter(ref__in=refs[start : start + 900]).values_list("ref", flat=True):
            problems.append(TableProblem(name, seen[ref], ref_column, f"{ref.split(':', 1)[1]!r} of source {source!r} is already on record (imported before?)"))
    if not table.rows:
        problems.append(TableProblem(name, None, None, "the file has no rows"))
    problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    return facts_of, problems[:MAX_PROBLEMS]


def _query(facts: ListRowFacts) -> CandidateQuery:
    birth = facts.birth
    birth_text = None
    if birth is not None:
        birth_text = birth.earliest.isoformat() if birth.precision.value == "day" else str(birth.year)
    return CandidateQuery(
        names=tuple(text for text, _kind in facts.names), birth_date=birth_text, sex=facts.sex or None,
        ethnicity=facts.ethnicity or None, id_number=facts.fields.get("id_number"), place=facts.fields.get("place"),
    )


def _conflicts(facts: ListRowFacts, person: Person) -> bool:
    """Whether the row and the person on record cannot be one person: a different valid identity number,
    another sex, or birth dates that cannot overlap (a valid number's birth date and sex count when the
    row gives none). Only used without a trained model, which weighs all of these itself."""
    birth, sex = facts.birth, facts.sex
    if (number := facts.fields.get("id_number")) is not None:
        check = idnumbers.check(number, scheme="cn_ric")
        if check.valid:
            held = set(IdentityNumber.objects.filter(person__canonical_id=person.pk, valid=True).values_list("normalized", flat=True))
            if held:
                return check.normalized not in held
            birth = birth or (exact(check.birth_date) if check.birth_date else None)
            sex = sex or check.sex or ""
    if sex and person.sex and sex != person.sex:
        return True
    known = person.birth
    return birth is not None and known is not None and not birth.overlaps(known)


def _best(facts: ListRowFacts, *, actor: Actor, names_only: bool) -> Candidate | None:
    """The person on record this row most probably is, if any scores MATCH_PROBABILITY or more."""
    for candidate in candidates(_query(facts), actor=actor, limit=8):
        if candidate.probability < MATCH_PROBABILITY:
            return None
        # Names alone give every namesake 1.0; without a model, rule out those the row's facts contradict.
        if names_only and _conflicts(facts, candidate.person):
            continue
        return candidate
    return None


def persons_import(
    *, actor: Actor, path: Path, source: str, mapping: list[str] | None = None, dry_run: bool = False,
    progress: Progress | None = None,
) -> PersonImportReport:
    """Import persons from a CSV/XLSX file of ``source``, mapped with ``mapping`` (``COLUMN=FIELD``) or the source's saved one.

    Raises PersonImportProblems with every problem; with none, a dry run reports each row's outcome
    and writes nothing, and a real run writes everything in one transaction and saves the mapping
    for the source.
    """
    require(actor, "person.import")
    started = time.perf_counter()
    path = Path(path)
    name = str(path)
    source = source.strip()
    if not source or len(source) > 100:
        raise PersonImportProblems([TableProblem(name, None, None, "the source needs a name of 1 to 100 characters")])
    try:
        table = read_table(path)
    except TableError as exc:
        raise PersonImportProblems([exc.problem]) from None
    columns = _mapping(source, mapping, table, name)
    places = dict(Place.objects.values_list("code", "id"))
    facts_of, problems = _check_rows(table, columns, source, name, places)
    sha256 = sha256_file(path)
    if (existing := Document.objects.filter(sha256=sha256).first()) is not None:
        problems.insert(0, TableProblem(name, None, None, f"this file was already imported as {existing.title!r} (document #{existing.pk})"))
    if problems:
        raise PersonImportProblems(problems)

    report = PersonImportReport(file=path.name, sha256=sha256, source=source, mapping=columns, dry_run=dry_run)
    best: list[Candidate | None] = []
    names_only = model_load() is None
    for i, facts in enumerate(facts_of, start=1):
        best.append(_best(facts, actor=actor, names_only=names_only))
        if progress and (i % 20 == 0 or i == len(facts_of)):
            progress("match", i, len(facts_of))
    if dry_run:
        report.rows = [
            RowOutcome(row.number, (facts.names or [("", "")])[0][0], None, c.person.pk if c else None, c.probability if c else None)
            for row, facts, c in zip(table.rows, facts_of, best)
        ]
        report.seconds = time.perf_counter() - started
        return report

    with transaction.atomic():
        report.rows = _write(actor=actor, path=path, table=table, facts_of=facts_of, best=best, source=source, columns=columns, sha256=sha256, places=places, report=report)
    report.seconds = time.perf_counter() - started
    return report


def _write(
    *, actor: Actor, path: Path, table: Table, facts_of: list[ListRowFacts], best: list[Candidate | None], source: str,
    columns: dict[str, str], sha256: str, places: dict[str, int], report: PersonImportReport,
) -> list[RowOutcome]:
    stored = store_original(path, sha256=sha256, area="documents")
    document = Document.objects.create(
        title=f"{source}: {path.name}", kind=Document.Kind.OTHER, sha256=sha256, file_name=path.name, stored_path=stored,
        provenance=f"person import from source {source!r}", mapping=columns,
    )
    report.document_id = document.pk
    ImportSource.objects.update_or_create(name=source, defaults={"mapping": columns})
    facilities: dict[str, int] = dict(Facility.objects.values_list("name", "id"))
    persons: list[Person] = []
    for facts in facts_of:
        birth = facts.birth
        hometown_id, hometown_text = _place_lookup(facts.fields["place"], places) if facts.fields.get("place") else (None, "")
        address = facts.fields.get("address", "")
        persons.append(Person(
            ref=_ref(source, facts), sex=facts.sex, ethnicity=facts.ethnicity,
            birth_date=birth.earliest if birth else None, birth_date_latest=birth.latest if birth else None,
            birth_precision=birth.precision.value if birth else "", hometown_id=hometown_id, hometown_text=hometown_text,
            notes=f"address: {address}" if address else "",
        ))
    Person.objects.bulk_create(persons, batch_size=1000)
    ids = [p.pk for p in persons]
    Person.objects.filter(pk__in=ids).update(canonical_id=F("id"))  # each new record is its own cluster
    rows = DocumentRow.objects.bulk_create(
        [DocumentRow(document=document, number=row.number, data=row.cells, person=p) for row, p in zip(table.rows, persons)], batch_size=2000
    )
    names: list[tuple[Name, list[str]]] = []
    numbers: list[IdentityNumber] = []
    claims: list[Claim] = []
    for person, facts in zip(persons, facts_of):
        for text, kind in facts.names:
            script, overridden, roman, keys = name_fields(NameDraft(text=text, kind=kind))
            names.append((Name(person=person, text=text, script=script, script_overridden=overridden, kind=kind, romanized=roman, document=document), keys))
        if number := facts.fields.get("id_number"):
            c = idnumbers.check(number, scheme="cn_ric")
            numbers.append(IdentityNumber(
                person=person, scheme="cn_ric", value=number, normalized=c.normalized, valid=c.valid, problem=c.problem[:300],
                notes="; ".join(c.notes)[:500], birth_date=c.birth_date, sex=c.sex or "", county_code=c.county_code or "", document=document,
            ))
        detained = facts.detained
        dates = {"date": detained.earliest, "date_latest": detained.latest, "date_precision": detained.precision.value} if detained else {}
        if facility := facts.fields.get("facility"):
            if facility[:200] not in facilities:
                facilities[facility[:200]] = Facility.objects.create(name=facility[:200]).pk
            claims.append(Claim(person=person, type=Claim.Type.HELD_AT, facility_id=facilities[facility[:200]], document=document, **dates))
        if detained:
            claims.append(Claim(person=person, type=Claim.Type.DETAINED, document=document, **dates))
    Name.objects.bulk_create([n for n, _k in names], batch_size=2000)
    NameKey.objects.bulk_create([NameKey(name=n, key=k[:64]) for n, keys in names for k in keys], batch_size=5000)
    IdentityNumber.objects.bulk_create(numbers, batch_size=2000)
    Claim.objects.bulk_create(claims, batch_size=2000)
    person_derived_refresh(root_ids=ids)
    model = model_load()
    proposals = [
        Match(
            person_a_id=min(c.person.pk, p.pk), person_b_id=max(c.person.pk, p.pk), probability=c.probability, match_weight=round(sum(c.field_weights.values()), 3),
            field_weights={k: round(v, 3) for k, v in c.field_weights.items()}, model_version=model.model_id if model else "names-only",
        )
        for p, c in zip(persons, best) if c is not None
    ]
    Match.objects.bulk_create(proposals)
    outcomes = [
        RowOutcome(row.number, (facts.names or [("", "")])[0][0], p.pk, c.person.pk if c else None, c.probability if c else None)
        for row, facts, p, c in zip(rows, facts_of, persons, best)
    ]
    events = [
        AuditEvent(action="person.create", object_type="person", object_id=str(p.pk), detail={"document": document.pk, "row": row.number})
        for p, row in zip(persons, rows)
    ]
    events.append(AuditEvent(
        action="persons.import", object_type="document", object_id=str(document.pk),
        detail={"file": path.name, "sha256": sha256, "source": source, "rows": len(persons), "mapping": columns, "proposed": len(proposals)},
    ))
    audit_record_many(actor=actor, events=events)
    return outcomes
