"""Query counts of the API: a page of enterprises with every year and class costs the same number
of queries for 10 or 30 enterprises, for 2 or 7 years each."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from naikkelas.api_tests.conftest import token_client
from naikkelas.core.testing import make_enterprise, make_report
from naikkelas.enterprises.tests.test_queries import add_enterprises

pytestmark = pytest.mark.django_db

LIST = "/api/v1/enterprises/"
LIST_URLS = [
    LIST,
    f"{LIST}?page_size=100&ordering=-id",
    f"{LIST}?q=Usaha&kecamatan=16.07.01&aturan=bps-tenaga-kerja&naik_kelas=ya",
    f"{LIST}?tahun=2023&kelas=kecil&kbli=10",
]


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    assert response.json().get("results", True), f"{url} shows no rows"
    return len(queries)


@pytest.fixture
def kab(personas):
    client = token_client(personas.kab)
    client.get("/api/v1/")  # the token's first use is recorded once; keep it out of the counts
    return client


@pytest.mark.parametrize("url", LIST_URLS)
def test_list_queries_do_not_grow_with_rows(kab, url, django_assert_max_num_queries):
    add_enterprises(10)
    few = count_queries(kab, url)
    add_enterprises(20, start=10)
    many = count_queries(kab, url)
    assert few == many, f"{url}: {few} queries for 10 enterprises, {many} for 30"
    # token, filter choices (wilayah, kecamatan, KBLI), latest year, page, reports, classes
    with django_assert_max_num_queries(8):
        kab.get(url)


def test_page_two_costs_what_page_one_costs(kab):
    add_enterprises(30)
    first = kab.get(f"{LIST}?page_size=10").json()
    assert count_queries(kab, first["next"]) == count_queries(kab, f"{LIST}?page_size=10")


def test_detail_queries_do_not_grow_with_years(kab, django_assert_max_num_queries):
    enterprise = make_enterprise("16.07.01")
    make_report(enterprise, 2020)
    url = f"{LIST}{enterprise.pk}/"
    few = count_queries(kab, url)
    for year in range(2021, 2027):
        make_report(enterprise, year, workers_male=year - 2015)
    assert count_queries(kab, url) == few
    with django_assert_max_num_queries(4):  # token, enterprise, reports, classes
        kab.get(url)
