"""The registry pages: list with filters, sorting, pages and htmx; export; detail tabs; forms.

Assertions look at status codes, element ids, data and the database, never at English UI text
(the Indonesian catalogue replaces it).
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from naikkelas.accounts.models import Role, User
from naikkelas.core.models import AuditLog
from naikkelas.core.testing import (
    Personas, built_once, client_for, make_enterprise, make_personas, make_report, make_user,
)
from naikkelas.enterprises.models import AnnualReport, Enterprise, SizeClassification
from naikkelas.kbli.models import Kbli

pytestmark = pytest.mark.django_db

LIST = reverse("enterprises:enterprise_list")
EXPORT = reverse("enterprises:enterprise_export")
CREATE = reverse("enterprises:enterprise_create")
BPS = "bps-tenaga-kerja"
NIK_MONA = "1607014508900042"  # 5 Aug 1990, a woman (day + 40), registered in Banyuasin I


@dataclass
class World:
    personas: Personas
    mona: Enterprise      # 16.07.01, KBLI 10750; BPS mikro 2023 → kecil 2024 (naik kelas)
    songket: Enterprise   # 16.07.02, KBLI 13134; BPS mikro both years; permenperin menengah 2024
    kerupuk: Enterprise   # 16.07.01, KBLI 10750, closed; figures for 2024 only
    kemplang: Enterprise  # Palembang 16.71.01
    sasirangan: Enterprise  # Banjarmasin 63.71.01


def kbli(kode: str) -> Kbli:
    """The code, whether or not the shipped KBLI list is already loaded."""
    return Kbli.objects.get_or_create(kode=kode, defaults={"judul": f"KBLI {kode}"})[0]


def build_world() -> World:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        personas = make_personas()
    for kode in ("10", "13", "10750", "13134"):
        kbli(kode)
    mona = make_enterprise("16.07.01", name="Pempek Cek Mona", owner_name="Mona Saraswati",
                           nib="1607000000011", owner_nik=NIK_MONA, owner_phone="081234565678",
                           address="Jl. Lama No. 1", kbli_id="10750")
    make_report(mona, 2023, workers_male=2, workers_female=0)
    make_report(mona, 2024, workers_male=6, workers_female=2)
    songket = make_enterprise("16.07.02", name="Songket Tanjung Lago", owner_name="Rudi Hartono",
                              nib="1607123450002", kbli_id="13134")
    make_report(songket, 2023, workers_male=1, workers_female=2)
    make_report(songket, 2024, workers_male=1, workers_female=2, investment=2_000_000_000)
    kerupuk = make_enterprise("16.07.01", name="Kerupuk Sungsang", owner_name="Ahmad Dahlan",
                              kbli_id="10750", status="tutup")
    make_report(kerupuk, 2024, workers_male=1, workers_female=0)
    kemplang = make_enterprise("16.71.01", name="Kemplang Palembang Darussalam",
                               owner_name="Cek Ipah")
    make_report(kemplang, 2024)
    sasirangan = make_enterprise("63.71.01", name="Sasirangan Kampung Melayu",
                                 owner_name="Aluh Galuh", nib="6371000000005")
    make_report(sasirangan, 2024)
    return World(personas, mona, songket, kerupuk, kemplang, sasirangan)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built once for the module; each test's own changes are rolled back by the `db` fixture."""
    with built_once(django_db_blocker, build_world) as built:
        yield built


@pytest.fixture
def kab(world) -> Client:
    return client_for(world.personas.kab)


def listed(response) -> list[str]:
    """Names in the rendered table page, in the order shown."""
    assert response.status_code == 200
    return [row.record.name for row in response.context["table"].page.object_list]


def detail_url(enterprise: Enterprise, tab: str = "") -> str:
    return enterprise.get_absolute_url() + (f"?tab={tab}" if tab else "")


def element_text(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)<', html, re.S)
    assert match, f"no element #{element_id}"
    return match.group(1).strip()


def state() -> tuple[int, int, int]:
    return Enterprise.objects.count(), AnnualReport.objects.count(), AuditLog.objects.count()


# --- list: filters -----------------------------------------------------------------------------

@pytest.mark.parametrize("query, expected", [
    ("", {"Pempek Cek Mona", "Songket Tanjung Lago", "Kerupuk Sungsang"}),
    ("q=pempek", {"Pempek Cek Mona"}),
    ("q=1607123", {"Songket Tanjung Lago"}),          # NIB prefix
    ("q=hartono", {"Songket Tanjung Lago"}),          # owner name
    ("q=0011", set()),                                # NIB matches from the start only
    ("kecamatan=16.07.02", {"Songket Tanjung Lago"}),
    ("kbli=10", {"Pempek Cek Mona", "Kerupuk Sungsang"}),
    ("kbli=13134", {"Songket Tanjung Lago"}),
    (f"aturan={BPS}&kelas=kecil", {"Pempek Cek Mona"}),
    (f"aturan={BPS}&kelas=mikro", {"Songket Tanjung Lago", "Kerupuk Sungsang"}),
    (f"aturan={BPS}&kelas=mikro&tahun=2023", {"Pempek Cek Mona", "Songket Tanjung Lago"}),
    ("aturan=permenperin-64-2016&kelas=menengah", {"Songket Tanjung Lago"}),
    (f"aturan={BPS}&naik_kelas=ya", {"Pempek Cek Mona"}),
    (f"aturan={BPS}&naik_kelas=tidak", {"Songket Tanjung Lago"}),
    ("status=tutup", {"Kerupuk Sungsang"}),
    ("status=aktif", {"Pempek Cek Mona", "Songket Tanjung Lago"}),
])
def test_list_filters_for_kab_operator(world, kab, query, expected):
    assert set(listed(kab.get(f"{LIST}?{query}"))) == expected


def test_list_wilayah_filter_for_provinsi_operator(world):
    prov = client_for(world.personas.prov)
    banyuasin = {"Pempek Cek Mona", "Songket Tanjung Lago", "Kerupuk Sungsang"}
    assert set(listed(prov.get(LIST))) == banyuasin | {"Kemplang Palembang Darussalam"}
    assert set(listed(prov.get(f"{LIST}?wilayah=16.07"))) == banyuasin
    assert set(listed(prov.get(f"{LIST}?wilayah=16.71"))) == {"Kemplang Palembang Darussalam"}


def test_list_filter_outside_scope_shows_nothing_from_there(world):
    other = client_for(world.personas.other)
    assert set(listed(other.get(f"{LIST}?wilayah=16.07&kecamatan=16.07.01"))) == {
        "Sasirangan Kampung Melayu"}


def test_list_shows_figures_of_the_chosen_year(world, kab):
    response = kab.get(f"{LIST}?tahun=2023&aturan={BPS}")
    assert response.context["year"] == 2023
    rows = {r.record.name: r.record for r in response.context["table"].page.object_list}
    assert rows["Pempek Cek Mona"].tk_total == 2 and rows["Pempek Cek Mona"].kelas == "mikro"
    assert rows["Kerupuk Sungsang"].tk_total is None


# --- list: sorting, pages, htmx ----------------------------------------------------------------

def test_list_sorts_by_a_column(world, kab):
    assert listed(kab.get(f"{LIST}?sort=tenaga_kerja")) == [
        "Kerupuk Sungsang", "Songket Tanjung Lago", "Pempek Cek Mona"]
    assert listed(kab.get(f"{LIST}?sort=-tenaga_kerja")) == [
        "Pempek Cek Mona", "Songket Tanjung Lago", "Kerupuk Sungsang"]
    assert listed(kab.get(f"{LIST}?sort=name")) == [
        "Kerupuk Sungsang", "Pempek Cek Mona", "Songket Tanjung Lago"]


def test_list_pages_through_30_enterprises(world, kab):
    for n in range(30):
        make_enterprise("16.07.03", name=f"Anyaman Purun {n:02d}")
    first = kab.get(f"{LIST}?kecamatan=16.07.03")
    second = kab.get(f"{LIST}?kecamatan=16.07.03&page=2")
    assert len(listed(first)) == 25
    assert listed(second) == [f"Anyaman Purun {n:02d}" for n in range(25, 30)]
    assert second.context["table"].paginator.count == 30
    assert 'rel="prev"' in second.content.decode() and 'rel="next"' not in second.content.decode()


def test_htmx_request_gets_only_the_results_partial(world, kab):
    full = kab.get(f"{LIST}?q=pempek").content.decode()
    partial = kab.get(f"{LIST}?q=pempek", headers={"HX-Request": "true"}).content.decode()
    assert "<html" in full and 'id="filters"' in full
    assert "<html" not in partial and 'id="filters"' not in partial
    assert 'id="list-context"' in partial and "Pempek Cek Mona" in partial
    assert "Songket Tanjung Lago" not in partial


# --- export ------------------------------------------------------------------------------------

EXPORT_HEADER = ["id", "nama_usaha", "bentuk_usaha", "nib", "nama_pemilik", "nik_pemilik",
                 "telepon", "alamat", "kode_kecamatan", "kecamatan", "kbli", "produk", "tahun",
                 "tk_laki_laki", "tk_perempuan", "investasi", "omzet", "aturan", "kelas",
                 "naik_kelas"]


def export_rows(client: Client, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"{EXPORT}?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # so that Excel reads UTF-8
    reader = csv.reader(io.StringIO(text[1:]))
    assert next(reader) == EXPORT_HEADER
    return [dict(zip(EXPORT_HEADER, row)) for row in reader]


def test_export_holds_only_rows_in_scope_with_clear_nik_for_kab(world, kab):
    rows = {r["nama_usaha"]: r for r in export_rows(kab, f"aturan={BPS}")}
    assert set(rows) == {"Pempek Cek Mona", "Songket Tanjung Lago", "Kerupuk Sungsang"}
    mona = rows["Pempek Cek Mona"]
    assert (mona["nik_pemilik"], mona["telepon"]) == (NIK_MONA, "081234565678")
    assert (mona["nib"], mona["kode_kecamatan"], mona["kbli"]) == ("1607000000011", "16.07.01",
                                                                    "10750")
    assert (mona["tahun"], mona["tk_laki_laki"], mona["tk_perempuan"]) == ("2024", "6", "2")
    assert (mona["aturan"], mona["kelas"], mona["naik_kelas"]) == (BPS, "kecil", "ya")
    assert rows["Songket Tanjung Lago"]["naik_kelas"] == "tidak"


def test_export_follows_the_filters(world, kab):
    assert [r["nama_usaha"] for r in export_rows(kab, "kecamatan=16.07.02")] == [
        "Songket Tanjung Lago"]


@pytest.mark.parametrize("who", ["pimpinan", "no_personal_data"])
def test_export_masks_personal_data(world, who):
    user = world.personas.pimpinan if who == "pimpinan" else make_user(
        "op_banyuasin_terbatas", Role.OPERATOR_KABKOTA, "16.07", personal_data_access=False)
    rows = {r["nama_usaha"]: r for r in export_rows(client_for(user))}
    assert rows["Pempek Cek Mona"]["nik_pemilik"] == "160701••••••0042"
    assert rows["Pempek Cek Mona"]["telepon"] == "0812••••5678"


def test_export_is_written_to_the_audit_log(world, kab):
    export_rows(kab, "kecamatan=16.07.01")
    entry = AuditLog.objects.get(action=AuditLog.Action.EXPORT)
    assert entry.actor == world.personas.kab
    assert entry.kode_wilayah == "16.07"
    assert entry.after == {"query": "kecamatan=16.07.01", "personal_data": True}


# --- detail tabs -------------------------------------------------------------------------------

def test_profile_tab_shows_nik_to_kab_and_masks_it_for_pimpinan(world, kab):
    html = kab.get(detail_url(world.mona)).content.decode()
    assert element_text(html, "owner-nik") == NIK_MONA
    assert element_text(html, "owner-phone") == "081234565678"
    pimpinan = client_for(world.personas.pimpinan).get(detail_url(world.mona)).content.decode()
    assert element_text(pimpinan, "owner-nik") == "160701••••••0042"
    assert element_text(pimpinan, "owner-phone") == "0812••••5678"
    assert NIK_MONA not in pimpinan


def test_data_tab_lists_years_with_their_classes(world, kab):
    response = kab.get(detail_url(world.mona, "data"))
    html = response.content.decode()
    assert 'id="report-2024"' in html and 'id="report-2023"' in html
    reports = response.context["reports"]
    assert [r.year for r in reports] == [2024, 2023]
    classes = {rule.id: c.kelas for rule, c in reports[0].by_rule if c}
    assert classes[BPS] == "kecil"
    naik = {rule.id: c.naik_kelas for rule, c in reports[0].by_rule if c}
    assert naik[BPS] is True


def test_htmx_tab_request_gets_only_the_tab_body(world, kab):
    html = kab.get(detail_url(world.mona, "data"), headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in html and 'id="report-2024"' in html


def edit_data(enterprise: Enterprise, **changes) -> dict:
    """The edit form as the browser posts it back, with some fields changed."""
    data = {"name": enterprise.name, "legal_form": enterprise.legal_form,
            "nib": enterprise.nib or "", "npwp": enterprise.npwp,
            "owner_name": enterprise.owner_name, "owner_nik": enterprise.owner_nik,
            "owner_gender": enterprise.owner_gender, "owner_phone": enterprise.owner_phone,
            "kecamatan": enterprise.kecamatan_id, "desa": enterprise.desa_id or "",
            "address": enterprise.address, "kbli": enterprise.kbli_id or "",
            "products": enterprise.products, "founded_year": enterprise.founded_year or "",
            "status": enterprise.status}
    return {**data, **changes}


def test_riwayat_shows_an_edit_with_old_and_new_values(world, kab):
    url = reverse("enterprises:enterprise_edit", args=[world.mona.pk])
    response = kab.post(url, edit_data(world.mona, address="Jl. Merdeka No. 9",
                                       owner_nik="1607015203910043"))
    assert response.status_code == 302
    html = kab.get(detail_url(world.mona, "riwayat")).content.decode()
    assert "<td>Jl. Lama No. 1</td><td>Jl. Merdeka No. 9</td>" in html
    assert f"<td>{NIK_MONA}</td><td>1607015203910043</td>" in html
    pimpinan = client_for(world.personas.pimpinan)
    html = pimpinan.get(detail_url(world.mona, "riwayat")).content.decode()
    assert "<td>160701••••••0042</td><td>160701••••••0043</td>" in html
    assert NIK_MONA not in html and "1607015203910043" not in html


# --- create ------------------------------------------------------------------------------------

def new_enterprise(**changes) -> dict:
    data = {"name": "Kopi Bubuk Sembawa", "legal_form": "ud", "nib": "1607 0000 00099",
            "owner_name": "Wati Lestari", "owner_nik": "1607015508950007", "owner_gender": "P",
            "owner_phone": "+62 812-3456-7890", "kecamatan": "16.07.01", "kbli": "10750",
            "products": "kopi bubuk", "founded_year": "2019", "status": "aktif"}
    return {**data, **changes}


def test_create_saves_normalised_values_and_goes_to_the_figures(world, kab):
    response = kab.post(CREATE, new_enterprise())
    created = Enterprise.objects.get(name="Kopi Bubuk Sembawa")
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:report_create", args=[created.pk])
    assert (created.nib, created.owner_phone) == ("1607000000099", "081234567890")
    assert (created.kecamatan_id, created.kbli_id) == ("16.07.01", "10750")
    entry = AuditLog.objects.get(action=AuditLog.Action.CREATE, object_id=str(created.pk))
    assert entry.actor == world.personas.kab and entry.kode_wilayah == "16.07.01"


@pytest.mark.parametrize("changes, field", [
    ({"nib": "12345"}, "nib"),
    ({"kecamatan": "63.71.01"}, "kecamatan"),         # outside the kab operator's wilayah
    ({"kecamatan": "16.71.01"}, "kecamatan"),         # same provinsi, other kab/kota
    ({"owner_nik": "1607011303900042"}, "owner_nik"),  # a man's NIK for a woman owner
    ({"owner_phone": "0812"}, "owner_phone"),
])
def test_create_refuses_invalid_input_and_writes_nothing(world, kab, changes, field):
    before = state()
    response = kab.post(CREATE, new_enterprise(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert state() == before


def test_create_refuses_a_nib_already_registered(world, kab):
    before = state()
    response = kab.post(CREATE, new_enterprise(nib="1607000000011"))  # Pempek Cek Mona's
    assert response.status_code == 200 and not response.context["form"].is_valid()
    assert state() == before


def test_duplicate_nib_error_is_on_the_nib_field(world, kab):
    response = kab.post(CREATE, new_enterprise(nib="1607000000011"))
    assert list(response.context["form"].errors) == ["nib"]


def test_duplicate_nib_from_another_province_does_not_disclose_the_enterprise(world, kab):
    before = state()
    response = kab.post(CREATE, new_enterprise(nib="6371000000005"))  # Sasirangan's NIB
    assert list(response.context["form"].errors) == ["nib"]
    html = response.content.decode()
    assert "Sasirangan" not in html and "Aluh Galuh" not in html
    assert state() == before


def test_required_field_error_is_indonesian(world, kab):
    response = kab.post(CREATE, new_enterprise(name=""))
    assert response.context["form"].errors["name"] == ["Bidang ini tidak boleh kosong."]


# --- edit --------------------------------------------------------------------------------------

def test_invalid_edit_keeps_the_old_record(world, kab):
    before = Enterprise.objects.filter(pk=world.mona.pk).values().get()
    audit_rows = AuditLog.objects.count()
    url = reverse("enterprises:enterprise_edit", args=[world.mona.pk])
    response = kab.post(url, edit_data(world.mona, name="Nama Baru", nib="12345"))
    assert response.status_code == 200 and "nib" in response.context["form"].errors
    assert Enterprise.objects.filter(pk=world.mona.pk).values().get() == before
    assert AuditLog.objects.count() == audit_rows


def test_valid_edit_is_saved_and_audited(world, kab):
    url = reverse("enterprises:enterprise_edit", args=[world.mona.pk])
    response = kab.post(url, edit_data(world.mona, name="Pempek Cek Mona 2"))
    assert response.status_code == 302 and response["Location"] == detail_url(world.mona)
    assert Enterprise.objects.get(pk=world.mona.pk).name == "Pempek Cek Mona 2"
    entry = AuditLog.objects.get(action=AuditLog.Action.UPDATE)
    assert entry.changes() == [("name", "Pempek Cek Mona", "Pempek Cek Mona 2"),
                               ("updated_at", entry.before["updated_at"],
                                entry.after["updated_at"])]


# --- yearly figures ----------------------------------------------------------------------------

def report_data(year: int, **figures) -> dict:
    return {"year": year, "workers_male": 3, "workers_female": 1, **figures}


def classes_of(enterprise: Enterprise, year: int) -> dict[str, str]:
    return dict(SizeClassification.objects.filter(report__enterprise=enterprise, report__year=year)
                .values_list("rule", "kelas"))


def test_report_amounts_written_the_indonesian_way_are_parsed(world, kab):
    url = reverse("enterprises:report_create", args=[world.mona.pk])
    response = kab.post(url, report_data(2025, investment="1.500.000",
                                         working_capital="Rp 2.000.000,-",
                                         sales="Rp. 2.500.000.000,00"))
    assert response.status_code == 302
    report = AnnualReport.objects.get(enterprise=world.mona, year=2025)
    assert (report.investment, report.working_capital, report.sales) == (
        1_500_000, 2_000_000, 2_500_000_000)
    assert classes_of(world.mona, 2025) == {
        "permenperin-64-2016": "kecil", "pp-7-2021-modal": "mikro",
        "pp-7-2021-omzet": "kecil", BPS: "mikro"}


def test_report_edit_form_posted_back_unchanged_is_accepted(world, kab):
    url = reverse("enterprises:report_edit", args=[world.mona.pk, 2024])
    form = kab.get(url).context["form"]
    data = {name: form[name].value() if form[name].value() is not None else ""
            for name in form.fields}
    data = {k: form.fields[k].prepare_value(v) for k, v in data.items()}
    assert kab.post(url, data).status_code == 302


def test_report_without_amounts_is_saved_and_classified(world, kab):
    url = reverse("enterprises:report_create", args=[world.mona.pk])
    response = kab.post(url, report_data(2025, workers_male=20))
    assert response.status_code == 302
    assert response["Location"] == detail_url(world.mona, "data")
    assert classes_of(world.mona, 2025) == {BPS: "sedang"}
    assert SizeClassification.objects.get(report__enterprise=world.mona, report__year=2025,
                                          rule=BPS).naik_kelas is True


def test_report_with_a_bad_amount_is_refused(world, kab):
    before = state()
    url = reverse("enterprises:report_create", args=[world.mona.pk])
    response = kab.post(url, report_data(2025, sales="dua juta"))
    assert response.status_code == 200 and "sales" in response.context["form"].errors
    assert state() == before


def test_duplicate_year_is_refused(world, kab):
    before = state()
    url = reverse("enterprises:report_create", args=[world.mona.pk])
    response = kab.post(url, report_data(2024))
    assert response.status_code == 200 and "year" in response.context["form"].errors
    assert state() == before


def test_report_edit_changes_the_class(world, kab):
    assert classes_of(world.songket, 2024)[BPS] == "mikro"
    url = reverse("enterprises:report_edit", args=[world.songket.pk, 2024])
    response = kab.post(url, report_data(2024, workers_male=20, workers_female=5))
    assert response.status_code == 302
    report = AnnualReport.objects.get(enterprise=world.songket, year=2024)
    assert report.workers_total == 25
    assert classes_of(world.songket, 2024)[BPS] == "sedang"
    assert AuditLog.objects.filter(action=AuditLog.Action.UPDATE,
                                   object_id=str(report.pk)).count() == 1


def test_report_edit_cannot_move_the_year(world, kab):
    url = reverse("enterprises:report_edit", args=[world.songket.pk, 2024])
    kab.post(url, report_data(2019, workers_male=20))
    years = set(AnnualReport.objects.filter(enterprise=world.songket).values_list("year",
                                                                                 flat=True))
    assert years == {2023, 2024}


def test_report_delete_removes_the_year_and_reclassifies(world, kab):
    url = reverse("enterprises:report_delete", args=[world.mona.pk, 2023])
    assert kab.post(url, {"reason": "data ganda"}).status_code == 302
    assert not AnnualReport.objects.filter(enterprise=world.mona, year=2023).exists()
    naik = SizeClassification.objects.get(report__enterprise=world.mona, report__year=2024,
                                          rule=BPS).naik_kelas
    assert naik is None


# --- delete and restore ------------------------------------------------------------------------

def test_delete_hides_the_enterprise_and_lists_it_as_deleted(world, kab):
    url = reverse("enterprises:enterprise_delete", args=[world.mona.pk])
    assert kab.get(url).status_code == 200
    response = kab.post(url, {"reason": "usaha pindah"})
    assert response.status_code == 302 and response["Location"] == LIST
    assert Enterprise.objects.get(pk=world.mona.pk).deleted_at is not None
    assert kab.get(detail_url(world.mona)).status_code == 404
    assert "Pempek Cek Mona" not in listed(kab.get(LIST))
    assert "Pempek Cek Mona" in kab.get(reverse("enterprises:deleted_list")).content.decode()
    entry = AuditLog.objects.get(action=AuditLog.Action.DELETE)
    assert entry.reason == "usaha pindah" and entry.object_id == str(world.mona.pk)


def test_only_admin_pusat_restores(world, kab):
    kab.post(reverse("enterprises:enterprise_delete", args=[world.mona.pk]), {"reason": ""})
    url = reverse("enterprises:enterprise_restore", args=[world.mona.pk])
    assert kab.post(url).status_code == 403
    assert Enterprise.objects.get(pk=world.mona.pk).deleted_at is not None
    admin = client_for(world.personas.admin)
    assert admin.get(detail_url(world.mona)).status_code == 200  # admin sees deleted records
    response = admin.post(url)
    assert response.status_code == 302 and response["Location"] == detail_url(world.mona)
    assert Enterprise.objects.get(pk=world.mona.pk).deleted_at is None
    assert AuditLog.objects.filter(action=AuditLog.Action.RESTORE).count() == 1
    assert kab.get(detail_url(world.mona)).status_code == 200


def test_admin_form_picks_kabkota_before_kecamatan(world):
    """Above kab/kota level the form lists kab/kota first; kecamatan follow the chosen one."""
    client = client_for(world.personas.admin)
    url = reverse("enterprises:enterprise_create")
    page = client.get(url)
    assert page.status_code == 200 and 'name="kabkota"' in page.content.decode()
    assert len(page.content) < 150_000  # not every kecamatan of Indonesia
    data = {"name": "Usaha Pilihan", "legal_form": "perorangan", "owner_name": "Pemilik",
            "status": "aktif", "kabkota": "16.71", "kecamatan": "16.07.01"}
    response = client.post(url, data)
    assert response.status_code == 200 and "kecamatan" in response.context["form"].errors
    response = client.post(url, {**data, "kecamatan": "16.71.01"})
    assert response.status_code == 302
    assert Enterprise.objects.get(name="Usaha Pilihan").kecamatan_id == "16.71.01"


def test_export_neutralises_spreadsheet_formulas(world, kab):
    make_enterprise("16.07.01", name="=HYPERLINK(\"http://x\")", owner_name="@SUM(A1)",
                    products="-1+2")
    body = b"".join(kab.get(EXPORT).streaming_content)
    row = next(r for r in csv.reader(io.StringIO(body.decode("utf-8-sig"))) if "HYPERLINK" in r[1])
    assert row[1].startswith("'=") and row[4] == "'@SUM(A1)" and row[11] == "'-1+2"
