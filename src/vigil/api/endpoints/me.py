"""Who the token acts as."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from vigil.access import roles_of
from vigil.api.auth import actor_of
from vigil.api.errors import errors

router = Router(tags=["account"])


class MeOut(Schema):
    username: str
    roles: list[str] = Field(description="administrator, editor, researcher, reviewer (public: none of them)")


@router.get("/", response={200: MeOut, **errors(401)}, summary="The token's user and roles")
def me(request: HttpRequest) -> MeOut:
    user = actor_of(request)
    return MeOut(username=user.get_username(), roles=sorted(r.value for r in roles_of(user)))
