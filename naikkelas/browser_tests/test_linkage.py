"""An officer opens a duplicate candidate from the queue, compares the two records and merges them."""

import re

import pytest
from playwright.sync_api import expect

from naikkelas.browser_tests.steps import log_in
from naikkelas.enterprises.models import Enterprise
from naikkelas.linkage.models import CandidateStatus, DuplicateCandidate, MergeRecord


@pytest.mark.browser
def test_officer_merges_a_duplicate_from_the_queue(page, shot, banyuasin):
    personas, sari = banyuasin
    twin = Enterprise.objects.create(kecamatan_id="16.07.01", name="UD Pempek Bu Sari",
                                     owner_name="Ibu Sari", owner_phone="081234567890")
    candidate = DuplicateCandidate.objects.create(enterprise_a=sari, enterprise_b=twin,
                                                  score=0.96, agreed=["name", "owner_name"])
    log_in(page, personas.kab.username)
    page.locator(".mainnav a[href='/duplikat/']").click()
    expect(page.locator("main h1")).to_have_text("Calon duplikat")
    shot(page, "duplicate-queue")
    page.locator(f"a[href='/duplikat/{candidate.pk}/']").click()
    expect(page.locator("#comparison")).to_contain_text("UD Pempek Bu Sari")
    expect(page.locator("#comparison tr.agreed")).to_have_count(2)
    shot(page, "duplicate-compare")
    page.locator("#merge-button").click()
    expect(page).to_have_url(re.compile(rf"/usaha/{sari.pk}/$"))
    expect(page.locator(".message")).to_contain_text("Digabung ke Pempek Bu Sari")
    shot(page, "duplicate-merged")
    candidate.refresh_from_db()
    twin.refresh_from_db()
    assert candidate.status == CandidateStatus.MERGED
    assert twin.deleted_at is not None
    assert MergeRecord.objects.get().survivor == sari
    assert sari.reports.count() == 2
