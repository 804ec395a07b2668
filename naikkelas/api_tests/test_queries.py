"""Query counts of the API: a page of enterprises with every year and class costs the same number
of queries for 10 or 30 enterprises, for 2 or 7 years each, and no more than it needs: the web
table's per-year figures and the latest-year query only when a class filter needs the year."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from naikkelas.api_tests.conftest import token_client
from naikkelas.core.testing import make_enterprise, make_report
from naikkelas.enterprises import serializers
from naikkelas.enterprises.tests.test_queries import add_enterprises

pytestmark = pytest.mark.django_db

LIST = "/api/v1/enterprises/"
# URL and the queries before the page's ids: the choices of a filter given (kecamatan, KBLI) and
# the latest year (a class filter without tahun). The token was read by the fixture's first
# request and is known to the process since.
LIST_URLS = {
    LIST: 0,
    f"{LIST}?page_size=100&ordering=-id": 0,
    f"{LIST}?q=Usaha&kecamatan=16.07.01&aturan=bps-tenaga-kerja&naik_kelas=ya": 2,
    f"{LIST}?tahun=2023&kelas=kecil&kbli=10": 1,
}


def page_queries(kept: bool) -> int:
    """The page's own queries: its ids, then on PostgreSQL the digests of its rows, which are
    all a page needs when every payload is kept. Else, inside the test's transaction (READ
    COMMITTED): its isolation, the missing ones' digests, rows, reports and classes, and their
    digests again, since each statement read its own snapshot. Elsewhere always the rows,
    reports and classes."""
    if connection.vendor != "postgresql":
        return 4
    return 2 if kept else 8


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


@pytest.mark.parametrize("url, expected", LIST_URLS.items())
def test_list_queries_do_not_grow_with_rows(kab, url, expected, django_assert_num_queries):
    add_enterprises(10)
    few = count_queries(kab, url)
    add_enterprises(20, start=10)
    many = count_queries(kab, url)
    assert few == many == expected + page_queries(kept=False), (
        f"{url}: {few} queries for 10 enterprises, {many} for 30")
    with django_assert_num_queries(expected + page_queries(kept=True)):
        kab.get(url)


def test_list_without_class_filter_reads_no_year_figures(kab):
    """The API shows every year: no per-year annotation, no join, no latest-year query."""
    add_enterprises(3)
    with CaptureQueriesContext(connection) as queries:
        assert kab.get(LIST).status_code == 200
    pages = [q["sql"].upper() for q in queries if 'FROM "enterprises_enterprise"' in q["sql"]]
    assert len(pages) == 2  # the page's ids, then their rows
    assert not any("JOIN" in sql or "SIZECLASSIFICATION" in sql for sql in pages)
    assert not any('ORDER BY "enterprises_annualreport"."year" DESC' in q["sql"]
                   for q in queries)


def test_page_two_costs_what_page_one_costs(kab):
    add_enterprises(30)
    first = kab.get(f"{LIST}?page_size=10").json()
    serializers.FRAGMENTS.clear()  # neither page's payloads kept
    assert count_queries(kab, first["next"]) == count_queries(kab, f"{LIST}?page_size=10")


def test_detail_queries_do_not_grow_with_years(kab, django_assert_max_num_queries):
    enterprise = make_enterprise("16.07.01")
    make_report(enterprise, 2020)
    url = f"{LIST}{enterprise.pk}/"
    few = count_queries(kab, url)
    for year in range(2021, 2027):
        make_report(enterprise, year, workers_male=year - 2015)
    assert count_queries(kab, url) == few
    with django_assert_max_num_queries(3):  # enterprise, reports, classes
        kab.get(url)


def test_unfiltered_list_skips_the_filterset_with_the_same_page(kab, monkeypatch):
    """Without filter parameters the FilterSet would hand back the scoped queryset as it is;
    the view skips building it, and the page is byte for byte the FilterSet's."""
    from naikkelas.enterprises.filters import EnterpriseFilter

    add_enterprises(12)
    make_enterprise("16.71.01", name="Kemplang Palembang")  # outside Banyuasin
    built = []
    original = EnterpriseFilter.__init__
    monkeypatch.setattr(EnterpriseFilter, "__init__",
                        lambda self, *a, **kw: built.append(1) or original(self, *a, **kw))
    plain = kab.get(f"{LIST}?page_size=5&ordering=-id")
    assert built == []
    through_filterset = kab.get(f"{LIST}?page_size=5&ordering=-id&aturan=permenperin-64-2016")
    assert built == [1]
    assert plain.json()["results"] == through_filterset.json()["results"]
    assert "Kemplang Palembang" not in plain.content.decode()
    assert len(plain.json()["results"]) == 5
