"""The API object: ``/api/v1/``, its OpenAPI description at ``/api/v1/openapi.json``, docs at ``/api/v1/docs``."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.operation import Operation

from vigil.api import errors, strict
from vigil.api.auth import TokenAuth
from vigil.api.docs import OfflineSwagger
from vigil.api.endpoints import claims, documents, evidence, intake, matches, me, persons, places, testimonies

DESCRIPTION = """\
The record of vigil as JSON: persons (searched by name in any script), testimonies, claims, facilities,
places, documents, matches and evidence files, and the intake of one testimony at a time.

Every request sends `Authorization: Bearer <token>`; a token is made on the web interface (API tokens, in the
top bar) and acts with its user's roles: the API allows exactly what the web allows that user.
Errors answer `{"detail": "…", "errors": [{"loc": […], "msg": "…"}]}`. Lists take `offset` and `limit`
(at most 100) and answer `count` with the `items`.
"""


class VigilAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """The view function's name (``persons_search``, ``matches_accept``): short, unique, stable for generated clients."""
        return operation.view_func.__name__


token_auth = TokenAuth()
api = VigilAPI(
    title="vigil API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=token_auth,
    docs=OfflineSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
strict.install(api, authenticate=token_auth)
api.add_router("/me", me.router)
api.add_router("/persons", persons.router)
api.add_router("/testimonies", testimonies.router)
api.add_router("/claims", claims.router)
api.add_router("/facilities", places.facilities)
api.add_router("/places", places.places)
api.add_router("/documents", documents.router)
api.add_router("/matches", matches.router)
api.add_router("/evidence", evidence.router)
api.add_router("/intake", intake.router)
