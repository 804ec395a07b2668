"""The main paths an officer clicks: log in, find an enterprise, correct its figures, register one."""

import re

import pytest
from playwright.sync_api import Page, expect

from naikkelas.browser_tests.steps import log_in, result_names, submit
from naikkelas.core.testing import make_personas
from naikkelas.enterprises.models import Enterprise

BPS = "bps-tenaga-kerja"


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def bps_class(page: Page, year: int):
    return page.locator(f"#report-{year} tr[data-rule='{BPS}'] td:nth-child(2) .badge")


@pytest.mark.browser
def test_officer_filters_list_and_corrects_figures(page, shot, banyuasin):
    personas, sari = banyuasin
    log_in(page, personas.kab.username)
    expect(page.locator("main h1")).to_contain_text("Kabupaten Banyuasin")
    expect(page.locator("#stat-jumlah-usaha")).to_have_text("2")
    shot(page, "home")

    page.locator(".mainnav a[href='/usaha/']").click()
    expect(result_names(page)).to_have_count(3)
    shot(page, "list")
    page.evaluate("window.sameDocument = true")  # a full page load would drop this flag
    page.locator("#id_q").press_sequentially("pempek")
    expect(page).to_have_url(re.compile(r"[?&]q=pempek(&|$)"))
    expect(result_names(page)).to_have_text(["Pempek Bu Sari", "Pempek Kapal Selam Sungsang"])
    page.select_option("#id_kecamatan", "16.07.01")
    expect(page).to_have_url(re.compile(r"[?&]kecamatan=16\.07\.01(&|$)"))
    expect(result_names(page)).to_have_text(["Pempek Bu Sari"])
    assert page.evaluate("window.sameDocument") is True
    expect(page.locator("#export-link")).to_have_attribute(
        "href", re.compile(r"\?(.*&)?q=pempek&(.*&)?kecamatan=16\.07\.01(&|$)"))
    shot(page, "list-filtered")

    result_names(page).first.click()
    expect(page).to_have_url(re.compile(rf"/usaha/{sari.pk}/$"))
    expect(page.locator("main h1")).to_have_text("Pempek Bu Sari")
    expect(page.locator("header.topbar")).to_have_count(1)  # a whole page, not one inside the list
    page.locator("#tab-data").click()
    expect(page).to_have_url(re.compile(r"\?tab=data$"))
    expect(bps_class(page, 2024)).to_have_text("mikro")
    shot(page, "detail-data")

    page.locator(f"#report-2024 a[href$='/usaha/{sari.pk}/data/2024/']").click()
    page.fill("#id_workers_male", "20")  # 20 men + 1 woman = 21 workers: BPS sedang
    page.fill("#id_investment", "Rp 1.500.000,-")
    shot(page, "report-form")
    submit(page)
    expect(page).to_have_url(re.compile(rf"/usaha/{sari.pk}/\?tab=data$"))
    # TODO(locale/id): assert the message text "Data tahun 2024 disimpan." once translated.
    expect(page.locator(".message")).to_contain_text("2024")
    expect(bps_class(page, 2024)).to_have_text("sedang")
    expect(page.locator(f"#report-2024 tr[data-rule='{BPS}'] .badge.up")).to_be_visible()
    expect(page.locator("#report-2024")).to_contain_text("1.500.000")
    shot(page, "detail-data-saved")

    page.locator("#tab-riwayat").click()
    expect(page).to_have_url(re.compile(r"\?tab=riwayat$"))
    changes = page.locator("#tab-body .history-item tbody tr")
    expect(changes.first).to_be_visible()
    # TODO(locale/id): assert the column headers "Sebelum" / "Sesudah" once translated.
    rows = changes.evaluate_all("rows => rows.map(r => [...r.cells].map(c => c.innerText))")
    shown = {(digits(old), digits(new)) for _, old, new in rows}
    assert ("2", "20") in shown  # workers (men)
    assert ("50000000", "1500000") in shown  # investment
    assert ["50.000.000", "1.500.000"] in [[old, new] for _, old, new in rows]  # thousand dots
    shot(page, "riwayat")


@pytest.mark.browser
def test_register_enterprise_rejects_bad_nib_then_asks_for_figures(page, shot, migrated_data):
    personas = make_personas()
    log_in(page, personas.kab.username)
    page.goto("/usaha/")
    page.locator("main .actions a[href='/usaha/baru/']").click()
    page.fill("#id_name", "Songket Cik Ayu")
    page.fill("#id_owner_name", "Ayu Lestari")
    page.select_option("#id_kecamatan", "16.07.01")
    page.fill("#id_nib", "1234 5678 90")  # 10 digits: OSS gives 13
    shot(page, "form-filled")
    submit(page)

    expect(page.locator("#id_nib_errors")).to_be_visible()
    # TODO(locale/id): assert "NIB harus 13 digit, tertulis 10 digit." once translated.
    expect(page.locator("#id_nib_errors")).to_contain_text("13")
    expect(page.locator(".field.has-error")).to_have_count(1)
    expect(page.locator("#id_name")).to_have_value("Songket Cik Ayu")
    assert not Enterprise.objects.exists()
    shot(page, "nib-error")

    page.fill("#id_nib", "1234567890123")  # with spaces the 13-char maxlength would cut it
    submit(page)
    expect(page).to_have_url(re.compile(r"/usaha/\d+/data/baru/$"))
    enterprise = Enterprise.objects.get(nib="1234567890123")
    assert page.url.endswith(f"/usaha/{enterprise.pk}/data/baru/")
    expect(page.locator("#id_year")).to_be_visible()
    expect(page.locator(".message")).to_contain_text("Songket Cik Ayu")
    assert (enterprise.name, enterprise.kecamatan_id) == ("Songket Cik Ayu", "16.07.01")
    shot(page, "add-figures")


@pytest.mark.browser
def test_tab_switch_marks_the_new_tab_selected(page, banyuasin):
    personas, sari = banyuasin
    log_in(page, personas.kab.username)
    page.goto(f"/usaha/{sari.pk}/")
    page.locator("#tab-riwayat").click()
    expect(page).to_have_url(re.compile(r"\?tab=riwayat$"))
    expect(page.locator("#tab-profil")).to_have_attribute("aria-selected", "false", timeout=2000)
    expect(page.locator("#tab-riwayat")).to_have_attribute("aria-selected", "true", timeout=2000)
