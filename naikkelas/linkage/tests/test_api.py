"""/api/v1/duplicates/: scoped, read only, constant queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from naikkelas.accounts.services import create_api_token
from naikkelas.linkage.tests.conftest import make_pair

pytestmark = pytest.mark.django_db
URL = "/api/v1/duplicates/"


def api(user) -> Client:
    _token, key = create_api_token(actor=user, name="uji")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_list_and_detail_are_scoped(personas, pair):
    elsewhere = make_pair("63.71.01")
    kab = api(personas.kab)
    ids = [row["id"] for row in kab.get(URL).json()["results"]]
    assert ids == [pair.pk]
    assert kab.get(f"{URL}{elsewhere.pk}/").status_code == 404
    body = kab.get(f"{URL}{pair.pk}/").json()
    assert body["enterprise_a"]["name"] == pair.enterprise_a.name and body["status"] == "open"
    assert "owner_nik" not in str(body)


def test_the_queue_api_is_read_only(personas, pair):
    assert api(personas.kab).post(URL, {}).status_code == 405


def test_list_queries_do_not_grow(personas, pair):
    client = api(personas.kab)
    client.get(URL)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _ in range(6):
        make_pair()
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(URL).json()["results"]) == 7
    assert len(few) == len(many)
