"""Sessions that end, and staff pages that need the second factor."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

LOGIN_AT = "vigil_login_at"
SEEN_AT = "vigil_seen_at"


class SessionTimeoutMiddleware:
    """Logs a user out ``VIGIL_SESSION_MAX_SECONDS`` after they logged in, or after
    ``VIGIL_SESSION_IDLE_SECONDS`` without a request, whichever comes first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.get(LOGIN_AT)
            seen = session.get(SEEN_AT, started)
            if started is None:
                session[LOGIN_AT] = now
            elif now - started >= settings.VIGIL_SESSION_MAX_SECONDS or now - seen >= settings.VIGIL_SESSION_IDLE_SECONDS:
                logout(request)
            # Saving the session on every request would write to the database each time: a minute's
            # precision is enough for the idle timeout.
            if request.user.is_authenticated and (seen is None or now - seen >= 60):
                session[SEEN_AT] = now
        return self.get_response(request)


def _exempt(path: str) -> bool:
    prefixes = (
        reverse("login"), reverse("logout"), reverse("set_language"), "/public/", "/api/",
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL,
    )
    return path.startswith(prefixes)


class OTPRequiredMiddleware:
    """Sends a user who logged in with a password but has not given a code yet to the code step, from
    every staff page (the login, logout and code pages, the public site, static files and the
    token-authenticated API excepted). ``VIGIL_REQUIRE_2FA=0`` turns it off. Runs after django-otp's
    OTPMiddleware, which marks the user verified from the session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if settings.VIGIL_REQUIRE_2FA and user.is_authenticated and not user.is_verified() and not _exempt(request.path_info):  # type: ignore[union-attr]
            if request.headers.get("HX-Request"):
                # A fragment asked for by htmx: send the whole page to the code step, back to the page after.
                current = urlsplit(request.headers.get("HX-Current-URL", ""))
                back = current.path + (f"?{current.query}" if current.query else "") or "/"
                target = f"{reverse('accounts:otp')}?{urlencode({'next': back})}"
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return HttpResponseRedirect(f"{reverse('accounts:otp')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
