"""/api/v1/indicators/: the object of compute_indicators, inside the user's scope."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
# Not `_`: makemessages would take these test strings into the catalogue.
from django.utils.translation import gettext as translated

from naikkelas.api_tests.conftest import token_client
from naikkelas.core.testing import make_enterprise, make_report
from naikkelas.indicators.services import compute_indicators

pytestmark = pytest.mark.django_db

URL = "/api/v1/indicators/"


@pytest.fixture
def figures(db) -> None:
    mona = make_enterprise("16.07.01")
    make_report(mona, 2023, workers_male=2)
    make_report(mona, 2024, workers_male=8, sales=3_000_000_000)
    make_report(make_enterprise("16.71.01"), 2024)
    make_report(make_enterprise("63.71.01"), 2024)


def test_same_object_as_the_command(personas, figures):
    response = token_client(personas.kab).get(f"{URL}?wilayah=16.07&tahun=2024")
    assert response.status_code == 200
    out = StringIO()
    call_command("indicators", wilayah="16.07", tahun="2024", as_json=True, stdout=out)
    assert response.json() == json.loads(out.getvalue()) == compute_indicators("16.07", 2024)
    assert response.json()["jumlah_usaha"] == 1
    assert response.json()["naik_kelas"]["bps-tenaga-kerja"] == 1


def test_default_wilayah_is_the_users(personas, figures):
    data = token_client(personas.prov).get(f"{URL}?tahun=2024").json()
    assert (data["wilayah"], data["jumlah_usaha"]) == ("16", 2)


@pytest.mark.parametrize("persona, wilayah", [("kab", "16.71"), ("kab", "16"), ("kab", "nasional"),
                                              ("pimpinan", "63.71"), ("other", "16.07.01")])
def test_outside_the_scope_is_404(personas, figures, persona, wilayah):
    response = token_client(getattr(personas, persona)).get(
        f"{URL}?wilayah={wilayah}&tahun=2024")
    assert response.status_code == 404


def test_admin_pusat_reads_nasional(personas, figures):
    data = token_client(personas.admin).get(f"{URL}?wilayah=nasional&tahun=2024").json()
    assert (data["wilayah"], data["jumlah_usaha"]) == ("", 3)


@pytest.mark.parametrize("query, field, msgid, params", [
    ("?wilayah=16.7&tahun=2024", "wilayah",
     "'%(value)s' is not a Kemendagri wilayah code such as 16.07 or 16.07.01.",
     {"value": "16.7"}),
    ("?wilayah=16.07.01.2001&tahun=2024", "wilayah",
     "Indicators are computed down to kecamatan; '%(kode)s' is a desa/kelurahan code.",
     {"kode": "16.07.01.2001"}),
    ("?wilayah=16.99&tahun=2024", "wilayah", "Wilayah '%(kode)s' does not exist.",
     {"kode": "16.99"}),
])
def test_bad_code_is_400_in_the_active_language(personas, query, field, msgid, params):
    response = token_client(personas.kab).get(URL + query)
    assert response.status_code == 400
    assert response.json() == {field: [translated(msgid) % params]}


@pytest.mark.parametrize("query, message", [
    ("?wilayah=16.07&tahun=dua", "Nilai bidang ini harus berupa bilangan bulat."),
    ("?wilayah=16.07", "Bidang ini tidak boleh kosong."),
])
def test_bad_year_is_400_in_indonesian(personas, query, message):
    response = token_client(personas.kab).get(URL + query)
    assert response.status_code == 400
    assert response.json() == {"tahun": [message]}


def test_year_out_of_range_is_400(personas):
    response = token_client(personas.kab).get(f"{URL}?tahun=1800")
    assert response.status_code == 400 and list(response.json()) == ["tahun"]
