from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from vigil.core import idnumbers
from vigil.core.intake import CLAIM_TYPES, ETHNICITIES, parse_testimony
from vigil.evidence.services import evidence_file_store
from vigil.linkage.candidates import CandidateQuery, candidates
from vigil.linkage.services import person_merge
from vigil.places.models import Facility, Place
from vigil.records.models import Person
from vigil.records.services import testimony_record
from vigil.web.forms_intake import PRECISIONS, place, testimony_from_form
from vigil.web.models import IntakeDraft
from vigil.web.access import requires

_SKIP = {"csrfmiddlewaretoken"}


def _draft_data(request: HttpRequest) -> dict[str, list[str]]:
    draft = IntakeDraft.objects.filter(user=request.user).first()
    return draft.data if draft else {}


def _form_context(values: dict[str, list[str]], errors: list[str] | None = None) -> dict[str, object]:
    first = {k: v[0] if v else "" for k, v in values.items()}
    texts = values.get("name_text", [])
    kinds = values.get("name_kind", []) + ["full"] * len(texts)
    names = list(zip(texts, kinds)) or [("", "full")]
    claim_keys = ("claim_type", "claim_date", "claim_date_end", "claim_facility", "claim_place", "claim_term", "claim_note")
    n_claims = max([len(values.get(k, [])) for k in claim_keys] + [1])
    claims = [{k: (values.get(k, []) + [""] * n_claims)[i] for k in claim_keys} for i in range(n_claims)]
    return {
        "v": first, "names": names, "claims": claims, "errors": errors or [],
        "claim_types": CLAIM_TYPES, "ethnicities": ETHNICITIES, "precisions": PRECISIONS,
        "facilities": Facility.objects.order_by("name").values_list("name", flat=True)[:2000],
        "counties": Place.objects.filter(level="county", valid_to__isnull=True).exclude(name_zh="市辖区").order_by("code").values_list("code", "name_zh", "pinyin"),
    }


@requires("testimony.record")
def intake(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "web/intake.html", _form_context(_draft_data(request)))
    values = {k: v for k, v in request.POST.lists() if k not in _SKIP}
    draft, problems = parse_testimony(testimony_from_form(request.POST))
    if draft is None:
        return render(request, "web/intake.html", _form_context(values, [str(p) for p in problems]), status=400)
    attach_to = request.POST.get("attach_to", "").strip()
    try:
        with transaction.atomic():
            testimony = testimony_record(actor=request.user, draft=draft)
            new_person = testimony.persons.get()
            target = new_person
            if attach_to.isdigit():
                chosen = Person.objects.get(pk=int(attach_to))
                root = Person.objects.get(pk=chosen.canonical_id or chosen.pk)
                person_merge(actor=request.user, survivor=root, merged=new_person)
                target = root
            for upload in request.FILES.getlist("files"):
                # Stored for this testimony: its consent decides whether the file is encrypted at rest.
                evidence_file_store(actor=request.user, stream=upload, original_name=upload.name, media_type=upload.content_type or "", testimony=testimony)
            IntakeDraft.objects.filter(user=request.user).delete()
    except PermissionDenied:
        return render(request, "web/intake.html", _form_context(values, [_("You may not record testimonies or attach them to persons.")]), status=403)
    except (ValidationError, Person.DoesNotExist) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else _("The chosen person no longer exists.")
        return render(request, "web/intake.html", _form_context(values, [text]), status=400)
    messages.success(request, _("Testimony #%(id)s recorded.") % {"id": testimony.pk})
    return redirect("web:person", pk=target.pk)


@requires("testimony.record")
@require_POST
def draft_save(request: HttpRequest) -> HttpResponse:
    data = {k: v for k, v in request.POST.lists() if k not in _SKIP}
    IntakeDraft.objects.update_or_create(user=request.user, defaults={"data": data})
    return HttpResponse(status=204)


@requires("testimony.record")
@require_GET
def check_id(request: HttpRequest) -> HttpResponse:
    value = request.GET.get("id_number", "").strip()
    result = idnumbers.check(value, scheme=request.GET.get("id_scheme") or "cn_ric") if value else None
    county = None
    if result is not None and result.county_code:
        county = Place.objects.filter(code=result.county_code).first()
    return render(request, "web/_id_check.html", {"result": result, "county": county})


@requires("testimony.record")
@require_GET
def candidates_panel(request: HttpRequest) -> HttpResponse:
    g = request.GET
    names = tuple(n for n in g.getlist("name_text") if n.strip())
    birth = g.get("birth_value", "").strip()
    hometown = place(g.get("hometown", ""))
    query = CandidateQuery(
        names=names, birth_date=birth if birth[:4].isdigit() else None, sex=g.get("sex") or None,
        ethnicity=g.get("ethnicity") or None, id_number=g.get("id_number") or None,
        place=(hometown or {}).get("code") or (hometown or {}).get("text"),
    )
    found = candidates(query, actor=request.user) if (names or query.id_number) else []
    return render(request, "web/_candidates.html", {"candidates": found, "attach_to": g.get("attach_to", "")})


@requires("testimony.record")
@require_GET
def counties(request: HttpRequest) -> JsonResponse:
    q = request.GET.get("q", "").strip()
    qs = Place.objects.filter(level="county")
    if q:
        qs = qs.filter(name_zh__icontains=q) | qs.filter(pinyin__icontains=q) | qs.filter(code__startswith=q)
    return JsonResponse({"results": [{"code": p.code, "name": p.name_zh, "pinyin": p.pinyin} for p in qs.order_by("code")[:30]]})
