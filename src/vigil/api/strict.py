"""Unknown query parameters are refused (422), not ignored: a misspelt filter (``?stauts=released``)
would otherwise answer the whole unfiltered list, and a count drawn from it would be wrong. So is a
parameter given twice (``?person=1&person=2``), which would otherwise silently mean the last one."""

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
        lists: set[str] = set()
        for model in operation.models:
            if issubclass(model, QueryModel):
                known.update(getattr(model, "__ninja_flatten_map__", None) or model.model_fields)
                lists.update(getattr(model, "__ninja_collection_fields__", None) or ())

        @wraps(run)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            problems = [{"loc": ("query", name), "msg": "unknown query parameter"} for name in sorted(set(request.GET) - known)]
            problems += [
                {"loc": ("query", name), "msg": "given more than once"}
                for name in sorted(known - lists) if len(request.GET.getlist(name)) > 1
            ]
            if problems:
                if not authenticate(request):
                    return api.on_exception(request, AuthenticationError())
                return api.on_exception(request, ValidationError(problems))
            return run(request, *args, **kwargs)

        return checked

    api.add_decorator(refuse_unknown_query, mode="view")
