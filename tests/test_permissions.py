"""The permission matrix: every view and every service or selector × every role, from one table.

The table is ``vigil.access.RULES`` (action → roles). Views declare their action
(``vigil.web.access.requires``); services and selectors are listed in ``CHECKS`` below with the
action they must check first. A new URL whose view declares no action, or a new function taking an
``actor`` that is not in ``CHECKS``, fails here until someone decides who may use it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, URLResolver, get_resolver

import vigil
from tests.conftest import grant
from vigil.access import RULES, STAFF_ROLES, Role, allowed

# function → the action it checks before anything else (None: no check of its own, with the reason).
CHECKS: dict[str, str | None] = {
    "vigil.api.selectors.token_list": "api_token.manage",
    "vigil.api.services.token_create": "api_token.manage",
    "vigil.api.services.token_revoke": "api_token.manage",
    "vigil.evidence.documents.document_get": "document.view",
    "vigil.evidence.documents.document_list": "document.view",
    "vigil.evidence.documents.document_rows": "document.view_rows",
    "vigil.evidence.files.evidence_get": "evidence.view",
    "vigil.evidence.files.evidence_list": "evidence.view",
    "vigil.linkage.matches.match_get": "match.view",
    "vigil.linkage.matches.match_list": "match.view",
    "vigil.places.selectors.facility_get": "place.view",
    "vigil.places.selectors.facility_list": "place.view",
    "vigil.places.selectors.place_get": "place.view",
    "vigil.places.selectors.place_list": "place.view",
    "vigil.records.claims.claim_get": "person.view",
    "vigil.records.claims.claim_list": "person.view",
    "vigil.records.persons.person_detail": "person.view",
    "vigil.records.persons.person_list": "person.view",
    "vigil.records.testimonies.testimony_get": "testimony.view",
    "vigil.records.testimonies.testimony_list": "testimony.view",
    "vigil.evidence.services.evidence_encrypt": "keys.manage",
    "vigil.evidence.services.evidence_encrypt_due": "keys.manage",
    "vigil.accounts.selectors.users_list": "users.manage",
    "vigil.accounts.services.otp_devices_reset": "users.manage",
    "vigil.accounts.services.role_grant": "users.manage",
    "vigil.accounts.services.role_revoke": "users.manage",
    "vigil.accounts.services.roles_create": "users.manage",
    "vigil.accounts.services.roles_set": "users.manage",
    "vigil.accounts.services.totp_device_provision": "users.manage",
    "vigil.accounts.services.user_create": "users.manage",
    "vigil.audit.services.audit_seal": "audit.seal",
    "vigil.backup.services.backup_create": "backup.run",
    "vigil.evidence.custody.evidence_export": "evidence.export",
    "vigil.evidence.custody.evidence_verify": "evidence.verify",
    "vigil.evidence.selectors.evidence_custody": "evidence.view",
    "vigil.evidence.selectors.evidence_original_open": "evidence.view",
    "vigil.evidence.selectors.evidence_thumbnail": "evidence.view",
    "vigil.evidence.services.evidence_file_store": "evidence.add",
    "vigil.evidence.services.evidence_public_copy": "evidence.public_copy",
    "vigil.evidence.services.evidence_redact": "evidence.redact",
    "vigil.evidence.services.evidence_thumbnail_copy": "evidence.view",
    "vigil.exports.selectors.export_columns": None,  # the columns a role gets: a pure description, no data
    "vigil.exports.selectors.export_jobs": "export.run",
    "vigil.exports.selectors.export_rows": "export.run",
    "vigil.exports.services.export_job_download": "export.run",
    "vigil.exports.services.export_job_start": "export.run",
    "vigil.exports.services.export_run": "export.run",
    "vigil.keys.services.keys_check": "keys.manage",
    "vigil.keys.services.keys_rotate": "keys.manage",
    "vigil.linkage.candidates.candidates": "person.view",
    "vigil.linkage.lists.list_import": "document.import",
    "vigil.linkage.lists.list_row_person_create": "person.create",
    "vigil.linkage.runs.link_run": "linkage.run",
    "vigil.linkage.runs.list_link": "linkage.run",
    "vigil.linkage.services.match_decide": "match.decide",
    "vigil.linkage.services.person_merge": "merge",
    "vigil.linkage.services.person_unmerge": "merge",
    "vigil.places.services.places_load": "places.load",
    "vigil.public.dataset.dataset": None,  # picks dataset_csv or dataset_json, which check
    "vigil.public.dataset.dataset_csv": "public.view",
    "vigil.public.dataset.dataset_json": "public.view",
    "vigil.public.media.public_image": "public.view",  # then evidence_public_copy checks evidence.public_copy
    "vigil.public.selectors.public_documents": "public.view",
    "vigil.public.selectors.public_facilities": "public.view",
    "vigil.public.selectors.public_facility": "public.view",
    "vigil.public.selectors.public_media": "public.view",
    "vigil.public.selectors.public_person": "public.view",
    "vigil.public.selectors.public_persons": "public.view",
    "vigil.public.selectors.public_persons_all": "public.view",
    "vigil.public.selectors.public_search": "public.view",
    "vigil.public.selectors.public_statistics": "public.view",
    "vigil.public.services.document_publish": "document.publish",
    "vigil.public.services.evidence_metadata_check": "evidence.check_metadata",
    "vigil.public.services.testimony_summary_publish": "testimony.publish_summary",
    "vigil.records.search.person_search": "person.view",
    "vigil.records.selectors.person_get": "person.view",
    "vigil.records.selectors.person_identity_numbers": "identity_number.view",
    "vigil.records.selectors.person_names": "person.view",
    "vigil.records.selectors.person_testimonies": "testimony.view",
    "vigil.records.selectors.person_timeline": "person.view",
    "vigil.records.services.imports.testimonies_import": "testimony.record",
    "vigil.records.services.names.names_reindex": "names.reindex",
    "vigil.records.services.person_imports.persons_import": "person.import",
    "vigil.records.services.testimonies.testimony_record": "testimony.record",
    "vigil.reports.prefill.case_content_prefill": None,  # called only by the case-form services, after their check
    "vigil.reports.selectors.case_form_document": "report.wgeid",
    "vigil.reports.selectors.case_forms": "report.wgeid",
    "vigil.reports.services.case_form_create": "report.wgeid",
    "vigil.reports.services.case_form_export": "report.wgeid",
    "vigil.reports.services.case_form_refill": "report.wgeid",
    "vigil.reports.services.case_form_update": "report.wgeid",
    "vigil.reports.services.statistics_export": "export.run",
    "vigil.reports.statistics.statistics_report": "statistics.view",
}
# Functions that take an actor only to record who acted (they are called inside a checked service).
RECORDERS = {
    "vigil.audit.services.actor_label", "vigil.audit.services.audit_record", "vigil.audit.services.audit_record_many",
}
SKIPPED_PACKAGES = ("vigil.cli", "vigil.core", "vigil.config", "vigil.access", "vigil.web.views", "vigil.web.access")

# URL names outside the role table: signing in and out (password, then the second factor), choosing a language, Django's admin (administrators only, see
# config/urls.py) and the token-authenticated API (tested in tests/api).
UNRULED_URLS = re.compile(r"^(login|logout|set_language|admin:.*|api-.*|accounts:otp|accounts:otp_setup)$")


def _functions_with_actor() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(vigil.__path__, "vigil."):
        name = info.name
        if name.startswith(SKIPPED_PACKAGES) or ".migrations" in name:
            continue
        module = importlib.import_module(name)
        for fname, fn in vars(module).items():
            if fname.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != name:
                continue
            if "actor" in inspect.signature(fn).parameters:
                found.add(f"{name}.{fname}")
    return found - RECORDERS


def test_every_function_taking_an_actor_has_a_rule():
    """A new service or selector must be added to CHECKS with the action it checks."""
    found = _functions_with_actor()
    assert sorted(found - set(CHECKS)) == [], "add these to CHECKS"
    assert sorted(set(CHECKS) - found) == [], "these are gone: remove them from CHECKS"
    assert all(action is None or action in RULES for action in CHECKS.values())


class _Stop(Exception):
    pass


class _Anything:
    """Stands for any argument: the permission check must come before the function touches it."""

    def __getattr__(self, name):
        raise AssertionError(f"touched .{name} before checking permission")


@pytest.mark.parametrize("path", sorted(p for p, a in CHECKS.items() if a is not None))
def test_function_checks_its_action_first(path, monkeypatch):
    """Each service and selector checks its action before doing anything else."""
    module_name, fname = path.rsplit(".", 1)
    module = importlib.import_module(module_name)
    seen: list[str] = []

    def spy(actor, action):
        seen.append(action)
        raise _Stop

    import sys

    import vigil.access

    original = vigil.access.require
    for mod in list(sys.modules.values()):  # every module that imported require (a service may delegate its check)
        if getattr(mod, "__name__", "").startswith("vigil.") and getattr(mod, "require", None) is original:
            monkeypatch.setattr(mod, "require", spy)
    fn = getattr(module, fname)
    kwargs = {}
    args = []
    for p in inspect.signature(fn).parameters.values():
        if p.default is not inspect.Parameter.empty:
            continue
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            args.append(_Anything())
        elif p.kind == p.KEYWORD_ONLY:
            kwargs[p.name] = AnonymousUser() if p.name == "actor" else _Anything()
    kwargs.setdefault("actor", AnonymousUser())
    with pytest.raises(_Stop):
        result = fn(*args, **kwargs)
        if inspect.isgenerator(result):
            next(result)
    assert seen == [CHECKS[path]]


ROLES = [*STAFF_ROLES, Role.PUBLIC]


@pytest.fixture
def actors(db, django_user_model):
    """One account per role, and the anonymous visitor; a logged-in account with no role counts as public."""
    out = {}
    for role in STAFF_ROLES:
        out[role] = grant(django_user_model.objects.create_user(username=f"as-{role}", password="x-unused-x"), role.value)
    out["no-role"] = django_user_model.objects.create_user(username="no-role", password="x-unused-x")
    out[Role.PUBLIC] = AnonymousUser()
    return out


@pytest.mark.parametrize("path", sorted(p for p, a in CHECKS.items() if a is not None))
def test_function_refuses_every_role_the_table_refuses(path, actors):
    """Calling a service or selector as a role the table does not allow raises PermissionDenied."""
    module_name, fname = path.rsplit(".", 1)
    fn = getattr(importlib.import_module(module_name), fname)
    action = CHECKS[path]
    for label, actor in actors.items():
        if allowed(actor, action):
            continue
        kwargs = {}
        args = []
        for p in inspect.signature(fn).parameters.values():
            if p.default is not inspect.Parameter.empty:
                continue
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
                args.append(_Anything())
            elif p.kind == p.KEYWORD_ONLY and p.name != "actor":
                kwargs[p.name] = _Anything()
        with pytest.raises(PermissionDenied):
            result = fn(*args, actor=actor, **kwargs)
            if inspect.isgenerator(result):
                next(result)


def _patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _patterns(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}{p.name or ''}", prefix + str(p.pattern), p


def _example_url(route: str) -> str:
    url = re.sub(r"<int:\w+>", "999999", route)
    url = re.sub(r"<str:sha256>", "0" * 64, url)
    url = re.sub(r"<(?:str|slug):\w+>", "x", url)
    url = re.sub(r"<\w+>", "x", url)
    url = url.replace("^", "").replace("$", "")
    return "/" + url


def _ruled_views():
    out = []
    for name, route, pattern in _patterns():
        if UNRULED_URLS.match(name) or route.startswith(("admin/", "api/", "static/", "media/")):
            continue
        out.append((name, route, pattern.callback))
    return out


def test_every_url_declares_its_action():
    """A new page without a rule fails: its view must be wrapped in requires(...) (or be a public view)."""
    missing = [name or route for name, route, view in _ruled_views() if not hasattr(view, "vigil_action")]
    assert missing == []


@pytest.mark.parametrize("name,route,view", _ruled_views(), ids=[n or r for n, r, _v in _ruled_views()])
def test_views_follow_the_table_for_every_role(name, route, view, actors, client):
    """Each role gets in exactly where RULES lets it: others are sent to log in (anonymous) or refused (403)."""
    action = view.vigil_action
    url = _example_url(route)
    for label, actor in actors.items():
        client.logout()
        if actor.is_authenticated:
            client.force_login(actor)
        response = client.get(url)
        may = allowed(actor, action)
        refused = response.status_code == 403 or (response.status_code == 302 and "/login/" in response.get("Location", ""))
        assert refused != may, f"{label} on {url} ({action}): HTTP {response.status_code}"
        assert response.status_code < 500, f"{label} on {url}: HTTP {response.status_code}"
