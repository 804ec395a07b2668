"""/api/v1/wilayah/ (inside the user's wilayah) and /api/v1/kbli/ (the same for everyone)."""

import pytest

from naikkelas.api_tests.conftest import token_client
from naikkelas.kbli.models import Kbli

pytestmark = pytest.mark.django_db


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_wilayah_lists_only_regions_inside_the_wilayah(personas):
    client = token_client(personas.kab)
    kodes = [w["kode"] for w in results(client.get("/api/v1/wilayah/?page_size=500"))]
    assert kodes[0] == "16.07" and "16.07.01" in kodes
    assert all(k == "16.07" or k.startswith("16.07.") for k in kodes)


@pytest.mark.parametrize("query, expected", [
    ("?parent=16.07", {"16.07.01", "16.07.02"}),
    ("?level=3", {"16.07.01", "16.07.02"}),
    ("?level=2", {"16.07"}),
])
def test_wilayah_filters(personas, query, expected):
    kodes = {w["kode"] for w in results(token_client(personas.kab).get(
        f"/api/v1/wilayah/{query}&page_size=500"))}
    assert expected <= kodes
    assert all(k.count(".") == next(iter(expected)).count(".") for k in kodes)


def test_wilayah_of_another_provinsi_is_empty_or_404(personas):
    client = token_client(personas.kab)
    assert results(client.get("/api/v1/wilayah/?parent=16.71")) == []
    assert client.get("/api/v1/wilayah/16.71/").status_code == 404
    assert client.get("/api/v1/wilayah/16/").status_code == 404


def test_wilayah_by_kode(personas):
    response = token_client(personas.prov).get("/api/v1/wilayah/16.07.01/")
    assert response.json() == {"kode": "16.07.01", "nama": "Banyuasin I", "level": 3,
                               "parent": "16.07"}


def test_wilayah_bad_level_is_400(personas):
    response = token_client(personas.kab).get("/api/v1/wilayah/?level=9")
    assert response.status_code == 400 and list(response.json()) == ["level"]


@pytest.fixture
def kbli(db) -> None:
    for kode, judul in [("10", "INDUSTRI MAKANAN"), ("13", "INDUSTRI TEKSTIL"),
                        ("10750", "INDUSTRI MAKANAN DAN MASAKAN OLAHAN"),
                        ("13134", "INDUSTRI BATIK")]:
        Kbli.objects.update_or_create(kode=kode, defaults={"judul": judul})


@pytest.mark.parametrize("persona", ["kab", "other", "pimpinan"])
def test_kbli_is_the_same_for_everyone(personas, kbli, persona):
    response = token_client(getattr(personas, persona)).get("/api/v1/kbli/10750/")
    assert response.json()["judul"] == "INDUSTRI MAKANAN DAN MASAKAN OLAHAN"
    assert response.json()["division"] == "10" and response.json()["level"] == 5


def test_kbli_filters(personas, kbli):
    client = token_client(personas.kab)
    kodes = {k["kode"] for k in results(client.get("/api/v1/kbli/?division=13&page_size=500"))}
    assert {"13", "13134"} <= kodes and all(k.startswith("13") for k in kodes)
    level = results(client.get("/api/v1/kbli/?level=2&page_size=500"))
    assert {"10", "13"} <= {k["kode"] for k in level} and {k["level"] for k in level} == {2}
    assert client.get("/api/v1/kbli/99999/").status_code == 404
