import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
from typer.testing import CliRunner

from vigil.access import Role, roles_of
from vigil.cli import app

runner = CliRunner()
pytestmark = pytest.mark.django_db(transaction=True)


def user(username):
    return get_user_model().objects.get(username=username)


def test_users_add_creates_an_account_with_roles(admin_user, monkeypatch):
    """`vigil users add NAME --role R` creates the account with the password from VIGIL_USER_PASSWORD."""
    monkeypatch.setenv("VIGIL_USER_PASSWORD", "long-synthetic-pass-77")
    result = runner.invoke(app, ["users", "add", "amina", "--role", "editor", "--role", "reviewer"])
    assert result.exit_code == 0, result.output
    assert user("amina").check_password("long-synthetic-pass-77")
    assert roles_of(user("amina")) == {Role.EDITOR, Role.REVIEWER}


def test_users_add_refuses_a_weak_password(admin_user, monkeypatch):
    """A password the validators refuse creates nothing and exits 1 with the reason."""
    monkeypatch.setenv("VIGIL_USER_PASSWORD", "123")
    result = runner.invoke(app, ["users", "add", "amina", "--role", "editor"])
    assert result.exit_code == 1
    assert "too short" in result.output
    assert not get_user_model().objects.filter(username="amina").exists()


def test_users_add_refuses_an_unknown_role(admin_user, monkeypatch):
    """An unknown role is refused with the roles there are."""
    monkeypatch.setenv("VIGIL_USER_PASSWORD", "long-synthetic-pass-77")
    result = runner.invoke(app, ["users", "add", "amina", "--role", "boss"])
    assert result.exit_code == 1 and "researcher" in result.output


def test_users_add_without_password_or_terminal_is_refused(admin_user, monkeypatch):
    """With no VIGIL_USER_PASSWORD and no terminal to ask in, nothing is created."""
    monkeypatch.delenv("VIGIL_USER_PASSWORD", raising=False)
    result = runner.invoke(app, ["users", "add", "amina", "--role", "editor"])
    assert result.exit_code != 0
    assert not get_user_model().objects.filter(username="amina").exists()


def test_users_add_totp_prints_a_key_that_logs_in(admin_user, monkeypatch):
    """--totp sets up a confirmed device now and prints its key and otpauth URI."""
    monkeypatch.setenv("VIGIL_USER_PASSWORD", "long-synthetic-pass-77")
    result = runner.invoke(app, ["users", "add", "amina", "--role", "researcher", "--totp"])
    assert result.exit_code == 0, result.output
    device = TOTPDevice.objects.get(user=user("amina"))
    assert device.confirmed and "otpauth://totp/" in result.output


def test_users_roles_sets_exactly_the_roles_named(admin_user, editor):
    """`vigil users roles NAME R...` grants and takes away until the account holds exactly those roles."""
    result = runner.invoke(app, ["users", "roles", "editor", "researcher", "reviewer"])
    assert result.exit_code == 0, result.output
    assert "+researcher +reviewer -editor" in result.output
    assert roles_of(user("editor")) == {Role.RESEARCHER, Role.REVIEWER}


def test_users_list_shows_roles_and_two_factor(admin_user, editor):
    """`vigil users list` shows each account's roles and whether it has set up two-factor login."""
    TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    result = runner.invoke(app, ["users", "list"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if " editor " in f" {line} " and "yes" in line)
    assert "editor" in line
    assert "not set up" in next(line for line in result.output.splitlines() if "admin " in line)


def test_users_reset_2fa_removes_the_devices(admin_user, editor):
    """`vigil users reset-2fa NAME` removes the account's devices (a lost phone)."""
    TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    result = runner.invoke(app, ["users", "reset-2fa", "editor"])
    assert result.exit_code == 0, result.output
    assert not TOTPDevice.objects.filter(user=editor).exists()


def test_users_commands_act_as_an_administrator_only(admin_user, editor):
    """Acting as an editor (--as), account commands are refused."""
    result = runner.invoke(app, ["users", "list", "--as", "editor"])
    assert result.exit_code != 0
