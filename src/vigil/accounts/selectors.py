"""Reading accounts."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.access import STAFF_ROLES, Actor, Role, require


@dataclass(frozen=True, slots=True)
class UserRow:
    username: str
    roles: tuple[Role, ...]
    active: bool
    two_factor: bool
    last_login: str


def users_list(*, actor: Actor) -> list[UserRow]:
    """Every account with its roles and whether it has set up two-factor login."""
    require(actor, "users.manage")
    User = get_user_model()
    with_device = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    rows = []
    for user in User.objects.prefetch_related("groups").order_by(User.USERNAME_FIELD):
        names = {g.name for g in user.groups.all()}
        # The roles the account holds (an inactive account's too); a superuser is an administrator.
        roles = (Role.ADMINISTRATOR,) if user.is_superuser else tuple(r for r in STAFF_ROLES if r.value in names)
        rows.append(UserRow(
            username=user.get_username(), roles=roles, active=user.is_active, two_factor=user.pk in with_device,
            last_login=f"{user.last_login:%Y-%m-%d %H:%M}" if user.last_login else "",
        ))
    return rows


def totp_device_confirmed(*, user: AbstractBaseUser) -> TOTPDevice | None:
    """The user's confirmed TOTP device, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
