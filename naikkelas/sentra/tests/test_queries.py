"""Query counts of the sentra list, counts page, detail and API: they must not grow with rows."""

import pytest
from django.test import Client
from django.urls import reverse

from naikkelas.core.testing import make_enterprise
from naikkelas.enterprises.tests.test_queries import count_queries
from naikkelas.sentra.testing import add_member, add_parts, make_sentra

pytestmark = pytest.mark.django_db
KECAMATAN = ["16.07.01", "16.07.02", "16.07.03"]


def add_sentra(count: int) -> None:
    for n in range(count):
        sentra = make_sentra(KECAMATAN[n % 3], ["usulan", "terbentuk", "ditetapkan"][n % 3],
                             name=f"Sentra Q{n}")
        for _ in range(2):
            add_member(sentra, make_enterprise(KECAMATAN[n % 3], kbli_id="10750"))
        add_parts(sentra)


@pytest.fixture
def kab(personas) -> Client:
    client = Client()
    client.force_login(personas.kab)
    return client


@pytest.mark.parametrize("url", [reverse("sentra:sentra_list"),
                                 reverse("sentra:sentra_list") + "?flagged=ya&status=terbentuk",
                                 reverse("sentra:sentra_counts"),
                                 reverse("api:sentra-list")])
def test_list_queries_do_not_grow_with_sentra(kab, url):
    add_sentra(3)
    few = count_queries(kab, url)
    add_sentra(12)
    assert count_queries(kab, url) == few
    assert few <= 12


def test_detail_queries_do_not_grow_with_members_or_history(kab, personas):
    sentra = make_sentra()
    add_member(sentra, make_enterprise())
    url = sentra.get_absolute_url()
    few = count_queries(kab, url)
    for _ in range(10):
        add_member(sentra, make_enterprise())
    add_parts(sentra)
    add_parts(sentra)
    assert count_queries(kab, url) == few
