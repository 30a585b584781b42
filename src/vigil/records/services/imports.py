"""``vigil import testimonies``: validate a whole JSON Lines file, then import all of it or nothing."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from vigil.access import Actor, require
from vigil.audit.services import audit_record
from vigil.core.intake import TestimonyDraft, parse_testimony
from vigil.evidence.storage import sha256_file
from vigil.places.models import Place
from vigil.records.models import Person, Testimony
from vigil.records.services.testimonies import place_code_refs, unknown_place_message
from vigil.records.services.writer import BATCH, TestimonyWriter, WriteCounts

#: Reported problems are capped so that a wrong file does not flood the terminal.
MAX_PROBLEMS = 1000

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class ImportProblem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ImportProblems(Exception):
    """The file has problems; nothing was imported."""

    def __init__(self, problems: list[ImportProblem], *, truncated: bool = False) -> None:
        self.problems = problems
        self.truncated = truncated
        super().__init__(f"{len(problems)}{'+' if truncated else ''} problem(s); nothing was imported")


@dataclass(slots=True)
class ImportReport:
    file: str
    sha256: str
    lines: int
    counts: WriteCounts = field(default_factory=WriteCounts)
    seconds: float = 0.0


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            yield number, raw


def _decode(raw: bytes) -> tuple[object | None, str | None]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 text (byte {exc.start + 1})"
    if not text.strip():
        return None, None
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, f"not valid JSON: {exc.msg} (column {exc.colno})"


def _count_lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


def _existing(model: type[Person] | type[Testimony], refs: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(refs), 900):
        found.update(model.objects.filter(ref__in=refs[start : start + 900]).values_list("ref", flat=True))
    return found


def validate_file(path: Path, *, progress: Progress | None = None) -> tuple[int, list[ImportProblem], bool]:
    """Check every line; return the number of testimonies and every problem (capped)."""
    name = str(path)
    problems: list[ImportProblem] = []
    place_codes = set(Place.objects.values_list("code", flat=True))
    testimony_refs: dict[str, int] = {}
    person_refs: dict[str, int] = {}
    total = _count_lines(path)
    count = 0
    truncated = False

    def report(line: int, fld: str, msg: str) -> None:
        nonlocal truncated
        if len(problems) < MAX_PROBLEMS:
            problems.append(ImportProblem(name, line, fld, msg))
        else:
            truncated = True

    for number, raw in _lines(path):
        if progress and number % 1000 == 0:
            progress("validate", number, total)
        value, error = _decode(raw)
        if error:
            report(number, "", error)
            continue
        if value is None:
            continue
        draft, errors = parse_testimony(value)
        for e in errors:
            report(number, e.path, e.message)
        if draft is None:
            continue
        count += 1
        if draft.ref:
            if draft.ref in testimony_refs:
                report(number, "ref", f"{draft.ref!r} was already used on line {testimony_refs[draft.ref]}")
            testimony_refs.setdefault(draft.ref, number)
        for fld, code in place_code_refs(draft):
            if code not in place_codes:
                report(number, fld, unknown_place_message(code))
        for i, p in enumerate(draft.persons):
            if p.ref:
                if p.ref in person_refs:
                    report(number, f"persons[{i}].ref", f"{p.ref!r} was already used on line {person_refs[p.ref]}")
                person_refs.setdefault(p.ref, number)
    for model, refs, fld in ((Testimony, testimony_refs, "ref"), (Person, person_refs, "persons[].ref")):
        for ref in sorted(_existing(model, sorted(refs))):
            report(refs[ref], fld, f"{ref!r} is already on record (imported before?)")
    if progress:
        progress("validate", total, total)
    return count, problems, truncated


def _drafts(path: Path) -> Iterator[TestimonyDraft]:
    for _number, raw in _lines(path):
        value, _error = _decode(raw)
        if value is None:
            continue
        draft, _errors = parse_testimony(value)
        assert draft is not None, "validated before"
        yield draft


def testimonies_import(*, actor: Actor, path: Path, progress: Progress | None = None) -> ImportReport:
    """Import a JSON Lines file of testimonies: every line is checked first; any problem imports nothing.

    Raises ImportProblems with every problem (file, line, field, message). With none, every
    testimony is written in one transaction, with an audit entry for each and one for the file.
    """
    require(actor, "testimony.record")
    started = time.perf_counter()
    path = Path(path)
    report = ImportReport(file=path.name, sha256=sha256_file(path), lines=0)
    total, problems, truncated = validate_file(path, progress=progress)
    if problems:
        raise ImportProblems(problems, truncated=truncated)
    report.lines = total
    with transaction.atomic():
        writer = TestimonyWriter(actor=actor, source=f"import {path.name} sha256:{report.sha256[:16]}")
        batch: list[TestimonyDraft] = []
        done = 0
        for draft in _drafts(path):
            batch.append(draft)
            if len(batch) >= BATCH:
                _t, counts = writer.write(batch)
                report.counts.add(counts)
                done += len(batch)
                batch = []
                if progress:
                    progress("import", done, total)
        if batch:
            _t, counts = writer.write(batch)
            report.counts.add(counts)
            done += len(batch)
        audit_record(
            actor=actor, action="testimonies.import", object_type="file", object_id=report.sha256[:16],
            detail={"file": path.name, "sha256": report.sha256, "testimonies": report.counts.testimonies, "persons": report.counts.persons},
        )
    if progress:
        progress("import", total, total)
    report.seconds = time.perf_counter() - started
    return report
