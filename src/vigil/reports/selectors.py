"""Reads of case forms: the list, and the document a case form prints (after the consent rule)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigil.access import Actor, allowed, require
from vigil.records.models import Person, Testimony
from vigil.reports import content as c
from vigil.reports.models import CaseForm

SECTION_TITLES = {
    "identity": gettext_lazy("Identity of the person subjected to enforced or involuntary disappearance"),
    "disappearance": gettext_lazy("Date of arrest, abduction or last sighting"),
    "place": gettext_lazy("Place of arrest or abduction, or where the person was last seen"),
    "responsible": gettext_lazy("Forces (State or acting with its support or acquiescence) believed responsible"),
    "steps": gettext_lazy("Steps taken by the relatives or others to locate the person"),
    "whereabouts": gettext_lazy("Further information on the person's fate or whereabouts"),
    "source": gettext_lazy("Identity of the source"),
}
SECTION_HELP = {
    "identity": gettext_lazy("Full name in every script on record, and any detail that identifies the person."),
    "disappearance": gettext_lazy("At least the month and year."),
    "place": gettext_lazy("As precisely as known."),
    "responsible": gettext_lazy("vigil suggests authorities from the places on record; tick only those you stand behind."),
    "steps": gettext_lazy("Inquiries with the authorities, petitions, letters, visits: who, when, with what answer. Not on record: type them here."),
    "whereabouts": gettext_lazy("What happened after the arrest, as the sources state it."),
}


def case_forms(*, actor: Actor, person: Person | None = None) -> QuerySet[CaseForm]:
    """Case forms, latest first; of one person's cluster when ``person`` is given."""
    require(actor, "report.wgeid")
    qs = CaseForm.objects.select_related("person", "updated_by")
    if person is not None:
        qs = qs.filter(person__canonical_id=person.canonical_id or person.pk)
    return qs


def source_label(source: c.Source) -> str:
    """How the form cites a source: never the testifier, only the testimony's reference and date."""
    if source.kind == "testimony":
        return _("testimony %(ref)s, given %(date)s") % {"ref": source.ref, "date": source.date}
    if source.kind == "document":
        if source.row is not None:
            return _("document “%(title)s”, row %(row)s") % {"title": source.title, "row": source.row}
        return _("document “%(title)s”") % {"title": source.title}
    label = _("the submitting organisation")
    return f"{label}: {source.note}" if source.note else label


@dataclass(frozen=True, slots=True)
class PrintedStatement:
    text: str
    sources: list[str]


@dataclass(frozen=True, slots=True)
class PrintedSection:
    key: str
    letter: str
    title: str
    statements: list[PrintedStatement]
    missing: bool


@dataclass(frozen=True, slots=True)
class Testifier:
    testimony: str
    name: str
    relation: str


@dataclass(slots=True)
class CaseDocument:
    """A case form as it prints: only what the consent rule and the reader's role allow."""

    case_form_id: int
    person_id: int
    sections: list[PrintedSection]
    organisation: str
    contact: str
    source_confidential: bool
    family_consent: bool
    confidential_submission_confirmed: bool
    testifiers: list[Testifier] | None  # None: kept confidential
    missing: list[str]
    withheld: int
    generated_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def missing_titles(self) -> list[str]:
        return [str(SECTION_TITLES[m]) for m in self.missing]

    def text(self) -> str:
        """Every statement and source, for a quick check of what the document says."""
        return "\n".join(f"{s.text} [{'; '.join(s.sources)}]" for section in self.sections for s in section.statements)


def case_form_document(*, actor: Actor, case_form: CaseForm) -> CaseDocument:
    """What the case form prints for ``actor``. Testifiers are named only when the form asks for it
    and ``actor`` may see testifiers; otherwise the source is kept confidential."""
    require(actor, "report.wgeid")
    content = c.from_json(case_form.content)
    confirmed = content.confidential_submission_confirmed
    missing = c.missing_elements(content)
    sections = []
    cited_testimonies: set[int] = set()
    for key in c.SECTIONS:
        statements = []
        for s in c.printed(content, key):
            cited = c.cited_sources(s, confirmed=confirmed)
            cited_testimonies.update(src.id for src in cited if src.kind == "testimony" and src.id is not None)
            statements.append(PrintedStatement(text=s.text, sources=[source_label(src) for src in cited]))
        sections.append(PrintedSection(key=key, letter=c.ELEMENT_LETTERS.get(key, ""), title=str(SECTION_TITLES[key]), statements=statements, missing=key in missing))
    testifiers = None
    if content.reveal_testifiers and allowed(actor, "testifier.view"):
        testifiers = [
            Testifier(testimony=t.ref or f"#{t.pk}", name=t.testifier.name, relation=t.testifier.relation)
            for t in Testimony.objects.filter(pk__in=cited_testimonies).select_related("testifier").order_by("date", "id")
        ]
    return CaseDocument(
        case_form_id=case_form.pk, person_id=case_form.person_id, sections=sections,
        organisation=content.organisation, contact=content.contact, source_confidential=content.source_confidential,
        family_consent=content.family_consent, confidential_submission_confirmed=confirmed,
        testifiers=testifiers, missing=missing, withheld=c.withheld_count(content),
    )
