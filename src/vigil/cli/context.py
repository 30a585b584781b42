"""Finding the data folder and starting Django, the same way for every command."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DATA_DIR = Path("vigil-data")


def data_dir(option: Path | None) -> Path:
    """``--data DIR``, else ``VIGIL_DATA_DIR``, else ``./vigil-data``."""
    if option is not None:
        return option.resolve()
    if env := os.environ.get("VIGIL_DATA_DIR"):
        return Path(env).resolve()
    return DEFAULT_DATA_DIR.resolve()


def setup(option: Path | None, *, create: bool = False) -> Path:
    """Point Django at the data folder and start it. Returns the folder."""
    folder = data_dir(option)
    # Everything vigil writes (the database, exports, backups, keys) is for its own account only.
    os.umask(0o077)
    if create:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        (folder / "media").mkdir(mode=0o700, exist_ok=True)
    os.environ["VIGIL_DATA_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.config.settings")
    import django  # noqa: PLC0415  (Django must start only after the data folder is known)

    django.setup()
    return folder


def acting_user(username: str | None):  # type: ignore[no-untyped-def]
    """The account a command acts as: ``--as USER``, else ``VIGIL_USER``, else the first active superuser."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    User = get_user_model()
    username = username or os.environ.get("VIGIL_USER")
    if username:
        return User.objects.get(username=username, is_active=True)
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("id").first()
    if user is None:
        raise LookupError("no administrator account: run `vigil init` first, or pass --as USER")
    return user
