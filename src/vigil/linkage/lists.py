"""Leaked lists: import a CSV/XLSX file as a Document with every row kept as it was.

Import is atomic: any bad row (or a bad mapping, or a file already imported) changes nothing,
and every bad row is reported with its row number and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from vigil.access import Actor, require
from vigil.audit.services import audit_record
from vigil.core import idnumbers
from vigil.core.intake import NameDraft
from vigil.core.lists import MappingError, parse_mapping, row_facts
from vigil.core.tables import TableError, TableProblem, read_table
from vigil.evidence.models import Document, DocumentRow
from vigil.evidence.storage import sha256_file, store_original
from vigil.places.models import Facility, Place
from vigil.records.derived import person_derived_refresh
from vigil.records.models import Claim, IdentityNumber, Name, NameKey, Person
from vigil.records.services.writer import name_fields

MAX_PROBLEMS = 1000


class ListProblems(Exception):
    """The list has problems; nothing was imported."""

    def __init__(self, problems: list[TableProblem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); nothing was imported")


@dataclass(frozen=True, slots=True)
class ListImport:
    document: Document
    rows: int


def list_import(
    *, actor: Actor, path: Path, title: str, mapping: list[str], provenance: str = "", kind: str = Document.Kind.LEAKED_LIST
) -> ListImport:
    """Store a list file as a Document (its SHA-256, provenance, original kept write-once) with all its rows."""
    require(actor, "document.import")
    path = Path(path)
    name = str(path)
    try:
        table = read_table(path)
    except TableError as exc:
        raise ListProblems([exc.problem]) from None
    try:
        columns = parse_mapping(mapping, table.header)
    except MappingError as exc:
        raise ListProblems([TableProblem(name, None, None, str(exc))]) from None
    problems: list[TableProblem] = []
    for row in table.rows:
        _facts, bad = row_facts(row.cells, columns)
        problems += [TableProblem(name, row.number, column or None, message) for column, message in bad]
        if len(problems) >= MAX_PROBLEMS:
            break
    if not table.rows:
        problems.append(TableProblem(name, None, None, "the file has no rows"))
    sha256 = sha256_file(path)
    existing = Document.objects.filter(sha256=sha256).first()
    if existing is not None:
        problems.append(TableProblem(name, None, None, f"this file was already imported as {existing.title!r} (document #{existing.pk})"))
    if problems:
        raise ListProblems(problems)
    with transaction.atomic():
        stored = store_original(path, sha256=sha256, area="documents")
        document = Document.objects.create(
            title=title, kind=kind, sha256=sha256, file_name=path.name, stored_path=stored, provenance=provenance,
            mapping=columns,
        )
        DocumentRow.objects.bulk_create(
            [DocumentRow(document=document, number=row.number, data=row.cells) for row in table.rows], batch_size=2000
        )
        audit_record(
            actor=actor, action="list.import", object_type="document", object_id=document.pk,
            detail={"file": path.name, "sha256": sha256, "rows": len(table.rows), "mapping": columns},
        )
    return ListImport(document=document, rows=len(table.rows))


def _facility_id(name: str) -> int:
    facility, _created = Facility.objects.get_or_create(name=name[:200])
    return facility.pk


def list_row_person_create(*, actor: Actor, row: DocumentRow) -> Person:
    """Make a person record from a list row: its names, identity number and claims, sourced to the document."""
    require(actor, "person.create")
    with transaction.atomic():
        row = DocumentRow.objects.select_for_update().select_related("document").get(pk=row.pk)
        if row.person_id is not None:
            raise ValidationError(f"row {row.number} already has person record #{row.person_id}")
        document = row.document
        facts, problems = row_facts(row.data, document.mapping)
        if problems:
            raise ValidationError([f"{column}: {message}" for column, message in problems])
        place_text = facts.fields.get("place", "")
        hometown = Place.objects.filter(Q(name_zh=place_text) | Q(names__text=place_text)).first() if place_text else None
        birth = facts.birth
        person = Person.objects.create(
            ref=f"doc{document.pk}:row{row.number}", sex=facts.sex, ethnicity=facts.ethnicity,
            birth_date=birth.earliest if birth else None, birth_date_latest=birth.latest if birth else None,
            birth_precision=birth.precision.value if birth else "",
            hometown=hometown, hometown_text="" if hometown else place_text[:200],
        )
        Person.objects.filter(pk=person.pk).update(canonical=person)
        person.canonical_id = person.pk
        for text, kind in facts.names:
            script, overridden, roman, keys = name_fields(NameDraft(text=text, kind=kind))
            name = Name.objects.create(person=person, text=text, script=script, kind=kind, romanized=roman, document=document)
            NameKey.objects.bulk_create([NameKey(name=name, key=k[:64]) for k in keys])
        if number := facts.fields.get("id_number"):
            c = idnumbers.check(number, scheme="cn_ric")
            IdentityNumber.objects.create(
                person=person, scheme="cn_ric", value=number, normalized=c.normalized, lookup=IdentityNumber.lookup_of(c.normalized),
                valid=c.valid, problem=c.problem[:300], notes="; ".join(c.notes), birth_date=c.birth_date,
                sex=c.sex or "", county_code=c.county_code or "", document=document,
            )
        detained = facts.detained
        dates = {"date": detained.earliest, "date_latest": detained.latest, "date_precision": detained.precision.value} if detained else {}
        if facility := facts.fields.get("facility"):
            Claim.objects.create(person=person, type=Claim.Type.HELD_AT, facility_id=_facility_id(facility), document=document, **dates)
        if detained:
            Claim.objects.create(person=person, type=Claim.Type.DETAINED, document=document, **dates)
        row.person = person
        row.save(update_fields=["person"])
        person_derived_refresh(root_ids=[person.pk])
        audit_record(actor=actor, action="person.create", object_type="person", object_id=person.pk, detail={"document": document.pk, "row": row.number})
    return person
