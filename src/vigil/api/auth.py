"""Token authentication: ``Authorization: Bearer vigil_…``. The request then acts as the token's user."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from ninja.security import HttpBearer

from vigil.api.selectors import token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser | None:
        return token_user(secret=token)


def actor_of(request: HttpRequest) -> AbstractBaseUser:
    """The user the request acts as (set by :class:`TokenAuth`)."""
    return request.auth  # type: ignore[attr-defined,no-any-return]
