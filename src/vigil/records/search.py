"""Finding persons: by any rendering of a name in any script, by identity number, and by filters.

The query is prepared once by the name engine; candidate names come from the indexed keys
(``NameKey``), so a Cyrillic query finds a name recorded in Chinese characters; each candidate is
then scored by ``vigil.core.names.similarity``. Results are cluster roots, one per person.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from vigil.access import Actor, allowed, require
from vigil.core import idnumbers
from vigil.core.names import PreparedName, prepare, similarity
from vigil.records.models import IdentityNumber, Name, NameKey, Person
from vigil.records.services.writer import name_index_keys

#: Search is for finding, so it is looser than the match threshold; scores are shown.
SEARCH_THRESHOLD = 0.70
#: Persons considered per query before scoring (the best-keyed first).
MAX_CANDIDATES = 3000
SORTS = {
    "relevance": None,
    "name": "romanized",
    "birth": "birth_date",
    "-birth": "-birth_date",
    "status_date": "status_date",
    "-status_date": "-status_date",
    "evidence": "-evidence_level",
    "recent": "-id",
}
_ID_LIKE = re.compile(r"^[\dXx\s\-]{15,22}$")


@dataclass(frozen=True, slots=True)
class PersonFilters:
    status: str = ""
    ethnicity: str = ""
    sex: str = ""
    county: str = ""  # GB/T 2260 code; a prefecture code (…00) takes its counties
    facility: int | None = None
    detained_from: dt.date | None = None
    detained_to: dt.date | None = None
    born_from: dt.date | None = None
    born_to: dt.date | None = None
    evidence_min: int | None = None


@dataclass(slots=True)
class SearchHit:
    person: Person
    score: float | None  # None when no name was searched
    name: Name | None  # the rendering that matched best


@dataclass(slots=True)
class SearchResult:
    hits: list[SearchHit]
    total: int
    query_kind: str  # "name", "id_number", "none"
    notes: list[str] = field(default_factory=list)


def _filtered(qs: QuerySet[Person], f: PersonFilters) -> QuerySet[Person]:
    if f.status:
        qs = qs.filter(status=f.status)
    if f.ethnicity:
        qs = qs.filter(cluster__ethnicity=f.ethnicity)
    if f.sex:
        qs = qs.filter(cluster__sex=f.sex)
    if f.county:
        if f.county.endswith("00"):
            qs = qs.filter(cluster__hometown__code__startswith=f.county[:4])
        else:
            qs = qs.filter(cluster__hometown__code=f.county)
    if f.facility:
        qs = qs.filter(cluster__claims__facility_id=f.facility)
    if f.detained_from or f.detained_to:
        claim = Q(cluster__claims__type__in=["detained", "held_at"])
        if f.detained_from:
            claim &= Q(cluster__claims__date_latest__gte=f.detained_from)
        if f.detained_to:
            claim &= Q(cluster__claims__date__lte=f.detained_to)
        qs = qs.filter(claim)
    if f.born_from:
        qs = qs.filter(cluster__birth_date_latest__gte=f.born_from)
    if f.born_to:
        qs = qs.filter(cluster__birth_date__lte=f.born_to)
    if f.evidence_min is not None:
        qs = qs.filter(evidence_level__gte=f.evidence_min)
    return qs


def _roots() -> QuerySet[Person]:
    return Person.objects.filter(merged_into__isnull=True)


def _needs_distinct(f: PersonFilters) -> bool:
    return any((f.ethnicity, f.sex, f.county, f.facility, f.detained_from, f.detained_to, f.born_from, f.born_to))


def query_keys(text: str, prepared: PreparedName) -> list[str]:
    """The index keys to look a typed name up by: the part keys (``p:…``) for one part alone, the
    cross-script match keys for a longer name (falling back to whichever kind exists)."""
    keys = name_index_keys(text)
    multi = len(prepared.parts) > 1
    return [k for k in keys if k.startswith("p:") != multi] or keys


def name_pool(keys: list[str], limit: int) -> tuple[list[tuple[int, str, int]], bool]:
    """(name id, text, cluster root) of the names sharing the most of ``keys``, at most ``limit``,
    and whether the limit cut the list.

    Counting per name id alone lets SQLite answer from the (key, name) index; the texts and roots
    of the winners are fetched afterwards (several times faster than one joined query).
    """
    ranked = list(NameKey.objects.filter(key__in=keys).values_list("name_id").annotate(shared=Count("key")).order_by("-shared")[:limit])
    rows = list(Name.objects.filter(pk__in=[name_id for name_id, _shared in ranked]).values_list("id", "text", "person__canonical_id"))
    return rows, len(ranked) == limit


def person_search(
    *, actor: Actor, query: str = "", filters: PersonFilters | None = None, sort: str = "relevance", offset: int = 0, limit: int = 25
) -> SearchResult:
    """Persons whose names match ``query`` in any script (or whose identity number it is, for roles
    that may see numbers), filtered and sorted."""
    require(actor, "person.view")
    f = filters or PersonFilters()
    query = query.strip()
    if query and _ID_LIKE.match(query) and allowed(actor, "identity_number.view"):
        normalized = idnumbers.check(query, scheme="cn_ric").normalized
        roots = IdentityNumber.objects.filter(lookup=IdentityNumber.lookup_of(normalized)).values_list("person__canonical_id", flat=True)
        qs = _filtered(_roots().filter(pk__in=list(roots)), f)
        if _needs_distinct(f):
            qs = qs.distinct()
        persons = list(qs.order_by("id")[offset : offset + limit])
        return SearchResult([SearchHit(p, None, None) for p in persons], qs.count(), "id_number")
    if not query:
        qs = _filtered(_roots(), f)
        if _needs_distinct(f):
            qs = qs.distinct()
        order = SORTS.get(sort) or "-id"
        if order.lstrip("-") == "romanized":
            order = "id"
        persons = list(qs.order_by(order, "id")[offset : offset + limit])
        return SearchResult([SearchHit(p, None, None) for p in persons], qs.count(), "none")

    prepared = prepare(query)
    single = len(prepared.parts) <= 1
    rows, truncated = name_pool(query_keys(query, prepared), MAX_CANDIDATES)
    notes: list[str] = []
    scored: dict[int, tuple[float, int]] = {}
    for name_id, text, root in rows:
        if single:
            score = max((similarity(prepared, part) for part in text.replace("·", " ").split()), default=0.0)
        else:
            score = similarity(prepared, text)
        if score >= SEARCH_THRESHOLD and (root not in scored or score > scored[root][0]):
            scored[root] = (score, name_id)
    if truncated:
        notes.append("many names share these keys; add more of the name, or a filter, to narrow the search")
    allowed = set(scored)
    if scored and (f != PersonFilters()):
        allowed = set(_filtered(_roots().filter(pk__in=list(scored)), f).values_list("id", flat=True))
    best = {root: (score, name_id) for root, (score, name_id) in scored.items() if root in allowed}
    names = Name.objects.in_bulk([name_id for _score, name_id in best.values()])
    best_named = {root: (score, names[name_id]) for root, (score, name_id) in best.items()}
    persons = Person.objects.in_bulk(list(best_named))
    hits = [SearchHit(persons[pk], score, name) for pk, (score, name) in best_named.items() if pk in persons]
    order = SORTS.get(sort)
    if order is None:
        hits.sort(key=lambda h: (-(h.score or 0), h.person.pk))
    else:
        attr = order.lstrip("-")
        reverse = order.startswith("-")
        if attr == "romanized":
            hits.sort(key=lambda h: (h.name.romanized if h.name else "", h.person.pk))
        else:
            present = [h for h in hits if getattr(h.person, attr) is not None]
            missing = [h for h in hits if getattr(h.person, attr) is None]
            present.sort(key=lambda h: getattr(h.person, attr), reverse=reverse)
            hits = present + missing
    return SearchResult(hits[offset : offset + limit], len(hits), "name", notes)
