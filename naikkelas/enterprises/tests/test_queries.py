"""Query counts of the registry pages and the home page: they must not grow with the data.

Each page is measured twice, with few and with many rows behind it; the counts must be equal, and
below a bound that catches a page which starts to run a query per row of a 25-row page.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from naikkelas.core.testing import make_enterprise, make_report
from naikkelas.enterprises import services
from naikkelas.kbli.models import Kbli

pytestmark = pytest.mark.django_db

KECAMATAN = ["16.07.01", "16.07.02", "16.07.03"]
KBLI = ["10750", "13134", "16292"]


def add_enterprises(count: int, start: int = 0) -> None:
    """Enterprises spread over kecamatan and KBLI codes, each with figures for 2023 and 2024."""
    for code in KBLI:
        Kbli.objects.get_or_create(kode=code, defaults={"judul": f"KBLI {code}"})
    for n in range(start, start + count):
        enterprise = make_enterprise(KECAMATAN[n % 3], kbli_id=KBLI[n % 3],
                                     nib=f"1607{n:09d}")
        make_report(enterprise, 2023, workers_male=1 + n % 5)
        make_report(enterprise, 2024, workers_male=2 + n % 20, investment=10_000_000 * n)


def count_queries(client: Client, url: str, **headers) -> int:
    """Queries of one page view; the page must show rows, or an empty page would count fewer."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    if response.context and "table" in response.context:
        assert response.context["table"].page.object_list, f"{url} shows no rows"
    return len(queries)


@pytest.fixture
def kab(personas) -> Client:
    client = Client()
    client.force_login(personas.kab)
    return client


@pytest.fixture
def prov(personas) -> Client:
    client = Client()
    client.force_login(personas.prov)
    return client


LIST = reverse("enterprises:enterprise_list")
LIST_URLS = [
    LIST,
    f"{LIST}?sort=-tenaga_kerja&aturan=bps-tenaga-kerja",
    f"{LIST}?q=Usaha&kecamatan=16.07.01&aturan=bps-tenaga-kerja&naik_kelas=ya",
    f"{LIST}?tahun=2023&kelas=kecil",
]


@pytest.mark.parametrize("url", LIST_URLS)
def test_list_queries_do_not_grow_with_rows(kab, url, django_assert_max_num_queries):
    add_enterprises(10)
    few = count_queries(kab, url)
    add_enterprises(20, start=10)
    many = count_queries(kab, url)
    assert few == many, f"{url}: {few} queries for 10 enterprises, {many} for 30"
    # session, user, 2x wilayah label, filter choices (wilayah, kecamatan, KBLI), latest year,
    # count, page
    with django_assert_max_num_queries(10):
        kab.get(url)


def test_list_htmx_partial_and_page_2(kab, django_assert_max_num_queries):
    add_enterprises(30)
    with django_assert_max_num_queries(10):
        assert kab.get(f"{LIST}?page=2", headers={"HX-Request": "true"}).status_code == 200


def test_export_queries_do_not_grow_with_rows(kab, django_assert_max_num_queries):
    url = reverse("enterprises:enterprise_export")
    add_enterprises(10)
    few = count_queries(kab, url)
    add_enterprises(20, start=10)
    assert count_queries(kab, url) == few
    with django_assert_max_num_queries(8):  # rows come from one streamed query
        response = kab.get(url)
        b"".join(response.streaming_content)


@pytest.mark.parametrize("tab, bound", [("profil", 4), ("data", 6), ("riwayat", 5)])
def test_detail_tab_queries_do_not_grow_with_years_or_history(
        personas, kab, tab, bound, django_assert_max_num_queries):
    enterprise = make_enterprise("16.07.01", kbli_id=None, nib="1607000000001")
    url = f"{enterprise.get_absolute_url()}?tab={tab}"
    for year in (2020, 2021):
        services.save_annual_report(enterprise, actor=personas.kab, year=year,
                                    figures={"workers_male": year - 2015})
    few = count_queries(kab, url)
    for year in range(2022, 2027):
        services.save_annual_report(enterprise, actor=personas.kab, year=year,
                                    figures={"workers_male": year - 2015, "sales": 10 ** 9})
    services.update_enterprise(enterprise, actor=personas.kab, changes={"products": "kerupuk"})
    assert count_queries(kab, url) == few
    with django_assert_max_num_queries(bound):
        kab.get(url)
    with django_assert_max_num_queries(bound):
        kab.get(url, headers={"HX-Request": "true"})


HOME = reverse("dashboard:home")


@pytest.mark.parametrize("query", ["", "?tahun=2023"])
def test_home_queries_do_not_grow_with_enterprises(prov, query, django_assert_max_num_queries):
    add_enterprises(10)
    few = count_queries(prov, HOME + query)
    add_enterprises(20, start=10)
    assert count_queries(prov, HOME + query) == few
    # session, user, years, label, trail; compute_indicators' three and the programs
    # section's five; the series (2), the child wilayah (3) and the KBLI divisions (3): all from
    # the rollups
    with django_assert_max_num_queries(22):
        prov.get(HOME + query)


def test_home_without_data_is_cheap(kab, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert kab.get(HOME).status_code == 200
