"""Reading persons for clients other than the web pages (the API): the same search, with the permission check.

A person is a cluster of records (``Person.canonical``); every read here answers for the root, and
a merged record's id answers with its cluster.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from vigil.access import Actor, allowed, require
from vigil.records.models import Claim, IdentityNumber, Name, Person
from vigil.records.search import PersonFilters, SearchResult, person_search
from vigil.records.selectors import (
    Timeline,
    person_cluster,
    person_identity_numbers,
    person_names,
    person_root,
    person_testimonies,
    person_timeline,
)


def person_list(
    *, actor: Actor, query: str = "", filters: PersonFilters | None = None, sort: str = "relevance", offset: int = 0, limit: int = 25
) -> SearchResult:
    """Persons matching ``query`` in any script (or by identity number), filtered: the web search's results."""
    require(actor, "person.view")
    return person_search(actor=actor, query=query, filters=filters, sort=sort, offset=offset, limit=limit)


@dataclass(frozen=True, slots=True)
class PersonDetail:
    person: Person  # the cluster's root
    records: list[int]  # every record of the cluster, root first
    names: list[Name]
    identity_numbers: list[IdentityNumber] | None  # None: the actor may not see them
    claims: list[Claim]
    timeline: Timeline
    testimony_ids: list[int]


def person_detail(*, actor: Actor, person_id: int) -> PersonDetail:
    """Everything on record about a person (the cluster of ``person_id``), as the person page shows it.

    Raises Http404 for an unknown id.
    """
    require(actor, "person.view")
    record = get_object_or_404(Person, pk=person_id)
    root = person_root(person=record)
    numbers = list(person_identity_numbers(actor=actor, person=root)) if allowed(actor, "identity_number.view") else None
    claims = list(
        Claim.objects.filter(person__canonical_id=root.pk).select_related("facility", "place").order_by("date", "id")
    )
    return PersonDetail(
        person=root,
        records=list(person_cluster(person=root).values_list("id", flat=True)),
        names=list(person_names(actor=actor, person=root)),
        identity_numbers=numbers,
        claims=claims,
        timeline=person_timeline(actor=actor, person=root),
        testimony_ids=list(t.pk for t in person_testimonies(actor=actor, person=root)),
    )
