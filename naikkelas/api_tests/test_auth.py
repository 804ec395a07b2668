"""Who may call the API: a valid token or a session; nobody else, except for the schema and docs."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from naikkelas.accounts import authentication
from naikkelas.accounts.models import ApiToken
from naikkelas.accounts.services import create_api_token, revoke_api_token
from naikkelas.api_tests.conftest import token_client
from naikkelas.core.testing import make_enterprise
from naikkelas.core.tests.test_settings import REDIS_URL
from naikkelas.settings import cache_config

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


# --- the process's token cache and the rate limit's windows -------------------------------------

TOKEN_QUERY = 'FROM "accounts_apitoken"'


def token_queries(client: APIClient, url: str = "/api/v1/") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(TOKEN_QUERY in q["sql"] and q["sql"].startswith("SELECT") for q in queries)


@pytest.fixture
def clock(monkeypatch) -> list[float]:
    """The token cache's clock, moved by the test: `clock[0] += 6`."""
    now = [1000.0]
    monkeypatch.setattr(authentication, "clock", lambda: now[0])
    return now


def test_token_is_read_from_the_database_once_within_the_bound(personas, clock):
    client = token_client(personas.kab)
    assert token_queries(client) == 1
    assert token_queries(client) == 0
    clock[0] += settings.NAIKKELAS_API_TOKEN_CACHE_SECONDS + 0.1
    assert token_queries(client) == 1


def test_revocation_elsewhere_takes_effect_within_the_bound(personas, clock):
    """Another server process revokes the token (no signal reaches this one): refused once the
    bound has passed, never later."""
    token, key = create_api_token(actor=personas.kab, name="portal")
    client = bearer(key)
    assert client.get("/api/v1/enterprises/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())  # bypasses signals
    clock[0] += settings.NAIKKELAS_API_TOKEN_CACHE_SECONDS + 0.1
    assert client.get("/api/v1/enterprises/").status_code == 401


def test_change_of_wilayah_in_this_process_takes_effect_at_once(personas, clock):
    make_enterprise("16.71.01", name="Kemplang Palembang")
    client = token_client(personas.kab)
    assert client.get("/api/v1/enterprises/").json()["results"] == []
    personas.kab.role, personas.kab.kode_wilayah = "operator_kabkota", "16.71"
    personas.kab.save()
    names = [e["name"] for e in client.get("/api/v1/enterprises/").json()["results"]]
    assert names == ["Kemplang Palembang"]


def test_requests_share_no_user_object(personas, clock):
    """Each request gets its own copy of the cached user, so one request's marks stay its own."""
    token, key = create_api_token(actor=personas.kab, name="portal")
    auth = authentication.ApiTokenAuthentication()
    request = RequestFactory().get("/api/v1/", headers={"Authorization": f"Bearer {key}"})
    first, second = auth.authenticate(request)[0], auth.authenticate(request)[0]
    assert first is not second and first.pk == second.pk == personas.kab.pk
    assert first.audit_via == "token API: portal"


@pytest.fixture(params=["locmem", "redis"])
def any_cache(request):
    """The rate limit on the local-memory cache and on Redis (gunicorn's shared cache)."""
    if request.param == "locmem":
        yield
        return
    with override_settings(CACHES={"default": cache_config(REDIS_URL)}):
        cache.clear()
        yield
        cache.clear()


@pytest.fixture
def throttle_time(monkeypatch) -> list[float]:
    """The rate limit's clock: 12:00:50 of some day (50 s into a minute window)."""
    now = [1_800_000_000.0 - 1_800_000_000.0 % 60 + 50]
    monkeypatch.setattr(authentication.TokenRateThrottle, "timer", lambda self: now[0])
    return now


def test_budget_slides_over_the_window_boundary(personas, any_cache, throttle_time):
    """3 a minute: three requests late in one minute still count early in the next."""
    client = token_client(personas.kab)
    low_rate = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/minute"}}
    with override_settings(REST_FRAMEWORK=low_rate):
        assert [client.get("/api/v1/").status_code for _ in range(3)] == [200] * 3
        throttle_time[0] += 15  # 5 s into the next window: 3 × 55/60 of the last still count
        refused = client.get("/api/v1/")
        assert refused.status_code == 429
        assert 1 <= int(refused["Retry-After"]) <= 60
        throttle_time[0] += 25  # 30 s in: 3 × 30/60 = 1.5 counted, room for one more
        assert client.get("/api/v1/").status_code == 200
        assert client.get("/api/v1/").status_code == 429
        throttle_time[0] += 60 + 31  # two windows on: a full budget again
        assert [client.get("/api/v1/").status_code for _ in range(3)] == [200] * 3


def test_refused_requests_use_no_budget(personas, any_cache, throttle_time):
    client = token_client(personas.kab)
    low_rate = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "2/minute"}}
    with override_settings(REST_FRAMEWORK=low_rate):
        statuses = [client.get("/api/v1/").status_code for _ in range(12)]
        throttle_time[0] += 60 + 55  # in the next-but-one window only 2 × 5/60 of the last count
        after = client.get("/api/v1/").status_code
    assert statuses == [200, 200] + [429] * 10
    assert after == 200
