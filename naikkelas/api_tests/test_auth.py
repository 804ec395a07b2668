"""Who may call the API: a valid token or a session; nobody else, except for the schema and docs."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from naikkelas.accounts.models import ApiToken
from naikkelas.accounts.services import create_api_token, revoke_api_token
from naikkelas.api_tests.conftest import token_client
from naikkelas.core.testing import make_enterprise

pytestmark = pytest.mark.django_db

API_URLS = ["/api/v1/", "/api/v1/enterprises/", "/api/v1/enterprises/1/",
            "/api/v1/enterprises/1/reports/2024/", "/api/v1/wilayah/", "/api/v1/wilayah/16.07/",
            "/api/v1/kbli/", "/api/v1/kbli/10750/", "/api/v1/indicators/?tahun=2024"]


@pytest.mark.parametrize("url", API_URLS)
def test_anonymous_gets_401_json_everywhere(url, personas):
    make_enterprise("16.07.01")
    client = APIClient()
    for response in (client.get(url), client.post(url, {}), client.patch(url, {}),
                     client.put(url, {}), client.delete(url)):
        assert response.status_code == 401, (response.request["REQUEST_METHOD"], url)
        assert response["Content-Type"] == "application/json"
        assert response["WWW-Authenticate"] == 'Bearer realm="naikkelas"'
        assert response.json()["detail"] == "Data autentikasi tidak diberikan."


@pytest.mark.parametrize("name", ["api-schema", "api-docs"])
def test_schema_and_docs_are_public(client, name):
    assert client.get(reverse(name)).status_code == 200


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.mark.parametrize("header", ["Bearer nk_bukan-token-yang-ada", "Bearer abc",
                                    "Bearer", "Bearer a b", "Token nk_x"])
def test_unknown_or_malformed_token_is_401(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/enterprises/")
    assert response.status_code == 401 and "detail" in response.json()


def test_revoked_token_is_401(personas):
    token, key = create_api_token(actor=personas.kab, name="portal")
    assert bearer(key).get("/api/v1/enterprises/").status_code == 200
    revoke_api_token(token, actor=personas.kab)
    assert bearer(key).get("/api/v1/enterprises/").status_code == 401


def test_token_of_a_deactivated_user_is_401(personas):
    _token, key = create_api_token(actor=personas.kab, name="portal")
    personas.kab.is_active = False
    personas.kab.save()
    assert bearer(key).get("/api/v1/enterprises/").status_code == 401


def test_use_is_recorded_at_most_once_a_minute(personas):
    token, key = create_api_token(actor=personas.kab, name="portal")
    client = bearer(key)
    client.get("/api/v1/")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/v1/")
    token.refresh_from_db()
    assert token.last_used_at == first


def test_token_acts_as_its_user_not_as_the_session(personas, client):
    """A token of the kab officer, sent by a logged-in provinsi browser, sees Banyuasin only."""
    make_enterprise("16.71.01", name="Kemplang Palembang")
    _token, key = create_api_token(actor=personas.kab, name="portal")
    client.force_login(personas.prov)
    response = client.get("/api/v1/enterprises/", headers={"Authorization": f"Bearer {key}"})
    assert response.json()["results"] == []


def test_each_token_has_its_own_request_budget(personas):
    first, second = token_client(personas.kab, "satu"), token_client(personas.kab, "dua")
    low_rate = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/minute"}}
    with override_settings(REST_FRAMEWORK=low_rate):
        cache.clear()
        statuses = [first.get("/api/v1/").status_code for _ in range(4)]
        throttled = first.get("/api/v1/enterprises/")
        other_token = second.get("/api/v1/").status_code
    assert statuses == [200, 200, 200, 429]
    assert throttled.status_code == 429 and "detail" in throttled.json()
    assert int(throttled["Retry-After"]) > 0
    assert other_token == 200


def test_default_budget_is_generous(personas):
    client = token_client(personas.kab)
    assert all(client.get("/api/v1/").status_code == 200 for _ in range(20))


def test_revoking_is_recorded_with_the_time(personas):
    token, _key = create_api_token(actor=personas.kab, name="portal")
    revoke_api_token(token, actor=personas.kab)
    token.refresh_from_db()
    assert token.revoked_at <= timezone.now()
    assert not ApiToken.objects.usable().filter(pk=token.pk).exists()


def test_csrf_protects_session_writes(personas):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(personas.kab)
    response = client.post("/api/v1/enterprises/", {"name": "x"})
    assert response.status_code == 403 and "detail" in response.json()
