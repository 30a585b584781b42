"""The API's one error body, and the handlers that give every error that shape.

Every error answers ``{"detail": "…", "errors": [{"loc": [...], "msg": "…"}]}``; ``errors`` lists the
fields at fault (empty when no field is). This is the one schema all endpoints share, on purpose:
clients handle errors in one place. Each endpoint still names the status codes it can answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from vigil.core.intake import FieldError

if TYPE_CHECKING:
    from ninja import NinjaAPI

DETAILS = {
    400: "The request could not be read.",
    401: "Authentication required: send the header 'Authorization: Bearer <token>' with a valid API token.",
    403: "You may not do this.",
    404: "Not found.",
    409: "This conflicts with the record's current state.",
    422: "The request is not valid.",
}


#: Every endpoint that takes a JSON body names its parameter so; error locations leave it out.
BODY_PARAM = "payload"


class ErrorItem(Schema):
    loc: list[str | int]
    msg: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """Response declarations for these error codes, to merge into an endpoint's ``response``."""
    return {code: ErrorOut for code in codes}


def error_body(status: int, detail: str | None = None, items: list[ErrorItem] | None = None) -> dict[str, object]:
    return {"detail": detail or DETAILS[status], "errors": [i.model_dump() for i in items or []]}


def field_error_items(problems: list[FieldError], *, root: tuple[str, ...] = ("body",)) -> list[ErrorItem]:
    """``persons[0].names[1].kind`` → ``["body", "persons", 0, "names", 1, "kind"]``."""
    items = []
    for problem in problems:
        loc: list[str | int] = list(root)
        for part in filter(None, problem.path.replace("[", ".").replace("]", "").split(".")):
            loc.append(int(part) if part.isdigit() else part)
        items.append(ErrorItem(loc=loc, msg=problem.message))
    return items


def install(api: NinjaAPI) -> None:
    """Give every error of ``api`` the one error body."""

    def respond(request: HttpRequest, status: int, detail: str | None = None, items: list[ErrorItem] | None = None) -> HttpResponse:
        return api.create_response(request, error_body(status, detail, items), status=status)

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        items = []
        for e in exc.errors:
            loc = [p if isinstance(p, int) else str(p) for p in e.get("loc", ())]
            if loc[:2] == ["body", BODY_PARAM]:
                del loc[1]  # ninja names the body parameter; clients know only the body's own fields
            items.append(ErrorItem(loc=loc, msg=str(e.get("msg", ""))))
        return respond(request, 422, items=items)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError):
            return respond(request, 401)
        return respond(request, exc.status_code, DETAILS.get(exc.status_code, str(exc)))

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 404)

    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, f"{DETAILS[403]} ({exc})" if str(exc) else None)

    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return respond(request, 400)

    def on_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return respond(request, 422, items=[ErrorItem(loc=["body"], msg=m) for m in exc.messages])

    handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
        (ValidationError, on_validation),
        (HttpError, on_http_error),
        (Http404, on_not_found),
        (ObjectDoesNotExist, on_not_found),
        (PermissionDenied, on_denied),
        (SuspiciousOperation, on_suspicious),
        (DjangoValidationError, on_invalid),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
