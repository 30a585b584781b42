"""Model fields whose values are stored encrypted (AES-256-GCM) and read back transparently.

The column holds ``v1.<key id>.<ciphertext>``; the model and field name are bound to the value, so a
ciphertext moved to another column does not decrypt. Encrypted columns cannot be searched or
sorted in SQL: code that needs to find a value by equality stores a blind index beside it
(:func:`blind_index`). Empty strings stay empty (whether a testifier gave a phone number is visible
in the database; the number is not).
"""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldError
from django.db import models

from vigil.keys.keyring import keyring


def field_context(model: type[models.Model], name: str) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}.{name}"


def blind_index(normalized: str, *, purpose: str) -> str:
    """The keyed hash under which a normalised value can be found without decrypting it."""
    return keyring().blind_index(normalized, context=purpose)


class _Encrypted:
    context: str = ""

    def contribute_to_class(self, cls: type[models.Model], name: str, *args: Any, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)  # type: ignore[misc]
        self.context = field_context(cls, name)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(f"{self.context} is encrypted: it cannot be filtered with '{lookup_name}' (use a blind index)")
        return super().get_lookup(lookup_name)  # type: ignore[misc]

    def encrypt_text(self, text: str) -> str:
        return keyring().encrypt(text, context=self.context)

    def decrypt_text(self, token: str) -> str:
        return keyring().decrypt(token, context=self.context)


class EncryptedTextField(_Encrypted, models.TextField):
    """Text stored encrypted; reads as the plain string."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value:
            return value
        return self.decrypt_text(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return self.encrypt_text(str(value))

    def db_value(self, value: str | None) -> str | None:
        """The stored form of ``value`` (for code that writes rows without the ORM)."""
        return self.get_prep_value(value)


class EncryptedJSONField(_Encrypted, models.TextField):
    """A JSON value stored encrypted; reads as the Python value."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return json.loads(self.decrypt_text(value))

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return self.encrypt_text(json.dumps(value, ensure_ascii=False, sort_keys=True))

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)

    def db_value(self, value: Any) -> str | None:
        return self.get_prep_value(value)


def stored(model: type[models.Model], name: str, value: Any) -> Any:
    """The column value of ``model.name`` for ``value``: encrypted when the field is (for rows written without the ORM)."""
    return model._meta.get_field(name).get_prep_value(value)


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every model with encrypted fields, and those fields' names (for rotation and checks)."""
    out = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, _Encrypted)]
        if names:
            out.append((model, names))
    return sorted(out, key=lambda mn: mn[0]._meta.label)
