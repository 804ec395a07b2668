"""/api/v1/enterprises/ as an external system uses it: with a token, inside its wilayah.

Messages are compared with what the web form or gettext gives in the active language, never with
English text, so the tests hold whatever the Indonesian catalogue says.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import override_settings
# Not `_`: makemessages would take these test strings into the catalogue.
from django.utils.translation import gettext as translated

from naikkelas.accounts.models import Role
from naikkelas.api_tests.conftest import token_client
from naikkelas.core.models import AuditLog
from naikkelas.core.testing import (
    Personas, built_once, make_enterprise, make_personas, make_report, make_user,
)
from naikkelas.enterprises.forms import AnnualReportForm, EnterpriseForm
from naikkelas.enterprises.models import AnnualReport, Enterprise
from naikkelas.kbli.models import Kbli

pytestmark = pytest.mark.django_db

LIST = "/api/v1/enterprises/"
NIK_MONA = "1607014508900042"  # a woman born 5 Aug 1990, registered in Banyuasin I
PHONE_MONA = "081234565678"
BPS = "bps-tenaga-kerja"


def detail(enterprise: Enterprise) -> str:
    return f"{LIST}{enterprise.pk}/"


def report_url(enterprise: Enterprise, year: int) -> str:
    return f"{LIST}{enterprise.pk}/reports/{year}/"


@dataclass
class World:
    personas: Personas
    mona: Enterprise        # Banyuasin 16.07.01; BPS mikro 2023 → kecil 2024 (naik kelas)
    songket: Enterprise     # Banyuasin 16.07.02, no personal data
    kemplang: Enterprise    # Palembang 16.71.01: the provinsi sees it, Banyuasin does not
    sasirangan: Enterprise  # Banjarmasin 63.71.01: nobody of Sumatera Selatan sees it


def build_world() -> World:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        personas = make_personas()
    for kode in ("10", "13", "10750", "13134"):
        Kbli.objects.get_or_create(kode=kode, defaults={"judul": f"KBLI {kode}"})
    mona = make_enterprise("16.07.01", name="Pempek Cek Mona", owner_name="Mona Saraswati",
                           nib="1607000000011", owner_nik=NIK_MONA, owner_phone=PHONE_MONA,
                           owner_gender="P", kbli_id="10750")
    make_report(mona, 2023, workers_male=2, workers_female=0)
    make_report(mona, 2024, workers_male=6, workers_female=2)
    songket = make_enterprise("16.07.02", name="Songket Tanjung Lago", owner_name="Rudi",
                              nib="1607123450002", kbli_id="13134")
    make_report(songket, 2024, workers_male=1, workers_female=2)
    kemplang = make_enterprise("16.71.01", name="Kemplang Palembang", owner_name="Cek Ipah",
                               nib="1671000000003")
    make_report(kemplang, 2024)
    sasirangan = make_enterprise("63.71.01", name="Sasirangan Kampung Melayu",
                                 owner_name="Aluh Galuh", nib="6371000000005")
    make_report(sasirangan, 2024)
    return World(personas, mona, songket, kemplang, sasirangan)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built once for the module; each test's own changes are rolled back by the `db` fixture."""
    with built_once(django_db_blocker, build_world) as built:
        yield built


@pytest.fixture
def kab(world):
    return token_client(world.personas.kab)


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


NEW = {"name": "Kerupuk Ikan Sungsang", "owner_name": "Ahmad Dahlan", "kecamatan": "16.07.03",
       "nib": "1607000000777", "kbli": "10750", "legal_form": "ud"}


# --- reading ---------------------------------------------------------------------------------

@pytest.mark.parametrize("persona, expected", [
    ("kab", ["Pempek Cek Mona", "Songket Tanjung Lago"]),
    ("pimpinan", ["Pempek Cek Mona", "Songket Tanjung Lago"]),
    ("prov", ["Kemplang Palembang", "Pempek Cek Mona", "Songket Tanjung Lago"]),
    ("other", ["Sasirangan Kampung Melayu"]),
])
def test_list_shows_only_the_wilayah_of_the_token(world, persona, expected):
    client = token_client(getattr(world.personas, persona))
    assert sorted(names(client.get(LIST))) == expected


def test_list_carries_every_year_with_its_class_per_rule(world, kab):
    row = next(r for r in kab.get(LIST).json()["results"] if r["id"] == world.mona.pk)
    assert [r["year"] for r in row["reports"]] == [2023, 2024]
    assert row["kecamatan"] == "16.07.01" and row["kbli"] == "10750"
    assert row["nib"] == "1607000000011"
    latest = row["reports"][1]
    assert latest["workers_total"] == 8
    assert latest["classes"][BPS] == {"kelas": "kecil", "naik_kelas": True}
    assert row["reports"][0]["classes"][BPS] == {"kelas": "mikro", "naik_kelas": None}
    assert latest["classes"]["pp-7-2021-omzet"]["kelas"] == "mikro"


@pytest.mark.parametrize("query, expected", [
    ("?kecamatan=16.07.02", ["Songket Tanjung Lago"]),
    ("?q=mona", ["Pempek Cek Mona"]),
    ("?q=1607123", ["Songket Tanjung Lago"]),
    ("?kbli=13", ["Songket Tanjung Lago"]),
    (f"?tahun=2024&aturan={BPS}&naik_kelas=ya", ["Pempek Cek Mona"]),
    (f"?tahun=2024&aturan={BPS}&kelas=mikro", ["Songket Tanjung Lago"]),
    ("?tahun=2023&kelas=kecil", ["Pempek Cek Mona"]),
    ("?status=tutup", []),
])
def test_list_filters_with_the_web_list_filterset(world, kab, query, expected):
    assert sorted(names(kab.get(LIST + query))) == expected


@pytest.mark.parametrize("query, field", [
    ("?wilayah=63.71", "wilayah"), ("?kecamatan=16.71.01", "kecamatan"),
    ("?naik_kelas=mungkin", "naik_kelas"), ("?aturan=tidak-ada", "aturan"), ("?tahun=x", "tahun"),
])
def test_invalid_or_foreign_filter_is_a_400_on_that_parameter(world, kab, query, field):
    response = kab.get(LIST + query)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_cursor_pages_visit_every_row_once_without_a_count(world):
    client = token_client(world.personas.prov)
    seen, url = [], f"{LIST}?page_size=1"
    while url:
        page = client.get(url).json()
        assert "count" not in page
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert seen == sorted(seen) and len(seen) == 3
    newest_first = client.get(f"{LIST}?ordering=-id").json()["results"]
    assert [row["id"] for row in newest_first] == sorted(seen, reverse=True)


def test_stale_cursor_is_a_404(kab):
    response = kab.get(f"{LIST}?cursor=bz14")
    assert response.status_code == 404 and "detail" in response.json()


def test_detail_in_scope(world, kab):
    response = kab.get(detail(world.mona))
    assert response.status_code == 200
    assert response.json()["owner_nik"] == NIK_MONA
    assert response.json()["owner_phone"] == PHONE_MONA


@pytest.mark.parametrize("persona, target", [
    ("kab", "kemplang"), ("kab", "sasirangan"), ("pimpinan", "kemplang"), ("prov", "sasirangan"),
    ("other", "mona"),
])
def test_everything_outside_the_wilayah_is_404_and_untouched(world, persona, target):
    client = token_client(getattr(world.personas, persona))
    enterprise = getattr(world, target)
    before = (Enterprise.objects.filter(pk=enterprise.pk).values().get(),
              list(AnnualReport.objects.filter(enterprise=enterprise).values()))
    requests = [
        client.get(detail(enterprise)),
        client.patch(detail(enterprise), {"name": "Diambil alih"}),
        client.delete(detail(enterprise)),
        client.get(report_url(enterprise, 2024)),
        client.put(report_url(enterprise, 2024), {"workers_male": 99}),
        client.patch(report_url(enterprise, 2024), {"workers_male": 99}),
        client.delete(report_url(enterprise, 2024)),
    ]
    assert [r.status_code for r in requests] == [404] * len(requests)
    assert {r.json()["detail"] for r in requests} == {translated("Not found.")}
    assert (Enterprise.objects.filter(pk=enterprise.pk).values().get(),
            list(AnnualReport.objects.filter(enterprise=enterprise).values())) == before


def test_deleted_enterprise_is_404(world, kab):
    make_enterprise("16.07.01", name="Sudah Tutup Buku", deleted_at=world.mona.created_at)
    assert "Sudah Tutup Buku" not in names(kab.get(LIST))


# --- masking ---------------------------------------------------------------------------------

def test_pimpinan_sees_personal_data_masked(world):
    client = token_client(world.personas.pimpinan)
    row = client.get(detail(world.mona)).json()
    assert row["owner_nik"] == "160701••••••0042"
    assert row["owner_phone"] == "0812••••5678"
    listed = client.get(LIST).content.decode()
    assert NIK_MONA not in listed and PHONE_MONA not in listed


def test_operator_without_personal_data_access_sees_masks_and_cannot_write_them(world):
    officer = make_user("op_banyuasin_2", Role.OPERATOR_KABKOTA, "16.07",
                        personal_data_access=False)
    client = token_client(officer)
    assert client.get(detail(world.mona)).json()["owner_nik"] == "160701••••••0042"
    response = client.patch(detail(world.mona), {"owner_nik": "", "owner_phone": "0811111111",
                                                 "products": "pempek, tekwan"})
    assert response.status_code == 200
    world.mona.refresh_from_db()
    assert (world.mona.owner_nik, world.mona.owner_phone) == (NIK_MONA, PHONE_MONA)
    assert world.mona.products == "pempek, tekwan"


# --- writing ---------------------------------------------------------------------------------

def test_create_with_a_yearly_report_in_one_call(world, kab):
    payload = {**NEW, "reports": [{"year": 2024, "workers_male": 4, "workers_female": 3,
                                   "investment": "Rp 150.000.000,-", "sales": 900_000_000}]}
    response = kab.post(LIST, payload)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert response["Location"] == detail(Enterprise(pk=body["id"]))
    assert (body["kecamatan"], body["kbli"], body["nib"], body["legal_form"]) == \
        ("16.07.03", "10750", "1607000000777", "ud")
    (report,) = body["reports"]
    assert (report["investment"], report["sales"], report["workers_total"]) == \
        (150_000_000, 900_000_000, 7)
    assert report["classes"][BPS] == {"kelas": "kecil", "naik_kelas": None}
    assert Enterprise.objects.get(pk=body["id"]).reports.get().year == 2024


def test_writes_are_audited_with_the_token_named(world):
    client = token_client(world.personas.kab, name="portal Banyuasin")
    created = client.post(LIST, {**NEW, "reports": [{"year": 2024, "workers_male": 2}]}).json()
    client.patch(detail(Enterprise(pk=created["id"])), {"products": "kerupuk"})
    client.put(report_url(Enterprise(pk=created["id"]), 2025), {"workers_male": 3})
    entries = AuditLog.objects.filter(object_repr__startswith="Kerupuk Ikan Sungsang")
    assert sorted(entries.values_list("action", flat=True)) == ["create", "create", "create",
                                                                 "update"]
    assert set(entries.values_list("via", flat=True)) == {"token API: portal Banyuasin"}
    assert set(entries.values_list("actor", flat=True)) == {world.personas.kab.pk}


def test_an_invalid_report_writes_nothing(world, kab):
    before = (Enterprise.objects.count(), AnnualReport.objects.count(), AuditLog.objects.count())
    payload = {**NEW, "reports": [{"year": 2023, "workers_male": 2},
                                  {"year": 2024, "sales": "satu juta", "workers_male": -1}]}
    response = kab.post(LIST, payload)
    assert response.status_code == 400
    errors = response.json()["reports"]  # by position in the list, the valid ones left out
    assert list(errors) == ["1"] and set(errors["1"]) == {"sales", "workers_male"}
    assert (Enterprise.objects.count(), AnnualReport.objects.count(),
            AuditLog.objects.count()) == before


def form_errors_for(user, data: dict, instance: Enterprise | None = None) -> dict:
    """The web form's errors for the same input, in the API's shape."""
    form = EnterpriseForm({"legal_form": "perorangan", "status": "aktif", **data},
                          instance=instance, user=user)
    assert not form.is_valid()
    return {k: list(v) for k, v in form.errors.items()}


@pytest.mark.parametrize("changes", [
    {"nib": "1607000000011"},                       # taken, by an enterprise the user sees
    {"nib": "6371000000005"},                       # taken, outside the wilayah
    {"nib": "16070000"},                            # too short
    {"owner_nik": "1607013102900042"},              # 31 February
    {"owner_gender": "P", "owner_nik": "1607010508900042"},  # a man's birth date for a woman
    {"kecamatan": "16.71.01"},                      # outside the wilayah
    {"kecamatan": "16.07.01", "desa": "16.71.01.1001"},
    {"kbli": "13"},                                 # not a five-digit manufacturing code
    {"owner_phone": "12345"},
    {"founded_year": 1800, "latitude": 50},
    {"name": "", "owner_name": ""},
])
def test_validation_is_the_web_forms(world, kab, changes):
    data = {**NEW, **changes}
    response = kab.post(LIST, data)
    assert response.status_code == 400
    assert response.json() == form_errors_for(world.personas.kab, data)


def test_nib_taken_is_reported_on_the_field_in_the_active_language(world, kab):
    response = kab.post(LIST, {**NEW, "nib": "6371000000005"})
    assert response.json() == {"nib": [
        translated("NIB %(nib)s is already registered to an enterprise outside your wilayah.")
        % {"nib": "6371000000005"}]}


def test_missing_fields_are_reported_in_indonesian(kab):
    response = kab.post(LIST, {"kecamatan": "16.07.01"})
    assert response.status_code == 400
    assert response.json()["name"] == ["Bidang ini tidak boleh kosong."]


@pytest.mark.parametrize("payload", [
    {"name": ["a list"]}, {"reports": "not a list"}, {"reports": [{"sales": 1}]},
    {"reports": [{"year": 2024, "sales": {"rp": 1}}]},
])
def test_wrong_json_types_are_400_with_field_errors(kab, payload):
    response = kab.post(LIST, {**NEW, **payload})
    assert response.status_code == 400
    assert set(response.json()) <= set(payload) | {"reports"}


@pytest.mark.parametrize("payload", [
    {"legal_form": "firma"}, {"status": "bangkrut"}, {"owner_gender": "X"}, {"legal_form": 3},
    {"founded_year": "1990-ish"}, {"founded_year": 1990.5}, {"founded_year": True},
    {"latitude": "north"}, {"longitude": [104]},
])
def test_wrong_values_get_the_web_forms_messages(world, kab, payload):
    data = {**NEW, **payload}
    response = kab.post(LIST, data)
    assert response.status_code == 400
    assert response.json() == form_errors_for(world.personas.kab, data)


@pytest.mark.parametrize("figures", [
    {"workers_male": "dua"}, {"workers_female": 1.5}, {"capacity": "banyak"},
])
def test_wrong_figures_get_the_web_forms_messages(world, kab, figures):
    response = kab.put(report_url(world.mona, 2025), figures)
    assert response.status_code == 400
    form = AnnualReportForm({"year": 2025, "workers_male": 0, "workers_female": 0, **figures},
                            enterprise=world.mona)
    assert not form.is_valid()
    assert response.json() == {k: list(v) for k, v in form.errors.items()}


def test_malformed_json_is_400(kab):
    response = kab.generic("POST", LIST, "{not json", content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json()


def test_patch_changes_only_what_is_sent(world, kab):
    response = kab.patch(detail(world.songket), {"products": "songket lepus", "kecamatan":
                                                 "16.07.04"})
    assert response.status_code == 200
    world.songket.refresh_from_db()
    assert (world.songket.products, world.songket.kecamatan_id, world.songket.nib) == \
        ("songket lepus", "16.07.04", "1607123450002")


def test_provinsi_officer_moves_an_enterprise_to_another_kabupaten(world):
    client = token_client(world.personas.prov)
    response = client.patch(detail(world.songket), {"kecamatan": "16.71.01"})
    assert response.status_code == 200
    assert response.json()["kecamatan"] == "16.71.01"


def test_kab_officer_cannot_move_an_enterprise_out_of_the_wilayah(world, kab):
    response = kab.patch(detail(world.songket), {"kecamatan": "16.71.01"})
    assert response.status_code == 400 and list(response.json()) == ["kecamatan"]


def test_delete_is_soft_and_audited(world, kab):
    assert kab.delete(detail(world.songket)).status_code == 204
    assert kab.get(detail(world.songket)).status_code == 404
    world.songket.refresh_from_db()
    assert world.songket.deleted_at is not None
    assert AuditLog.objects.filter(action="delete", object_id=str(world.songket.pk)).exists()


def test_pimpinan_reads_but_every_write_is_403(world):
    client = token_client(world.personas.pimpinan)
    before = AuditLog.objects.count()
    requests = [
        client.post(LIST, NEW),
        client.patch(detail(world.mona), {"name": "x"}),
        client.delete(detail(world.mona)),
        client.put(report_url(world.mona, 2025), {"workers_male": 1}),
        client.patch(report_url(world.mona, 2024), {"workers_male": 1}),
        client.delete(report_url(world.mona, 2024)),
    ]
    assert [r.status_code for r in requests] == [403] * len(requests)
    assert requests[0].json()["detail"] == translated("Your role may read but not change data.")
    assert AuditLog.objects.count() == before


# --- one year's figures ----------------------------------------------------------------------

def test_report_put_creates_then_replaces(world, kab):
    url = report_url(world.mona, 2025)
    created = kab.put(url, {"workers_male": 30, "sales": "1.500.000", "source": "survei"})
    assert created.status_code == 201, created.json()
    assert created.json()["sales"] == 1_500_000
    assert created.json()["classes"][BPS] == {"kelas": "sedang", "naik_kelas": True}
    replaced = kab.put(url, {"workers_male": 1})
    assert replaced.status_code == 200
    assert (replaced.json()["sales"], replaced.json()["source"]) == (None, "")
    assert kab.get(url).json()["workers_male"] == 1


def test_report_patch_keeps_other_figures_and_reclassifies_the_next_year(world, kab):
    response = kab.patch(report_url(world.mona, 2023), {"workers_male": 10})
    assert response.status_code == 200
    assert response.json()["investment"] == 50_000_000
    assert response.json()["classes"][BPS]["kelas"] == "kecil"
    later = kab.get(report_url(world.mona, 2024)).json()
    assert later["classes"][BPS] == {"kelas": "kecil", "naik_kelas": False}


@pytest.mark.parametrize("amount, expected", [
    (1_500_000, 1_500_000), ("1.500.000", 1_500_000), ("Rp 2.000.000,-", 2_000_000),
    ("Rp. 2.000.000,00", 2_000_000), ("", None), (None, None),
])
def test_amounts_as_integers_or_as_officials_write_them(world, kab, amount, expected):
    response = kab.patch(report_url(world.mona, 2024), {"sales": amount})
    assert response.status_code == 200, response.json()
    assert response.json()["sales"] == expected


@pytest.mark.parametrize("amount", ["1,5 juta", -5, "Rp 1.500.000,50", 2**63, True])
def test_bad_amounts_are_400_on_the_field(world, kab, amount):
    response = kab.patch(report_url(world.mona, 2024), {"sales": amount})
    assert response.status_code == 400
    assert list(response.json()) == ["sales"]


def test_report_delete_and_missing_years(world, kab):
    assert kab.delete(report_url(world.mona, 2023)).status_code == 204
    assert kab.get(report_url(world.mona, 2023)).status_code == 404
    assert kab.patch(report_url(world.mona, 2023), {"workers_male": 1}).status_code == 404
    assert kab.get(detail(world.mona)).json()["reports"][0]["classes"][BPS]["naik_kelas"] is None
    for year in ("1899", "abcd", "２０２４"):
        assert kab.get(report_url(world.mona, year)).status_code == 404


def test_session_of_the_web_app_works_too(world, client):
    client.force_login(world.personas.kab)
    assert client.get(LIST).status_code == 200
