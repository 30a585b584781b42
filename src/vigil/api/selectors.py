"""Reads of API tokens: a user's list, and the check of a request's bearer token."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone

from vigil.access import Actor, acting_user, require
from vigil.api.models import ApiToken
from vigil.api.services import SECRET_PREFIX, secret_hash

#: How stale ``last_used_at`` may get: one write a minute per token, not one per request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def token_list(*, actor: Actor) -> QuerySet[ApiToken]:
    """The actor's own tokens, newest first (revoked ones too, to show when they stopped)."""
    require(actor, "api_token.manage")
    user = acting_user(actor)
    return ApiToken.objects.filter(user_id=user.pk if user is not None else None)


def token_user(*, secret: str) -> AbstractBaseUser | None:
    """The active user behind an unrevoked token, or None.

    Notes when the token was last used (at most once a minute): the one write a read makes, so that
    a user can tell a forgotten token from a busy one.
    """
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(secret_hash=secret_hash(secret), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
