from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from vigil.web.models import Preference


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The language switcher: Django's set_language, and the choice is remembered for the user."""
    response = set_language(request)
    code = request.POST.get("language", "")
    if request.user.is_authenticated and translation.check_for_language(code):
        Preference.objects.update_or_create(user=request.user, defaults={"language": code})
    return response
