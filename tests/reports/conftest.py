import pytest

from tests.conftest import grant, testimony_line
from vigil.core.intake import parse_testimony
from vigil.evidence.models import DocumentRow
from vigil.linkage.lists import list_import, list_row_person_create
from vigil.linkage.services import person_merge
from vigil.records.models import Person
from vigil.records.services import testimony_record

#: A synthetic leaked list naming the synthetic person of the testimonies.
LIST_CSV = "序号,姓名,身份证号,关押地点,拘留日期\n1,叶尔兰·赛力克,650102198003120012,Synthetic Detention Centre No. 1,2018-03-15\n"
LIST_MAP = ["姓名=full_name", "身份证号=id_number", "关押地点=facility", "拘留日期=detained_date"]


def _record(actor, line):
    draft, errors = parse_testimony(line)
    assert not errors, errors
    return testimony_record(actor=actor, draft=draft).persons.get()


@pytest.fixture
def case_person(places, editor, admin_user, settings, tmp_path):
    """One synthetic person in three merged records: a testimony that may be published anonymised (T1),
    a testimony whose giver did not consent to publication (T2, the only source of "whereabouts unknown"),
    and a leaked list's row."""
    settings.MEDIA_ROOT = tmp_path / "media"
    first = testimony_line(ref="T1")
    first["testifier"] = {"ref": "W1", "name": "Synthetic Witness One", "relation": "sister", "country": "KZ", "phone": "+7 700 555 0101"}
    first["persons"][0]["names"].append({"text": "ئەرلان سېرىك"})
    first["persons"][0]["names"].append({"text": "Erlan Serikuly", "kind": "full"})
    root = _record(editor, first)
    second = testimony_line(ref="T2", date="2021-02", consent="none", summary="No news since the summer of 2020.")
    second["testifier"] = {"ref": "W2", "name": "Synthetic Witness Two", "relation": "cousin"}
    second["persons"][0].update({"ref": "R2", "names": [{"text": "Erlan Serikov"}], "identity_numbers": [],
                                 "claims": [{"type": "whereabouts_unknown", "date": "2020-06"}]})
    other = _record(editor, second)
    path = tmp_path / "synthetic-list.csv"
    path.write_text(LIST_CSV, encoding="utf-8")
    document = list_import(actor=editor, path=path, title="Synthetic police list", mapping=LIST_MAP).document
    listed = list_row_person_create(actor=editor, row=DocumentRow.objects.get(document=document, number=2))
    person_merge(actor=admin_user, survivor=root, merged=other)
    person_merge(actor=admin_user, survivor=root, merged=listed)
    return Person.objects.get(pk=root.pk)


@pytest.fixture
def researcher(db, django_user_model):
    return grant(django_user_model.objects.create_user(username="researcher", password="x-unused-x"), "researcher")


def filled(person, actor, **choices):
    """A case form reviewed as a volunteer would: the county police ticked, the relatives' steps typed in,
    the submitting organisation named (synthetic)."""
    from vigil.reports import content as c
    from vigil.reports.services import CaseFormEdit, NewStatement, case_form_create, case_form_update

    form = case_form_create(actor=actor, person=person)
    content = c.from_json(form.content)
    police = next(s for s in content.sections["responsible"] if s.key.startswith("responsible-county-"))
    edit = CaseFormEdit(
        statements={s.key: (s.text, s.include or s is police) for s in content.statements()},
        added=(NewStatement(section="steps", text="On 2018-04-02 his family asked the county police in writing where he was held; no answer was given.",
                            source_note="letter kept by the family"),),
        organisation="Synthetic Human Rights Group", contact="PO Box 0, Example City",
        family_consent=True, **choices,
    )
    return case_form_update(actor=actor, case_form=form, edit=edit)
