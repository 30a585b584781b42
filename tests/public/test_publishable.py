"""Which person records are publishable, source by source, and the public counts against the public lists.

The records here are written directly, one contribution each, so that every way a source can
reach a record (a testimony about it, the list row it was made from, the source of a name, a claim
or an identity number) is checked alone. Only synthetic people.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

import pytest
from django.db.models import Q
from django.urls import reverse

from vigil.evidence.models import Document, DocumentRow
from vigil.places.models import Facility
from vigil.public import selectors
from vigil.records.models import Claim, IdentityNumber, Name, Person, Testifier, Testimony, TestimonyPerson

#: Each record of the world, and whether the rule (docs/public.md, "Person records") makes it public.
EXPECTED = {
    # a testimony about the record
    "testimony_full": True,
    "testimony_anonymised": True,
    "testimony_none": False,
    "testimony_unknown_consent": False,  # a consent vigil does not know is not a consent to publish
    # the list row the record was made from
    "row_published": True,
    "row_unpublished": False,
    # a name, a claim or an identity number as the record's only source
    "name_anonymised": True,
    "claim_published": True,
    "number_full": True,
    # a record a publishable testimony is about, with one more source that is withheld
    "full_with_name_none": False,
    "full_with_name_unpublished": False,
    "full_with_claim_none": False,
    "full_with_claim_unpublished": False,
    "full_with_number_none": False,
    "full_with_number_unpublished": False,
    "full_with_row_unpublished": False,
    "full_with_testimony_none": False,
    # one name asserted by a publishable testimony and an unpublished document at once
    "name_full_and_unpublished": False,
    # names and numbers without any source neither give nor take a record's publication
    "full_with_unsourced_name_and_number": True,
    "unsourced_name_only": False,
    "nothing": False,
    # a public record merged into a withheld one: the record stays public, the root does not
    "merged_public": True,
    "merged_root_none": False,
}

_sha = itertools.count(1)


def _testimony(consent: str) -> Testimony:
    testifier = Testifier.objects.create()
    day = dt.date(2019, 5, 3)
    return Testimony.objects.create(testifier=testifier, date=day, date_latest=day, date_precision="day", consent=consent)


def _document(*, published: bool) -> Document:
    return Document.objects.create(title=f"Synthetic list {published}", sha256=f"{next(_sha):064x}", published=published)


def _person(key: str) -> Person:
    person = Person.objects.create(ref=key)
    Person.objects.filter(pk=person.pk).update(canonical=person)
    return person


def _number(person: Person, **source: object) -> IdentityNumber:
    return IdentityNumber.objects.create(
        person=person, scheme="other", value="SYN-0", normalized="SYN-0", lookup="syn", valid=False, **source,
    )


@pytest.fixture
def sources(db) -> dict[str, Testimony | Document]:
    return {
        "full": _testimony("full"),
        "anonymised": _testimony("anonymised"),
        "none": _testimony("none"),
        "unknown": _testimony(""),
        "published": _document(published=True),
        "unpublished": _document(published=False),
    }


@pytest.fixture
def records(sources) -> dict[str, Person]:
    s = sources
    facility = {f: Facility.objects.create(name=f"Synthetic Facility {f}") for f in ("public", "withheld")}
    rows = itertools.count(2)
    p = {key: _person(key) for key in EXPECTED}

    def about(key: str, testimony: str) -> None:
        TestimonyPerson.objects.create(person=p[key], testimony=s[testimony])
        # every record a testimony is about has a claim from it, so that counts have something to count
        held = facility["public" if EXPECTED[key] else "withheld"]
        Claim.objects.create(person=p[key], type=Claim.Type.HELD_AT, facility=held, testimony=s[testimony])

    def row(key: str, document: str) -> None:
        DocumentRow.objects.create(document=s[document], number=next(rows), data={"name": "SYN"}, person=p[key])

    about("testimony_full", "full")
    about("testimony_anonymised", "anonymised")
    about("testimony_none", "none")
    about("testimony_unknown_consent", "unknown")
    row("row_published", "published")
    row("row_unpublished", "unpublished")
    Name.objects.create(person=p["name_anonymised"], text="Synthetic Anon", script="latin", testimony=s["anonymised"])
    Claim.objects.create(person=p["claim_published"], type=Claim.Type.DETAINED, document=s["published"])
    _number(p["number_full"], testimony=s["full"])
    for key in EXPECTED:
        if key.startswith("full_with_"):
            about(key, "full")
    Name.objects.create(person=p["full_with_name_none"], text="Synthetic None", script="latin", testimony=s["none"])
    Name.objects.create(person=p["full_with_name_unpublished"], text="Synthetic Unpub", script="latin", document=s["unpublished"])
    Claim.objects.create(person=p["full_with_claim_none"], type=Claim.Type.RELEASED, testimony=s["none"])
    Claim.objects.create(person=p["full_with_claim_unpublished"], type=Claim.Type.RELEASED, document=s["unpublished"])
    _number(p["full_with_number_none"], testimony=s["none"])
    _number(p["full_with_number_unpublished"], document=s["unpublished"])
    row("full_with_row_unpublished", "unpublished")
    TestimonyPerson.objects.create(person=p["full_with_testimony_none"], testimony=s["none"])
    about("name_full_and_unpublished", "full")
    Name.objects.create(person=p["name_full_and_unpublished"], text="Synthetic Both", script="latin", testimony=s["full"], document=s["unpublished"])
    for key in ("full_with_unsourced_name_and_number", "unsourced_name_only"):
        Name.objects.create(person=p[key], text="Synthetic Nosource", script="latin")
    _number(p["full_with_unsourced_name_and_number"])
    about("merged_public", "anonymised")
    about("merged_root_none", "none")
    Person.objects.filter(pk=p["merged_public"].pk).update(canonical=p["merged_root_none"], merged_into=p["merged_root_none"])
    # A row of an unpublished list that no record was made from must not withhold anything.
    row_without_person = DocumentRow.objects.create(document=s["unpublished"], number=next(rows), data={"name": "SYN"})
    assert row_without_person.person_id is None
    return p


def _public_keys(records: dict[str, Person], ids: set[int]) -> set[str]:
    return {key for key, person in records.items() if person.pk in ids}


@pytest.mark.django_db
def test_records_publishable_is_exactly_what_the_rule_says(records):
    """A record is publishable when it has a source and every source that reached it allows publication, checked kind by kind."""
    expected = {key for key, public in EXPECTED.items() if public}
    assert _public_keys(records, set(selectors.records_publishable().values_list("id", flat=True))) == expected


@pytest.mark.django_db
def test_asking_record_by_record_gives_the_same_records(records):
    """The rule asked of one record at a time (pages, search, the dataset's batches) agrees with the rule over all records."""
    expected = {key for key, public in EXPECTED.items() if public}
    assert _public_keys(records, set(Person.objects.filter(selectors._record_publishable()).values_list("id", flat=True))) == expected
    shown = {key for key, person in records.items() if selectors.public_person(actor=None, person_id=person.pk) is not None}
    assert shown == expected


def _check_counts_equal_lists(client) -> tuple[int, int]:
    stats = client.get(reverse("public:home")).context["stats"]
    persons = list(selectors.public_persons_all(actor=None))
    assert stats.persons == len(persons) == client.get(reverse("public:persons")).context["page"].total
    facilities = client.get(reverse("public:facilities")).context["facilities"]
    assert stats.facilities == len(facilities)
    for f in facilities:
        assert f.persons == client.get(reverse("public:facility", args=[f.id])).context["page"].total
    assert stats.documents == len(selectors.public_documents(actor=None))
    by_type = Counter(t for p in persons for t in {c.type for c in p.claims})
    assert dict(stats.by_claim_type) == dict(by_type)
    return stats.persons, stats.facilities


@pytest.mark.django_db
def test_the_home_page_counts_are_the_lengths_of_the_public_lists(records, client):
    """Persons, facilities, documents and persons per kind of claim on the home page count what the public lists show."""
    persons, facilities = _check_counts_equal_lists(client)
    # merged_public and merged_root_none are one person, shown by its public record
    assert persons == sum(EXPECTED.values())
    assert facilities == 1  # the facility that only withheld claims name is not counted


@pytest.mark.django_db
def test_a_withdrawn_consent_leaves_the_counts_in_the_next_request(records, sources, client):
    """Withdrawing a consent takes its records out of every count at once, and the counts still match the lists."""
    before, _ = _check_counts_equal_lists(client)
    Testimony.objects.filter(pk=sources["anonymised"].pk).update(consent=Testimony.Consent.NONE)
    after, _ = _check_counts_equal_lists(client)
    withdrawn = Person.objects.filter(Q(testimonies=sources["anonymised"]) | Q(names__testimony=sources["anonymised"])).distinct().count()
    assert withdrawn == 3 and after == before - withdrawn


@pytest.mark.django_db
def test_the_counts_are_the_lengths_of_the_lists_in_the_shared_world(world, client):
    """With consents of every level, a merge into a withheld record and both kinds of list, the counts still match the lists."""
    assert _check_counts_equal_lists(client) == (4, 2)
