"""Reading the case form's web form into a CaseFormEdit, and the rows the edit page shows.

The web form has one text box and one tick per statement (``text:KEY``, ``include:KEY``), a
remove tick for statements a person added (``remove:KEY``), and blank rows to add statements
(``new:SECTION:N:text``, ``new:SECTION:N:source``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import QueryDict

from vigil.reports import content as c
from vigil.reports.models import CaseForm
from vigil.reports.selectors import SECTION_HELP, SECTION_TITLES, source_label
from vigil.reports.services import CaseFormEdit, NewStatement

NEW_ROWS = 2


def case_form_edit_from_post(post: QueryDict, content: c.CaseContent) -> CaseFormEdit:
    statements = {
        s.key: (post.get(f"text:{s.key}", s.text), f"include:{s.key}" in post)
        for s in content.statements()
    }
    added = tuple(
        NewStatement(section=section, text=post.get(f"new:{section}:{i}:text", ""), source_note=post.get(f"new:{section}:{i}:source", ""))
        for section in c.SECTIONS for i in range(NEW_ROWS)
        if post.get(f"new:{section}:{i}:text", "").strip()
    )
    return CaseFormEdit(
        statements=statements,
        added=added,
        removed=frozenset(s.key for s in content.statements() if s.from_user and f"remove:{s.key}" in post),
        organisation=post.get("organisation", ""),
        contact=post.get("contact", ""),
        source_confidential="source_confidential" in post,
        family_consent="family_consent" in post,
        reveal_testifiers="reveal_testifiers" in post,
        confidential_submission_confirmed="confidential_submission_confirmed" in post,
        status=post.get("status", CaseForm.Status.DRAFT),
    )


@dataclass(frozen=True, slots=True)
class SourceRow:
    label: str
    needs_confirmation: bool  # a testimony whose giver did not agree to publication


@dataclass(frozen=True, slots=True)
class StatementRow:
    key: str
    text: str
    include: bool
    suggested: bool
    from_user: bool
    withheld: bool
    sources: list[SourceRow]


@dataclass(frozen=True, slots=True)
class SectionRows:
    key: str
    letter: str
    title: str
    help: str
    statements: list[StatementRow]
    missing: bool
    new_rows: list[int]


def case_form_sections(content: c.CaseContent) -> list[SectionRows]:
    """The edit page's rows: every statement with its sources, and whether the consent rule withholds it."""
    missing = c.missing_elements(content)
    confirmed = content.confidential_submission_confirmed
    return [
        SectionRows(
            key=key, letter=c.ELEMENT_LETTERS.get(key, ""), title=str(SECTION_TITLES[key]), help=str(SECTION_HELP.get(key, "")),
            statements=[
                StatementRow(
                    key=s.key, text=s.text, include=s.include, suggested=s.suggested, from_user=s.from_user,
                    withheld=c.is_withheld(s, confirmed=confirmed),
                    sources=[SourceRow(source_label(src), src.withheld_without_confirmation) for src in s.sources],
                )
                for s in content.sections.get(key, [])
            ],
            missing=key in missing, new_rows=list(range(NEW_ROWS)),
        )
        for key in c.SECTIONS
    ]


def parse_day(value: str | None) -> dt.date | None:
    """A YYYY-MM-DD form value, or None when empty or not a date."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
