import pytest
from django.core.exceptions import PermissionDenied

from tests.conftest import testimony_line
from vigil.audit.models import AuditEntry
from vigil.audit.selectors import audit_chain_verify
from vigil.core.intake import parse_testimony
from vigil.records.models import Claim, IdentityNumber, Name, NameKey, Person, Testifier, Testimony
from vigil.records.selectors import person_timeline
from vigil.records.services import testimony_record


def draft(**overrides):
    d, errors = parse_testimony(testimony_line(**overrides))
    assert not errors
    return d


@pytest.mark.django_db
def test_testimony_record_writes_everything(places, editor):
    """Recording a testimony creates its testifier, person, names, numbers and claims, with audit entries."""
    before = AuditEntry.objects.count()
    testimony = testimony_record(actor=editor, draft=draft())
    assert testimony.recorded_by == editor
    person = Person.objects.get(ref="R1")
    assert list(testimony.persons.all()) == [person]
    assert person.hometown is not None and person.hometown.code == "654021"
    assert person.birth is not None and str(person.birth) == "1978"
    names = list(person.names.order_by("id"))
    assert [(n.text, n.script) for n in names] == [("Ерлан Серікұлы", "cyrillic"), ("叶尔兰·赛力克", "han")]
    assert all(n.romanized and n.testimony == testimony for n in names)
    assert NameKey.objects.filter(name__person=person).exists()
    number = IdentityNumber.objects.get(person=person)
    assert number.valid and number.county_code == "650102" and number.sex == "m"
    assert Claim.objects.filter(person=person).count() == 3
    assert all(c.testimony == testimony for c in Claim.objects.filter(person=person))
    assert Claim.objects.get(person=person, type="held_at").facility.county.code == "654021"
    assert AuditEntry.objects.count() == before + 2
    created = AuditEntry.objects.get(action="person.create")
    assert created.object_id == str(person.pk) and created.detail["testimony"] == testimony.pk
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "testimony.record" and entry.actor == editor
    assert entry.detail["persons"] == [person.pk]
    assert audit_chain_verify().ok


@pytest.mark.django_db
def test_testifier_details_never_reach_the_audit_log(places, editor):
    """The testifier's name, phone and e-mail are not written into audit entries."""
    testimony_record(actor=editor, draft=draft())
    text = " ".join(str(e.detail) + e.object_id for e in AuditEntry.objects.all())
    for secret in ("Айгүл", "+7 700 555 0101", "aigul@example.org"):
        assert secret not in text
    assert "Айгүл" not in str(Testifier.objects.get())


@pytest.mark.django_db
def test_recording_needs_permission(places, reader):
    """A user without the add-testimony permission cannot record, and nothing is written."""
    with pytest.raises(PermissionDenied):
        testimony_record(actor=reader, draft=draft())
    with pytest.raises(PermissionDenied):
        testimony_record(actor=None, draft=draft())
    assert Testimony.objects.count() == 0 and Person.objects.count() == 0


@pytest.mark.django_db
def test_same_testifier_ref_is_one_testifier(places, editor):
    """Two testimonies with the same testifier ref share one testifier."""
    testimony_record(actor=editor, draft=draft())
    second = testimony_line(ref="T2")
    second["persons"][0]["ref"] = "R2"
    testimony_record(actor=editor, draft=parse_testimony(second)[0])
    assert Testifier.objects.count() == 1
    assert Testimony.objects.count() == 2


@pytest.mark.django_db
def test_failed_number_is_stored_with_reason(places, editor):
    """An identity number that fails its check is kept, flagged with the reason."""
    line = testimony_line()
    line["persons"][0]["identity_numbers"] = [{"scheme": "cn_ric", "value": "650102198003120010"}]
    testimony_record(actor=editor, draft=parse_testimony(line)[0])
    number = IdentityNumber.objects.get()
    assert not number.valid and "check digit" in number.problem
    assert number.value == "650102198003120010"


@pytest.mark.django_db
def test_timeline_is_computed_from_claims(places, editor):
    """The status timeline lists the claims in date order and the current status is the latest."""
    testimony_record(actor=editor, draft=draft())
    person = Person.objects.get(ref="R1")
    timeline = person_timeline(actor=editor, person=person)
    assert [e.type for e in timeline.events] == ["detained", "held_at", "sentenced"]
    assert timeline.current == "sentenced"
    assert Name.objects.filter(person=person).count() == 2


@pytest.mark.django_db
def test_corroboration_counts_independent_sources(places, editor):
    """Two testifiers asserting the same detention make one event with two sources; one testifier twice counts once."""
    testimony_record(actor=editor, draft=draft())
    second = testimony_line(ref="T2")
    second["testifier"] = {"ref": "W2", "name": "Synthetic Witness"}
    second["persons"][0]["ref"] = "R2"
    second["persons"][0]["claims"] = [{"type": "detained", "date": "2018"}]
    testimony_record(actor=editor, draft=parse_testimony(second)[0])
    third = testimony_line(ref="T3")
    third["persons"][0]["ref"] = "R3"
    third["persons"][0]["claims"] = [{"type": "detained", "date": "2018-03-15"}]
    testimony_record(actor=editor, draft=parse_testimony(third)[0])
    ids = list(Person.objects.order_by("id").values_list("id", flat=True))
    Person.objects.filter(pk__in=ids).update(canonical_id=ids[0])
    timeline = person_timeline(actor=editor, person=Person.objects.get(pk=ids[0]))
    detained = [e for e in timeline.events if e.type == "detained"]
    assert len(detained) == 1
    assert len(detained[0].claim_ids) == 3 and len(detained[0].testimony_ids) == 3
    assert detained[0].sources == 2


@pytest.mark.django_db
def test_status_and_evidence_level_are_derived(places, editor):
    """A person's status is the latest claim's type; two testifiers make the record corroborated."""
    testimony_record(actor=editor, draft=draft())
    p = Person.objects.get(ref="R1")
    assert (p.status, str(p.status_date), p.sources, p.evidence_level) == ("sentenced", "2019-10-02", 1, 1)
    second = testimony_line(ref="T2")
    second["testifier"] = {"ref": "W2", "name": "Synthetic Witness"}
    second["persons"][0]["ref"] = "R2"
    second["persons"][0]["claims"] = [{"type": "released", "date": "2020-01"}]
    testimony_record(actor=editor, draft=parse_testimony(second)[0])
    q = Person.objects.get(ref="R2")
    Person.objects.filter(pk=q.pk).update(canonical_id=p.pk, merged_into_id=p.pk)
    from vigil.records.derived import person_derived_refresh

    person_derived_refresh(root_ids=[p.pk])
    p.refresh_from_db()
    assert (p.status, p.sources, p.evidence_level) == ("released", 2, 2)


@pytest.mark.django_db
def test_names_reindex_recomputes_keys_and_can_be_rerun(places, editor, admin_user):
    """Reindexing restores lost or outdated keys and romanised forms, and a second run changes nothing."""
    from vigil.records.services.names import names_reindex

    testimony_record(actor=editor, draft=draft())
    name = Name.objects.get(text="叶尔兰·赛力克")
    expected = set(NameKey.objects.filter(name=name).values_list("key", flat=True))
    NameKey.objects.filter(name=name).delete()
    Name.objects.filter(pk=name.pk).update(romanized="outdated")
    assert names_reindex(actor=admin_user) == 1
    name.refresh_from_db()
    assert name.romanized != "outdated"
    assert set(NameKey.objects.filter(name=name).values_list("key", flat=True)) == expected
    assert names_reindex(actor=admin_user) == 0
