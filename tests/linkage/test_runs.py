import csv

import pytest

from tests.conftest import grant
from vigil.core.synth import write
from vigil.linkage.candidates import CandidateQuery, candidates
from vigil.linkage.models import LinkRun, Match
from vigil.linkage.runs import link_run, list_link
from vigil.linkage.trained import model_load, model_path
from vigil.records.models import Person
from vigil.records.services import testimonies_import


@pytest.fixture
def linker_user(db, django_user_model):
    user = django_user_model.objects.create_user(username="linker", password="x")
    return grant(user, "editor", "reviewer")


@pytest.fixture
def population(places, linker_user, tmp_path_factory, settings):
    """A small synthetic population (several records per person, across scripts) with its ground truth."""
    settings.DATA_DIR = tmp_path_factory.mktemp("data")
    out = tmp_path_factory.mktemp("synth")
    write(persons=120, seed=5, out=out)
    testimonies_import(actor=linker_user, path=out / "testimonies.jsonl")
    with (out / "truth.csv").open() as fh:
        truth = {r["record_id"]: r["person_id"] for r in csv.DictReader(fh)}
    return out, truth


def _true(pair, refs, truth):
    a, b = pair
    return truth.get(refs[a]) == truth.get(refs[b])


@pytest.mark.django_db
def test_link_run_proposes_mostly_true_duplicates_and_saves_its_model(population, linker_user):
    """A run trains a model (saved beside the database), and what it proposes are mostly true duplicates."""
    _out, truth = population
    report = link_run(actor=linker_user)
    assert report.trained and model_path().exists() and model_load().model_id == report.model_id
    matches = list(Match.objects.all())
    assert report.proposed == len(matches) > 10
    assert all(m.model_version == report.model_id and m.field_weights for m in matches)
    refs = dict(Person.objects.values_list("id", "ref"))
    likely = [m for m in matches if m.probability >= 0.9]
    correct = sum(_true((m.person_a_id, m.person_b_id), refs, truth) for m in likely)
    assert likely and correct / len(likely) >= 0.9
    assert LinkRun.objects.get().proposed == report.proposed


@pytest.mark.django_db
def test_rejected_pairs_are_never_proposed_again(population, linker_user):
    """A second run proposes nothing already decided or already proposed."""
    link_run(actor=linker_user)
    first = Match.objects.order_by("id").first()
    Match.objects.filter(pk=first.pk).update(status=Match.Status.REJECTED)
    again = link_run(actor=linker_user)
    assert again.proposed == 0 and not again.trained
    assert Match.objects.filter(person_a=first.person_a, person_b=first.person_b).count() == 1


@pytest.mark.django_db
def test_auto_merge_only_when_asked(population, linker_user):
    """Nothing is merged by a run unless --auto-merge-above is given; then only pairs above it."""
    link_run(actor=linker_user)
    assert not Person.objects.filter(merged_into__isnull=False).exists()
    Match.objects.all().delete()
    report = link_run(actor=linker_user, auto_merge_above=0.99)
    merged = Person.objects.filter(merged_into__isnull=False).count()
    assert report.auto_merged == merged > 0
    assert not Match.objects.filter(status="accepted", probability__lt=0.99).exists()


@pytest.mark.django_db
def test_incremental_run_compares_only_new_records(population, linker_user, tmp_path):
    """An incremental run after an import only proposes pairs that involve the new records."""
    link_run(actor=linker_user)
    before = Person.objects.order_by("-id").values_list("id", flat=True).first()
    out = tmp_path / "more"
    write(persons=20, seed=99, out=out)
    lines = (out / "testimonies.jsonl").read_text().replace('"R0', '"X0').replace('"T0', '"Y0').replace('"W0', '"Z0')
    (out / "more.jsonl").write_text(lines)
    testimonies_import(actor=linker_user, path=out / "more.jsonl")
    known = set(Match.objects.values_list("id", flat=True))
    report = link_run(actor=linker_user, incremental=True)
    new = Match.objects.exclude(id__in=known)
    assert report.proposed == new.count()
    assert all(m.person_b_id > before for m in new)


@pytest.mark.django_db
def test_candidates_use_the_trained_model(population, linker_user):
    """With a trained model, intake suggestions are scored by it and say why."""
    link_run(actor=linker_user)
    person = Person.objects.filter(names__script="han").first()
    name = person.names.filter(script="han").first().text
    found = candidates(CandidateQuery(names=(name,), birth_date=str(person.birth_date.year) if person.birth_date else None), actor=linker_user)
    assert found and found[0].field_weights
    assert any(c.person.pk == person.canonical_id for c in found)
    assert found[0].reasons


@pytest.mark.django_db
def test_list_rows_are_linked_to_persons(population, linker_user, settings, tmp_path):
    """Importing the synthetic leaked list proposes row-person matches, mostly of the right person."""
    from vigil.linkage.lists import list_import

    out, truth = population
    settings.MEDIA_ROOT = tmp_path / "media"
    link_run(actor=linker_user)
    doc = list_import(
        actor=linker_user, path=out / "leaked-list.csv", title="synthetic list",
        mapping=["row_id=ref", "姓名=full_name", "身份证号=id_number", "性别=sex", "出生日期=birth_date", "户籍地=place", "关押地点=facility", "收押日期=detained_date"],
    ).document
    report = list_link(actor=linker_user, document=doc)
    matches = list(Match.objects.filter(list_row__document=doc, probability__gte=0.9).select_related("list_row"))
    assert report.proposed >= len(matches) > 0
    refs = dict(Person.objects.values_list("id", "ref"))
    cluster = {}
    for pid, root in Person.objects.values_list("id", "canonical_id"):
        cluster.setdefault(root, []).append(pid)
    right = sum(any(truth.get(refs[p]) == truth.get(m.list_row.data["row_id"]) for p in cluster[m.person_a_id]) for m in matches)
    assert right / len(matches) >= 0.9
