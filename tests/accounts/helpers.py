"""Logging in in tests: past the second factor (what most tests want), or only with the password."""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

_force_login = Client.force_login


def totp_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the user's authenticator app shows now (or ``steps_ahead`` periods later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def force_login_verified(client: Client, user, backend: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """``client.force_login`` that also completes the second factor, as django_otp.login does after a
    right code: the session names a confirmed device of the user."""
    _force_login(client, user, backend)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def force_login_password_only(client: Client, user, backend: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Django's own ``force_login``: logged in with the password, the second factor still to come."""
    _force_login(client, user, backend)


def wrong_code(device: TOTPDevice) -> str:
    """A code the device does not accept now (nor in the neighbouring periods it tolerates)."""
    return f"{(int(totp_code(device)) + 500_000) % 1_000_000:06d}"
