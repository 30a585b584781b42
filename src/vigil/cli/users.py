"""`vigil users`: staff accounts, their roles and their two-factor login."""

from __future__ import annotations

import base64
import getpass
import os
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from vigil.cli import context
from vigil.cli.options import AsOption, DataOption

app = typer.Typer(help="Staff accounts: create, give roles, list, reset two-factor login.", no_args_is_help=True)
console = Console()

ROLES_HELP = "administrator, editor, researcher or reviewer"
PASSWORD_ENV = "VIGIL_USER_PASSWORD"


def _user(username: str):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    User = get_user_model()
    try:
        return User.objects.get(**{User.USERNAME_FIELD: username})
    except User.DoesNotExist:
        console.print(f"[red]no account {username!r}[/red]")
        raise typer.Exit(1) from None


def _password(username: str, email: str) -> str:
    """From VIGIL_USER_PASSWORD, else asked twice in a terminal; checked by Django's validators."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.contrib.auth.password_validation import validate_password  # noqa: PLC0415
    from django.core.exceptions import ValidationError  # noqa: PLC0415

    candidate = get_user_model()(username=username, email=email)
    if password := os.environ.get(PASSWORD_ENV):
        return password  # the service validates it
    if not sys.stdin.isatty():
        raise typer.BadParameter(f"set {PASSWORD_ENV}, or run the command in a terminal")
    while True:
        password = getpass.getpass("Password: ")
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            console.print("[red]" + " ".join(exc.messages) + "[/red]")
            continue
        if getpass.getpass("Again: ") == password:
            return password
        console.print("[red]The two passwords differ.[/red]")


def _print_totp(device) -> None:  # type: ignore[no-untyped-def]
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    console.print(f"two-factor key: [bold]{secret}[/bold]\n  {device.config_url}\n(hand it over in person; it is not shown again)")


@app.command("add")
def add(
    username: str,
    role: Annotated[list[str], typer.Option("--role", help=f"A role ({ROLES_HELP}); repeat for more.")],
    email: Annotated[str, typer.Option(help="E-mail address (optional).")] = "",
    totp: Annotated[bool, typer.Option("--totp", help="Set up two-factor login now and print its key (else at the first login).")] = False,
    data: DataOption = None,
    as_user: AsOption = None,
) -> None:
    """Create a staff account with one or more roles. The password comes from VIGIL_USER_PASSWORD or is
    asked for, and must pass the password rules."""
    context.setup(data)
    from django.core.exceptions import ValidationError  # noqa: PLC0415

    from vigil.accounts.services import totp_device_provision, user_create  # noqa: PLC0415

    actor = context.acting_user(as_user)
    password = _password(username, email)
    try:
        user = user_create(actor=actor, username=username, password=password, roles=role, email=email)
    except (ValidationError, ValueError) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        console.print("[red]" + " ".join(messages) + "[/red]")
        raise typer.Exit(1) from None
    console.print(f"[green]account {username} created[/green] with roles {', '.join(sorted(role))}")
    if totp:
        _print_totp(totp_device_provision(actor=actor, user=user))


@app.command("roles")
def roles(
    username: str,
    role: Annotated[list[str], typer.Argument(help=f"The roles the account is to hold ({ROLES_HELP}).")],
    data: DataOption = None,
    as_user: AsOption = None,
) -> None:
    """Set exactly which roles an account holds: roles not named are taken away."""
    context.setup(data)
    from vigil.accounts.services import roles_set  # noqa: PLC0415

    user = _user(username)
    try:
        granted, revoked = roles_set(actor=context.acting_user(as_user), user=user, roles=role)
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    changes = [f"+{r.value}" for r in granted] + [f"-{r.value}" for r in revoked]
    console.print(f"{username}: {' '.join(changes) if changes else 'no change'}")


@app.command("list")
def list_(data: DataOption = None, as_user: AsOption = None) -> None:
    """List the accounts with their roles, and whether each has set up two-factor login."""
    context.setup(data)
    from vigil.accounts.selectors import users_list  # noqa: PLC0415

    table = Table("username", "roles", "active", "two-factor", "last login")
    for row in users_list(actor=context.acting_user(as_user)):
        table.add_row(row.username, ", ".join(r.value for r in row.roles) or "-", "yes" if row.active else "no",
                      "yes" if row.two_factor else "not set up", row.last_login or "never")
    console.print(table)


@app.command("reset-2fa")
def reset_2fa(username: str, data: DataOption = None, as_user: AsOption = None) -> None:
    """Remove an account's two-factor devices (a lost phone): it sets up a new one at its next login."""
    context.setup(data)
    from vigil.accounts.services import otp_devices_reset  # noqa: PLC0415

    count = otp_devices_reset(actor=context.acting_user(as_user), user=_user(username))
    console.print(f"{username}: {count} two-factor device(s) removed; a new one is set up at the next login")
