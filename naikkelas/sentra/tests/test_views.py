"""Sentra pages: list with filters, counts per wilayah, detail, lifecycle form, SK document."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from naikkelas.core.models import AuditLog
from naikkelas.core.testing import client_for, make_enterprise
from naikkelas.sentra.models import Sentra
from naikkelas.sentra.testing import PDF, add_member, add_parts, make_sentra

pytestmark = pytest.mark.django_db
LIST = reverse("sentra:sentra_list")
COUNTS = reverse("sentra:sentra_counts")


@pytest.fixture
def places(db) -> dict[str, Sentra]:
    """A designated sentra in Banyuasin with five pempek members, a flagged one in Palembang,
    and one in Banjarmasin."""
    banyuasin = make_sentra("16.07.01", "ditetapkan", name="Sentra Pempek Mariana")
    for _ in range(5):
        add_member(banyuasin, make_enterprise("16.07.01", kbli_id="10750"))
    add_parts(banyuasin)
    palembang = make_sentra("16.71.01", "terbentuk", name="Sentra Songket Tangga Buntung",
                            kbli_id="13121", komoditas="songket")
    banjarmasin = make_sentra("63.71.03", "usulan", name="Sentra Sasirangan Pelambuan",
                              kbli_id="13134", komoditas="sasirangan")
    return {"banyuasin": banyuasin, "palembang": palembang, "banjarmasin": banjarmasin}


def test_list_shows_only_the_wilayah_and_filters(personas, places):
    text = client_for(personas.prov).get(LIST).content.decode()
    assert "Sentra Pempek Mariana" in text and "Sentra Songket" in text
    assert "Sentra Sasirangan" not in text
    kab = client_for(personas.kab)
    assert "Sentra Songket" not in kab.get(LIST).content.decode()
    prov = client_for(personas.prov)
    for query, shown, hidden in [("?status=terbentuk", "Songket", "Pempek"),
                                 ("?flagged=ya", "Songket", "Pempek"),
                                 ("?flagged=tidak", "Pempek", "Songket"),
                                 ("?kbli=13", "Songket", "Pempek"),
                                 ("?wilayah=16.07", "Pempek", "Songket"),
                                 ("?q=songket", "Songket", "Pempek")]:
        text = prov.get(LIST + query, headers={"HX-Request": "true"}).content.decode()
        assert shown in text and hidden not in text, query


def test_list_block_and_counts_page_count_terbentuk_including_ditetapkan(personas, places):
    make_sentra("16.07.02", "terbentuk")
    make_sentra("16.07.03", "usulan")
    totals = client_for(personas.prov).get(LIST).context["totals"]
    assert (totals["terbentuk"], totals["ber_sk"], totals["usulan"]) == (3, 1, 1)
    response = client_for(personas.prov).get(COUNTS)
    rows = {row["kode"]: row for row in response.context["rows"]}
    assert set(rows) == {"16.07", "16.71"}  # kab/kota of the provinsi, nothing of Kalsel
    assert (rows["16.07"]["terbentuk"], rows["16.07"]["ber_sk"], rows["16.07"]["usulan"]) == \
        (2, 1, 1)
    assert response.context["totals"]["terbentuk"] == 3
    admin = client_for(personas.admin).get(COUNTS).context
    assert {row["kode"] for row in admin["rows"]} == {"16", "63"}


def test_detail_shows_members_parts_and_masks_officer_phone(personas, places):
    sentra = places["banyuasin"]
    url = sentra.get_absolute_url()
    text = client_for(personas.kab).get(url).content.decode()
    assert "081234567890" in text and "UPT Uji" in text and "250.000.000" in text
    assert 'id="flag"' not in text
    pimpinan = client_for(personas.pimpinan).get(url).content.decode()
    assert "081234567890" not in pimpinan and "0812••••7890" in pimpinan
    assert "Edit profile" not in pimpinan


def test_every_sentra_object_is_404_for_the_kalsel_officer(personas, places):
    sentra = places["banyuasin"]
    officer = sentra.officers.get()
    member = sentra.memberships.first()
    other = client_for(personas.other)
    urls = [reverse(name, args=[sentra.pk]) for name in (
        "sentra:sentra_detail", "sentra:sentra_edit", "sentra:sentra_status",
        "sentra:sentra_sk_document", "sentra:member_add", "sentra:officer_add",
        "sentra:facility_add", "sentra:support_add")]
    urls += [reverse("sentra:member_leave", args=[sentra.pk, member.pk]),
             reverse("sentra:officer_delete", args=[sentra.pk, officer.pk]),
             reverse("sentra:facility_delete", args=[sentra.pk, sentra.facilities.get().pk]),
             reverse("sentra:support_delete", args=[sentra.pk, sentra.support.get().pk])]
    for url in urls:
        assert other.get(url).status_code == 404, url
        assert other.post(url, {"reason": "x"}).status_code == 404, url
    assert other.get(reverse("api:sentra-detail", args=[sentra.pk])).status_code == 404
    assert not AuditLog.objects.exists()


def test_sk_document_is_served_only_in_scope(personas, places, client):
    url = reverse("sentra:sentra_sk_document", args=[places["banyuasin"].pk])
    response = client_for(personas.pimpinan).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert client_for(personas.other).get(url).status_code == 404
    assert client.get(url).status_code == 302  # anonymous: to the login page
    no_document = reverse("sentra:sentra_sk_document", args=[places["palembang"].pk])
    assert client_for(personas.prov).get(no_document).status_code == 404


def test_status_form_designates_with_an_upload(personas, places):
    sentra = places["palembang"]
    url = reverse("sentra:sentra_status", args=[sentra.pk])
    kab = client_for(personas.prov)
    upload = SimpleUploadedFile("SK Walikota.pdf", PDF, content_type="application/pdf")
    response = kab.post(url, {"status": "ditetapkan", "sk_number": "188/2024",
                              "sk_date": "2024-03-01", "sk_document": upload})
    assert response.status_code == 302
    sentra.refresh_from_db()
    assert (sentra.status, sentra.sk_number, sentra.sk_date) == (
        "ditetapkan", "188/2024", datetime.date(2024, 3, 1))


def test_status_form_explains_what_is_missing_and_keeps_the_input(personas, places):
    sentra = places["palembang"]
    response = client_for(personas.prov).post(
        reverse("sentra:sentra_status", args=[sentra.pk]),
        {"status": "ditetapkan", "sk_number": "188/2024"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "188/2024" in text
    errors = response.context["form"].errors
    assert "sk_date" in errors and "sk_document" in errors
    sentra.refresh_from_db()
    assert sentra.status == "terbentuk"


def test_invalid_step_from_the_form_gets_the_services_message(personas, places):
    response = client_for(personas.prov).post(
        reverse("sentra:sentra_status", args=[places["banyuasin"].pk]), {"status": "terbentuk"})
    assert response.status_code == 200
    assert response.context["form"].errors["status"]
    assert response.context["form"].has_error("status", "final_status")


def test_member_form_offers_only_visible_enterprises_and_refuses_other_kabkota(personas, places):
    sentra = places["banyuasin"]
    palembang = make_enterprise("16.71.01", name="Usaha Palembang Lain")
    banjar = make_enterprise("63.71.03", name="Usaha Banjar Lain")
    url = reverse("sentra:member_add", args=[sentra.pk])
    prov = client_for(personas.prov)
    text = prov.get(url).content.decode()
    assert "Usaha Palembang Lain" in text and "Usaha Banjar Lain" not in text
    response = prov.post(url, {"enterprise": palembang.pk, "joined_on": "2024-01-01"})
    assert "16.07" in response.context["form"].errors["enterprise"][0]
    response = prov.post(url, {"enterprise": banjar.pk, "joined_on": "2024-01-01"})
    assert "enterprise" in response.context["form"].errors
    assert sentra.memberships.count() == 5


def test_parts_are_added_and_removed_with_history(personas, places):
    sentra = places["palembang"]
    kab = client_for(personas.prov)
    response = kab.post(reverse("sentra:support_add", args=[sentra.pk]), {
        "source": "apbd", "year": 2024, "value": "Rp 75.000.000", "description": "Alat tenun"})
    assert response.status_code == 302
    support = sentra.support.get()
    assert support.value == 75_000_000
    kab.post(reverse("sentra:support_delete", args=[sentra.pk, support.pk]), {"reason": "salah"})
    assert not sentra.support.exists()
    actions = list(AuditLog.objects.for_subject(sentra).values_list("action", flat=True))
    assert sorted(actions) == ["create", "delete"]
    text = kab.get(sentra.get_absolute_url()).content.decode()
    assert "salah" in text  # the reason shows in Riwayat


def test_pimpinan_cannot_open_the_forms(personas, places):
    pimpinan = client_for(personas.pimpinan)
    for name in ("sentra:sentra_edit", "sentra:sentra_status", "sentra:member_add"):
        assert pimpinan.get(reverse(name, args=[places["banyuasin"].pk])).status_code == 403
    assert pimpinan.get(reverse("sentra:sentra_create")).status_code == 403


def test_create_from_the_form(personas):
    response = client_for(personas.kab).post(reverse("sentra:sentra_create"), {
        "name": "Sentra Kemplang Sungsang", "komoditas": "kemplang", "kbli": "10794",
        "kecamatan": "16.07.02", "latitude": "-2.3", "longitude": "104.9"})
    assert response.status_code == 302
    assert Sentra.objects.get().status == "usulan"
