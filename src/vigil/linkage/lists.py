"""Leaked lists: import a CSV/XLSX file as a Document with every row kept as it was.

Import is atomic: any bad row (or a bad mapping, or a file already imported) changes nothing,
and every bad row is reported with its row number and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from vigil.access import Actor, require_permission
from vigil.audit.services import audit_record
from vigil.core.lists import MappingError, parse_mapping, row_facts
from vigil.core.tables import TableError, TableProblem, read_table
from vigil.evidence.models import Document, DocumentRow
from vigil.evidence.storage import sha256_file, store_original

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
    require_permission(actor, "evidence.add_document")
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
