"""Login rate limiting: after ``VIGIL_LOGIN_FAILURE_LIMIT`` failed password or code entries for one
username from one address, both are refused for ``VIGIL_LOGIN_LOCKOUT_MINUTES``.

Failures are counted whether or not the account exists, and a locked login gets the same message
either way, so the lock tells an attacker nothing about which usernames are real. Failures are kept
in the database (every server process sees them) under a keyed hash of username and address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Literal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from vigil.accounts.models import LoginFailure
from vigil.audit.services import audit_record

Step = Literal["password", "code"]


def client_address(request: HttpRequest) -> str:
    """The address a request came from (the proxy's, behind a proxy: see docs/security.md)."""
    return str(request.META.get("REMOTE_ADDR", ""))


def _key(*, username: str, address: str) -> str:
    message = f"{username.strip().casefold()}\0{address}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _window() -> dt.timedelta:
    return dt.timedelta(seconds=settings.VIGIL_LOGIN_LOCKOUT_SECONDS)


def login_locked(*, username: str, address: str) -> bool:
    """Whether logins for ``username`` from ``address`` are refused now.

    Locked when the last ``limit`` failures fell within one lockout period of each other, until one
    lockout period after the last of them.
    """
    limit = settings.VIGIL_LOGIN_FAILURE_LIMIT
    recent = list(
        LoginFailure.objects.filter(key=_key(username=username, address=address), at__gte=timezone.now() - 2 * _window())
        .order_by("-at").values_list("at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return False
    return recent[0] - recent[-1] <= _window() and timezone.now() - recent[0] < _window()


def login_failure_record(*, username: str, address: str, step: Step) -> bool:
    """Count one failed entry (audited); returns whether logins for ``username`` are now locked.

    The audit entry names the account only if it exists: a mistyped username may be a password.
    """
    User = get_user_model()
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    now = timezone.now()
    with transaction.atomic():
        LoginFailure.objects.filter(at__lt=now - 2 * _window()).delete()
        LoginFailure.objects.create(key=_key(username=username, address=address), at=now)
        locked = login_locked(username=username, address=address)
        detail = {"step": step, "account": "known" if user else "unknown"}
        audit_record(actor=AnonymousUser(), action="login.failed", object_type="user" if user else "", object_id=user.pk if user else "", detail=detail)
        if locked:
            audit_record(actor=AnonymousUser(), action="login.locked", object_type="user" if user else "", object_id=user.pk if user else "",
                         detail={**detail, "minutes": settings.VIGIL_LOGIN_LOCKOUT_SECONDS // 60})
    return locked


def login_step_passed(*, user: AbstractBaseUser, address: str, step: Step, complete: bool) -> None:
    """Record (audit) that ``user`` passed a step of logging in; once the login is ``complete``, forget
    their failures from ``address``."""
    with transaction.atomic():
        audit_record(actor=user, action=f"login.{step}", object_type="user", object_id=user.pk)
        if complete:
            LoginFailure.objects.filter(key=_key(username=user.get_username(), address=address)).delete()
