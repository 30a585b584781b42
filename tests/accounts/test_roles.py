import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import grant
from vigil.access import Role, roles_of
from vigil.accounts.selectors import users_list
from vigil.accounts.services import role_grant, role_revoke, roles_create, roles_set, user_create
from vigil.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_an_administrator_grants_and_revokes_a_role_and_both_are_audited(admin_user, reader):
    """A role granted is held (the Django group of its name); revoked, it is gone; each change is an audit entry."""
    assert role_grant(actor=admin_user, user=reader, role=Role.RESEARCHER) is True
    assert roles_of(fresh(reader)) == {Role.RESEARCHER}
    assert role_revoke(actor=admin_user, user=reader, role="researcher") is True
    assert roles_of(fresh(reader)) == {Role.PUBLIC}
    entries = list(AuditEntry.objects.filter(object_type="user", object_id=str(reader.pk)).values_list("action", "detail"))
    assert entries == [("role.grant", {"username": "reader", "role": "researcher"}), ("role.revoke", {"username": "reader", "role": "researcher"})]


def test_granting_a_role_held_already_changes_nothing(admin_user, editor):
    """Granting a role the user holds returns False and writes no audit entry."""
    before = AuditEntry.objects.count()
    assert role_grant(actor=admin_user, user=editor, role=Role.EDITOR) is False
    assert role_revoke(actor=admin_user, user=editor, role=Role.REVIEWER) is False
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("role", ["editor", "researcher", "reviewer"])
def test_only_administrators_manage_roles(django_user_model, reader, role):
    """Nobody but an administrator may grant or revoke a role, not even to themselves."""
    staff = grant(django_user_model.objects.create_user(username="someone", password="x-unused-x"), role)
    with pytest.raises(PermissionDenied):
        role_grant(actor=staff, user=reader, role=Role.ADMINISTRATOR)
    with pytest.raises(PermissionDenied):
        role_grant(actor=staff, user=staff, role=Role.ADMINISTRATOR)
    with pytest.raises(PermissionDenied):
        role_revoke(actor=staff, user=staff, role=role)
    assert roles_of(fresh(staff)) == {Role(role)}


@pytest.mark.parametrize("role", ["public", "superuser", ""])
def test_a_role_must_be_a_staff_role(admin_user, reader, role):
    """"public" (anonymous visitors) and unknown names are not roles an account can hold."""
    with pytest.raises(ValueError, match="role"):
        role_grant(actor=admin_user, user=reader, role=role)


def test_roles_set_makes_the_roles_exactly_those_named(admin_user, editor):
    """Setting roles grants the missing ones and takes away those not named."""
    granted, revoked = roles_set(actor=admin_user, user=editor, roles=["researcher", "reviewer"])
    assert (granted, revoked) == ([Role.RESEARCHER, Role.REVIEWER], [Role.EDITOR])
    assert roles_of(fresh(editor)) == {Role.RESEARCHER, Role.REVIEWER}


def test_roles_create_makes_one_group_per_staff_role_once(admin_user):
    """`vigil init` creates the four role groups; a second run creates none."""
    assert roles_create(actor=admin_user) == [Role.ADMINISTRATOR, Role.EDITOR, Role.RESEARCHER, Role.REVIEWER]
    assert roles_create(actor=admin_user) == []
    assert set(Group.objects.values_list("name", flat=True)) == {"administrator", "editor", "researcher", "reviewer"}


def test_user_create_checks_the_password_with_djangos_validators(admin_user, django_user_model):
    """A short, common or all-digit password, or one like the username, is refused and no account is made."""
    for password in ("short", "password123", "12345678901", "volunteer-amina1"):
        with pytest.raises(ValidationError):
            user_create(actor=admin_user, username="volunteer-amina", password=password, roles=["editor"])
    assert not django_user_model.objects.filter(username="volunteer-amina").exists()


def test_user_create_makes_an_account_with_its_roles(admin_user):
    """A new account holds the roles it was made with, and appears in the list without two-factor yet."""
    user = user_create(actor=admin_user, username="synthetic-reviewer", password="long-synthetic-pass-91", roles=["reviewer"])
    assert user.check_password("long-synthetic-pass-91")
    assert roles_of(user) == {Role.REVIEWER}
    row = next(r for r in users_list(actor=admin_user) if r.username == "synthetic-reviewer")
    assert row.roles == (Role.REVIEWER,) and row.active and not row.two_factor
    assert AuditEntry.objects.filter(action="user.create", object_id=str(user.pk)).exists()


def test_user_create_and_list_are_for_administrators_only(editor):
    """An editor can neither create accounts nor list them."""
    with pytest.raises(PermissionDenied):
        user_create(actor=editor, username="x-new", password="long-synthetic-pass-91", roles=["editor"])
    with pytest.raises(PermissionDenied):
        users_list(actor=editor)
