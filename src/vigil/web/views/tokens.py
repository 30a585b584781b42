"""API tokens on the web: a user creates (the secret is shown once), lists and revokes their own."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from vigil.api.models import ApiToken
from vigil.api.selectors import token_list
from vigil.api.services import token_create, token_revoke
from vigil.web.access import requires


def _page(request: HttpRequest, *, secret: str = "", name: str = "", status: int = 200) -> HttpResponse:
    context = {"tokens": token_list(actor=request.user), "secret": secret, "name": name}
    return render(request, "web/tokens.html", context, status=status)


@requires("api_token.manage")
@never_cache
def tokens(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    name = request.POST.get("name", "")
    try:
        created = token_create(actor=request.user, name=name)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _page(request, name=name, status=400)
    # Rendered, not redirected: the secret must not travel through the session or a URL.
    return _page(request, secret=created.secret)


@requires("api_token.manage")
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk)
    try:
        token_revoke(actor=request.user, token=token)
    except PermissionDenied:
        messages.error(request, _("You may not revoke this token."))
    else:
        messages.success(request, _("Token “%(name)s” revoked: it no longer opens the API.") % {"name": token.name})
    return redirect("web:tokens")
