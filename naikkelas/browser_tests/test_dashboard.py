"""The dashboard in a browser: plotly charts drawn from the app's own copy, the rule selector
swapping the naik kelas section, and a drill-down from the provinsi to a kab/kota."""

import re

import pytest
from playwright.sync_api import expect

from naikkelas.browser_tests.steps import log_in
from naikkelas.enterprises.sizeclass import RULE_IDS
from naikkelas.indicators.services import compute_indicators


@pytest.mark.browser
def test_switch_rule_and_drill_down(page, shot, banyuasin, live_server):
    outside = []
    page.on("request", lambda r: None if r.url.startswith(live_server.url)
            else outside.append(r.url))
    log_in(page, "op_sumsel")
    # plotly.js is 4.6 MB: give a loaded machine time to parse it once
    expect(page.locator("#chart-series .main-svg").first).to_be_visible(timeout=30_000)
    expect(page.locator("#naik-kelas")).to_have_attribute("data-rule", RULE_IDS[0])
    page.select_option("#id_aturan", RULE_IDS[3])
    expect(page.locator("#naik-kelas")).to_have_attribute("data-rule", RULE_IDS[3])
    expect(page.locator("#chart-naik-series .main-svg").first).to_be_visible()
    expected = compute_indicators("16", 2024)["naik_kelas"][RULE_IDS[3]]
    expect(page.locator("#naik-kelas-total")).to_have_text(str(expected))
    shot(page, "rule-switched")
    page.locator('#children-table tr[data-kode="16.07"] a').click()
    expect(page).to_have_url(re.compile(r"/dasbor/16\.07/\?tahun=2024&aturan="))
    expect(page.locator("h1")).to_contain_text("Banyuasin")
    expect(page.locator("#stat-jumlah-usaha")).to_have_text(
        str(compute_indicators("16.07", 2024)["jumlah_usaha"]))
    expect(page.locator('#children-table tr[data-kode="16.07.01"]')).to_be_visible()
    shot(page, "drilled-down")
    assert outside == []
