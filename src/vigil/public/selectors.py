"""The public projection: the one place that decides what the public site and the public dataset show.

Every public page, every public media file and the dataset export read through this module, and
every entry point checks ``public.view``. It returns plain frozen dataclasses, never model
instances (vigil.public.projection), so a template or serializer cannot reach a testifier, a
transcript or an identity number through a relation. The rules (docs/public.md) are the few query
builders under "Rules"; nothing else in vigil decides publication.

Threat: the public site will be scraped by the state the testimonies accuse. Whatever is not
selected here on purpose must not leave: identity numbers, testifiers, testimony texts (except a
summary an editor cleared under full consent), free-text notes, references, row data, and the
existence of records that are not public (a page of a record that is not public is a plain 404).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Exists, F, Min, Model, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from vigil.access import Actor, require
from vigil.core.dates import PartialDate, Precision
from vigil.core.names import prepare, similarity
from vigil.evidence.models import Document, DocumentRow, EvidenceFile
from vigil.places.models import Facility, Place
from vigil.public.projection import (
    PublicClaim,
    PublicDocument,
    PublicFacility,
    PublicFacilityRef,
    PublicHit,
    PublicMedia,
    PublicMediaFile,
    PublicName,
    PublicPage,
    PublicPerson,
    PublicPlace,
    PublicSource,
    PublicStatistics,
)
from vigil.records.derived import derive
from vigil.records.models import Claim, IdentityNumber, Name, Person, Testimony, TestimonyPerson
from vigil.records.search import SEARCH_THRESHOLD, name_pool, query_keys

#: Consent levels (Testimony.Consent) under which a testimony's facts may be public; its text only under "full".
PUBLISHABLE_CONSENT: tuple[str, ...] = ("anonymised", "full")
#: Persons per page on every public list.
PAGE_SIZE = 25
#: Candidate names considered per public search (more than the staff search: some are not public).
SEARCH_POOL = 6000
#: Persons built per database round trip when the whole projection is read (the dataset).
BATCH = 500


# --- Rules ----------------------------------------------------------------------------------
# Each rule is a query, so that lists, counts and pages cannot disagree with each other.

def _published_documents() -> QuerySet[Document]:
    return Document.objects.filter(published=True)


def _withheld_testimonies() -> QuerySet[Testimony]:
    # "Not publishable" rather than "consent none": a consent value vigil does not know withholds.
    return Testimony.objects.exclude(consent__in=PUBLISHABLE_CONSENT)


def _unpublished_documents() -> QuerySet[Document]:
    return Document.objects.filter(published=False)


def _own_source_publishable() -> Q:
    """A name's or claim's own source: it has one, and every source it has allows publication.

    Read through joins rather than ``testimony_id IN (…)``: under an OR, PostgreSQL looks an IN up
    row by row in the whole list once the list outgrows ``work_mem``."""
    return (
        (Q(testimony__isnull=False) | Q(document__isnull=False))
        & (Q(testimony__isnull=True) | Q(testimony__consent__in=PUBLISHABLE_CONSENT))
        & (Q(document__isnull=True) | Q(document__published=True))
    )


#: Every way a source reaches a person record: a row of this kind about the record, with the source
#: in one of these fields. The testimonies about the record, the list row it was made from, and the
#: sources of its names, claims and identity numbers.
_CONTRIBUTIONS: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (TestimonyPerson, ("testimony",)),
    (DocumentRow, ("document",)),
    (Name, ("testimony", "document")),
    (Claim, ("testimony", "document")),
    (IdentityNumber, ("testimony", "document")),
)
_WITHHELD: dict[str, Callable[[], QuerySet[Any]]] = {"testimony": _withheld_testimonies, "document": _unpublished_documents}


def _any_of(conditions: Iterable[Q]) -> Q:
    return reduce(or_, conditions)


def records_publishable() -> QuerySet[Person]:
    """Person records that may be public: each has a source, and every source that contributed to it
    (its testimonies, its list row, and the sources of its names, claims and identity numbers)
    allows publication. A record mixing one withheld source with public ones is withheld whole:
    its sex, birth and hometown cannot be traced to one source.

    This form is for reads over all records (lists, counts): the records some source reached, less
    the records a withheld source reached, each set computed once per query. Asked record by record
    instead (``_record_publishable``), this took SQLite 0.5 s for 4,000 records and 70 s for 40,000.
    A set difference rather than NOT IN or NOT EXISTS, and one branch per source field rather than
    an OR of INs: PostgreSQL looks NOT IN, and IN under OR, up row by row once the set outgrows
    ``work_mem``, and underestimates an anti-join into nested loops."""
    branches = [(model, field) for model, fields in _CONTRIBUTIONS for field in fields]
    reached = [
        model.objects.filter(**{f"{field}__isnull": False, "person__isnull": False}).order_by().values("person_id")
        for model, field in branches
    ]
    withheld = [
        model.objects.filter(**{f"{field}__in": _WITHHELD[field]().values("id"), "person__isnull": False}).order_by().values("person_id")
        for model, field in branches
    ]
    return Person.objects.filter(pk__in=reached[0].union(*reached[1:]).difference(*withheld))


def _record_publishable(person: str = "pk") -> Q:
    """The rule of ``records_publishable`` asked of one record: the one whose id is in the field
    ``person`` of the row being filtered. For reads of a few records (a page, a search, a batch of
    the dataset), where computing the sets over every record would cost more than the read."""
    here = {"person": OuterRef(person)}
    reached = _any_of(
        Q(Exists(model.objects.filter(_any_of(Q(**{f"{f}__isnull": False}) for f in fields), **here)))
        for model, fields in _CONTRIBUTIONS
    )
    withheld = _any_of(
        Q(Exists(model.objects.filter(_any_of(Q(Exists(_WITHHELD[f]().filter(pk=OuterRef(f"{f}_id")))) for f in fields), **here)))
        for model, fields in _CONTRIBUTIONS
    )
    return reached & ~withheld


def _public_names() -> QuerySet[Name]:
    """Names from publishable sources of publishable records, asked row by row (public search reads a few thousand)."""
    return Name.objects.filter(_own_source_publishable(), _record_publishable("person_id"))


def _public_claims() -> QuerySet[Claim]:
    return Claim.objects.filter(_own_source_publishable(), person_id__in=records_publishable().values("id"))


def _media_publishable() -> QuerySet[EvidenceFile]:
    """Files that may be public: linked to a public person record and to at least one testimony,
    every testimony they belong to given with full consent; a photo only as an image (it is served
    as a metadata-free copy); a video or audio file only once an editor checked its metadata.
    Scans and other files never: they show documents with identity numbers."""
    person_link = Person.evidence.through.objects
    testimony_link = Testimony.evidence.through.objects
    here = {"evidencefile": OuterRef("pk")}
    return (
        EvidenceFile.objects.filter(
            Q(kind=EvidenceFile.Kind.PHOTO, media_type__startswith="image/")
            | Q(kind=EvidenceFile.Kind.VIDEO, media_type__startswith="video/", metadata_checked=True)
            | Q(kind=EvidenceFile.Kind.AUDIO, media_type__startswith="audio/", metadata_checked=True)
        )
        .filter(Exists(person_link.filter(_record_publishable("person_id"), **here)))
        .filter(Exists(testimony_link.filter(**here)))
        .exclude(Exists(testimony_link.filter(**here).exclude(testimony__consent=Testimony.Consent.FULL)))
    )


def _account_publishable(consent: str, summary_public: bool, sensitive: bool, summary: str) -> bool:
    """A testimony's summary is public only under full consent, after an editor cleared it, and never when marked sensitive."""
    return consent == Testimony.Consent.FULL and summary_public and not sensitive and bool(summary.strip())


def _public_birth(value: PartialDate | None) -> PartialDate | None:
    """A birth date to the year at most: the day and month narrow a person to very few."""
    if value is None:
        return None
    if value.precision in (Precision.DAY, Precision.MONTH, Precision.YEAR):
        year = value.earliest.year
        return PartialDate(dt.date(year, 1, 1), dt.date(year, 12, 31), Precision.YEAR)
    return PartialDate(dt.date(value.earliest.year, 1, 1), dt.date(value.latest.year, 12, 31), value.precision)


# --- Building persons -----------------------------------------------------------------------

def _root() -> Coalesce:
    return Coalesce("canonical_id", "id")


def _clusters() -> QuerySet[Person]:
    """One row per public person: its cluster root and public id, in public-id order."""
    return (
        records_publishable().annotate(root=_root()).values("root").annotate(public_id=Min("id")).order_by("public_id")
    )


def _place(place: Place | None) -> PublicPlace | None:
    return PublicPlace(place.code, place.name_zh, place.pinyin) if place is not None else None


def _dates(earliest: dt.date | None, latest: dt.date | None, precision: str) -> PartialDate | None:
    if earliest is None or latest is None or not precision:
        return None
    return PartialDate(earliest, latest, Precision(precision))


def _build(roots: Iterable[int]) -> dict[int, PublicPerson]:
    """The public persons of these cluster roots, by root (roots with no public record are absent)."""
    roots = list(roots)
    if not roots:
        return {}
    records = list(
        Person.objects.filter(Q(canonical_id__in=roots) | Q(canonical__isnull=True, pk__in=roots)).filter(_record_publishable())
        .annotate(root=_root()).select_related("hometown").order_by("id")
    )
    by_root: dict[int, list[Person]] = defaultdict(list)
    for r in records:
        by_root[r.root].append(r)  # type: ignore[attr-defined]
    record_root = {r.pk: r.root for r in records}  # type: ignore[attr-defined]
    ids = list(record_root)

    names: dict[int, list[PublicName]] = defaultdict(list)
    for person_id, text, script, kind, romanized in (
        Name.objects.filter(_own_source_publishable(), person_id__in=ids).order_by("person_id", "id")
        .values_list("person_id", "text", "script", "kind", "romanized")
    ):
        name = PublicName(text, script, kind, romanized)
        if name not in names[record_root[person_id]]:
            names[record_root[person_id]].append(name)

    # Accounts: cleared summaries of full-consent testimonies about a public record of the cluster.
    accounts: dict[int, list[str]] = defaultdict(list)
    account_of: dict[tuple[int, int], int] = {}
    for person_id, testimony_id, consent, cleared, sensitive, summary in (
        TestimonyPerson.objects.filter(person_id__in=ids).order_by("testimony_id", "person_id")
        .values_list("person_id", "testimony_id", "testimony__consent", "testimony__summary_public", "testimony__sensitive", "testimony__summary")
    ):
        root = record_root[person_id]
        if (root, testimony_id) in account_of or not _account_publishable(consent, cleared, sensitive, summary):
            continue
        accounts[root].append(summary.strip())
        account_of[(root, testimony_id)] = len(accounts[root])

    claims: dict[int, list[tuple[dt.date, int, PublicClaim]]] = defaultdict(list)
    derivation: dict[int, list[tuple[int, str, dt.date | None, int | None, int | None]]] = defaultdict(list)
    claim_rows = (
        Claim.objects.filter(_own_source_publishable(), person_id__in=ids)
        .select_related("facility", "place", "document")
        .annotate(testimony_consent=F("testimony__consent"), testifier_id=F("testimony__testifier_id"))
    )
    for c in claim_rows:
        root = record_root[c.person_id]
        if c.document_id is not None:
            d = c.document
            source = PublicSource("document", document=PublicDocument(d.pk, d.title, d.kind))
        else:
            source = PublicSource(
                "testimony", consent=c.testimony_consent, account=account_of.get((root, c.testimony_id)),  # type: ignore[attr-defined]
            )
        claim = PublicClaim(
            type=c.type,
            start=_dates(c.date, c.date_latest, c.date_precision),
            end=_dates(c.end_date, c.end_date_latest, c.end_date_precision),
            facility=PublicFacilityRef(c.facility.pk, c.facility.name) if c.facility is not None else None,
            place=_place(c.place),
            term_months=c.term_months,
            source=source,
        )
        claims[root].append((c.date or dt.date.max, c.pk, claim))
        derivation[root].append((c.pk, c.type, c.date, c.testifier_id, c.document_id))  # type: ignore[attr-defined]

    media: dict[int, list[PublicMedia]] = defaultdict(list)
    for person_id, media_id, kind in (
        Person.evidence.through.objects.filter(person_id__in=ids, evidencefile__in=_media_publishable())
        .order_by("evidencefile_id").values_list("person_id", "evidencefile_id", "evidencefile__kind")
    ):
        item = PublicMedia(media_id, kind, "image/jpeg" if kind == EvidenceFile.Kind.PHOTO else "")
        if item not in media[record_root[person_id]]:
            media[record_root[person_id]].append(item)
    served = _served_types([m.id for items in media.values() for m in items if not m.media_type])
    media = {root: [PublicMedia(m.id, m.kind, m.media_type or served[m.id]) for m in items] for root, items in media.items()}

    out: dict[int, PublicPerson] = {}
    for root, members in by_root.items():
        status, status_date, sources, level = derive(derivation.get(root, []))
        out[root] = PublicPerson(
            id=members[0].pk,
            names=tuple(names.get(root, [])),
            sex=next((m.sex for m in members if m.sex), ""),
            birth=_public_birth(next((m.birth for m in members if m.birth is not None), None)),
            ethnicity=next((m.ethnicity for m in members if m.ethnicity), ""),
            hometown=_place(next((m.hometown for m in members if m.hometown is not None), None)),
            claims=tuple(claim for _date, _pk, claim in sorted(claims.get(root, []), key=lambda t: (t[0], t[1]))),
            accounts=tuple(accounts.get(root, [])),
            media=tuple(media.get(root, [])),
            status=status,
            status_date=status_date,
            sources=sources,
            evidence_level=level,
        )
    return out


def _served_types(media_ids: list[int]) -> dict[int, str]:
    return dict(EvidenceFile.objects.filter(pk__in=media_ids).values_list("id", "media_type"))


def _page(rows: QuerySet, page: int) -> tuple[list[int], int]:  # type: ignore[type-arg]
    total = rows.count()
    start = (max(1, page) - 1) * PAGE_SIZE
    return [row["root"] for row in rows[start : start + PAGE_SIZE]], total


def _persons_in_order(roots: list[int]) -> tuple[PublicPerson, ...]:
    built = _build(roots)
    return tuple(built[r] for r in roots if r in built)


# --- Entry points: every one checks public.view ---------------------------------------------

def public_persons(*, actor: Actor, page: int = 1) -> PublicPage[PublicPerson]:
    """Every public person, in public-id order, one page at a time."""
    require(actor, "public.view")
    roots, total = _page(_clusters(), page)
    return PublicPage(_persons_in_order(roots), total, max(1, page), PAGE_SIZE)


def public_person(*, actor: Actor, person_id: int) -> PublicPerson | None:
    """The public person one of whose public records has this id, else None (as if it did not exist).

    The caller redirects when the returned person's ``id`` differs (a merge gave it a smaller one)."""
    require(actor, "public.view")
    record = Person.objects.filter(_record_publishable(), pk=person_id).annotate(root=_root()).values_list("root", flat=True).first()
    if record is None:
        return None
    return _build([record]).get(record)


def public_persons_all(*, actor: Actor) -> Iterator[PublicPerson]:
    """The whole projection, in public-id order (the dataset export)."""
    require(actor, "public.view")
    roots = [row["root"] for row in _clusters().iterator(chunk_size=5000)]
    for start in range(0, len(roots), BATCH):
        yield from _persons_in_order(roots[start : start + BATCH])


def public_search(*, actor: Actor, query: str, page: int = 1) -> PublicPage[PublicHit]:
    """Public persons with a public name matching ``query`` in any script, best first.

    Uses the staff search's name keys and scores, over public names only. Identity numbers are
    never searchable here: a match would confirm a number to whoever holds it."""
    require(actor, "public.view")
    query = query.strip()[:200]
    if not query:
        return PublicPage((), 0, 1, PAGE_SIZE)
    prepared = prepare(query)
    single = len(prepared.parts) <= 1
    pool, _truncated = name_pool(query_keys(query, prepared), SEARCH_POOL)
    public_ids = set(_public_names().filter(pk__in=[name_id for name_id, _text, _root in pool]).values_list("id", flat=True))
    best: dict[int, tuple[float, str]] = {}
    for name_id, text, root in pool:
        if name_id not in public_ids:
            continue
        if single:
            score = max((similarity(prepared, part) for part in text.replace("·", " ").split()), default=0.0)
        else:
            score = similarity(prepared, text)
        if score >= SEARCH_THRESHOLD and (root not in best or score > best[root][0]):
            best[root] = (score, text)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
    start = (max(1, page) - 1) * PAGE_SIZE
    window = ranked[start : start + PAGE_SIZE]
    built = _build([root for root, _best in window])
    hits = []
    for root, (score, text) in window:
        person = built.get(root)
        if person is None:
            continue
        name = next((n for n in person.names if n.text == text), None)
        if name is not None:
            hits.append(PublicHit(person, name, score))
    return PublicPage(tuple(hits), len(ranked), max(1, page), PAGE_SIZE)


def _facilities() -> QuerySet[Facility]:
    return Facility.objects.filter(pk__in=_public_claims().filter(facility__isnull=False).values("facility_id")).select_related("county")


def _persons_at(facility_ids: list[int]) -> dict[int, int]:
    """Public persons per facility: distinct clusters with a public claim there."""
    rows = (
        _public_claims().filter(facility_id__in=facility_ids).annotate(root=Coalesce("person__canonical_id", "person_id"))
        .values("facility_id").annotate(n=Count("root", distinct=True)).values_list("facility_id", "n")
    )
    return dict(rows)


def _facility(f: Facility, persons: int) -> PublicFacility:
    return PublicFacility(
        id=f.pk, name=f.name, other_names=tuple(str(n) for n in (f.other_names or [])), type=f.type,
        county=_place(f.county), latitude=f.latitude, longitude=f.longitude, persons=persons,
    )


def public_facilities(*, actor: Actor) -> tuple[PublicFacility, ...]:
    """Facilities named by at least one public claim (a facility only a withheld source names is withheld)."""
    require(actor, "public.view")
    facilities = list(_facilities())
    persons = _persons_at([f.pk for f in facilities])
    return tuple(sorted((_facility(f, persons.get(f.pk, 0)) for f in facilities), key=lambda f: (-f.persons, f.name, f.id)))


def public_facility(*, actor: Actor, facility_id: int, page: int = 1) -> tuple[PublicFacility, PublicPage[PublicPerson]] | None:
    """A public facility and the public persons reported held there (one page), else None."""
    require(actor, "public.view")
    f = _facilities().filter(pk=facility_id).first()
    if f is None:
        return None
    roots_here = _public_claims().filter(facility_id=facility_id).annotate(root=Coalesce("person__canonical_id", "person_id")).values("root")
    rows = _clusters().filter(root__in=roots_here)
    roots, total = _page(rows, page)
    return _facility(f, _persons_at([f.pk]).get(f.pk, 0)), PublicPage(_persons_in_order(roots), total, max(1, page), PAGE_SIZE)


def public_documents(*, actor: Actor) -> tuple[PublicDocument, ...]:
    """Documents an editor published: their title and kind only (never the file, rows or provenance)."""
    require(actor, "public.view")
    return tuple(PublicDocument(pk, title, kind) for pk, title, kind in _published_documents().order_by("id").values_list("id", "title", "kind"))


def public_statistics(*, actor: Actor) -> PublicStatistics:
    """Counts over the public projection only."""
    require(actor, "public.view")
    by_type = (
        _public_claims().annotate(root=Coalesce("person__canonical_id", "person_id")).values("type")
        .annotate(n=Count("root", distinct=True)).order_by("-n", "type")
    )
    return PublicStatistics(
        persons=_clusters().count(),
        facilities=_facilities().count(),
        documents=_published_documents().count(),
        by_claim_type=tuple((row["type"], row["n"]) for row in by_type),
    )


def public_media(*, actor: Actor, media_id: int) -> PublicMediaFile | None:
    """A media file the public may fetch (see the rule above), else None."""
    require(actor, "public.view")
    f = _media_publishable().filter(pk=media_id).first()
    if f is None:
        return None
    served = "image/jpeg" if f.kind == EvidenceFile.Kind.PHOTO else f.media_type
    return PublicMediaFile(PublicMedia(f.pk, f.kind, served), f.sha256, f.stored_path, f.media_type)
