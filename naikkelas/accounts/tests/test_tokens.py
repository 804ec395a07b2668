"""Personal API tokens on the web page: created with a name, the key shown once, only its hash
stored, revoked by the owner; the token then acts as its user in the API."""

import hashlib
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from naikkelas.accounts.models import ApiToken
from naikkelas.accounts.services import create_api_token
from naikkelas.core.models import AuditLog

pytestmark = pytest.mark.django_db

TOKENS = reverse("accounts:token_list")
KEY = re.compile(r'<code id="new-token-key">(nk_[A-Za-z0-9_\-]+)</code>')


def create_on_page(client, name: str = "portal kabupaten") -> str:
    response = client.post(TOKENS, {"name": name})
    assert response.status_code == 200
    match = KEY.search(response.content.decode())
    assert match, "the new key is shown on the page"
    return match[1]


def api_status(key: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client.get("/api/v1/enterprises/").status_code


@pytest.fixture
def kab_client(client, personas):
    client.force_login(personas.kab)
    return client


def test_page_needs_login(client):
    response = client.get(TOKENS)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_new_key_is_shown_once_and_only_its_hash_is_stored(kab_client, personas):
    key = create_on_page(kab_client)
    token = ApiToken.objects.get(user=personas.kab)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.key_hint == key[:8] and token.name == "portal kabupaten"
    stored = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert key not in stored
    again = kab_client.get(TOKENS).content.decode()
    assert key not in again and token.key_hint in again
    assert AuditLog.objects.filter(action="create", object_type="accounts.apitoken",
                                   object_id=str(token.pk)).exists()


def test_every_key_is_different(kab_client):
    assert create_on_page(kab_client, "satu") != create_on_page(kab_client, "dua")


def test_created_key_works_in_the_api_and_stops_when_revoked(kab_client, personas):
    key = create_on_page(kab_client)
    assert api_status(key) == 200
    token = ApiToken.objects.get(user=personas.kab)
    response = kab_client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302 and response["Location"] == TOKENS
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_status(key) == 401
    assert AuditLog.objects.filter(action="delete", object_type="accounts.apitoken",
                                   reason="dicabut").exists()


def test_nobody_revokes_another_users_token(client, personas):
    token, key = create_api_token(actor=personas.kab, name="portal")
    for other in (personas.prov, personas.admin, personas.pimpinan):
        client.force_login(other)
        assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
        assert token.key_hint not in client.get(TOKENS).content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None and api_status(key) == 200


def test_revoke_is_post_only(kab_client, personas):
    token, _key = create_api_token(actor=personas.kab, name="portal")
    assert kab_client.get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405


def test_name_is_required(kab_client):
    response = kab_client.post(TOKENS, {"name": "  "})
    assert response.status_code == 200
    assert not KEY.search(response.content.decode())
    assert not ApiToken.objects.exists()


def test_pimpinan_may_have_a_token_that_only_reads(client, personas):
    client.force_login(personas.pimpinan)
    key = create_on_page(client)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/enterprises/").status_code == 200
    assert api.post("/api/v1/enterprises/", {"name": "x"}, format="json").status_code == 403
