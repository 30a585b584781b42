"""The public site: anonymous, read-only, GET only. Every view reads through vigil.public.selectors.

Responses may be cached by browsers and proxies for ``PUBLIC_MAX_AGE`` seconds (a withdrawn
consent leaves the site within that time) and carry a strict Content-Security-Policy: the public
pages have no script at all.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.http import require_safe

from vigil.evidence.storage import StoredFileChanged
from vigil.public import selectors
from vigil.public.dataset import CONTENT_TYPES, Format, dataset
from vigil.public.media import NotAnImage, public_file_open, public_image

#: Seconds a public response may be reused by a browser or a proxy.
PUBLIC_MAX_AGE = 300
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

View = Callable[..., HttpResponseBase]
_conditional = decorator_from_middleware(ConditionalGetMiddleware)


def public_view(view: View) -> View:
    """GET and HEAD only; cacheable by anyone; no referrer leaves; a strict CSP; ETag and 304 answers."""

    @wraps(view)
    @require_safe
    @_conditional
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    wrapped.vigil_action = "public.view"  # type: ignore[attr-defined]  (the selectors check it; the matrix test reads it)
    return wrapped


def _page(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 100_000))
    except ValueError:
        return 1


@public_view
def home(request: HttpRequest) -> HttpResponse:
    stats = selectors.public_statistics(actor=request.user)
    return render(request, "public/home.html", {"stats": stats})


@public_view
def persons(request: HttpRequest) -> HttpResponse:
    page = selectors.public_persons(actor=request.user, page=_page(request))
    return render(request, "public/persons.html", {"page": page})


@public_view
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    page = selectors.public_search(actor=request.user, query=query, page=_page(request))
    return render(request, "public/search.html", {"q": query, "page": page})


@public_view
def person(request: HttpRequest, pk: int) -> HttpResponseBase:
    found = selectors.public_person(actor=request.user, person_id=pk)
    if found is None:
        raise Http404()
    if found.id != pk:
        # A merge joined this record to one with a smaller public id: one person, one address.
        return redirect("public:person", pk=found.id)
    return render(request, "public/person.html", {"person": found})


@public_view
def facilities(request: HttpRequest) -> HttpResponse:
    return render(request, "public/facilities.html", {"facilities": selectors.public_facilities(actor=request.user)})


@public_view
def facility(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.public_facility(actor=request.user, facility_id=pk, page=_page(request))
    if found is None:
        raise Http404()
    f, page = found
    return render(request, "public/facility.html", {"facility": f, "page": page})


@public_view
def media(request: HttpRequest, pk: int) -> HttpResponseBase:
    found = selectors.public_media(actor=request.user, media_id=pk)
    if found is None:
        raise Http404()
    if found.media.kind == "photo":
        try:
            data = public_image(actor=request.user, media=found)
        except (NotAnImage, OSError, StoredFileChanged):
            raise Http404() from None  # a lost or changed copy is never served: `vigil evidence verify` names it
        response = HttpResponse(data, content_type="image/jpeg")
    else:
        try:
            handle = public_file_open(found)
        except OSError:
            raise Http404() from None
        response = FileResponse(handle, content_type=found.media.media_type)
    # A neutral name: never the original's file name, which may name the person who took it.
    response.headers["Content-Disposition"] = f'inline; filename="vigil-media-{found.media.id}"'
    return response


def _dataset(request: HttpRequest, format: Format) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (piece.encode("utf-8") for piece in dataset(actor=request.user, format=format)), content_type=CONTENT_TYPES[format],
    )
    response.headers["Content-Disposition"] = f'attachment; filename="vigil-public.{format}"'
    return response


@public_view
def data_csv(request: HttpRequest) -> StreamingHttpResponse:
    return _dataset(request, "csv")


@public_view
def data_json(request: HttpRequest) -> StreamingHttpResponse:
    return _dataset(request, "json")
