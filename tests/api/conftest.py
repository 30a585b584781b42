from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import grant, testimony_line
from vigil.api.services import token_create
from vigil.core.intake import parse_testimony
from vigil.evidence.models import Document, EvidenceFile
from vigil.evidence.services import evidence_file_store
from vigil.linkage.lists import list_import
from vigil.linkage.models import Match
from vigil.records.models import Person, Testimony
from vigil.records.services import testimony_record

LIST_CSV = "序号,姓名,身份证号,性别,出生日期,关押地点\n1,买买提·吐尔逊,650102198003120012,男,19800312,Synthetic Detention Centre No. 1\n2,古丽娜尔·艾山,,女,,\n"
LIST_MAPPING = ["姓名=full_name", "身份证号=id_number", "性别=sex", "出生日期=birth_date", "关押地点=facility"]


@dataclass
class ApiData:
    """A small synthetic record: three testimonies (two about one person, in two scripts), a leaked list,
    an evidence photo, and proposed matches."""

    editor: Any
    persons: list[Person]
    testimonies: list[Testimony]
    document: Document
    evidence: EvidenceFile
    matches: list[Match]


def user_with(django_user_model, username: str, *roles: str):
    return grant(django_user_model.objects.create_user(username=username, password="x-unused-x"), *roles)


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def token_for(user) -> str:
    return token_create(actor=user, name=f"tests of {user.get_username()}").secret


@pytest.fixture
def api_data(places, django_user_model, settings, tmp_path) -> ApiData:
    settings.MEDIA_ROOT = tmp_path / "media"
    editor = user_with(django_user_model, "api-editor", "editor")
    testimonies = []
    for n, names, birth in ((1, ["伊力哈木·土赫提"], "1969"), (2, ["Ilham Tohti"], "1969"), (3, ["Gulnar Tursun"], "1985")):
        line = testimony_line(ref=f"T{n}", transcript=f"Synthetic transcript {n}.")
        line["testifier"] = {"ref": f"W{n}", "name": f"Synthetic Witness {n}", "relation": "sister", "country": "KZ", "phone": f"+7 700 555 010{n}"}
        line["persons"][0].update({"ref": f"R{n}", "names": [{"text": t} for t in names], "birth_date": birth})
        line["persons"][0]["identity_numbers"] = []
        testimonies.append(testimony_record(actor=editor, draft=parse_testimony(line)[0]))
    persons = [t.persons.get() for t in testimonies]
    path = tmp_path / "list.csv"
    path.write_text(LIST_CSV, encoding="utf-8")
    document = list_import(actor=editor, path=path, title="Synthetic list", mapping=LIST_MAPPING, provenance="made for tests").document
    photo = evidence_file_store(actor=editor, stream=io.BytesIO(b"synthetic photo bytes"), original_name="photo.jpg", media_type="image/jpeg")
    testimonies[0].evidence.add(photo)
    weights = {"name": 5.2, "birth_date": 2.1, "sex": 0.4}
    matches = [
        Match.objects.create(person_a=persons[0], person_b=persons[1], probability=0.97, match_weight=7.7, field_weights=weights, model_version="test"),
        Match.objects.create(person_a=persons[1], person_b=persons[2], probability=0.41, match_weight=-1.0, field_weights=weights, model_version="test"),
        Match.objects.create(person_a=persons[2], list_row=document.rows.get(number=3), probability=0.3, match_weight=-2.0, field_weights=weights, model_version="test"),
    ]
    return ApiData(editor=editor, persons=persons, testimonies=testimonies, document=document, evidence=photo, matches=matches)
