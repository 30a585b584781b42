from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from vigil.access import allowed
from vigil.audit.models import AuditEntry
from vigil.linkage.models import Match, Merge
from vigil.records.models import Person
from vigil.records.selectors import (
    person_cluster,
    person_identity_numbers,
    person_names,
    person_testimonies,
    person_timeline,
)
from vigil.web.access import requires


@requires("person.view")
def person(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Person, pk=pk)
    if record.canonical_id not in (None, record.pk):
        # A merged record's page is its cluster's page; the record is still listed there.
        return redirect("web:person", pk=record.canonical_id)
    cluster = list(person_cluster(person=record))
    ids = [p.pk for p in cluster]
    timeline = person_timeline(actor=request.user, person=record)
    testimonies = person_testimonies(actor=request.user, person=record)
    related = (
        Person.objects.filter(testimonies__in=testimonies, merged_into__isnull=True)
        .exclude(canonical_id=record.pk).distinct()[:20]
    )
    duplicates = (
        Match.objects.filter(status=Match.Status.PROPOSED, person_b__isnull=False)
        .filter(Q(person_a_id__in=ids) | Q(person_b_id__in=ids))
        .select_related("person_a", "person_b")[:20]
    )
    merges = Merge.objects.filter(survivor_id__in=ids, undone_at__isnull=True).select_related("merged")
    history = AuditEntry.objects.filter(object_type="person", object_id__in=[str(i) for i in ids]).order_by("-id")[:50]
    evidence = {e for t in testimonies for e in t.evidence.all()} | {e for p in cluster for e in p.evidence.all()}
    context = {
        "person": record,
        "cluster": cluster,
        "names": person_names(actor=request.user, person=record),
        "numbers": person_identity_numbers(actor=request.user, person=record) if allowed(request.user, "identity_number.view") else None,
        "timeline": timeline,
        "testimonies": testimonies,
        "related": related,
        "duplicates": duplicates,
        "merges": merges,
        "history": history,
        "evidence": sorted(evidence, key=lambda e: e.pk),
        "may_case_form": allowed(request.user, "report.wgeid"),
    }
    return render(request, "web/person.html", context)
