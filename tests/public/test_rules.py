"""The publication rules of docs/public.md, one by one, through the one public selector."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from tests.conftest import grant
from vigil.audit.models import AuditEntry
from vigil.public import selectors
from vigil.public.services import document_publish, evidence_metadata_check, testimony_summary_publish
from vigil.records.models import Testimony


def visible(world, key):
    return selectors.public_person(actor=None, person_id=world.persons[key].pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "public"),
    [
        ("none", False),  # testimony, consent none
        ("anon", True),  # testimony, consent anonymised
        ("full", True),  # testimony, consent full
        ("full_uncleared", True),  # testimony, consent full, summary not cleared
        ("list_published", True),  # leaked list an editor published
        ("list_unpublished", False),  # leaked list not published
    ],
)
def test_a_person_record_is_public_only_when_its_source_allows(world, key, public):
    """Consent none and unpublished documents hide a record; anonymised, full and published documents show it."""
    assert (visible(world, key) is not None) is public


@pytest.mark.django_db
def test_anonymised_consent_publishes_the_facts_without_the_testimony_text(world):
    """Under anonymised consent the claims appear, sourced "testimony (anonymised)", with no summary even if cleared."""
    person = visible(world, "anon")
    assert {c.type for c in person.claims} == {"detained", "held_at", "transferred"}
    assert {c.source.label for c in person.claims} == {"testimony (anonymised)"}
    assert person.accounts == () and all(c.source.account is None for c in person.claims)


@pytest.mark.django_db
def test_full_consent_publishes_a_summary_only_once_an_editor_cleared_it(world, publisher):
    """A full-consent testimony's summary is public after clearance, and leaves again when clearance is withdrawn."""
    assert visible(world, "full").accounts == ("FULL-SUMMARY-VISIBLE: he ran a bakery.",)
    assert {c.source.account for c in visible(world, "full").claims} == {1}
    assert visible(world, "full_uncleared").accounts == ()
    testimony_summary_publish(actor=publisher, testimony=world.testimonies["full"], public=False)
    assert visible(world, "full").accounts == ()


@pytest.mark.django_db
def test_a_summary_marked_sensitive_never_goes_public(world):
    """Marking a cleared, full-consent testimony sensitive takes its summary off the public view; the facts stay."""
    Testimony.objects.filter(pk=world.testimonies["full"].pk).update(sensitive=True)
    person = visible(world, "full")
    assert person.accounts == () and person.claims


@pytest.mark.django_db
def test_withdrawn_consent_takes_the_person_off_at_once(world):
    """Changing a testimony's consent to none removes its person from every public read."""
    Testimony.objects.filter(pk=world.testimonies["anon"].pk).update(consent=Testimony.Consent.NONE)
    assert visible(world, "anon") is None
    assert world.persons["anon"].pk not in {p.id for p in selectors.public_persons(actor=None).items}
    assert selectors.public_search(actor=None, query="Erlan Anonimuly").total == 0


@pytest.mark.django_db
def test_a_cluster_shows_only_its_public_records(world):
    """A public record merged into a withheld one keeps its own id and shows none of the withheld record's data."""
    full, hidden = world.persons["full"], world.persons["merged_hidden"]
    assert full.canonical_id == hidden.pk  # the root is the withheld record
    person = visible(world, "full")
    assert person.id == full.pk
    assert [n.text for n in person.names] == ["Marat Fullconsent"]
    assert selectors.public_person(actor=None, person_id=hidden.pk) is None


@pytest.mark.django_db
def test_birth_is_public_to_the_year_only(world):
    """An exact birth day (1980-07-23) is published as its year."""
    assert world.persons["anon"].birth_precision == "day"
    assert str(visible(world, "anon").birth) == "1980"


@pytest.mark.django_db
def test_free_text_never_leaves(world):
    """A claim whose place is only free text is public without the text; a hometown given as text is not shown."""
    person = visible(world, "full_uncleared")
    transferred = next(c for c in person.claims if c.type == "transferred")
    assert transferred.place is None and person.hometown is None


@pytest.mark.django_db
def test_a_published_document_gives_facts_under_its_title_never_its_rows(world, publisher):
    """A published list's persons appear with the list's title as source; withdrawing publication hides them again."""
    person = visible(world, "list_published")
    assert [c.source.label for c in person.claims] == ["Synthetic Published List"]
    assert [d.title for d in selectors.public_documents(actor=None)] == ["Synthetic Published List"]
    document_publish(actor=publisher, document=world.documents["list_published"], published=False)
    assert visible(world, "list_published") is None
    assert selectors.public_documents(actor=None) == ()


@pytest.mark.django_db
def test_facilities_named_only_by_withheld_sources_are_withheld(world):
    """A facility that only a consent-none testimony names is not a public facility."""
    names = {f.name for f in selectors.public_facilities(actor=None)}
    assert names == {"Synthetic Detention Centre No. 1", "Synthetic Prison No. 2"}
    centre = next(f for f in selectors.public_facilities(actor=None) if f.name == "Synthetic Detention Centre No. 1")
    assert centre.persons == 3  # anon, full, full_uncleared; the withheld one is not counted


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "public"),
    [
        ("photo_full", True),  # photo, full consent: published as a metadata-free copy
        ("photo_anon", False),  # photo, anonymised consent
        ("video_unchecked", False),  # video, full consent, metadata not checked
        ("video_checked", True),  # video, full consent, metadata checked
        ("video_anon_checked", False),  # video, anonymised consent, metadata checked
    ],
)
def test_media_rules(world, key, public):
    """Photos need full consent; videos need full consent and checked metadata."""
    found = selectors.public_media(actor=None, media_id=world.media[key].pk)
    assert (found is not None) is public
    on_pages = {m.id for p in selectors.public_persons_all(actor=None) for m in p.media}
    assert (world.media[key].pk in on_pages) is public


@pytest.mark.django_db
def test_checking_a_videos_metadata_is_what_publishes_it(world, publisher):
    """The same video becomes public when an editor records the metadata check, and leaves when it is withdrawn."""
    video = world.media["video_unchecked"]
    evidence_metadata_check(actor=publisher, evidence=video)
    assert selectors.public_media(actor=None, media_id=video.pk) is not None
    evidence_metadata_check(actor=publisher, evidence=video, checked=False)
    assert selectors.public_media(actor=None, media_id=video.pk) is None


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Erlan Anonimuly", "Ерлан Анонимұлы", "Marat", "买买提·公开"])
def test_search_finds_public_persons_in_any_script(world, query):
    """Public search finds public names across scripts."""
    assert selectors.public_search(actor=None, query=query).total == 1


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Zzhidden Nonconsentuly", "Zzmerged Hiddenuly", "Zzunpub Listperson", "650102198007230016"])
def test_search_never_finds_withheld_names_or_identity_numbers(world, query):
    """Names from withheld sources are not searchable, not even through a public record of the same cluster; numbers never."""
    assert selectors.public_search(actor=None, query=query).total == 0


@pytest.mark.django_db
def test_statistics_count_only_the_public_projection(world):
    """The counts on the home page are of public persons, facilities and documents only."""
    stats = selectors.public_statistics(actor=None)
    assert (stats.persons, stats.facilities, stats.documents) == (4, 2, 1)
    assert dict(stats.by_claim_type)["held_at"] == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("service", "target", "action"),
    [
        (document_publish, "document", "document.publish"),
        (testimony_summary_publish, "testimony", "testimony.summary_publish"),
        (evidence_metadata_check, "evidence", "evidence.metadata_checked"),
    ],
)
def test_publication_decisions_are_editors_and_audited(world, publisher, django_user_model, service, target, action):
    """Only an editor (or administrator) decides publication, and each decision is an audit entry; a researcher may not."""
    objects = {
        "document": world.documents["list_unpublished"], "testimony": world.testimonies["full_uncleared"],
        "evidence": world.media["video_unchecked"],
    }
    researcher = grant(django_user_model.objects.create_user(username="researcher", password="x-unused-x"), "researcher")
    with pytest.raises(PermissionDenied):
        service(actor=researcher, **{target: objects[target]})
    with pytest.raises(PermissionDenied):
        service(actor=None, **{target: objects[target]})
    entries = AuditEntry.objects.filter(action=action, object_id=str(objects[target].pk))
    before = entries.count()
    service(actor=publisher, **{target: objects[target]})
    assert entries.count() == before + 1


@pytest.mark.django_db
def test_a_facility_page_lists_its_public_persons_only(world):
    """The facility's persons are the public persons with a public claim there; a withheld facility is not found."""
    centre = next(f for f in selectors.public_facilities(actor=None) if f.name == "Synthetic Detention Centre No. 1")
    facility, page = selectors.public_facility(actor=None, facility_id=centre.id)
    expected = {world.persons[k].pk for k in ("anon", "full", "full_uncleared")}
    assert {p.id for p in page.items} == expected and page.total == 3
    withheld = world.persons["none"].claims.get(type="held_at").facility_id
    assert selectors.public_facility(actor=None, facility_id=withheld) is None
