"""An officer imports a spreadsheet: upload, preview, confirm, result with the error report."""

import pytest
from playwright.sync_api import expect

from naikkelas.browser_tests.steps import log_in
from naikkelas.core.testing import make_personas
from naikkelas.enterprises.models import Enterprise
from naikkelas.imports.tests.files import ROWS_2024, office_sheet, write_csv


@pytest.mark.browser
def test_officer_imports_a_spreadsheet(page, shot, migrated_data, tmp_path):
    personas = make_personas()
    grid, _merges = office_sheet(ROWS_2024)
    path = write_csv(tmp_path / "ikm-banyuasin-2024.csv", grid)
    log_in(page, personas.kab.username)
    page.locator(".mainnav a[href='/impor/']").click()
    page.get_by_role("link", name="Impor lembar kerja").click()
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_wilayah", "16.07")
    page.fill("#id_tahun", "2024")
    shot(page, "upload")
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.locator("[data-count='rows_read']")).to_have_text("5")
    expect(page.locator("#preview-rows tbody tr")).to_have_count(5)
    shot(page, "preview")
    page.locator("#confirm").click()
    expect(page.locator("#status")).to_have_text("selesai")
    expect(page.locator("[data-count='created']")).to_have_text("5")
    expect(page.locator("#error-report")).to_be_visible()
    shot(page, "result")
    assert Enterprise.objects.count() == 5
