import io

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from tests.reports.conftest import filled
from vigil.access import RULES, Role
from vigil.audit.models import AuditEntry
from vigil.audit.selectors import audit_chain_verify
from vigil.reports import content as c
from vigil.reports.models import CaseForm
from vigil.reports.selectors import case_form_document
from vigil.reports.services import CaseFormEdit, NewStatement, case_form_create, case_form_export, case_form_refill, case_form_update

STEPS = "On 2018-04-02 his family asked the county police in writing where he was held; no answer was given."


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Text as extracted from a PDF, with line breaks and repeated spaces folded (layout wraps long lines)."""
    return " ".join(text.split())


@pytest.mark.django_db
def test_prefill_states_identity_date_and_place_with_their_sources(case_person, editor):
    """A new case form holds every name in every script, the date and place of detention, each with the
    testimonies and the list row that assert it; a name given by a testimony and a list is one statement with two sources."""
    form = case_form_create(actor=editor, person=case_person)
    content = c.from_json(form.content)
    names = {s.text: s for s in content.sections["identity"] if s.field == "name"}
    assert "Full name: Ерлан Серікұлы (Cyrillic)" in names
    assert "Full name: ئەرلان سېرىك (Arabic script)" in names
    chinese = names["Full name: 叶尔兰·赛力克 (Chinese characters)"]
    assert {(s.kind, s.ref or s.title, s.row) for s in chinese.sources} == {("testimony", "T1", None), ("document", "Synthetic police list", 2)}
    [date] = content.sections["disappearance"]
    assert date.text == "Detained: 2018-03-15" and date.precision == "day"
    assert {s.kind for s in date.sources} == {"testimony", "document"}
    [place] = content.sections["place"]
    assert "654021" in place.text and place.sources
    assert content.sections["steps"] == []
    assert all(s.suggested and not s.include for s in content.sections["responsible"])
    assert any("Public Security Bureau" in s.text and "654021" in s.text for s in content.sections["responsible"])
    entry = AuditEntry.objects.get(action="case_form.create")
    assert entry.object_id == str(form.pk) and entry.detail["person"] == case_person.pk


@pytest.mark.django_db
def test_wgeid_pdf_has_every_required_element_and_its_sources(case_person, editor):
    """The downloaded PDF opens, and states (a) the name in every script, (b) the date, (c) the place, (d) the
    authorities believed responsible, (e) the steps taken by the relatives and (f) the source, kept
    confidential; each statement with its source. Testifiers are not named; the fact only a
    non-consenting testimony asserts is left out."""
    form = filled(case_person, editor)
    data = case_form_export(actor=editor, case_form=form, fmt="pdf")
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 1
    text = flat(pdf_text(data))
    for heading in (
        "a) Identity of the person",
        "b) Date of arrest, abduction or last sighting",
        "c) Place of arrest or abduction",
        "d) Forces (State or acting with its support or acquiescence) believed responsible",
        "e) Steps taken by the relatives or others to locate the person",
        "f) Identity of the source",
    ):
        assert heading in text, heading
    for statement in (
        "Ерлан Серікұлы", "叶尔兰·赛力克", "Erlan Serikuly", "Born: 1978", "650102198003120012",
        "Detained: 2018-03-15", "伊宁县", "Public Security Bureau (police) of", flat(STEPS),
        "Synthetic Human Rights Group",
    ):
        assert statement in text, statement
    for source in ("testimony T1, given 2019-05-03", "document “Synthetic police list”, row 2", "the submitting organisation: letter kept by the family"):
        assert source in text, source
    assert "Source kept confidential" in text
    assert "keep its identity confidential" in text
    for secret in ("Synthetic Witness One", "Synthetic Witness Two", "+7 700 555 0101", "sister", "cousin", "T2", "Whereabouts unknown", "Erlan Serikov"):
        assert secret not in text, secret
    assert "Required elements not yet stated" not in text
    export = AuditEntry.objects.get(action="case_form.export")
    assert export.detail == {
        "person": case_person.pk, "format": "pdf", "testifiers_named": False, "confidential_submission_confirmed": False,
        "missing": [], "withheld": 2,  # the name and the fact only T2 gives
    }


@pytest.mark.django_db
def test_pdf_prints_uyghur_arabic_script(case_person, editor):
    """A name in Uyghur Arabic script survives into the PDF's text (the font has the glyphs, nothing is dropped)."""
    text = pdf_text(case_form_export(actor=editor, case_form=filled(case_person, editor), fmt="pdf"))
    letters = set("ئەرلانسېرىك")
    assert letters <= set(text)


@pytest.mark.django_db
def test_confirmed_confidential_submission_cites_non_consenting_testimony(case_person, editor):
    """Once the editor confirms that the source agreed to a confidential submission, the fact asserted only by
    the non-consenting testimony is printed with it as source, and the audit entry records the confirmation."""
    form = filled(case_person, editor, confidential_submission_confirmed=True)
    update = AuditEntry.objects.filter(action="case_form.update").latest("id")
    assert update.detail["confidential_submission_confirmed"] is True
    assert update.detail["confidential_submission_confirmation_changed"] is True
    text = flat(case_form_export(actor=editor, case_form=form, fmt="html").decode())
    assert "Whereabouts unknown, 2020-06" in text
    assert "testimony T2, given 2021-02" in text
    assert "Synthetic Witness Two" not in text
    assert audit_chain_verify().ok


@pytest.mark.django_db
def test_testifiers_named_only_when_chosen_and_allowed(case_person, editor, researcher, monkeypatch):
    """Testifiers are named when the form asks for it and the reader may see testifiers; a role that may
    prepare case forms but not see testifiers gets "source kept confidential" from the same form."""
    form = filled(case_person, editor, reveal_testifiers=True)
    named = case_form_document(actor=editor, case_form=form)
    assert [(t.testimony, t.name, t.relation) for t in named.testifiers] == [("T1", "Synthetic Witness One", "sister")]
    monkeypatch.setitem(RULES, "report.wgeid", RULES["report.wgeid"] | {Role.RESEARCHER})
    assert case_form_document(actor=researcher, case_form=form).testifiers is None
    with pytest.raises(PermissionDenied):
        case_form_update(actor=researcher, case_form=form, edit=CaseFormEdit(reveal_testifiers=True))


@pytest.mark.django_db
def test_missing_elements_are_flagged_until_stated(case_person, editor):
    """A fresh form lacks the authorities, the steps and the source: the document says so; the PDF still opens."""
    form = case_form_create(actor=editor, person=case_person)
    document = case_form_document(actor=editor, case_form=form)
    assert document.missing == ["responsible", "steps", "source"]
    text = flat(pdf_text(case_form_export(actor=editor, case_form=form, fmt="pdf")))
    assert "Required elements not yet stated" in text and "Not stated." in text


@pytest.mark.django_db
def test_refill_keeps_edits_and_added_statements(case_person, editor):
    """Filling the form again from the record keeps edited wording, ticks and statements a person added."""
    form = filled(case_person, editor)
    content = c.from_json(form.content)
    key = content.sections["identity"][0].key
    edit = CaseFormEdit(statements={key: ("Full name: Erlan SERIKULY (as the family writes it)", True)}, organisation="Synthetic Human Rights Group")
    case_form_update(actor=editor, case_form=form, edit=edit)
    form = case_form_refill(actor=editor, case_form=form)
    content = c.from_json(form.content)
    assert content.sections["identity"][0].text == "Full name: Erlan SERIKULY (as the family writes it)"
    assert [s.text for s in content.sections["steps"]] == [STEPS]
    assert content.organisation == "Synthetic Human Rights Group"


@pytest.mark.django_db
def test_only_administrators_and_editors_prepare_case_forms(case_person, researcher):
    """A researcher may not create, edit or export a case form; nothing is written."""
    with pytest.raises(PermissionDenied):
        case_form_create(actor=researcher, person=case_person)
    with pytest.raises(PermissionDenied):
        case_form_create(actor=None, person=case_person)
    assert CaseForm.objects.count() == 0


def test_consent_rule_without_a_database():
    """A statement resting only on consent-none testimonies is withheld unless confirmed; one with another source
    is printed, citing only the sources that may be cited."""
    hidden = c.Source(kind="testimony", id=1, ref="T9", consent="none")
    open_ = c.Source(kind="document", id=2, title="Synthetic list", row=5)
    only_hidden = c.Statement(key="a", field="x", text="A", sources=[hidden])
    both = c.Statement(key="b", field="x", text="B", sources=[hidden, open_])
    assert c.is_withheld(only_hidden, confirmed=False) and not c.is_withheld(only_hidden, confirmed=True)
    assert c.cited_sources(both, confirmed=False) == [open_]
    content = c.CaseContent(sections={**{s: [] for s in c.SECTIONS}, "whereabouts": [only_hidden, both]})
    assert [s.key for s in c.printed(content, "whereabouts")] == ["b"]
    assert c.withheld_count(content) == 1
    assert c.from_json(c.to_json(content)) == content


def test_a_year_alone_is_not_a_date_the_working_group_accepts():
    """The date of disappearance needs at least the month: a date known only to the year leaves the element missing."""
    year = c.Statement(key="d", field="date", text="Detained: 2018", precision="year", sources=[c.Source(kind="document", id=1, title="L")])
    content = c.CaseContent(sections={**{s: [] for s in c.SECTIONS}, "disappearance": [year]})
    assert "disappearance" in c.missing_elements(content)
    year.precision = "month"
    assert "disappearance" not in c.missing_elements(content)


@pytest.mark.django_db
def test_hometown_is_only_suggested_when_the_place_of_arrest_is_unknown(places, editor):
    """With no place of arrest on record, the hometown and its county police are offered as unticked suggestions,
    so the place element stays missing until a person ticks or writes one."""
    from tests.conftest import testimony_line
    from tests.reports.conftest import _record

    line = testimony_line(ref="T5")
    line["persons"][0]["claims"] = [{"type": "detained", "date": "2018-06"}]
    form = case_form_create(actor=editor, person=_record(editor, line))
    content = c.from_json(form.content)
    [place] = content.sections["place"]
    assert place.suggested and not place.include and "654021" in place.text and place.sources[0].ref == "T5"
    [police] = content.sections["responsible"]
    assert police.suggested and not police.include and "hometown" in police.text
    assert "place" in c.missing_elements(content)
