"""Writing accounts: users, their roles, their two-factor devices.

A role is the Django group named after a :class:`vigil.access.Role` (how :func:`vigil.access.roles_of`
reads it). Administrators manage accounts (``users.manage``); a user may set up their own first
two-factor device, and nobody else's.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.access import STAFF_ROLES, Actor, Role, require
from vigil.audit.services import audit_record


def _staff_role(role: Role | str) -> Role:
    try:
        role = Role(role)
    except ValueError:
        raise ValueError(f"no role {role!r}: choose from {', '.join(r.value for r in STAFF_ROLES)}") from None
    if role not in STAFF_ROLES:
        raise ValueError(f"{role.value!r} is not a role an account can hold")
    return role


def roles_create(*, actor: Actor) -> list[Role]:
    """Create the group of every staff role that has none yet (``vigil init``); returns those created."""
    require(actor, "users.manage")
    created = []
    with transaction.atomic():
        for role in STAFF_ROLES:
            if Group.objects.get_or_create(name=role.value)[1]:
                created.append(role)
        if created:
            audit_record(actor=actor, action="role.groups_create", object_type="group", detail={"roles": [r.value for r in created]})
    return created


def role_grant(*, actor: Actor, user: AbstractBaseUser, role: Role | str) -> bool:
    """Give ``user`` the role ``role``; returns False if they held it already (nothing is written)."""
    require(actor, "users.manage")
    role = _staff_role(role)
    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=role.value)
        if user.groups.filter(pk=group.pk).exists():  # type: ignore[attr-defined]
            return False
        user.groups.add(group)  # type: ignore[attr-defined]
        audit_record(actor=actor, action="role.grant", object_type="user", object_id=user.pk, detail={"username": user.get_username(), "role": role.value})
    user.__dict__.pop("_vigil_roles", None)
    return True


def role_revoke(*, actor: Actor, user: AbstractBaseUser, role: Role | str) -> bool:
    """Take the role ``role`` from ``user``; returns False if they did not hold it."""
    require(actor, "users.manage")
    role = _staff_role(role)
    with transaction.atomic():
        group = Group.objects.filter(name=role.value).first()
        if group is None or not user.groups.filter(pk=group.pk).exists():  # type: ignore[attr-defined]
            return False
        user.groups.remove(group)  # type: ignore[attr-defined]
        audit_record(actor=actor, action="role.revoke", object_type="user", object_id=user.pk, detail={"username": user.get_username(), "role": role.value})
    user.__dict__.pop("_vigil_roles", None)
    return True


def roles_set(*, actor: Actor, user: AbstractBaseUser, roles: Iterable[Role | str]) -> tuple[list[Role], list[Role]]:
    """Make ``roles`` exactly the roles ``user`` holds; returns (granted, revoked)."""
    require(actor, "users.manage")
    wanted = {_staff_role(r) for r in roles}
    granted: list[Role] = []
    revoked: list[Role] = []
    with transaction.atomic():
        for role in STAFF_ROLES:
            if role in wanted and role_grant(actor=actor, user=user, role=role):
                granted.append(role)
            elif role not in wanted and role_revoke(actor=actor, user=user, role=role):
                revoked.append(role)
    return granted, revoked


def user_create(*, actor: Actor, username: str, password: str, roles: Iterable[Role | str], email: str = "") -> AbstractBaseUser:
    """Create a staff account with ``roles``; the password must pass Django's validators (ValidationError)."""
    require(actor, "users.manage")
    wanted = [_staff_role(r) for r in roles]
    if not wanted:
        raise ValueError("an account needs at least one role")
    User = get_user_model()
    if User.objects.filter(**{User.USERNAME_FIELD: username}).exists():
        raise ValidationError(f"an account {username!r} exists already")
    validate_password(password, User(**{User.USERNAME_FIELD: username}, email=email))
    with transaction.atomic():
        user = User.objects.create_user(username=username, email=email, password=password)  # type: ignore[attr-defined]
        audit_record(actor=actor, action="user.create", object_type="user", object_id=user.pk, detail={"username": username})
        for role in wanted:
            role_grant(actor=actor, user=user, role=role)
    return User.objects.get(pk=user.pk)


def otp_devices_reset(*, actor: Actor, user: AbstractBaseUser) -> int:
    """Remove every two-factor device of ``user`` (a lost phone): they set up a new one at their next login."""
    require(actor, "users.manage")
    with transaction.atomic():
        count, _ = TOTPDevice.objects.filter(user=user).delete()
        audit_record(actor=actor, action="otp.devices_reset", object_type="user", object_id=user.pk, detail={"username": user.get_username(), "devices": count})
    return count


def totp_device_provision(*, actor: Actor, user: AbstractBaseUser) -> TOTPDevice:
    """Give ``user`` a new confirmed TOTP device in place of any they had, for its secret to be handed
    over out of band (the demo account; an account set up for someone without a browser at hand)."""
    require(actor, "users.manage")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        audit_record(actor=actor, action="otp.device_provision", object_type="user", object_id=user.pk, detail={"username": user.get_username()})
    return device


def totp_device_start(*, user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed TOTP device ``user`` is setting up (made on first call, the same one after).

    Refused once the user has a confirmed device: a stolen password must not replace it.
    """
    if not user.is_authenticated:
        raise PermissionDenied("log in first")
    with transaction.atomic():
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise PermissionDenied("a two-factor device is set up already: an administrator can reset it")
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def totp_device_confirm(*, user: AbstractBaseUser, device: TOTPDevice, token: str) -> bool:
    """Confirm ``device`` with a code from the user's authenticator app; returns whether it was right."""
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied("not a device this user is setting up")
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(token):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        audit_record(actor=user, action="otp.device_confirm", object_type="user", object_id=user.pk, detail={"username": user.get_username()})
    return True
