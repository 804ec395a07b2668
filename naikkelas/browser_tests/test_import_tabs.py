"""An officer with the import open in two tabs, and one whose file names a column unlike the
importer: each page acts on the upload it shows."""

import pytest
from playwright.sync_api import expect

from naikkelas.browser_tests.steps import log_in
from naikkelas.core.testing import make_personas
from naikkelas.enterprises.models import Enterprise
from naikkelas.imports.models import ImportRun
from naikkelas.imports.tests.files import ROWS_2024, office_sheet, plain_sheet, write_csv


def _upload(page, path, tahun: str) -> None:
    page.goto("/impor/unggah/")
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_wilayah", "16.07")
    page.fill("#id_tahun", tahun)
    page.get_by_role("button", name="Periksa berkas").click()


@pytest.mark.browser
def test_confirm_in_a_tab_another_tab_replaced_imports_nothing(page, shot, migrated_data,
                                                               tmp_path):
    personas = make_personas()
    grid, _merges = office_sheet(ROWS_2024)
    log_in(page, personas.kab.username)
    _upload(page, write_csv(tmp_path / "A-2024.csv", grid), "2024")
    expect(page.locator("[data-count='rows_read']")).to_have_text("5")
    second = page.context.new_page()  # the same session, another tab
    _upload(second, write_csv(tmp_path / "B-2023.csv", grid), "2023")
    expect(second.locator("[data-count='rows_read']")).to_have_text("5")
    page.locator("#confirm").click()
    expect(page.locator(".message.warning").first).to_contain_text(
        "B-2023.csv diunggah di tab lain")
    expect(page.locator("main")).to_contain_text("B-2023.csv untuk 16.07, tahun 2023")
    shot(page, "replaced")
    assert ImportRun.objects.count() == 0


@pytest.mark.browser
def test_officer_maps_the_kecamatan_column_by_hand(page, shot, migrated_data, tmp_path):
    personas = make_personas()
    header = ["NAMA PERUSAHAAN", "NAMA PEMILIK", "LOKASI (KECAMATAN)", "NIB"]
    rows = [[row[0], row[1], row[7], row[3]] for row in ROWS_2024]
    log_in(page, personas.kab.username)
    _upload(page, write_csv(tmp_path / "ikm.csv", plain_sheet(header, rows)), "2024")
    expect(page.locator("#refusal")).to_contain_text(
        "Tidak ada kolom yang dikenali sebagai kecamatan (KECAMATAN).")
    expect(page.locator("#confirm")).to_have_count(0)
    shot(page, "refused")
    page.get_by_label("LOKASI (KECAMATAN) (kolom C)").select_option("kecamatan")
    page.get_by_role("button", name="Periksa lagi").click()
    expect(page.locator("[data-count='rows_read']")).to_have_text("5")
    page.locator("#confirm").click()
    expect(page.locator("#status")).to_have_text("selesai")
    assert Enterprise.objects.count() == 5
