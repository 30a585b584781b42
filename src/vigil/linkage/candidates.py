"""Intake suggestions: the existing persons most likely to be the person being entered.

Runs as a volunteer types, so it never runs Splink: indexed name keys (and the identity number)
find a few dozen candidate persons, and the trained model's m/u weights score each in Python
(``vigil.core.linkage.score_pair``). Without a trained model the names alone rank them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


from vigil.access import Actor, require
from vigil.core import idnumbers
from vigil.core.linkage import prepare_record, score_pair
from vigil.core.names import MATCH_THRESHOLD, prepare, similarity
from vigil.linkage.features import person_of, prepared_records
from vigil.linkage.trained import model_load
from vigil.records.models import IdentityNumber, Name, Person
from vigil.records.search import name_pool, query_keys

#: Names sharing a key with the query that are compared by name first, and persons then scored in full.
NAME_POOL = 400
SHORTLIST = 25

FIELD_LABELS = {
    "name": "full name", "given": "given name", "father": "father's name", "id_number": "identity number",
    "birth": "birth date", "sex": "sex", "ethnicity": "ethnicity", "place": "hometown", "address": "address",
    "facility": "facility", "detained": "detention date",
}


@dataclass(frozen=True, slots=True)
class CandidateQuery:
    """What is known so far of the person being entered (any field may be empty)."""

    names: tuple[str, ...] = ()
    birth_date: str | None = None  # YYYYMMDD, YYYY-MM-DD or YYYY
    sex: str | None = None
    ethnicity: str | None = None
    id_number: str | None = None
    place: str | None = None  # a GB/T 2260 code or a place name in any script


@dataclass(slots=True)
class Candidate:
    person: Person
    probability: float
    name_score: float
    matched_name: str  # the rendering on record that matched best
    query_name: str
    field_weights: dict[str, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)


def _query_records(q: CandidateQuery) -> list:
    birth = (q.birth_date or "").replace("-", "")
    base = {
        "birth_date": birth if len(birth) == 8 else None,
        "birth_year": int(birth[:4]) if len(birth) >= 4 and birth[:4].isdigit() else None,
        "sex": q.sex or None, "ethnicity": q.ethnicity or None, "id_number": q.id_number or None,
        "place": q.place or None,
    }
    names = [n for n in q.names if n.strip()] or [None]
    return [prepare_record({"id": f"q:{i}", "full_name": n, **base}) for i, n in enumerate(names)]


def _shortlist(q: CandidateQuery) -> list[int]:
    """Cluster roots worth scoring: those whose names share keys with the query and score best on the
    name alone (a cheap first pass), and any holder of the queried identity number."""
    roots: list[int] = []
    if q.id_number:
        normalized = idnumbers.check(q.id_number, scheme="cn_ric").normalized
        roots += list(IdentityNumber.objects.filter(lookup=IdentityNumber.lookup_of(normalized)).values_list("person__canonical_id", flat=True)[:20])
    by_name: dict[int, float] = {}
    for text in q.names:
        if not text.strip():
            continue
        prepared = prepare(text)
        rows, _truncated = name_pool(query_keys(text, prepared), NAME_POOL)
        score_of: dict[str, float] = {}  # a pool holds the same text many times (Erlan, Айгүл)
        for _name_id, stored, root in rows:
            score = score_of.get(stored)
            if score is None:
                score = score_of[stored] = similarity(prepared, stored)
            if score > by_name.get(root, -1.0):
                by_name[root] = score
    ranked = sorted(by_name, key=lambda r: -by_name[r])[:SHORTLIST]
    seen: dict[int, None] = {}
    for r in roots + ranked:
        seen.setdefault(r, None)
    return list(seen)


def candidates(query: CandidateQuery, *, actor: Actor, limit: int = 8, exclude: set[int] | None = None) -> list[Candidate]:
    """The existing persons (cluster roots) most likely to be the queried person, best first, with reasons."""
    require(actor, "person.view")
    roots = [r for r in _shortlist(query) if not exclude or r not in exclude]
    if not roots:
        return []
    members = dict(Person.objects.filter(canonical_id__in=roots).values_list("id", "canonical_id"))
    # A field the query lacks is compared at its null level whatever a person holds, so the persons'
    # identity numbers are decrypted only when the query has one, and facilities (never asked) not read.
    records = prepared_records(members, numbers=bool(query.id_number), custody=False)
    model = model_load()
    query_records = _query_records(query) if model is not None else []
    wanted = [n for n in query.names if n.strip()]
    prepared_q = [prepare(n) for n in wanted]
    names = dict(Name.objects.filter(person_id__in=members, kind__in=["full", "alias"]).values_list("id", "text"))
    name_of: dict[str, tuple[float, str]] = {}  # a person's renderings repeat across the cluster
    best: dict[int, Candidate] = {}
    for rec in records:
        root = members[person_of(rec.unique_id)]
        name_id = int(rec.unique_id.split(":", 1)[1])
        stored = names.get(name_id, rec.name or "")
        found = name_of.get(stored)
        if found is None:
            found = name_of[stored] = max(((similarity(pq, stored), n) for pq, n in zip(prepared_q, wanted)), default=(0.0, ""))
        name_score, query_name = found
        if model is not None:
            probability, weights = max((score_pair(model, qr, rec) for qr in query_records), key=lambda s: s[0])
        else:
            probability, weights = name_score, {}
        current = best.get(root)
        if current is None or (probability, name_score) > (current.probability, current.name_score):
            best[root] = Candidate(
                person=None,  # type: ignore[arg-type]  (filled below, one query for all)
                probability=probability, name_score=name_score, matched_name=stored, query_name=query_name,
                field_weights=weights,
            )
    ranked = sorted(best.items(), key=lambda kv: (-kv[1].probability, -kv[1].name_score, kv[0]))
    # Neither the name nor the identity number points at a person below half the name score.
    kept = [(root, cand) for root, cand in ranked if cand.name_score >= 0.5 or cand.field_weights.get("id_number", 0) > 0][:limit]
    persons = Person.objects.in_bulk([root for root, _cand in kept])
    for root, cand in kept:
        cand.person = persons[root]
        cand.reasons = _reasons(cand)
    return [cand for _root, cand in kept]


def _reasons(c: Candidate) -> list[str]:
    reasons = []
    if c.name_score >= MATCH_THRESHOLD:
        reasons.append(f"name: {c.query_name} ≈ {c.matched_name} ({c.name_score:.2f})")
    elif c.name_score > 0:
        reasons.append(f"name partly: {c.query_name} ~ {c.matched_name} ({c.name_score:.2f})")
    for fld, weight in sorted(c.field_weights.items(), key=lambda kv: -kv[1]):
        label = FIELD_LABELS.get(fld, fld.replace("_", " "))
        if fld == "name":
            continue  # said above, with the renderings
        if weight >= 1:
            reasons.append(f"{label} agrees (+{weight:.1f})")
        elif weight <= -1:
            reasons.append(f"{label} differs ({weight:.1f})")
    return reasons
