"""The programs pages: what each persona gets, masking, the forms, the timeline tab."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from naikkelas.core.models import AuditLog
from naikkelas.programs.models import AidDelivery, Participation, Program, Prospect
from naikkelas.programs.tests.factories import make_delivery, make_program

pytestmark = pytest.mark.django_db


def object_urls(region) -> list[str]:
    p = region.program.pk
    return [reverse("programs:program_detail", args=[p]),
            reverse("programs:program_edit", args=[p]),
            reverse("programs:participant_add", args=[p]),
            reverse("programs:participation_edit", args=[p, region.participation.pk]),
            reverse("programs:participant_import", args=[p]),
            reverse("programs:aid_create", args=[p]),
            reverse("programs:aid_eligibility", args=[p]) + f"?enterprise={region.enterprise.pk}",
            reverse("programs:aid_document", args=[region.delivery.pk]),
            reverse("programs:prospect_detail", args=[region.prospect.pk]),
            reverse("programs:prospect_promote", args=[region.prospect.pk]),
            reverse("programs:kub_detail", args=[region.kub.pk]),
            reverse("api:program-detail", args=[p]),
            reverse("api:aiddelivery-detail", args=[region.delivery.pk])]


def test_kalsel_officer_gets_404_on_every_sumsel_object(regions, clients):
    for url in object_urls(regions["banyuasin"]):
        assert clients["other"].get(url).status_code == 404, url
        assert clients["other"].post(url, {}).status_code in (404, 405), url


def test_banyuasin_officer_opens_every_own_object(regions, clients):
    for url in object_urls(regions["banyuasin"]):
        assert clients["kab"].get(url).status_code == 200, url
    for url in object_urls(regions["banjarmasin"]):
        assert clients["kab"].get(url).status_code == 404, url


def test_lists_show_only_the_wilayah(regions, clients):
    for name in ("programs:program_list", "programs:prospect_list", "programs:kub_list"):
        text = clients["prov"].get(reverse(name)).content.decode()
        assert "Banyuasin" in text and "Banjarmasin" not in text, name
    api = clients["kab"].get(reverse("api:program-list")).json()
    assert [p["name"] for p in api["results"]] == ["Bimtek Banyuasin"]


def test_pusat_program_is_seen_by_pusat_only(regions, clients):
    program = make_program("", name="Bimtek Nasional Ditjen IKMA")
    url = reverse("programs:program_detail", args=[program.pk])
    assert clients["admin"].get(url).status_code == 200
    assert clients["prov"].get(url).status_code == 404


def test_pimpinan_sees_prospect_nik_masked(regions, clients):
    prospect = regions["banyuasin"].prospect
    for url in (reverse("programs:prospect_detail", args=[prospect.pk]),
                reverse("programs:prospect_list")):
        masked = clients["pimpinan"].get(url).content.decode()
        assert prospect.nik not in masked and "160701••••••0042" in masked
        assert prospect.nik in clients["kab"].get(url).content.decode()
    detail = clients["pimpinan"].get(reverse("programs:prospect_detail", args=[prospect.pk]))
    assert prospect.phone not in detail.content.decode()


def test_pimpinan_may_not_change_anything(regions, clients):
    region = regions["banyuasin"]
    for url in object_urls(region)[1:6] + [reverse("programs:program_create")]:
        assert clients["pimpinan"].get(url).status_code == 403, url


def test_document_is_served_in_scope(regions, clients):
    url = reverse("programs:aid_document", args=[regions["banyuasin"].delivery.pk])
    response = clients["prov"].get(url)
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4 bast Banyuasin")


PROGRAM_POST = {"name": "Bimtek Kemasan", "program_type": "bimtek", "organiser_level": "kabkota",
                "kode_wilayah": "16.07", "budget_source": "apbd", "pagu": "Rp 25.000.000,-",
                "realisasi": "30.000.000", "start_date": "2024-08-05", "end_date": "2024-08-07",
                "target_participants": "30", "target_recipients": "0"}


def test_program_form_refuses_realisasi_above_pagu_in_indonesian(personas, clients):
    response = clients["kab"].post(reverse("programs:program_create"), PROGRAM_POST)
    assert response.status_code == 200
    assert "alasan" in response.content.decode().lower()
    assert not Program.objects.exists()
    response = clients["kab"].post(reverse("programs:program_create"),
                                   {**PROGRAM_POST, "realisasi_reason": "Tambahan peserta"})
    program = Program.objects.get()
    assert response.status_code == 302 and program.pagu == 25_000_000


def test_add_new_prospect_as_participant(regions, clients):
    program = regions["banyuasin"].program
    response = clients["kab"].post(reverse("programs:participant_add", args=[program.pk]), {
        "kind": "new_prospect", "nik": "1607 0145 0890 0077", "name": "Dewi Lestari",
        "phone": "+62 812 1111 2222", "kecamatan": "16.07.01"})
    assert response.status_code == 302
    prospect = Prospect.objects.get(name="Dewi Lestari")
    assert prospect.phone == "081211112222"
    assert Participation.objects.filter(program=program, prospect=prospect).exists()


def test_add_participant_without_choice_is_explained(regions, clients):
    program = regions["banyuasin"].program
    response = clients["kab"].post(reverse("programs:participant_add", args=[program.pk]),
                                   {"kind": "enterprise"})
    assert response.status_code == 200
    assert "tidak boleh kosong" in response.content.decode()


def aid_post(enterprise, **extra) -> dict:
    return {"recipient_kind": "enterprise", "enterprise": enterprise.pk, "sk_number": "SK/9",
            "sk_date": "2024-07-01", "bast_number": "BAST/9", "bast_date": "2024-07-02",
            "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "1",
            "items-MAX_NUM_FORMS": "1000", "items-0-name": "Mesin las", "items-0-quantity": "1",
            "items-0-unit_value": "Rp 3.250.000", **extra}


def test_aid_form_warns_then_accepts_a_reason(regions, clients):
    region = regions["banyuasin"]
    url = reverse("programs:aid_create", args=[region.program.pk])
    warned = clients["kab"].post(url, aid_post(region.enterprise))
    assert warned.status_code == 200
    assert 'id="eligibility-warning"' in warned.content.decode()
    assert region.program.name in warned.content.decode()
    assert AidDelivery.objects.count() == 2
    document = SimpleUploadedFile("bast.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    done = clients["kab"].post(url, aid_post(region.enterprise, override_reason="Usaha baru",
                                             document=document))
    assert done.status_code == 302
    delivery = AidDelivery.objects.get(bast_number="BAST/9")
    assert delivery.items.get().unit_value == 3_250_000
    assert AuditLog.objects.get(object_type="programs.aiddelivery",
                                object_id=str(delivery.pk)).reason == "Usaha baru"


def test_eligibility_shows_other_offices_aid_only_as_a_count(regions, clients, personas):
    region = regions["banyuasin"]
    pusat = make_program("", name="Bantuan Mesin Pusat Rahasia", program_type="peralatan")
    make_delivery(pusat, region.enterprise, bast_date=datetime.date(2024, 1, 5))
    url = reverse("programs:aid_eligibility", args=[region.program.pk])
    text = clients["kab"].get(f"{url}?enterprise={region.enterprise.pk}&bast_date=2024-07-02") \
        .content.decode()
    assert region.program.name in text
    assert "Bantuan Mesin Pusat Rahasia" not in text
    assert "1 penyerahan oleh kantor di luar wilayah" in text.replace("\n", " ")


def test_oversized_document_is_refused(regions, clients, settings):
    settings.NAIKKELAS_AID_DOCUMENT_MAX_BYTES = 10
    region = regions["banjarmasin"]
    url = reverse("programs:aid_create", args=[region.program.pk])
    big = SimpleUploadedFile("bast.pdf", b"%PDF-1.4 " + b"x" * 100)
    response = clients["admin"].post(url, aid_post(region.enterprise, document=big,
                                                   override_reason="x"))
    assert response.status_code == 200 and "MB" in response.content.decode()
    wrong = SimpleUploadedFile("bast.exe", b"MZ")
    response = clients["admin"].post(url, aid_post(region.enterprise, document=wrong,
                                                   override_reason="x"))
    assert "PDF" in response.content.decode()


def test_timeline_tab_lists_programs_and_aid(regions, clients):
    enterprise = regions["banyuasin"].enterprise
    url = reverse("enterprises:enterprise_detail", args=[enterprise.pk]) + "?tab=linimasa"
    text = clients["kab"].get(url).content.decode()
    assert 'id="tab-linimasa"' in text and "Bimtek Banyuasin" in text
    assert "BAST" in text and "6.000.000" in text
    assert f'href="/program/{regions["banyuasin"].program.pk}/"' in text


def test_timeline_links_only_programs_the_user_may_open(regions, clients):
    enterprise = regions["banyuasin"].enterprise
    pusat = make_program("", name="Bimtek Pusat Untuk Banyuasin")
    Participation.objects.create(program=pusat, enterprise=enterprise)
    url = reverse("enterprises:enterprise_detail", args=[enterprise.pk]) + "?tab=linimasa"
    text = clients["kab"].get(url).content.decode()
    assert "Bimtek Pusat Untuk Banyuasin" in text
    assert f'href="/program/{pusat.pk}/"' not in text


def test_promote_prospect_page(regions, clients):
    prospect = regions["banyuasin"].prospect
    response = clients["kab"].post(reverse("programs:prospect_promote", args=[prospect.pk]),
                                   {"name": "Kue Calon Banyuasin", "legal_form": "perorangan"})
    prospect.refresh_from_db()
    assert response.status_code == 302 and prospect.enterprise.name == "Kue Calon Banyuasin"
    assert prospect.enterprise.owner_nik == prospect.nik
