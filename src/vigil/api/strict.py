"""Unknown query parameters are refused (422), not ignored: a misspelt filter (``?stauts=released``)
would otherwise answer the whole unfiltered list, and a count drawn from it would be wrong."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, ValidationError
from ninja.params.models import QueryModel

if TYPE_CHECKING:
    from ninja import NinjaAPI


def install(api: NinjaAPI, *, authenticate: Callable[[HttpRequest], Any]) -> None:
    """Refuse query parameters an operation does not declare (after authentication: 401 comes first)."""

    def refuse_unknown_query(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        operation = run.__self__  # type: ignore[attr-defined]  # ninja hands "view" decorators the operation's bound run()
        known: set[str] = set()
        for model in operation.models:
            if issubclass(model, QueryModel):
                known.update(getattr(model, "__ninja_flatten_map__", None) or model.model_fields)

        @wraps(run)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            unknown = sorted(set(request.GET) - known)
            if unknown:
                if not authenticate(request):
                    return api.on_exception(request, AuthenticationError())
                problems = [{"loc": ("query", name), "msg": "unknown query parameter"} for name in unknown]
                return api.on_exception(request, ValidationError(problems))
            return run(request, *args, **kwargs)

        return checked

    api.add_decorator(refuse_unknown_query, mode="view")
