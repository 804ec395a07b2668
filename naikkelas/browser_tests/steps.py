"""Steps shared by the browser tests: what a person does, found by id, name and role."""

import re

from playwright.sync_api import Locator, Page, expect

from naikkelas.core.testing import PASSWORD

HOME_URL = re.compile(r"^http://[^/]+/$")


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Log in through the real login form and land on the home page."""
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(HOME_URL)


def result_names(page: Page) -> Locator:
    """The business-name links of the rows in the enterprise list."""
    return page.locator("#results table tbody tr td:first-child a")


def submit(page: Page) -> None:
    """Press the form's submit (Save) button."""
    page.locator("main form.card button[type=submit]").click()
