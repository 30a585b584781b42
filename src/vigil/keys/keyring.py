"""The deployment's keyring, found through settings (never stored in the database).

``VIGIL_FIELD_KEYRING`` (the keyring's JSON itself, for containers) wins over
``VIGIL_FIELD_KEY_FILE`` (a path; default ``<data folder>/keys/field-keys.json``, mode 0600).
The file is re-read when it changes, so a rotation started by `vigil keys rotate` reaches a
running server within a second.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from django.conf import settings

from vigil.core.crypto import Keyring, KeyringError, keyring_read

_lock = threading.Lock()
_cache: dict[str, object] = {}
_RECHECK_SECONDS = 1.0


def keyring_path() -> Path:
    return Path(settings.VIGIL_FIELD_KEY_FILE)


def keyring_from_environment() -> bool:
    return bool(getattr(settings, "VIGIL_FIELD_KEYRING", ""))


def keyring() -> Keyring:
    """The current keyring (cached; the file is checked for changes at most once a second)."""
    inline = getattr(settings, "VIGIL_FIELD_KEYRING", "")
    if inline:
        if _cache.get("inline") != inline:
            with _lock:
                _cache.clear()
                _cache["ring"] = Keyring.from_json(inline, where="VIGIL_FIELD_KEYRING")
                _cache["inline"] = inline
        return _cache["ring"]  # type: ignore[return-value]
    path = keyring_path()
    now = time.monotonic()
    ring = _cache.get("ring")
    if ring is not None and _cache.get("path") == path and now - _cache.get("checked", 0.0) < _RECHECK_SECONDS:  # type: ignore[operator]
        return ring  # type: ignore[return-value]
    with _lock:
        try:
            stamp = path.stat().st_mtime_ns
        except FileNotFoundError:
            raise KeyringError(f"no field-encryption keyring at {path}: run `vigil keys init`") from None
        if ring is None or _cache.get("path") != path or _cache.get("stamp") != stamp:
            ring = keyring_read(path)
            _cache.update(ring=ring, path=path, stamp=stamp, inline=None)
        _cache["checked"] = now
    return ring  # type: ignore[return-value]


def keyring_forget() -> None:
    """Drop the cached keyring (after this process rewrote the file)."""
    with _lock:
        _cache.clear()
