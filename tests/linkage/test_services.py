import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import grant, testimony_line
from vigil.core.intake import parse_testimony
from vigil.linkage.models import Match, Merge
from vigil.linkage.services import match_decide, person_merge, person_unmerge
from vigil.records.models import Person
from vigil.records.services import testimony_record

RECORD_APPS = ("records", "places", "evidence")


def snapshot():
    """Every row of every table of the record, as plain values."""
    rows = {}
    for app in RECORD_APPS:
        for model in apps.get_app_config(app).get_models():
            fields = [f.attname for f in model._meta.concrete_fields]
            rows[model._meta.db_table] = sorted(model.objects.values_list(*fields))
            for m2m in model._meta.many_to_many:
                through = m2m.remote_field.through
                tfields = [f.attname for f in through._meta.concrete_fields]
                rows[through._meta.db_table] = sorted(through.objects.values_list(*tfields))
    return rows


def person(editor, n, **person_overrides):
    line = testimony_line(ref=f"T{n}")
    line["testifier"]["ref"] = f"W{n}"
    line["persons"][0]["ref"] = f"R{n}"
    line["persons"][0].update(person_overrides)
    testimony_record(actor=editor, draft=parse_testimony(line)[0])
    return Person.objects.get(ref=f"R{n}")


@pytest.fixture
def reviewer(db, django_user_model):
    user = django_user_model.objects.create_user(username="reviewer", password="x")
    return grant(user, "reviewer")


@pytest.mark.django_db
def test_merge_then_unmerge_round_trips_every_row(places, editor, reviewer):
    """A merge followed by its unmerge leaves every row of the record exactly as it was."""
    a = person(editor, 1)
    b = person(editor, 2, names=[{"text": "Yerlan Serikuly"}], sex="m", birth_date="~1978")
    c = person(editor, 3, names=[{"text": "Ерлан Серикович"}])
    before = snapshot()
    first = person_merge(actor=reviewer, survivor=b, merged=c)
    second = person_merge(actor=reviewer, survivor=a, merged=b)
    assert set(Person.objects.filter(canonical=a).values_list("id", flat=True)) == {a.pk, b.pk, c.pk}
    assert snapshot() != before
    person_unmerge(actor=reviewer, merge=second)
    assert set(Person.objects.filter(canonical=b).values_list("id", flat=True)) == {b.pk, c.pk}
    person_unmerge(actor=reviewer, merge=first)
    assert snapshot() == before
    assert Merge.objects.filter(undone_at__isnull=False).count() == 2


@pytest.mark.django_db
def test_merge_keeps_every_name_claim_and_number(places, editor, reviewer):
    """After a merge the cluster holds every name, claim, identity number and testimony of both records."""
    a = person(editor, 1)
    b = person(editor, 2, names=[{"text": "Yerlan Serikuly"}])
    names_before = {n for p in (a, b) for n in p.names.values_list("text", flat=True)}
    person_merge(actor=reviewer, survivor=a, merged=b)
    cluster = Person.objects.filter(canonical=a)
    from vigil.records.models import Claim, IdentityNumber, Name, TestimonyPerson

    assert set(Name.objects.filter(person__in=cluster).values_list("text", flat=True)) == names_before
    assert Claim.objects.filter(person__in=cluster).count() == 6
    assert IdentityNumber.objects.filter(person__in=cluster).count() == 2
    assert TestimonyPerson.objects.filter(person__in=cluster).count() == 2


@pytest.mark.django_db
def test_merge_refuses_nonsense(places, editor, reviewer):
    """A record cannot be merged twice, nor into its own cluster."""
    a, b = person(editor, 1), person(editor, 2)
    person_merge(actor=reviewer, survivor=a, merged=b)
    with pytest.raises(ValidationError):
        person_merge(actor=reviewer, survivor=a, merged=b)
    with pytest.raises(ValidationError):
        person_merge(actor=reviewer, survivor=b, merged=a)


@pytest.mark.django_db
def test_rejected_match_stays_rejected(places, editor, reviewer):
    """A rejected match cannot be decided again."""
    a, b = person(editor, 1), person(editor, 2)
    match = Match.objects.create(person_a=a, person_b=b, probability=0.8, match_weight=2.0, model_version="test")
    match_decide(actor=reviewer, match=match, accept=False)
    match.refresh_from_db()
    assert match.status == "rejected" and match.decided_by == reviewer
    with pytest.raises(ValidationError):
        match_decide(actor=reviewer, match=match, accept=True)
    assert Person.objects.get(pk=b.pk).merged_into is None


@pytest.mark.django_db
def test_accepting_a_match_merges_and_unmerge_reopens_it(places, editor, reviewer):
    """Accepting merges the pair; undoing the merge puts the match back in the queue."""
    a, b = person(editor, 1), person(editor, 2)
    match = Match.objects.create(person_a=a, person_b=b, probability=0.9, match_weight=3.0, model_version="test")
    merge = match_decide(actor=reviewer, match=match, accept=True)
    assert merge is not None and Person.objects.get(pk=merge.merged_id).canonical_id == merge.survivor_id
    match.refresh_from_db()
    assert match.status == "accepted"
    person_unmerge(actor=reviewer, merge=merge)
    match.refresh_from_db()
    assert match.status == "proposed"


@pytest.mark.django_db
def test_merging_needs_permission(places, editor):
    """An editor who is not a reviewer cannot merge."""
    a, b = person(editor, 1), person(editor, 2)
    with pytest.raises(PermissionDenied):
        person_merge(actor=editor, survivor=a, merged=b)
