"""Reading the record for exports: rows in a stable order, streamed in chunks, a few queries per chunk.

Everything is read through the ORM (``values_list``), never raw SQL, so that fields stored
encrypted are read the same way as everywhere else. A chunk's related rows (names, records,
identity numbers, persons concerned) come in one query each, never one per row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db.models import Count, F

from vigil.access import Actor, allowed, require
from vigil.core.dates import PartialDate, Precision, format_partial_date
from vigil.evidence.models import Document
from vigil.exports.columns import DATASETS
from vigil.exports.formats import Column
from vigil.exports.models import ExportJob
from vigil.places.models import Facility, Place
from vigil.records.models import Claim, IdentityNumber, Name, Person, Testimony, TestimonyPerson

#: Rows read and completed per round of queries (each round also fetches the chunk's related rows).
CHUNK = 2000

Tick = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class ExportRows:
    """The columns a reader gets, how many rows there will be, and the rows (a one-pass iterator)."""

    dataset: str
    title: str
    columns: list[Column]
    total: int
    rows: Iterator[tuple[Any, ...]]


def export_columns(*, actor: Actor, dataset: str) -> list[Column]:
    """The columns of ``dataset`` that ``actor`` may receive (gated columns only with their permission)."""
    _title, columns = DATASETS[dataset]
    return [c for c in columns if c.requires is None or allowed(actor, c.requires)]


def _partial(early: dt.date | None, late: dt.date | None, precision: str) -> str | None:
    if early is None or late is None or not precision:
        return None
    return format_partial_date(PartialDate(early, late, Precision(precision)))


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _blank(value: str | None) -> str | None:
    return value or None


def _unique(values: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(v for v in values if v not in (None, "")))


def _places() -> dict[int, tuple[str, str]]:
    return {pk: (code, name) for pk, code, name in Place.objects.values_list("id", "code", "name_zh")}


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _persons(columns: list[Column]) -> Iterator[tuple[Any, ...]]:
    wanted = {c.name for c in columns}
    places = _places()
    roots = (
        Person.objects.filter(canonical_id=F("id"))
        .order_by("id")
        .values_list("id", "sex", "birth_date", "birth_date_latest", "birth_precision", "ethnicity", "citizenship",
                     "hometown_id", "hometown_text", "status", "status_date", "sources", "evidence_level")
    )
    for chunk in _batched(roots.iterator(chunk_size=CHUNK), CHUNK):
        # Roots come in id order, and every record points at a root: the records whose root id lies
        # between the chunk's first and last root are exactly the chunk's records (a range, not a
        # list of ids, keeps the query cheap for Django and the database alike).
        first, last = chunk[0][0], chunk[-1][0]
        records: dict[int, list[tuple[int, str | None]]] = defaultdict(list)
        names: dict[int, list[tuple[str, str]]] = defaultdict(list)
        numbers: dict[int, list[str]] = defaultdict(list)
        for pk, root, ref in Person.objects.filter(canonical_id__gte=first, canonical_id__lte=last).order_by("id").values_list("id", "canonical_id", "ref"):
            records[root].append((pk, ref))
        for root, text, roman in (
            Name.objects.filter(person__canonical_id__gte=first, person__canonical_id__lte=last).order_by("person_id", "id")
            .values_list("person__canonical_id", "text", "romanized")
        ):
            names[root].append((text, roman))
        if "identity_numbers" in wanted:
            for root, normalized in (
                IdentityNumber.objects.filter(person__canonical_id__gte=first, person__canonical_id__lte=last).order_by("person_id", "id")
                .values_list("person__canonical_id", "normalized")
            ):
                numbers[root].append(normalized)
        for (pk, sex, b_early, b_late, b_precision, ethnicity, citizenship, hometown_id, hometown_text,
             status, status_date, sources, level) in chunk:
            members = sorted(records[pk], key=lambda r: (r[0] != pk, r[0]))  # the root first
            code, place_name = places.get(hometown_id, (None, None)) if hometown_id else (None, None)
            row: list[Any] = [
                pk,
                _unique(t for t, _r in names[pk]),
                _unique(r for _t, r in names[pk]),
                _blank(sex),
                _partial(b_early, b_late, b_precision),
                _blank(b_precision),
                _blank(ethnicity),
                list(citizenship or []),
                code,
                place_name or _blank(hometown_text),
                _blank(status),
                _iso(status_date),
                sources,
                level,
                [m[0] for m in members],
                _unique(m[1] for m in members),
            ]
            if "identity_numbers" in wanted:
                row.append(_unique(numbers[pk]))
            yield tuple(row)


def _claims(columns: list[Column]) -> Iterator[tuple[Any, ...]]:
    places = _places()
    facilities = dict(Facility.objects.values_list("id", "name"))
    documents = dict(Document.objects.values_list("id", "title"))
    claims = Claim.objects.order_by("id").values_list(
        "id", "person__canonical_id", "person_id", "type", "date", "date_latest", "date_precision",
        "end_date", "end_date_latest", "end_date_precision", "facility_id", "place_id", "place_text", "term_months",
        "testimony_id", "testimony__ref", "document_id",
    )
    for (pk, root, record, ctype, d1, d2, dp, e1, e2, ep, facility_id, place_id, place_text, term,
         testimony_id, testimony_ref, document_id) in claims.iterator(chunk_size=CHUNK):
        code, place_name = places.get(place_id, (None, None)) if place_id else (None, None)
        if testimony_id is not None:
            source = ("testimony", testimony_id, testimony_ref)
        else:
            source = ("document", document_id, documents.get(document_id))
        yield (
            pk, root, record, ctype, _partial(d1, d2, dp), _blank(dp), _partial(e1, e2, ep), _blank(ep),
            facility_id, facilities.get(facility_id) if facility_id else None, code, place_name or _blank(place_text),
            term, *source,
        )


def _testimonies(columns: list[Column]) -> Iterator[tuple[Any, ...]]:
    with_testifier = any(c.name == "testifier" for c in columns)
    testimonies = Testimony.objects.order_by("id").values_list(
        "id", "ref", "date", "date_latest", "date_precision", "language", "medium", "consent", "testifier_id"
    )
    for chunk in _batched(testimonies.iterator(chunk_size=CHUNK), CHUNK):
        first, last = chunk[0][0], chunk[-1][0]
        roots: dict[int, set[int]] = defaultdict(set)
        records: dict[int, set[int]] = defaultdict(set)
        for tid, pid, root in TestimonyPerson.objects.filter(testimony_id__gte=first, testimony_id__lte=last).values_list(
            "testimony_id", "person_id", "person__canonical_id"
        ):
            records[tid].add(pid)
            roots[tid].add(root)
        claims = dict(
            Claim.objects.filter(testimony_id__gte=first, testimony_id__lte=last).order_by().values("testimony_id")
            .annotate(n=Count("id")).values_list("testimony_id", "n")
        )
        evidence = dict(
            Testimony.evidence.through.objects.filter(testimony_id__gte=first, testimony_id__lte=last).order_by().values("testimony_id")
            .annotate(n=Count("id")).values_list("testimony_id", "n")
        )
        for pk, ref, d1, d2, dp, language, medium, consent, testifier_id in chunk:
            row: list[Any] = [
                pk, _blank(ref), _partial(d1, d2, dp), _blank(dp), _blank(language), medium, consent,
                sorted(roots[pk]), sorted(records[pk]), claims.get(pk, 0), evidence.get(pk, 0),
            ]
            if with_testifier:
                row.append(testifier_id)
            yield tuple(row)


_ROWS: dict[str, Callable[[list[Column]], Iterator[tuple[Any, ...]]]] = {
    "persons": _persons,
    "claims": _claims,
    "testimonies": _testimonies,
}


def _total(dataset: str) -> int:
    if dataset == "persons":
        return Person.objects.filter(canonical_id=F("id")).count()
    if dataset == "claims":
        return Claim.objects.count()
    return Testimony.objects.count()


def export_rows(*, actor: Actor, dataset: str) -> ExportRows:
    """The rows of ``dataset`` (persons, claims or testimonies) as ``actor`` may receive them, in id order."""
    require(actor, "export.run")
    if dataset not in DATASETS:
        raise ValueError(f"no dataset {dataset!r} (datasets: {', '.join(DATASETS)})")
    title, _all = DATASETS[dataset]
    columns = export_columns(actor=actor, dataset=dataset)
    return ExportRows(dataset=dataset, title=title, columns=columns, total=_total(dataset), rows=_ROWS[dataset](columns))


def export_jobs(*, actor: Actor, limit: int = 10) -> list[ExportJob]:
    """The actor's most recent export jobs, newest first."""
    require(actor, "export.run")
    return list(ExportJob.objects.filter(user_id=getattr(actor, "pk", None)).order_by("-created_at", "-id")[:limit])
