"""Field-level authenticated encryption (AES-256-GCM) and keyed blind indexes, without Django.

A *keyring* holds the field keys by id (one of them active: new values are encrypted under it),
and one index key for blind indexes (HMAC-SHA256 of a normalised value, so that equal values can be
found without decrypting). A ciphertext is the text ``v1.<key id>.<base64url(nonce | ciphertext |
tag)>``; the *context* (e.g. ``records.testifier.phone``) is bound as associated data, so a value
copied into another column no longer decrypts.

The keyring is a JSON file kept outside the database (0600), written atomically.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "v1."
NONCE_BYTES = 12
KEY_BYTES = 32


class KeyringError(Exception):
    """The keyring is missing, unreadable, or lacks a key a value needs."""


class DecryptionError(Exception):
    """A value did not decrypt: wrong key, wrong column, or tampered ciphertext."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_key_id(existing: set[str] | frozenset[str] = frozenset()) -> str:
    """A fresh short key id ("k" + 8 hex digits) not in ``existing``."""
    while True:
        kid = "k" + secrets.token_hex(4)
        if kid not in existing:
            return kid


def is_ciphertext(value: str) -> bool:
    return value.startswith(PREFIX) and value.count(".") >= 2


def key_id_of(token: str) -> str:
    """The id of the key a ciphertext was made with."""
    if not is_ciphertext(token):
        raise DecryptionError("not a vigil ciphertext")
    return token.split(".", 2)[1]


@dataclass
class Keyring:
    """Field keys by id, the active key's id, the blind-index key, and any rotation in progress."""

    keys: dict[str, bytes]
    active: str
    index_key: bytes
    rotating_from: list[str] = field(default_factory=list)

    @classmethod
    def generate(cls) -> Keyring:
        kid = new_key_id()
        return cls(keys={kid: AESGCM.generate_key(bit_length=256)}, active=kid, index_key=secrets.token_bytes(KEY_BYTES))

    # -- values -----------------------------------------------------------------------------
    def encrypt(self, plaintext: str, *, context: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[self.active]).encrypt(nonce, plaintext.encode("utf-8"), context.encode("utf-8"))
        return f"{PREFIX}{self.active}.{_b64(nonce + sealed)}"

    def decrypt(self, token: str, *, context: str) -> str:
        kid = key_id_of(token)
        key = self.keys.get(kid)
        if key is None:
            raise DecryptionError(f"value is under key {kid}, which this keyring does not hold")
        raw = _unb64(token.split(".", 2)[2])
        try:
            return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode("utf-8")).decode("utf-8")
        except (InvalidTag, ValueError) as exc:
            raise DecryptionError(f"value under key {kid} does not authenticate for {context}") from exc

    def reencrypt(self, token: str, *, context: str) -> str:
        """``token`` under the active key (unchanged when it already is)."""
        if key_id_of(token) == self.active:
            return token
        return self.encrypt(self.decrypt(token, context=context), context=context)

    def blind_index(self, normalized: str, *, context: str) -> str:
        """HMAC-SHA256 of a normalised value under the index key, as hex: equal values, equal index."""
        return hmac.new(self.index_key, f"{context}\x00{normalized}".encode("utf-8"), hashlib.sha256).hexdigest()

    # -- rotation ---------------------------------------------------------------------------
    def rotation_begin(self) -> str:
        """Add a new key and make it active; the old ones stay to read values not yet re-encrypted."""
        if self.rotating_from:
            raise KeyringError(f"a rotation to key {self.active} is in progress: resume it first")
        kid = new_key_id(set(self.keys))
        self.rotating_from = sorted(self.keys)
        self.keys[kid] = AESGCM.generate_key(bit_length=256)
        self.active = kid
        return kid

    def rotation_finish(self) -> list[str]:
        """Drop the keys a finished rotation replaced; returns their ids."""
        dropped = [k for k in self.keys if k != self.active]
        for k in dropped:
            del self.keys[k]
        self.rotating_from = []
        return dropped

    # -- storage ----------------------------------------------------------------------------
    def to_json(self) -> str:
        return json.dumps(
            {
                "format": "vigil-keyring/1",
                "active": self.active,
                "keys": {k: _b64(v) for k, v in sorted(self.keys.items())},
                "index_key": _b64(self.index_key),
                "rotating_from": self.rotating_from,
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str, *, where: str = "keyring") -> Keyring:
        try:
            data = json.loads(text)
            keys = {k: _unb64(v) for k, v in data["keys"].items()}
            ring = cls(keys=keys, active=data["active"], index_key=_unb64(data["index_key"]), rotating_from=list(data.get("rotating_from", [])))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise KeyringError(f"{where}: not a vigil keyring ({exc.__class__.__name__}: {exc})") from None
        if ring.active not in ring.keys:
            raise KeyringError(f"{where}: the active key {ring.active} is not in the keyring")
        if any(len(k) != KEY_BYTES for k in ring.keys.values()) or len(ring.index_key) != KEY_BYTES:
            raise KeyringError(f"{where}: keys must be {KEY_BYTES} bytes")
        return ring


def keyring_read(path: Path) -> Keyring:
    """Read a keyring file; a clear error when it is missing or malformed."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyringError(f"no field-encryption keyring at {path}: run `vigil keys init`") from None
    except OSError as exc:
        raise KeyringError(f"cannot read the keyring {path}: {exc.strerror}") from None
    return Keyring.from_json(text, where=str(path))


def keyring_write(ring: Keyring, path: Path) -> None:
    """Write the keyring atomically with mode 0600 (a crash leaves the old or the new file, never half of one)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=".keyring-", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(ring.to_json())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
