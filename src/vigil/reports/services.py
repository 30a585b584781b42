"""Writes of case forms: create (prefilled from the record), edit, refill, and export as HTML or PDF.

Each runs in one transaction, checks ``report.wgeid`` and writes its audit entry. The export is a
write too: a case form leaving the system is recorded with what it revealed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from vigil.access import Actor, acting_user, allowed, require
from vigil.audit.services import audit_record
from vigil.records.models import Person
from vigil.records.selectors import person_root
from vigil.reports import content as c
from vigil.reports.models import CaseForm
from vigil.reports.prefill import case_content_prefill
from vigil.reports.render import html_to_pdf, standalone_html
from vigil.reports.selectors import case_form_document
from vigil.reports.statistics import statistics_context, statistics_report

Format = Literal["html", "pdf"]
#: Sections a person may add statements to (the record fills the others, and they may add there too).
EDITABLE_SECTIONS = c.SECTIONS


@dataclass(frozen=True, slots=True)
class NewStatement:
    section: str
    text: str
    source_note: str = ""  # what the statement rests on, e.g. "letter of the family to the county police, 2019-02"


@dataclass(frozen=True, slots=True)
class CaseFormEdit:
    """A person's review of a case form: every statement's text and tick, statements added or removed, the source's details."""

    statements: dict[str, tuple[str, bool]] = field(default_factory=dict)  # key -> (text, include)
    added: tuple[NewStatement, ...] = ()
    removed: frozenset[str] = frozenset()  # keys of statements a person added earlier
    organisation: str = ""
    contact: str = ""
    source_confidential: bool = True
    family_consent: bool = False
    reveal_testifiers: bool = False
    confidential_submission_confirmed: bool = False
    status: str = CaseForm.Status.DRAFT


def _audit_detail(form: CaseForm, content: c.CaseContent, **extra: object) -> dict[str, object]:
    # Facts about the form, never its text: statements can name people and testifiers.
    return {
        "person": form.person_id,
        "confidential_submission_confirmed": content.confidential_submission_confirmed,
        "reveal_testifiers": content.reveal_testifiers,
        **extra,
    }


def case_form_create(*, actor: Actor, person: Person) -> CaseForm:
    """A new draft case form for the person's cluster, prefilled from the record."""
    require(actor, "report.wgeid")
    with transaction.atomic():
        root = person_root(person=person)
        content = case_content_prefill(actor=actor, person=root)
        user = acting_user(actor)
        form = CaseForm.objects.create(person=root, content=c.to_json(content), created_by=user, updated_by=user)
        audit_record(actor=actor, action="case_form.create", object_type="case_form", object_id=form.pk,
                     detail=_audit_detail(form, content, statements=len(content.statements())))
    return form


def case_form_update(*, actor: Actor, case_form: CaseForm, edit: CaseFormEdit) -> CaseForm:
    """Apply a person's review. Confirming that consent-``none`` sources agreed to a confidential UN
    submission, and naming testifiers, are recorded in the audit entry."""
    require(actor, "report.wgeid")
    if edit.reveal_testifiers and not allowed(actor, "testifier.view"):
        raise PermissionDenied("only those who may see testifiers may name them in a case form")
    if edit.status not in CaseForm.Status.values:
        raise ValidationError(f"unknown status {edit.status!r}")
    unknown = [a.section for a in edit.added if a.section not in EDITABLE_SECTIONS]
    if unknown:
        raise ValidationError(f"unknown section(s): {', '.join(unknown)}")
    with transaction.atomic():
        form = CaseForm.objects.select_for_update().get(pk=case_form.pk)
        content = c.from_json(form.content)
        before = content.confidential_submission_confirmed
        for section in c.SECTIONS:
            kept = []
            for s in content.sections[section]:
                if s.key in edit.removed and s.from_user:
                    continue
                if s.key in edit.statements:
                    text, include = edit.statements[s.key]
                    s.text, s.include = text.strip(), include
                kept.append(s)
            content.sections[section] = kept
        taken = {s.key for s in content.statements()}
        n = len(taken)
        for added in edit.added:
            if not added.text.strip():
                continue
            while f"{c.USER_KEY_PREFIX}{n}" in taken:
                n += 1
            key = f"{c.USER_KEY_PREFIX}{n}"
            taken.add(key)
            content.sections[added.section].append(c.Statement(
                key=key, field="user", text=added.text.strip(),
                sources=[c.Source(kind="submitter", note=added.source_note.strip())],
            ))
        content.organisation, content.contact = edit.organisation.strip(), edit.contact.strip()
        content.source_confidential, content.family_consent = edit.source_confidential, edit.family_consent
        content.reveal_testifiers = edit.reveal_testifiers
        content.confidential_submission_confirmed = edit.confidential_submission_confirmed
        form.content = c.to_json(content)
        form.status = edit.status
        form.updated_by = acting_user(actor)
        form.save()
        extra: dict[str, object] = {"status": form.status, "missing": c.missing_elements(content)}
        if before != content.confidential_submission_confirmed:
            extra["confidential_submission_confirmation_changed"] = True
        audit_record(actor=actor, action="case_form.update", object_type="case_form", object_id=form.pk, detail=_audit_detail(form, content, **extra))
    return form


def case_form_refill(*, actor: Actor, case_form: CaseForm) -> CaseForm:
    """Fill the form again from the record as it is now, keeping every edit and added statement."""
    require(actor, "report.wgeid")
    with transaction.atomic():
        form = CaseForm.objects.select_for_update().get(pk=case_form.pk)
        root = person_root(person=form.person)
        content = c.refill(c.from_json(form.content), case_content_prefill(actor=actor, person=root))
        form.person = root  # a merge since the form was made: the form follows the cluster
        form.content = c.to_json(content)
        form.updated_by = acting_user(actor)
        form.save()
        audit_record(actor=actor, action="case_form.refill", object_type="case_form", object_id=form.pk, detail=_audit_detail(form, content))
    return form


def case_form_export(*, actor: Actor, case_form: CaseForm, fmt: Format) -> bytes:
    """The case form as a self-contained HTML file or a PDF, recorded in the audit log with what it revealed."""
    require(actor, "report.wgeid")
    if fmt not in ("html", "pdf"):
        raise ValidationError(f"unknown format {fmt!r}")
    document = case_form_document(actor=actor, case_form=case_form)
    html = standalone_html("reports/wgeid_document.html", {"doc": document})
    data = html.encode("utf-8") if fmt == "html" else html_to_pdf(html)
    with transaction.atomic():
        audit_record(
            actor=actor, action="case_form.export", object_type="case_form", object_id=case_form.pk,
            detail={
                "person": case_form.person_id, "format": fmt, "testifiers_named": document.testifiers is not None,
                "confidential_submission_confirmed": document.confidential_submission_confirmed,
                "missing": document.missing, "withheld": document.withheld,
            },
        )
    return data


def statistics_export(*, actor: Actor, date_from: dt.date, date_to: dt.date, fmt: Format) -> bytes:
    """The statistics report for the period as a self-contained HTML file or a PDF (aggregates only)."""
    require(actor, "export.run")
    if fmt not in ("html", "pdf"):
        raise ValidationError(f"unknown format {fmt!r}")
    report = statistics_report(actor=actor, date_from=date_from, date_to=date_to)
    html = standalone_html("reports/statistics_document.html", statistics_context(report, standalone=True))
    data = html.encode("utf-8") if fmt == "html" else html_to_pdf(html)
    with transaction.atomic():
        audit_record(
            actor=actor, action="statistics.export", object_type="report", object_id="statistics",
            detail={"from": date_from.isoformat(), "to": date_to.isoformat(), "format": fmt, "persons": report.persons},
        )
    return data
