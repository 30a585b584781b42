"""The interactive API docs: Swagger UI served from vigil's own static files, so that the page works
offline and under a strict Content-Security-Policy (no CDN, no inline script or style)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

#: Swagger UI settings. No validator (it would send the schema to swagger.io); tokens are not kept
#: in the browser's storage.
SETTINGS: dict[str, Any] = {
    "layout": "BaseLayout",
    "deepLinking": True,
    "validatorUrl": None,
    "persistAuthorization": False,
    "tryItOutEnabled": False,
}

#: The policy the page is built to work under; sent with the page, so a regression shows in a browser.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class OfflineSwagger(DocsBase):
    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**SETTINGS, "url": self.get_openapi_url(api, kwargs)}
        response = render(request, self.template, {"api": api, "swagger_settings": settings})
        response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response
