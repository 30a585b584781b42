from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from tests.api.conftest import bearer, user_with
from vigil.api.models import ApiToken
from vigil.api.services import token_create, token_revoke
from vigil.audit.models import AuditEntry


@pytest.fixture
def researcher(db, django_user_model):
    return user_with(django_user_model, "researcher", "researcher")


@pytest.mark.django_db
def test_token_is_stored_hashed_and_acts_as_its_user(client, researcher):
    """The secret is returned once; the database holds only its SHA-256 and a short prefix; the token acts as its user."""
    created = token_create(actor=researcher, name="statistics script")
    row = ApiToken.objects.values().get(pk=created.token.pk)
    assert created.secret not in str(row) and created.secret[8:] not in str(row)
    assert created.secret.startswith(row["prefix"]) and len(row["prefix"]) < 16
    assert AuditEntry.objects.filter(action="api_token.create", object_id=str(created.token.pk)).exists()
    response = client.get("/api/v1/me/", headers=bearer(created.secret))
    assert response.json() == {"username": "researcher", "roles": ["researcher"]}
    assert ApiToken.objects.get(pk=created.token.pk).last_used_at is not None


@pytest.mark.django_db
def test_revoked_token_and_inactive_user_get_401(client, researcher):
    """A revoked token, or the token of a deactivated account, no longer opens the API."""
    created = token_create(actor=researcher, name="old laptop")
    assert client.get("/api/v1/me/", headers=bearer(created.secret)).status_code == 200
    token_revoke(actor=researcher, token=created.token)
    assert client.get("/api/v1/me/", headers=bearer(created.secret)).status_code == 401
    assert AuditEntry.objects.filter(action="api_token.revoke", object_id=str(created.token.pk)).exists()
    other = token_create(actor=researcher, name="new laptop")
    researcher.is_active = False
    researcher.save()
    assert client.get("/api/v1/me/", headers=bearer(other.secret)).status_code == 401


@pytest.mark.django_db
def test_only_the_owner_or_an_administrator_revokes(researcher, django_user_model):
    """Another staff member may not revoke someone's token; an administrator may."""
    token = token_create(actor=researcher, name="script").token
    with pytest.raises(PermissionDenied):
        token_revoke(actor=user_with(django_user_model, "colleague", "editor"), token=token)
    token_revoke(actor=user_with(django_user_model, "admin", "administrator"), token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


@pytest.mark.django_db
def test_accounts_without_a_role_get_no_token(django_user_model):
    """A logged-in account with no staff role (public) may not create a token."""
    with pytest.raises(PermissionDenied):
        token_create(actor=django_user_model.objects.create_user(username="nobody", password="x-unused-x"), name="x")


@pytest.mark.django_db
def test_last_used_is_written_at_most_once_a_minute(client, researcher):
    """Using a token notes when, but not on every request."""
    created = token_create(actor=researcher, name="script")
    earlier = timezone.now() - dt.timedelta(seconds=30)
    ApiToken.objects.filter(pk=created.token.pk).update(last_used_at=earlier)
    client.get("/api/v1/me/", headers=bearer(created.secret))
    assert ApiToken.objects.get(pk=created.token.pk).last_used_at == earlier
    ApiToken.objects.filter(pk=created.token.pk).update(last_used_at=earlier - dt.timedelta(minutes=5))
    client.get("/api/v1/me/", headers=bearer(created.secret))
    assert ApiToken.objects.get(pk=created.token.pk).last_used_at > earlier


@pytest.mark.django_db
def test_token_pages_create_show_once_and_revoke(client, researcher):
    """On the web a user creates a token (its secret is on that one page), sees it listed by prefix, and revokes it."""
    client.force_login(researcher)
    page = client.get(reverse("web:tokens"))
    assert page.status_code == 200 and "No tokens yet" in page.content.decode()
    created = client.post(reverse("web:tokens"), {"name": "monthly statistics"})
    html = created.content.decode()
    token = ApiToken.objects.get(user=researcher)
    secret = html.split('id="new-secret" type="text" readonly value="', 1)[1].split('"', 1)[0]
    assert secret.startswith(token.prefix) and "no-store" in created["Cache-Control"]
    assert client.get("/api/v1/me/", headers=bearer(secret)).status_code == 200
    listed = client.get(reverse("web:tokens")).content.decode()
    assert "monthly statistics" in listed and token.prefix in listed and secret not in listed
    client.post(reverse("web:token_revoke", args=[token.pk]))
    assert client.get("/api/v1/me/", headers=bearer(secret)).status_code == 401
    assert client.post(reverse("web:tokens"), {"name": "  "}).status_code == 400


@pytest.mark.django_db
def test_token_pages_need_login_and_show_only_ones_own(client, researcher, django_user_model):
    """Anonymous visitors go to the login page; one user cannot revoke another's token from the web."""
    assert client.get(reverse("web:tokens")).status_code == 302
    token = token_create(actor=researcher, name="private script").token
    client.force_login(user_with(django_user_model, "colleague", "editor"))
    assert "private script" not in client.get(reverse("web:tokens")).content.decode()
    client.post(reverse("web:token_revoke", args=[token.pk]))
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


@pytest.mark.django_db
def test_docs_page_works_offline_under_a_strict_csp(client):
    """The docs page loads Swagger UI from vigil's own static files (no CDN), with no inline script, under a strict CSP."""
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "//" not in "".join(line for line in html.splitlines() if "src=" in line or "href=" in line and "stylesheet" in line)
    assert "vendor/swagger-ui/swagger-ui-bundle.js" in html and 'type="application/json"' in html
    scripts = [chunk.split(">", 1)[0] for chunk in html.split("<script")[1:]]
    assert all("src=" in s or 'type="application/json"' in s for s in scripts)
    assert all(finders.find(f) for f in ("vendor/swagger-ui/swagger-ui-bundle.js", "vendor/swagger-ui/swagger-ui.css", "api/docs.js"))
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    operation_ids = [op["operationId"] for path in schema["paths"].values() for op in path.values()]
    assert len(operation_ids) == len(set(operation_ids)), "operation ids name generated client methods: each must be unique"


@pytest.mark.django_db
def test_administrator_revokes_any_token_in_the_admin(client, researcher, admin_user):
    """The admin lists every user's tokens (never the hash) and revokes them through the audited service."""
    token = token_create(actor=researcher, name="lost laptop").token
    client.force_login(admin_user)
    changelist = client.get(reverse("admin:api_apitoken_changelist")).content.decode()
    assert "lost laptop" in changelist and token.secret_hash not in changelist
    client.post(reverse("admin:api_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]})
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert AuditEntry.objects.filter(action="api_token.revoke", actor=admin_user).exists()
