"""Open data: public, aggregates only, and no withheld cell of fewer than 3 enterprises can be
recovered from a published total and its published parts."""

import csv
import io
import random

import pytest
from django.test import Client
from django.urls import reverse

from naikkelas.core.testing import make_enterprise, make_report
from naikkelas.dashboard.opendata import HEADER, THRESHOLD, _groups, suppressed
from naikkelas.indicators.models import ALL_DIVISIONS, Rollup

pytestmark = pytest.mark.django_db
YEAR = 2024
KECAMATAN = ["16.07.01", "16.07.02", "16.71.01", "16.71.02", "63.71.01", "18.71.01"]
KBLI = ["10750", "13134", "14111", "31001", None]


@pytest.fixture
def registry(db) -> list:
    rng = random.Random(5)
    enterprises = []
    for n in range(45):
        enterprise = make_enterprise(rng.choice(KECAMATAN), kbli_id=rng.choice(KBLI),
                                     owner_name=f"Pemilik Rahasia {n}", owner_nik=f"16070145089{n:05d}",
                                     nib=f"12{n:011d}")
        make_report(enterprise, YEAR, workers_male=rng.randrange(1, 30),
                    investment=rng.randrange(10**7, 10**10), sales=rng.randrange(10**8, 10**11))
        enterprises.append(enterprise)
    return enterprises


def download(year: int = YEAR) -> list[dict]:
    response = Client().get(reverse("dashboard:open_data_csv", kwargs={"year": year}))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _key(row: dict) -> tuple[str, str]:
    division = "" if row["kbli_golongan_pokok"] == "semua" else row["kbli_golongan_pokok"]
    return row["kode_wilayah"], division


def test_public_without_login_and_aggregates_only(registry):
    response = Client().get(reverse("dashboard:open_data"))
    assert response.status_code == 200 and b"ikm-agregat-2024.csv" in response.content
    rows = download()
    text = repr(rows)
    assert list(rows[0]) == HEADER
    for enterprise in registry:
        for secret in (enterprise.name, enterprise.owner_name, enterprise.owner_nik,
                       enterprise.nib):
            assert secret not in text
    assert {row["tingkat"] for row in rows} == {"nasional", "provinsi", "kabupaten/kota"}


def test_no_published_cell_has_fewer_than_three_enterprises(registry):
    rows = download()
    published = [r for r in rows if r["disembunyikan"] == "tidak"]
    assert published and any(r["disembunyikan"] == "ya" for r in rows)
    assert all(int(r["jumlah_usaha"]) >= THRESHOLD for r in published)
    for row in rows:
        if row["disembunyikan"] == "ya":
            assert all(row[column] == "" for column in HEADER[6:])  # amounts withheld too


def test_a_withheld_cell_cannot_be_recovered_from_a_total_and_its_siblings(registry):
    rows = {_key(r): r for r in download()}
    true_counts = {(r.kode, r.kbli_division): r.jumlah_usaha for r in Rollup.objects.filter(
        tahun=YEAR, level__lte=2)}
    assert set(rows) == set(true_counts)
    hidden = {key for key, row in rows.items() if row["disembunyikan"] == "ya"}
    assert_safe(true_counts, hidden)


def assert_safe(counts: dict, hidden: set) -> None:
    """No equation total = sum(parts) with exactly one withheld cell; a published total's
    withheld parts hold at least THRESHOLD enterprises together."""
    for total, parts in _groups(counts):
        withheld = [p for p in parts if p in hidden]
        assert len(withheld) + (total in hidden) != 1, (total, withheld)
        if total not in hidden and withheld:
            assert sum(counts[p] for p in withheld) >= THRESHOLD, (total, withheld)


def test_published_totals_equal_the_rollups(registry):
    for row in download():
        if row["disembunyikan"] == "tidak":
            stored = Rollup.objects.get(kode=row["kode_wilayah"], tahun=YEAR,
                                        kbli_division=_key(row)[1])
            assert int(row["investasi"]) == stored.investasi
            assert int(row["omzet"]) == stored.omzet


@pytest.mark.parametrize("seed", range(20))
def test_suppression_holds_on_random_tables(seed):
    rng = random.Random(seed)
    counts = {}
    for kab in ("16.07", "16.71", "63.71"):
        for division in ("10", "13", "-"):
            counts[(kab, division)] = rng.choice([0, 1, 2, 3, 5, 8])
    for kode in ("16", "63"):
        for division in ("10", "13", "-"):
            counts[(kode, division)] = sum(v for (k, d), v in counts.items()
                                           if k.startswith(kode + ".") and d == division)
    for kode in ("", "16", "63", "16.07", "16.71", "63.71"):
        counts[(kode, ALL_DIVISIONS)] = sum(v for (k, d), v in counts.items()
                                            if k == kode and d != ALL_DIVISIONS)
    for division in ("10", "13", "-"):
        counts[("", division)] = sum(counts[(p, division)] for p in ("16", "63"))
    counts = {key: n for key, n in counts.items() if n}  # zero cells have no rollup row
    hidden = suppressed(counts)
    assert all(key in hidden for key, n in counts.items() if 0 < n < THRESHOLD)
    assert_safe(counts, hidden)


def test_unknown_year_is_404(db):
    assert Client().get(reverse("dashboard:open_data_csv", kwargs={"year": 1999})).status_code \
        == 404
