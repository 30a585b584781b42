"""vigil init, demo and serve."""

from __future__ import annotations

import getpass
import os
import secrets
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from vigil.cli import context
from vigil.cli.options import DataOption

console = Console()
DEMO_MARKER = "demo-imported"


def _ensure_admin(*, demo: bool) -> tuple[str, str | None]:
    """Create the administrator account unless one exists. Returns (username, password if generated)."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.contrib.auth.password_validation import validate_password  # noqa: PLC0415
    from django.core.exceptions import ValidationError  # noqa: PLC0415

    User = get_user_model()
    existing = User.objects.filter(is_superuser=True).order_by("id").first()
    if existing is not None:
        return existing.get_username(), None
    username = os.environ.get("VIGIL_ADMIN_USERNAME")
    password = os.environ.get("VIGIL_ADMIN_PASSWORD")
    email = os.environ.get("VIGIL_ADMIN_EMAIL", "")
    generated = None
    if not username or not password:
        if demo or not sys.stdin.isatty():
            if not demo:
                raise typer.BadParameter("set VIGIL_ADMIN_USERNAME and VIGIL_ADMIN_PASSWORD, or run `vigil init` in a terminal")
            username = username or "demo"
            password = generated = secrets.token_urlsafe(12)
        else:
            username = typer.prompt("Administrator username", default="admin")
            email = typer.prompt("E-mail", default="", show_default=False)
            while True:
                password = getpass.getpass("Password: ")
                try:
                    validate_password(password, User(username=username, email=email))
                except ValidationError as exc:
                    console.print("[red]" + " ".join(exc.messages) + "[/red]")
                    continue
                if getpass.getpass("Again: ") == password:
                    break
                console.print("[red]The two passwords differ.[/red]")
    else:
        try:
            validate_password(password, User(username=username, email=email))
        except ValidationError as exc:
            raise typer.BadParameter("VIGIL_ADMIN_PASSWORD: " + " ".join(exc.messages)) from None
    User.objects.create_superuser(username=username, email=email, password=password)
    return username, generated


def _init(data: Path | None, *, demo: bool = False) -> tuple[Path, str, str | None]:
    folder = context.setup(data, create=True)
    from django.core.management import call_command  # noqa: PLC0415

    from vigil.keys.services import keys_init  # noqa: PLC0415
    from vigil.places.services import places_load  # noqa: PLC0415

    if keys_init():
        console.print(f"field-encryption keyring created: {folder / 'keys'} (keep a copy apart from backups)")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    username, password = _ensure_admin(demo=demo)
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    from vigil.accounts.services import roles_create  # noqa: PLC0415

    admin = get_user_model().objects.get(username=username)
    roles_create(actor=admin)
    created = places_load(actor=admin)
    if created:
        console.print(f"loaded {created} places of Xinjiang (GB/T 2260)")
    return folder, username, password


def init(data: DataOption = None) -> None:
    """Create the data folder (database, media), migrate, load places, and create the administrator.

    The administrator comes from VIGIL_ADMIN_USERNAME, VIGIL_ADMIN_PASSWORD and VIGIL_ADMIN_EMAIL,
    or is asked for in a terminal.
    """
    folder, username, _ = _init(data)
    console.print(f"[green]vigil is ready[/green] in {folder} (administrator: {username})")


def _serve(host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication  # noqa: PLC0415

    from vigil.config.wsgi import application  # noqa: PLC0415

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", 4)
            self.cfg.set("accesslog", "-")
            # The path without its query string or referrer: a search for a name must not be logged.
            self.cfg.set("access_log_format", '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss')
            self.cfg.set("timeout", 120)

        def load(self):  # type: ignore[no-untyped-def]
            return application

    console.print(f"serving vigil at [bold]http://{host}:{port}/[/bold] (Ctrl-C stops)")
    Server().run()


HostOption = Annotated[str, typer.Option(help="Address to listen on.")]
PortOption = Annotated[int, typer.Option(help="Port to listen on.")]


def serve(
    data: DataOption = None,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 2,
) -> None:
    """Serve the web application with gunicorn (a production server), static files with whitenoise.

    It expects HTTPS from a proxy in front of it (docs/security.md), except for a demo's data folder,
    which is served over plain HTTP like `vigil demo` does."""
    if (context.data_dir(data) / DEMO_MARKER).exists():
        os.environ.setdefault("VIGIL_HTTPS", "0")
    context.setup(data)
    _serve(host, port, workers)


def demo(
    data: DataOption = None,
    persons: Annotated[int, typer.Option(help="Synthetic persons to generate.")] = 2000,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic population.")] = 1,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Prepare the demo and stop.")] = False,
) -> None:
    """Set up vigil with a synthetic population (no real person in it) and serve it (plain HTTP on this machine)."""
    # The demo is served over plain HTTP on 127.0.0.1: no HTTPS redirect, no secure-only cookies.
    os.environ.setdefault("VIGIL_HTTPS", "0")
    folder, username, password = _init(data, demo=True)
    marker = folder / DEMO_MARKER
    if not marker.exists():
        from vigil.core.synth import write  # noqa: PLC0415
        from vigil.records.services import testimonies_import  # noqa: PLC0415

        from django.contrib.auth import get_user_model  # noqa: PLC0415

        admin = get_user_model().objects.get(username=username)
        with tempfile.TemporaryDirectory() as tmp:
            console.print(f"generating {persons} synthetic persons …")
            write(persons=persons, seed=seed, out=Path(tmp))
            report = testimonies_import(actor=admin, path=Path(tmp) / "testimonies.jsonl")
        c = report.counts
        console.print(f"imported {c.testimonies} testimonies, {c.persons} person records, {c.claims} claims")
        from vigil.linkage.runs import link_run  # noqa: PLC0415

        console.print("training the linkage model and looking for duplicates …")
        run = link_run(actor=admin)
        console.print(f"proposed {run.proposed} possible duplicates for review (model {run.model_id})")
        marker.write_text(f"persons={persons} seed={seed}\n")
    if password:
        import base64  # noqa: PLC0415

        from django.contrib.auth import get_user_model  # noqa: PLC0415

        from vigil.accounts.services import totp_device_provision  # noqa: PLC0415

        # Two-factor login stays on in the demo: its key is handed over here, as an administrator would.
        admin = get_user_model().objects.get(username=username)
        device = totp_device_provision(actor=admin, user=admin)
        secret = base64.b32encode(device.bin_key).decode().rstrip("=")
        login = folder / "demo-login.txt"
        fd = os.open(login, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(f"username: {username}\npassword: {password}\ntotp secret: {secret}\ntotp uri: {device.config_url}\n")
        console.print(f"[bold]log in as {username} / {password}[/bold]; two-factor key for an authenticator app: [bold]{secret}[/bold] (all in {login})")
    elif (folder / "demo-login.txt").exists():
        console.print(f"log in with the account in {folder / 'demo-login.txt'}")
    if not no_serve:
        _serve(host, port, 2)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("demo")(demo)
    app.command("serve")(serve)
