from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.test.utils import override_settings

from tests.accounts.helpers import force_login_verified


@pytest.fixture(scope="session")
def keyring_file(tmp_path_factory):
    """One field-encryption keyring for the test session, outside any data folder."""
    from vigil.core.crypto import Keyring, keyring_write

    path = tmp_path_factory.mktemp("keys") / "field-keys.json"
    keyring_write(Keyring.generate(), path)
    return path


@pytest.fixture(autouse=True)
def test_settings(settings, keyring_file):
    """Tests create many accounts (the production hasher is slow on purpose) and encrypt with the session keyring."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.VIGIL_FIELD_KEY_FILE = keyring_file


@pytest.fixture(scope="session", autouse=True)
def served_over_http():
    """Tests speak plain HTTP to the test client and the live server, as `vigil demo` does (VIGIL_HTTPS=0)."""
    with override_settings(SECURE_SSL_REDIRECT=False, SECURE_HSTS_SECONDS=0, SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False):
        yield


@pytest.fixture(autouse=True)
def force_login_past_second_factor(monkeypatch):
    """``client.force_login(user)`` also completes the two-factor step (tests/accounts/helpers.py)."""
    monkeypatch.setattr(Client, "force_login", force_login_verified)


@pytest.fixture
def own_keyring(settings, tmp_path, monkeypatch):
    """A keyring of this test's own (rotation rewrites it), with no wait for other servers."""
    import vigil.keys.services as services
    from vigil.core.crypto import Keyring, keyring_write
    from vigil.keys.keyring import keyring_forget

    monkeypatch.setattr(services, "SETTLE_SECONDS", 0)
    path = tmp_path / "keys" / "field-keys.json"
    keyring_write(Keyring.generate(), path)
    settings.VIGIL_FIELD_KEY_FILE = path
    keyring_forget()
    yield path
    keyring_forget()


def grant(user, *roles: str):
    """Give ``user`` these roles (vigil.access.Role values); returns a fresh object (roles are cached)."""
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def places(db, admin_user):
    """Xinjiang's places, loaded as `vigil init` loads them."""
    from vigil.places.services import places_load

    places_load(actor=admin_user)


@pytest.fixture
def editor(db, django_user_model):
    user = django_user_model.objects.create_user(username="editor", password="x-unused-x")
    return grant(user, "editor")


@pytest.fixture
def reader(db, django_user_model):
    return django_user_model.objects.create_user(username="reader", password="x-unused-x")


def testimony_line(**overrides: Any) -> dict[str, Any]:
    """A valid testimony in the import format (synthetic people only)."""
    line: dict[str, Any] = {
        "ref": "T1",
        "date": "2019-05-03",
        "language": "kk",
        "medium": "in_person",
        "summary": "Her brother was taken from his shop.",
        "consent": "anonymised",
        "testifier": {"ref": "W1", "name": "Айгүл Серікқызы", "relation": "sister", "country": "KZ", "phone": "+7 700 555 0101", "email": "aigul@example.org"},
        "persons": [
            {
                "ref": "R1",
                "names": [{"text": "Ерлан Серікұлы", "kind": "full"}, {"text": "叶尔兰·赛力克", "kind": "full"}],
                "sex": "m",
                "birth_date": "1978",
                "ethnicity": "kazakh",
                "citizenship": ["CN"],
                "hometown": {"code": "654021"},
                "identity_numbers": [{"scheme": "cn_ric", "value": "650102198003120012"}],
                "claims": [
                    {"type": "detained", "date": "2018-03", "place": {"code": "654021"}},
                    {"type": "held_at", "date": "2018-04", "date_end": "2019", "facility": {"name": "Synthetic Detention Centre No. 1", "type": "detention_centre", "county_code": "654021"}},
                    {"type": "sentenced", "date": "2019-10-02", "term_months": 120},
                ],
            }
        ],
    }
    line.update(overrides)
    return line


def write_jsonl(path: Path, lines: list[Any]) -> Path:
    path.write_text("".join((l if isinstance(l, str) else json.dumps(l, ensure_ascii=False)) + "\n" for l in lines), encoding="utf-8")
    return path
