"""Logging in and out, the lockout after repeated failures (django-axes), and the password rules."""

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from naikkelas.core.testing import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
HOME = reverse("dashboard:home")


def log_in(client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in_as(client) -> str | None:
    return client.session.get(SESSION_KEY)


def test_login_page_is_public(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert 'id="id_username"' in response.content.decode()


def test_valid_login_goes_home(client, personas):
    response = log_in(client, "op_banyuasin", PASSWORD)
    assert response.status_code == 302 and response["Location"] == HOME
    assert logged_in_as(client) == str(personas.kab.pk)
    assert client.get(HOME).status_code == 200


def test_login_follows_next_within_the_site(client, personas):
    response = client.post(f"{LOGIN}?next=/usaha/", {"username": "op_banyuasin",
                                                     "password": PASSWORD, "next": "/usaha/"})
    assert response["Location"] == "/usaha/"


def test_login_does_not_redirect_off_site(client, personas):
    response = client.post(LOGIN, {"username": "op_banyuasin", "password": PASSWORD,
                                   "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == HOME


def test_wrong_password_shows_an_error_and_does_not_log_in(client, personas):
    response = log_in(client, "op_banyuasin", "salah-sandi-1")
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == [
        "invalid_login"]
    assert 'role="alert"' in response.content.decode()
    assert logged_in_as(client) is None
    assert client.get(HOME).status_code == 302


def test_inactive_user_cannot_log_in(client, personas):
    personas.kab.is_active = False
    personas.kab.save()
    assert log_in(client, "op_banyuasin", PASSWORD).status_code == 200
    assert logged_in_as(client) is None


def fail_until_locked(client, username: str, ip: str = "10.0.0.1") -> None:
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, username, "salah-sandi-1", ip)


def test_lockout_after_the_failure_limit_refuses_the_right_password(client, personas):
    fail_until_locked(client, "op_banyuasin")
    response = log_in(client, "op_banyuasin", PASSWORD)
    assert response.status_code == 429  # django-axes' default AXES_HTTP_RESPONSE_CODE
    assert "accounts/lockout.html" in [t.name for t in response.templates]
    assert logged_in_as(client) is None


def test_one_failure_less_than_the_limit_still_lets_in(client, personas):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "op_banyuasin", "salah-sandi-1")
    assert log_in(client, "op_banyuasin", PASSWORD).status_code == 302


def test_lockout_is_per_username_and_address(client, personas):
    fail_until_locked(client, "op_banyuasin")
    assert log_in(client, "op_sumsel", PASSWORD).status_code == 302   # same address, other user
    client.logout()
    assert log_in(client, "op_banyuasin", PASSWORD, ip="10.0.0.2").status_code == 302


def test_logout_is_a_post(client, personas):
    client.force_login(personas.kab)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert logged_in_as(client) == str(personas.kab.pk)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert logged_in_as(client) is None
    assert client.get(HOME).status_code == 302


@pytest.mark.parametrize("password, code", [
    ("short1", "password_too_short"),
    ("password123", "password_too_common"),
    ("1234567890123", "password_entirely_numeric"),
    ("abcdefghijkl", "password_not_mixed"),
    ("ABCDEFGHIJKL", "password_not_mixed"),
])
def test_password_rules_refuse(password, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password)
    assert code in [e.code for e in excinfo.value.error_list]


@pytest.mark.parametrize("password", ["Sentra-IKM-2024", "pempek-lenjer-enak", "kopi2024sembawa"])
def test_password_rules_accept(password):
    validate_password(password)


def test_password_like_the_username_is_refused(personas):
    with pytest.raises(ValidationError) as excinfo:
        validate_password("op_banyuasin1", personas.kab)
    assert "password_too_similar" in [e.code for e in excinfo.value.error_list]
