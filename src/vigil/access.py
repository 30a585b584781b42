"""Permission checks shared by every service and selector (web, API and CLI alike)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

Actor = AbstractBaseUser | AnonymousUser | None


def require_permission(actor: Actor, permission: str) -> None:
    """Raise PermissionDenied unless ``actor`` is an active user holding ``permission`` ("app.codename")."""
    if actor is None or not actor.is_authenticated or not getattr(actor, "is_active", False):
        raise PermissionDenied(f"{permission}: login required")
    if not actor.has_perm(permission):  # type: ignore[union-attr]
        raise PermissionDenied(f"{actor.get_username()} may not {permission}")


def acting_user(actor: Actor) -> AbstractBaseUser | None:
    """The user account behind ``actor``, for "who did it" columns (None for the system or anonymous)."""
    if actor is not None and actor.is_authenticated:
        return actor  # type: ignore[return-value]
    return None
