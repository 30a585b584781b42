"""Views declare the action they serve (vigil.access.RULES); the same rules bind the selectors and services they call.

``@requires("person.view")`` sends anonymous visitors to the login page and answers 403 to a
logged-in user whose roles do not allow the action. The declared action is kept on the view
(``view.vigil_action``): the permission-matrix test walks every URL and fails for a view without one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from vigil.access import RULES, allowed

View = Callable[..., HttpResponse]


def requires(action: str) -> Callable[[View], View]:
    if action not in RULES:
        raise KeyError(f"no access rule for {action!r}: add it to vigil.access.RULES")

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not allowed(request.user, action):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied(action)
            return view(request, *args, **kwargs)

        wrapped.vigil_action = action  # type: ignore[attr-defined]
        return wrapped

    return decorate
