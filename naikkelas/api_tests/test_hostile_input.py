"""Input that must be refused before it reaches the database: a forged cursor, NUL characters
(PostgreSQL refuses them in text), numbers out of any range. 400 or 404, never 500."""

import base64

import pytest

from naikkelas.api_tests.conftest import token_client
from naikkelas.core.testing import make_enterprise, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def kab(personas):
    make_report(make_enterprise("16.07.01"), 2024)
    return token_client(personas.kab)


def cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize("position", ["p=abc", "p=a%00b", "p=", "p=1&r=1&o=x"])
def test_forged_cursor_is_404(kab, position):
    response = kab.get("/api/v1/enterprises/", {"cursor": cursor(position)})
    assert response.status_code == 404 and "detail" in response.json()


@pytest.mark.parametrize("base", ["/api/v1/wilayah/", "/api/v1/kbli/"])
def test_cursor_with_nul_in_a_text_key_is_404(kab, base):
    assert kab.get(base, {"cursor": cursor("p=16%00")}).status_code == 404


@pytest.mark.parametrize("url", [
    "/api/v1/enterprises/?wilayah=%00", "/api/v1/enterprises/?q=%00",
    "/api/v1/enterprises/?kelas=%00", "/api/v1/wilayah/?parent=%00", "/api/v1/kbli/?division=%00",
    "/api/v1/indicators/?tahun=2024&wilayah=%00", "/api/v1/enterprises/?tahun=1e300",
    "/api/v1/enterprises/?tahun=NaN", "/api/v1/wilayah/?level=99999999999999999999",
])
def test_bad_query_values_are_400(kab, url):
    assert kab.get(url).status_code == 400


@pytest.mark.parametrize("url", [
    "/api/v1/wilayah/%00/", "/api/v1/kbli/%00/", "/api/v1/enterprises/%00/",
    "/api/v1/enterprises/99999999999999999999/", "/api/v1/enterprises/-1/reports/2024/",
    "/api/v1/enterprises/1/reports/99999999999999999999/", "/api/v1/tidak/ada/",
])
def test_bad_path_values_are_404_in_json(kab, url):
    response = kab.get(url)
    assert response.status_code == 404 and response["Content-Type"] == "application/json"


@pytest.mark.parametrize("payload", [
    {"name": "a\x00b"}, {"kecamatan": "16.07.01\x00"}, {"nib": "\x00"},
    {"reports": [{"year": 2024, "sales": "1.000\x00"}]}, {"reports": [{"year": 2**70}]},
])
def test_bad_body_values_are_400(kab, payload):
    body = {"name": "Usaha", "owner_name": "Pemilik", "kecamatan": "16.07.01", **payload}
    assert kab.post("/api/v1/enterprises/", body).status_code == 400


def test_web_list_survives_a_nul_region_too(personas, client):
    client.force_login(personas.kab)
    assert client.get("/usaha/", {"wilayah": "\x00"}).status_code == 200
