"""Writes of API tokens: created (the secret is returned once; only its SHA-256 is stored) and revoked, audited.

A secret is ``vigil_`` and 43 random URL-safe characters (32 bytes): with that much entropy a plain
SHA-256 is as safe to store as a slow password hash, and lets a request find its token by index.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vigil.access import Actor, acting_user, allowed, require
from vigil.api.models import ApiToken
from vigil.audit.services import audit_record

SECRET_PREFIX = "vigil_"


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class CreatedToken:
    token: ApiToken
    secret: str  # shown once; never stored


def token_create(*, actor: Actor, name: str) -> CreatedToken:
    """Create an API token for ``actor`` (who acts through it with their own roles); the secret is returned once."""
    require(actor, "api_token.manage")
    user = acting_user(actor)
    assert user is not None, "api_token.manage is never granted to anonymous actors"
    name = name.strip()
    if not name:
        raise ValidationError("a token needs a name (what it is for)")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name[:100], prefix=secret[: len(SECRET_PREFIX) + 6], secret_hash=secret_hash(secret))
        audit_record(actor=actor, action="api_token.create", object_type="api_token", object_id=token.pk, detail={"name": token.name, "prefix": token.prefix})
    return CreatedToken(token=token, secret=secret)


def token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke a token: one's own, or anyone's for an administrator. Revoking twice changes nothing."""
    require(actor, "api_token.manage")
    user = acting_user(actor)
    if user is None or (token.user_id != user.pk and not allowed(actor, "users.manage")):
        raise PermissionDenied("only its owner or an administrator may revoke a token")
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(actor=actor, action="api_token.revoke", object_type="api_token", object_id=token.pk, detail={"name": token.name, "prefix": token.prefix, "owner": token.user_id})
    return token
