"""The public dataset (CSV and JSON): the public projection written out, nothing more.

Both formats are written from ``vigil.public.selectors`` alone, for the web download and for
``vigil export public`` alike, so that they cannot differ. The output is deterministic: the same
data gives the same bytes (no timestamp; every list in a fixed order). The JSON file follows
``docs/public-dataset.schema.json``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any, Literal

from vigil.access import Actor
from vigil.public.projection import PublicClaim, PublicFacility, PublicPerson, PublicPlace
from vigil.public.selectors import public_documents, public_facilities, public_persons_all

Format = Literal["csv", "json"]
FORMATS: tuple[Format, ...] = ("csv", "json")
#: Names the layout of the files; a change that breaks readers changes it.
DATASET_FORMAT = "vigil-public-dataset/1"
CONTENT_TYPES: dict[Format, str] = {"csv": "text/csv; charset=utf-8", "json": "application/json"}

CSV_COLUMNS = (
    "person_id", "names", "sex", "birth", "ethnicity", "hometown_code", "hometown", "status",
    "claim_type", "claim_start", "claim_end", "facility_id", "facility", "place_code", "place",
    "term_months", "source_kind", "source", "document_id", "account",
)


def _place(p: PublicPlace | None) -> dict[str, str] | None:
    return {"code": p.code, "name_zh": p.name_zh, "pinyin": p.pinyin} if p is not None else None


def _claim(c: PublicClaim) -> dict[str, Any]:
    source: dict[str, Any] = {"kind": c.source.kind, "label": c.source.label}
    if c.source.kind == "testimony":
        source["consent"] = c.source.consent
        source["account"] = c.source.account
    if c.source.document is not None:
        source["document"] = c.source.document.id
    return {
        "type": c.type,
        "start": str(c.start) if c.start else None,
        "end": str(c.end) if c.end else None,
        "facility": {"id": c.facility.id, "name": c.facility.name} if c.facility else None,
        "place": _place(c.place),
        "term_months": c.term_months,
        "source": source,
    }


def person_json(p: PublicPerson) -> dict[str, Any]:
    """One person as the JSON dataset holds it."""
    return {
        "id": p.id,
        "names": [{"text": n.text, "script": n.script, "kind": n.kind, "romanized": n.romanized} for n in p.names],
        "sex": p.sex or None,
        "birth": str(p.birth) if p.birth else None,
        "ethnicity": p.ethnicity or None,
        "hometown": _place(p.hometown),
        "status": p.status or None,
        "status_date": p.status_date.isoformat() if p.status_date else None,
        "sources": p.sources,
        "evidence_level": p.evidence_level,
        "claims": [_claim(c) for c in p.claims],
        "accounts": list(p.accounts),
        "media": [{"id": m.id, "kind": m.kind, "media_type": m.media_type, "path": f"media/{m.id}/"} for m in p.media],
    }


def facility_json(f: PublicFacility) -> dict[str, Any]:
    return {
        "id": f.id, "name": f.name, "other_names": list(f.other_names), "type": f.type, "county": _place(f.county),
        "latitude": f.latitude, "longitude": f.longitude, "persons": f.persons,
    }


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def dataset_json(*, actor: Actor) -> Iterator[str]:
    """The JSON dataset in pieces (persons one per line, so a large file streams)."""
    documents = public_documents(actor=actor)
    facilities = public_facilities(actor=actor)
    yield '{"format":' + _dumps(DATASET_FORMAT) + ',\n"documents":' + _dumps(
        [{"id": d.id, "title": d.title, "kind": d.kind} for d in documents]
    ) + ',\n"facilities":' + _dumps([facility_json(f) for f in sorted(facilities, key=lambda f: f.id)]) + ',\n"persons":['
    first = True
    for person in public_persons_all(actor=actor):
        yield ("\n" if first else ",\n") + _dumps(person_json(person))
        first = False
    yield "\n]}\n"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A CSV cell; text that a spreadsheet would run as a formula is quoted with a leading apostrophe."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_rows(p: PublicPerson) -> Iterator[list[str]]:
    person = [
        p.id, " | ".join(n.text for n in p.names), p.sex, p.birth, p.ethnicity,
        p.hometown.code if p.hometown else "", p.hometown.name_zh if p.hometown else "", p.status,
    ]
    claims: list[PublicClaim | None] = list(p.claims) or [None]
    for c in claims:
        if c is None:
            yield [_cell(v) for v in person] + [""] * (len(CSV_COLUMNS) - len(person))
            continue
        yield [_cell(v) for v in (
            *person, c.type, c.start, c.end, c.facility.id if c.facility else "", c.facility.name if c.facility else "",
            c.place.code if c.place else "", c.place.name_zh if c.place else "", c.term_months, c.source.kind,
            c.source.label, c.source.document.id if c.source.document else "",
            p.accounts[c.source.account - 1] if c.source.account else "",
        )]


def dataset_csv(*, actor: Actor) -> Iterator[str]:
    """The CSV dataset in pieces: one row per claim (a person without public claims has one row), with
    the cleared summary of the testimony that gave it in ``account``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for person in public_persons_all(actor=actor):
        for row in _csv_rows(person):
            writer.writerow(row)
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def dataset(*, actor: Actor, format: Format) -> Iterator[str]:
    """The public dataset in ``format`` ("csv" or "json"), in pieces to write or stream as they come."""
    if format == "csv":
        return dataset_csv(actor=actor)
    if format == "json":
        return dataset_json(actor=actor)
    raise ValueError(f"unknown dataset format {format!r}: use one of {', '.join(FORMATS)}")
