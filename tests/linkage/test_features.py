"""Person records of the database as linker records: every facility and the detention date reach the linker."""

import json

import pytest

from tests.conftest import grant
from vigil.core.linkage import prepare_record
from vigil.core.linkage.custody import detained_fields
from vigil.core.linkage.features import facility_key
from vigil.core.synth import write
from vigil.linkage.features import linker_fields
from vigil.records.models import Person
from vigil.records.services import testimonies_import


@pytest.mark.django_db
def test_a_persons_facilities_and_detention_date_are_those_its_testimony_gives(places, db, django_user_model,
                                                                                tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    user = grant(django_user_model.objects.create_user(username="linker", password="x"), "editor")
    write(persons=40, seed=3, out=tmp_path)
    testimonies_import(actor=user, path=tmp_path / "testimonies.jsonl")
    entries = {p["ref"]: p for line in (tmp_path / "testimonies.jsonl").read_text().splitlines()
               for p in json.loads(line)["persons"]}
    by_person = dict(Person.objects.values_list("id", "ref"))
    moved = dated = 0
    for fields in linker_fields(by_person):
        entry = entries[by_person[int(fields["id"].split(":")[0])]]
        rec = prepare_record(fields)
        named = {facility_key(c["facility"]["name"]) for c in entry["claims"] if "facility" in c}
        assert set(rec.facility) == named
        moved += len(named) > 1
        detained = next((c["date"] for c in entry["claims"] if c["type"] == "detained"), None)
        assert (rec.detained_year, rec.detained_month, rec.detained_day) == (
            detained_fields(detained) if detained else (None, None, None))
        dated += detained is not None
    assert moved and dated
