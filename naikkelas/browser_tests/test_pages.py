"""Whole pages: usable on a phone, and loading nothing from outside the office network."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from naikkelas.browser_tests.steps import log_in, result_names
from naikkelas.enterprises.services import save_annual_report

# Elements that stick out of the viewport, apart from those inside a scrollable table container.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = [...document.body.querySelectorAll('*')]
    .filter(el => !el.closest('.table-wrap') && el.getBoundingClientRect().right > width + 1)
    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
               + (el.className ? '.' + String(el.className).trim().split(/\\s+/).join('.') : ''));
  return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 8)};
}"""


@pytest.fixture
def with_history(banyuasin):
    """Bu Sari's 2024 figures corrected once by the Banyuasin officer (a Riwayat entry)."""
    personas, sari = banyuasin
    save_annual_report(sari, actor=personas.kab, year=2024,
                       figures={"workers_male": 6, "investment": 1_250_000_000})
    return personas, sari


def assert_no_page_overflow(page: Page) -> None:
    found = page.evaluate(OVERFLOW)
    assert found["scrollWidth"] <= found["width"] + 1, (
        f"{page.url} is {found['scrollWidth']}px wide on a {found['width']}px screen; "
        f"sticking out: {found['wide']}")


@pytest.mark.browser
def test_list_and_detail_fit_a_phone_screen(phone_page, shot, with_history):
    personas, sari = with_history
    page = phone_page
    log_in(page, personas.kab.username)
    page.goto("/usaha/")
    expect(result_names(page)).to_have_count(3)
    assert_no_page_overflow(page)
    shot(page, "list")
    for tab in ("profil", "data", "riwayat"):
        page.goto(f"/usaha/{sari.pk}/?tab={tab}")
        expect(page.locator(f"#tab-{tab}")).to_have_attribute("aria-selected", "true")
        assert_no_page_overflow(page)
        shot(page, f"detail-{tab}")


@pytest.mark.browser
def test_pages_load_nothing_from_another_host(page, shot, live_server, with_history):
    personas, sari = with_history
    requested, statuses = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("response", lambda response: statuses.append((response.status, response.url)))

    log_in(page, personas.kab.username)
    page.goto("/usaha/")
    page.select_option("#id_kecamatan", "16.07.01")  # htmx request
    expect(page).to_have_url(re.compile(r"kecamatan=16\.07\.01"))
    for path in (f"/usaha/{sari.pk}/", f"/usaha/{sari.pk}/data/2024/", "/usaha/baru/"):
        page.goto(path)
    page.goto(f"/usaha/{sari.pk}/")
    page.locator("#tab-riwayat").click()  # htmx request
    expect(page).to_have_url(re.compile(r"tab=riwayat"))
    assert page.evaluate("typeof window.htmx") == "object"
    shot(page, "riwayat")

    server = urlsplit(live_server.url).netloc
    elsewhere = [url for url in requested if urlsplit(url).scheme in ("http", "https", "ws", "wss")
                 and urlsplit(url).netloc != server]
    assert not elsewhere, f"loaded from outside {server}: {elsewhere}"
    static = {urlsplit(url).path for url in requested if "/static/" in url}
    assert {"/static/css/naikkelas.css", "/static/django_htmx/htmx-2.min.js"} <= static
    # The browser asks for /favicon.ico on its own; the app has none (a 404 on every first visit).
    failed = [(status, url) for status, url in statuses
              if status >= 400 and not url.endswith("/favicon.ico")]
    assert not failed
