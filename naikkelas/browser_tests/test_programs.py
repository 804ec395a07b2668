"""The programs paths an officer clicks: recording a Bimtek with its participants, and handing
over aid to a recipient who already got aid from another office."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from naikkelas.browser_tests.steps import log_in, submit
from naikkelas.programs.models import AidDelivery, Participation, Program, ProgramType, Prospect


@pytest.mark.browser
def test_officer_records_a_bimtek_with_participants(page, shot, banyuasin):
    personas, sari = banyuasin
    log_in(page, personas.kab.username)
    page.locator(".mainnav a[href='/program/']").click()
    expect(page.locator("main h1")).to_have_text("Program dan bantuan")
    page.locator("main .actions a[href='/program/baru/']").click()
    page.fill("#id_name", "Bimtek Pengolahan Pempek Higienis")
    page.select_option("#id_program_type", "bimtek")
    page.select_option("#id_organiser_level", "kabkota")
    page.select_option("#id_kode_wilayah", "16.07")
    page.select_option("#id_budget_source", "apbd")
    page.fill("#id_pagu", "Rp 25.000.000,-")
    page.fill("#id_realisasi", "27.500.000")
    page.fill("#id_start_date", "2024-08-05")
    page.fill("#id_end_date", "2024-08-07")
    page.fill("#id_target_participants", "20")
    shot(page, "program-form")
    submit(page)
    expect(page.locator("#id_realisasi_reason_errors")).to_contain_text("alasan")
    page.fill("#id_realisasi_reason", "Tambahan konsumsi peserta (revisi DPA)")
    submit(page)
    program = Program.objects.get(name="Bimtek Pengolahan Pempek Higienis")
    expect(page).to_have_url(re.compile(rf"/program/{program.pk}/$"))
    expect(page.locator("#budget")).to_contain_text("25.000.000 / 27.500.000")

    page.locator("#add-participant").click()
    page.fill("#id_q", "Bu Sari")
    page.locator("#search-enterprise button").click()
    page.select_option("#id_enterprise", str(sari.pk))
    submit(page)
    expect(page.locator("#participants")).to_contain_text("Pempek Bu Sari")

    page.locator("#add-participant").click()
    page.locator("input[name=kind][value=new_prospect]").check()
    page.fill("#id_nik", "1607 0145 0890 0077")
    page.fill("#id_name", "Dewi Lestari")
    page.fill("#id_phone", "0812 1111 2222")
    page.select_option("#id_kecamatan", "16.07.01")
    shot(page, "new-prospect")
    submit(page)
    expect(page.locator("#participants tbody tr")).to_have_count(2)
    expect(page.locator("#participants")).to_contain_text("Dewi Lestari")

    page.locator("#participants a[href$='/peserta/%d/']" % Participation.objects.get(
        program=program, enterprise=sari).pk).click()
    page.select_option("#id_status", "lulus")
    page.fill("#id_days_present", "3")
    page.fill("#id_certificate_number", "001/BIMTEK/2024")
    page.fill("#id_certificate_date", "2024-08-07")
    submit(page)
    expect(page.locator("#participants")).to_contain_text("001/BIMTEK/2024")
    assert Prospect.objects.get(name="Dewi Lestari").nik == "1607014508900077"
    shot(page, "program-with-participants")


@pytest.mark.browser
def test_aid_handover_with_eligibility_warning(page, shot, banyuasin):
    personas, sari = banyuasin
    pusat = Program.objects.create(
        name="Bantuan Mesin Ditjen IKMA 2024", program_type=ProgramType.EQUIPMENT,
        organiser_level="pusat", kode_wilayah="", budget_source="apbn", pagu=100_000_000,
        start_date=datetime.date(2024, 1, 8), end_date=datetime.date(2024, 2, 8))
    AidDelivery.objects.create(program=pusat, enterprise=sari, sk_number="SK/1/DJIKMA",
                               sk_date=datetime.date(2024, 1, 15), bast_number="BAST/1/DJIKMA",
                               bast_date=datetime.date(2024, 2, 1))
    ours = Program.objects.create(
        name="Bantuan Peralatan IKM Banyuasin 2024", program_type=ProgramType.EQUIPMENT,
        organiser_level="kabkota", kode_wilayah="16.07", budget_source="dak", pagu=50_000_000,
        start_date=datetime.date(2024, 6, 3), end_date=datetime.date(2024, 7, 31))
    log_in(page, personas.kab.username)
    page.goto(f"/program/{ours.pk}/")
    page.locator("#add-aid").click()
    page.fill("#id_bast_date", "2024-07-10")
    page.select_option("#id_enterprise", str(sari.pk))
    warning = page.locator("#eligibility-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("penyerahan oleh kantor di luar wilayah")
    expect(warning).not_to_contain_text("Ditjen IKMA")  # a pusat program: only counted
    shot(page, "eligibility-warning")

    page.fill("#id_sk_number", "SK/045/DISPERINDAG/2024")
    page.fill("#id_sk_date", "2024-07-01")
    page.fill("#id_bast_number", "BAST/012/2024")
    page.fill("#id_items-0-name", "Oven gas 3 rak")
    page.fill("#id_items-0-quantity", "1")
    page.fill("#id_items-0-unit_value", "Rp 4.500.000")
    page.fill("#id_items-0-brand", "Hock")
    page.fill("#id_items-0-serial", "HK-2024-0007")
    page.set_input_files("#id_document", files=[{
        "name": "bast.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 bast"}])
    submit(page)
    expect(page.locator("#id_override_reason_errors")).to_contain_text("alasan")
    assert not AidDelivery.objects.filter(program=ours).exists()
    page.set_input_files("#id_document", files=[{
        "name": "bast.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 bast"}])
    page.fill("#id_override_reason", "Bantuan pusat berupa mesin jahit; oven untuk usaha kue")
    shot(page, "handover-form")
    submit(page)

    expect(page).to_have_url(re.compile(rf"/program/{ours.pk}/$"))
    delivery = AidDelivery.objects.get(program=ours)
    section = page.locator(f"#delivery-{delivery.pk}")
    expect(section).to_contain_text("BAST/012/2024")
    expect(section).to_contain_text("4.500.000")
    expect(section.locator("a[href$='/dokumen/']")).to_be_visible()
    assert delivery.override_reason.startswith("Bantuan pusat")
    shot(page, "handover-recorded")
