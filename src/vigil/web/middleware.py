"""The interface language: ``?lang=`` first, then the user's remembered choice, then Django's
usual cookie and Accept-Language (LocaleMiddleware, which runs before this)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from vigil.web.models import Preference


def _supported(code: str) -> str | None:
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = _supported(request.GET.get("lang", "")) if "lang" in request.GET else None
        if chosen is None and request.user.is_authenticated and not request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
            pref = Preference.objects.filter(user=request.user).values_list("language", flat=True).first()
            chosen = _supported(pref) if pref else None
        if chosen:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        if chosen and "lang" in request.GET:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, chosen, samesite="Lax", max_age=365 * 24 * 3600)
            if request.user.is_authenticated:
                Preference.objects.update_or_create(user=request.user, defaults={"language": chosen})
        return response
