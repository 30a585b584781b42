"""Logging in: the password (rate limited), then a code from the user's authenticator app (TOTP).

A user without a confirmed device sets one up first: a QR code of its otpauth URI, and the secret as
text, then a code to confirm it.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import django_otp
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigil.accounts.limits import client_address, login_failure_record, login_locked, login_step_passed
from vigil.accounts.middleware import LOGIN_AT, SEEN_AT
from vigil.accounts.qr import qr_svg
from vigil.accounts.selectors import totp_device_confirmed
from vigil.accounts.services import totp_device_confirm, totp_device_start


def _locked_message() -> str:
    minutes = settings.VIGIL_LOGIN_LOCKOUT_SECONDS // 60
    return _("Too many failed attempts. Wait %(minutes)d minutes, then try again.") % {"minutes": minutes}


class RateLimitedAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing every attempt while the username and address are locked."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request)
        # Checked before the password, so a locked login learns nothing from a right password either.
        if login_locked(username=username, address=address):
            raise ValidationError(_locked_message(), code="locked")
        try:
            return super().clean()
        except ValidationError:
            if login_failure_record(username=username, address=address, step="password"):
                raise ValidationError(_locked_message(), code="locked") from None
            raise


class StaffLoginView(LoginView):
    template_name = "web/login.html"
    form_class = RateLimitedAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        now = int(time.time())
        self.request.session[LOGIN_AT] = now
        self.request.session[SEEN_AT] = now
        complete = not settings.VIGIL_REQUIRE_2FA
        login_step_passed(user=form.get_user(), address=client_address(self.request), step="password", complete=complete)
        if complete:
            return response
        return HttpResponseRedirect(f"{reverse('accounts:otp')}?{urlencode({'next': self.get_success_url()})}")


class CodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"), min_length=6, max_length=8, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*", "autofocus": True}),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _refuse_locked(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.error(request, _locked_message())
    return redirect("login")


def _verified(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    user = request.user
    request.session.cycle_key()
    django_otp.login(request, device)
    login_step_passed(user=user, address=client_address(request), step="code", complete=True)
    return redirect(_next(request))


def _check_code(request: HttpRequest, form: CodeForm, *, device: TOTPDevice, verify: Callable[[str], object]) -> HttpResponse | None:
    """Check the code with ``verify``; a wrong code counts as a failed login, like a wrong password.
    Returns the response to send, or None to show the form (with its errors) again."""
    username = request.user.get_username()
    address = client_address(request)
    if login_locked(username=username, address=address):
        return _refuse_locked(request)
    if not form.is_valid():
        return None
    if verify(form.cleaned_data["token"]):
        return _verified(request, device)
    if login_failure_record(username=username, address=address, step="code"):
        return _refuse_locked(request)
    form.add_error("token", _("That code is not right. Check the time on your phone, and try the next code."))
    return None


@login_required
def otp(request: HttpRequest) -> HttpResponse:
    """The second step of logging in: a code from the authenticator app."""
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect(_next(request))
    device = totp_device_confirmed(user=request.user)
    if device is None:
        return redirect(f"{reverse('accounts:otp_setup')}?{urlencode({'next': _next(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        verify = partial(django_otp.verify_token, request.user, device.persistent_id)
        if (response := _check_code(request, form, device=device, verify=verify)) is not None:
            return response
    return render(request, "accounts/otp.html", {"form": form, "next": _next(request)})


def _confirm(token: str, *, user: Any, device: TOTPDevice) -> bool:
    return totp_device_confirm(user=user, device=device, token=token)


def _grouped(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Set up two-factor login: scan the QR code (or type the secret) into an authenticator app, then
    give the code it shows."""
    if request.user.is_verified() or totp_device_confirmed(user=request.user) is not None:  # type: ignore[union-attr]
        return redirect(f"{reverse('accounts:otp')}?{urlencode({'next': _next(request)})}")
    device = totp_device_start(user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        verify = partial(_confirm, user=request.user, device=device)
        if (response := _check_code(request, form, device=device, verify=verify)) is not None:
            return response
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = {"form": form, "next": _next(request), "qr": qr_svg(device.config_url), "secret": _grouped(secret)}
    return render(request, "accounts/otp_setup.html", context)
