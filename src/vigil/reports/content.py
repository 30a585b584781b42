"""What a WGEID case form says: statements, each with the sources that assert it.

Plain data (no Django), stored as JSON in ``CaseForm.content`` and tested without a database. The
sections follow the minimum elements the UN Working Group on Enforced or Involuntary
Disappearances needs to examine a case (see docs/reports.md): (a) identity of the person, (b) date
and (c) place of arrest, abduction or last sighting, (d) the forces believed responsible, (e) the
steps taken by the relatives or others to find the person, (f) the identity of the source; plus
what is known of the person's fate and whereabouts since.

The consent rule lives here: a testimony whose consent is ``none`` ("do not publish") is not cited,
and a statement that rests on such testimonies alone is withheld, unless the editor confirmed that
its source agreed to a confidential submission to the UN (``confidential_submission_confirmed``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: Sections in the order the form prints them; the letters are the WGEID's minimum elements.
SECTIONS: tuple[str, ...] = ("identity", "disappearance", "place", "responsible", "steps", "whereabouts")
ELEMENT_LETTERS: dict[str, str] = {"identity": "a", "disappearance": "b", "place": "c", "responsible": "d", "steps": "e"}
#: Sections the Working Group needs at least one statement in ("source" is the submitter's details).
REQUIRED: tuple[str, ...] = ("identity", "disappearance", "place", "responsible", "steps", "source")
#: Date precisions precise enough for the Working Group ("at least the month and year").
PRECISE_DATES = frozenset({"day", "month"})

CONSENT_NONE = "none"
USER_KEY_PREFIX = "user-"


@dataclass(slots=True)
class Source:
    """Where a statement comes from: a testimony, a document (row), or the submitting organisation."""

    kind: str  # "testimony" | "document" | "submitter"
    id: int | None = None
    ref: str = ""  # testimony: its reference
    date: str = ""  # testimony: when it was given, as precise as known
    consent: str = ""  # testimony: none / anonymised / full
    title: str = ""  # document: its title
    row: int | None = None  # document: the row that names the person
    note: str = ""  # submitter: what the statement rests on, in the submitter's words

    @property
    def withheld_without_confirmation(self) -> bool:
        """A testimony its testifier did not allow to be published."""
        return self.kind == "testimony" and self.consent == CONSENT_NONE


@dataclass(slots=True)
class Statement:
    """One statement of the form. ``key`` is stable across refills from the record, so edits survive."""

    key: str
    field: str  # what it states: name, sex, birth, ethnicity, citizenship, hometown, identity_number, date, place, …
    text: str
    sources: list[Source] = field(default_factory=list)
    include: bool = True
    suggested: bool = False  # vigil's suggestion, not a fact of the record: included only when a person ticks it
    precision: str = ""  # for dates: the precision of the date stated

    @property
    def from_user(self) -> bool:
        return self.key.startswith(USER_KEY_PREFIX)


@dataclass(slots=True)
class CaseContent:
    sections: dict[str, list[Statement]] = field(default_factory=lambda: {s: [] for s in SECTIONS})
    organisation: str = ""  # the submitting organisation (element f)
    contact: str = ""  # its address for the Working Group's replies
    source_confidential: bool = True  # ask the Working Group to keep the source's identity confidential
    family_consent: bool = False  # the relatives agreed to the submission
    reveal_testifiers: bool = False  # name the testifiers (printed only for those who may see them)
    confidential_submission_confirmed: bool = False  # see the module's consent rule

    def statements(self) -> list[Statement]:
        return [s for section in SECTIONS for s in self.sections.get(section, [])]


def cited_sources(statement: Statement, *, confirmed: bool) -> list[Source]:
    """The sources the form may cite for ``statement``: testimonies with consent ``none`` only when confirmed."""
    return [s for s in statement.sources if confirmed or not s.withheld_without_confirmation]


def is_withheld(statement: Statement, *, confirmed: bool) -> bool:
    """A statement rests only on testimonies that may not be cited: it is left out of the form."""
    return bool(statement.sources) and not cited_sources(statement, confirmed=confirmed)


def printed(content: CaseContent, section: str) -> list[Statement]:
    """The statements of ``section`` that the form prints: ticked, and not withheld by the consent rule."""
    confirmed = content.confidential_submission_confirmed
    return [s for s in content.sections.get(section, []) if s.include and s.text.strip() and not is_withheld(s, confirmed=confirmed)]


def missing_elements(content: CaseContent) -> list[str]:
    """The required elements the form does not yet state (section keys; "disappearance" also when no date gives the month)."""
    missing = [s for s in REQUIRED if s != "source" and not printed(content, s)]
    dates = printed(content, "disappearance")
    if dates and not any(s.precision in PRECISE_DATES or (s.from_user and s.text.strip()) for s in dates):
        missing.append("disappearance")
    if not content.organisation.strip():
        missing.append("source")
    return sorted(set(missing), key=REQUIRED.index)


def withheld_count(content: CaseContent) -> int:
    """Ticked statements that the consent rule leaves out."""
    confirmed = content.confidential_submission_confirmed
    return sum(1 for s in content.statements() if s.include and is_withheld(s, confirmed=confirmed))


def refill(old: CaseContent, new: CaseContent) -> CaseContent:
    """``new`` (freshly prefilled from the record) with the edits of ``old``: texts and ticks of statements
    that still exist, every statement a person added, and the submitter's choices."""
    previous = {s.key: s for s in old.statements()}
    for section in SECTIONS:
        for s in new.sections.get(section, []):
            if (before := previous.get(s.key)) is not None:
                s.text, s.include = before.text, before.include
        new.sections[section] = new.sections.get(section, []) + [s for s in old.sections.get(section, []) if s.from_user]
    for name in ("organisation", "contact", "source_confidential", "family_consent", "reveal_testifiers", "confidential_submission_confirmed"):
        setattr(new, name, getattr(old, name))
    return new


def to_json(content: CaseContent) -> dict[str, Any]:
    data = asdict(content)
    data["version"] = 1
    return data


def from_json(data: dict[str, Any]) -> CaseContent:
    sections = {
        name: [
            Statement(**{**s, "sources": [Source(**src) for src in s.get("sources", [])]})
            for s in (data.get("sections") or {}).get(name, [])
        ]
        for name in SECTIONS
    }
    scalars = {k: data[k] for k in ("organisation", "contact", "source_confidential", "family_consent", "reveal_testifiers", "confidential_submission_confirmed") if k in data}
    return CaseContent(sections=sections, **scalars)
