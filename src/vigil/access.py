"""Roles, and the one table of who may do what: checked by every service and selector (web, API and CLI alike).

A user's role is the Django group of that name (``vigil users roles USER ROLE``); superusers are
administrators; anyone not logged in is ``public``. Views, the API and the CLI never decide access
themselves: they call a service or selector, which calls :func:`require`.
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

Actor = AbstractBaseUser | AnonymousUser | None


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    EDITOR = "editor"  # records and edits testimonies
    RESEARCHER = "researcher"  # reads and analyses everything except testifiers' identities and contacts
    REVIEWER = "reviewer"  # decides matches
    PUBLIC = "public"  # anonymous: the public site only


STAFF_ROLES = (Role.ADMINISTRATOR, Role.EDITOR, Role.RESEARCHER, Role.REVIEWER)

_ALL_STAFF = frozenset(STAFF_ROLES)
_A = Role.ADMINISTRATOR
_E = Role.EDITOR
_R = Role.RESEARCHER
_V = Role.REVIEWER

# action -> roles allowed. The permission-matrix test is generated from this table.
RULES: dict[str, frozenset[Role]] = {
    # reading the record
    "person.view": _ALL_STAFF,
    "testimony.view": _ALL_STAFF,  # metadata, summary and non-sensitive text
    "testimony.view_sensitive": frozenset({_A, _E}),  # transcripts and summaries marked sensitive
    "testifier.view": frozenset({_A, _E}),  # who testified, and how to reach them
    "identity_number.view": frozenset({_A, _E, _R, _V}),
    "document.view": _ALL_STAFF,
    "document.view_rows": frozenset({_A, _E, _R, _V}),
    "evidence.view": _ALL_STAFF,
    "match.view": frozenset({_A, _E, _V}),
    "place.view": _ALL_STAFF,  # places and facilities
    "statistics.view": _ALL_STAFF,
    "audit.view": frozenset({_A}),
    # writing
    "testimony.record": frozenset({_A, _E}),
    "person.edit": frozenset({_A, _E}),
    "person.create": frozenset({_A, _E, _V}),  # a reviewer turns an unmatched list row into a person
    "person.import": frozenset({_A, _E}),  # persons from a CSV/XLSX file (vigil import persons), dry runs included
    "names.reindex": frozenset({_A}),
    "document.import": frozenset({_A, _E}),
    "evidence.add": frozenset({_A, _E}),
    "evidence.redact": frozenset({_A, _E}),  # make a metadata-free working copy
    # A metadata-free copy for the public site; whether consent allows publishing is the caller's check.
    "evidence.public_copy": frozenset({*STAFF_ROLES, Role.PUBLIC}),
    "match.decide": frozenset({_A, _V}),
    "merge": frozenset({_A, _V}),
    "linkage.run": frozenset({_A, _V}),
    "places.load": frozenset({_A}),
    # out of the system
    "export.run": frozenset({_A, _E, _R}),
    "evidence.export": frozenset({_A, _E}),  # an original with its custody record, e.g. for a court or the UN
    "report.wgeid": frozenset({_A, _E}),  # prepare and download a case form for the UN Working Group (WGEID)
    "public.view": frozenset({*STAFF_ROLES, Role.PUBLIC}),
    # deciding what the public view may show (vigil.public.services; rules in docs/public.md)
    "document.publish": frozenset({_A, _E}),
    "testimony.publish_summary": frozenset({_A, _E}),
    "evidence.check_metadata": frozenset({_A, _E}),
    # running the system
    "users.manage": frozenset({_A}),
    "api_token.manage": _ALL_STAFF,  # one's own API tokens (administrators: anyone's, through users.manage)
    "keys.manage": frozenset({_A}),
    "backup.run": frozenset({_A}),
    "evidence.verify": frozenset({_A}),
    "audit.seal": frozenset({_A}),
}


def roles_of(actor: Actor) -> frozenset[Role]:
    """The roles ``actor`` holds: ``{public}`` for anonymous or inactive users."""
    if actor is None or not actor.is_authenticated or not getattr(actor, "is_active", False):
        return frozenset({Role.PUBLIC})
    if getattr(actor, "is_superuser", False):
        return frozenset({Role.ADMINISTRATOR})
    cached = getattr(actor, "_vigil_roles", None)
    if cached is None:
        names = set(actor.groups.values_list("name", flat=True))  # type: ignore[union-attr]
        cached = frozenset(r for r in STAFF_ROLES if r.value in names) or frozenset({Role.PUBLIC})
        actor._vigil_roles = cached  # type: ignore[union-attr]
    return cached


def allowed(actor: Actor, action: str) -> bool:
    """Whether ``actor`` may do ``action`` (a key of :data:`RULES`)."""
    try:
        rule = RULES[action]
    except KeyError:
        raise KeyError(f"no access rule for {action!r}: add it to vigil.access.RULES") from None
    return bool(roles_of(actor) & rule)


def require(actor: Actor, action: str) -> None:
    """Raise PermissionDenied unless ``actor`` may do ``action``."""
    if not allowed(actor, action):
        who = actor.get_username() if actor is not None and actor.is_authenticated else "anonymous"  # type: ignore[union-attr]
        raise PermissionDenied(f"{who} may not {action}")


def acting_user(actor: Actor) -> AbstractBaseUser | None:
    """The user account behind ``actor``, for "who did it" columns (None for the system or anonymous)."""
    if actor is not None and actor.is_authenticated:
        return actor  # type: ignore[return-value]
    return None
