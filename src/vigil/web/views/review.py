from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.access import Actor, allowed
from vigil.linkage.models import Match, Merge
from vigil.linkage.services import match_decide, person_unmerge
from vigil.records.models import Person
from vigil.records.selectors import person_identity_numbers, person_names, person_timeline
from vigil.web.access import requires


def _queue():
    """Proposed matches whose two sides are still two persons, most likely first."""
    return (
        Match.objects.filter(status=Match.Status.PROPOSED)
        .exclude(Q(person_b__isnull=False) & Q(person_a__canonical_id=F("person_b__canonical_id")))
        .order_by("-probability", "id")
    )


def _side(actor: Actor, person: Person) -> dict[str, object]:
    root = Person.objects.get(pk=person.canonical_id or person.pk)
    return {
        "person": root,
        "names": person_names(actor=actor, person=root),
        "numbers": person_identity_numbers(actor=actor, person=root) if allowed(actor, "identity_number.view") else None,
        "timeline": person_timeline(actor=actor, person=root),
    }


@requires("match.view")
def review(request: HttpRequest) -> HttpResponse:
    queue = _queue()
    skipped = {int(x) for x in request.session.get("review_skipped", [])}
    first = queue.exclude(pk__in=skipped).first() or queue.first()
    if first is None:
        return render(request, "web/review_empty.html", {"count": 0})
    return redirect("web:review_match", pk=first.pk)


@requires("match.view")
def review_match(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_object_or_404(Match.objects.select_related("person_a", "person_b", "list_row__document"), pk=pk)
    weights = sorted(match.field_weights.items(), key=lambda kv: -abs(kv[1]))
    scale = max([abs(w) for _k, w in weights] + [1.0])
    bars = [{"field": k, "weight": w, "width": round(abs(w) / scale * 100), "positive": w >= 0} for k, w in weights]
    context = {
        "match": match,
        "a": _side(request.user, match.person_a),
        "b": _side(request.user, match.person_b) if match.person_b_id else None,
        "row": match.list_row,
        "bars": bars,
        "remaining": _queue().count(),
    }
    return render(request, "web/review_match.html", context)


@requires("match.decide")
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_object_or_404(Match, pk=pk)
    decision = request.POST.get("decision")
    try:
        if decision == "skip":
            skipped = set(request.session.get("review_skipped", []))
            skipped.add(match.pk)
            request.session["review_skipped"] = sorted(skipped)
        elif decision in ("accept", "reject"):
            match_decide(actor=request.user, match=match, accept=decision == "accept")
            messages.success(request, _("Merged.") if decision == "accept" else _("Rejected: this pair will not be proposed again."))
        else:
            messages.error(request, _("Choose accept, reject or skip."))
            return redirect("web:review_match", pk=pk)
    except PermissionDenied:
        messages.error(request, _("You may not decide matches."))
        return redirect("web:review_match", pk=pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("web:review")


@requires("merge")
@require_POST
def unmerge(request: HttpRequest, pk: int) -> HttpResponse:
    merge = get_object_or_404(Merge, pk=pk)
    try:
        person_unmerge(actor=request.user, merge=merge)
        messages.success(request, _("Unmerged: the records are two persons again."))
    except PermissionDenied:
        messages.error(request, _("You may not unmerge."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("web:person", args=[merge.survivor.canonical_id or merge.survivor_id]))
