"""`?ordering=` on the lists of sentra, certificates, loans and lender reports, walked page by
page through the cursor; and the aid deliveries of one program."""

import datetime
import pytest
import yaml
from django.conf import settings

from naikkelas.api_tests.conftest import token_client
from naikkelas.certifications.models import Certificate
from naikkelas.core.testing import make_enterprise
from naikkelas.financing.models import LenderReport, Loan
from naikkelas.kbli.models import Kbli
from naikkelas.programs.tests.factories import make_delivery, make_program
from naikkelas.sentra.testing import make_sentra

pytestmark = pytest.mark.django_db

# Out of id order, two on one day: the cursor must keep rows of a date in one order.
DATES = [datetime.date(2024, 3, 1), datetime.date(2023, 1, 5), datetime.date(2024, 3, 1),
         datetime.date(2022, 7, 9), datetime.date(2024, 3, 1)]


def _certificate(day: datetime.date, n: int) -> Certificate:
    return Certificate.objects.create(enterprise=make_enterprise("16.07.01"), type="halal",
                                      number=f"ID-{n}", issued_on=day)


def _loan(day: datetime.date, n: int) -> Loan:
    return Loan.objects.create(enterprise=make_enterprise("16.07.01"), lender=f"Bank {n}",
                               scheme="non_kur", plafon=10_000_000, akad_date=day,
                               tenor_months=12, rate=10)


def _lender_report(day: datetime.date, n: int) -> LenderReport:
    return LenderReport.objects.create(lender=f"Bank {n}", kabkota_id="16.07",
                                       period_start=day - datetime.timedelta(days=30),
                                       period_end=day, disbursed=1_000_000)


def _sentra(day: datetime.date, n: int):
    Kbli.objects.get_or_create(kode="10750", defaults={"judul": "KBLI 10750"})
    return make_sentra("16.07.01", name=f"Sentra {n}")


ENDPOINTS = {
    "/api/v1/certificates/": (_certificate, "issued_on"),
    "/api/v1/loans/": (_loan, "akad_date"),
    "/api/v1/lender-reports/": (_lender_report, "period_end"),
    "/api/v1/sentra/": (_sentra, None),
}


def _walk(client, url: str, ordering: str) -> list[int]:
    """Every id of the list, two a page, following `next`."""
    ids, page = [], client.get(url, {"ordering": ordering, "page_size": 2})
    while True:
        assert page.status_code == 200, page.content
        body = page.json()
        ids += [row["id"] for row in body["results"]]
        if not body["next"]:
            return ids
        page = client.get(body["next"])


@pytest.mark.parametrize("url", ENDPOINTS)
def test_lists_order_by_their_key_and_date(personas, url):
    make, date_field = ENDPOINTS[url]
    records = [make(day, n) for n, day in enumerate(DATES)]
    client = token_client(personas.kab)
    ids = [r.pk for r in records]
    assert _walk(client, url, "id") == sorted(ids)
    assert _walk(client, url, "-id") == sorted(ids, reverse=True)
    if date_field is None:
        return
    by_date = sorted(records, key=lambda r: (getattr(r, date_field), r.pk))
    assert _walk(client, url, date_field) == [r.pk for r in by_date]
    assert _walk(client, url, f"-{date_field}") == [r.pk for r in reversed(by_date)]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_ordering_is_in_the_schema(url):
    schema = yaml.safe_load((settings.PROJECT_DIR / "openapi.yaml").read_text(encoding="utf-8"))
    names = [p["name"] for p in schema["paths"][url]["get"]["parameters"]]
    assert "ordering" in names


# --- aid deliveries of one program -----------------------------------------------------------

@pytest.fixture
def deliveries(personas) -> tuple:
    """Two programs of Banyuasin (two deliveries and one), one of Banjarmasin."""
    enterprise = make_enterprise("16.07.01")
    ours, theirs = make_program("16.07"), make_program("16.07")
    elsewhere = make_program("63.71")
    made = {"ours": [make_delivery(ours, enterprise), make_delivery(ours, enterprise)],
            "theirs": [make_delivery(theirs, enterprise)]}
    return ours, elsewhere, made


def test_aid_deliveries_filter_by_program(personas, deliveries):
    ours, _elsewhere, made = deliveries
    client = token_client(personas.kab)
    response = client.get("/api/v1/aid-deliveries/", {"program": ours.pk})
    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["results"]] == [d.pk for d in made["ours"]]
    assert len(client.get("/api/v1/aid-deliveries/").json()["results"]) == 3


def test_a_program_elsewhere_is_refused_as_one_that_does_not_exist(personas, deliveries):
    _ours, elsewhere, _made = deliveries
    client = token_client(personas.kab)
    foreign = client.get("/api/v1/aid-deliveries/", {"program": elsewhere.pk})
    missing = client.get("/api/v1/aid-deliveries/", {"program": 10**9})
    assert foreign.status_code == missing.status_code == 400
    assert list(foreign.json()) == ["program"]
    assert foreign.json()["program"] == [message.replace(str(10**9), str(elsewhere.pk))
                                         for message in missing.json()["program"]]
    assert client.get("/api/v1/aid-deliveries/", {"program": "abc"}).status_code == 400


def test_program_filter_is_in_the_schema():
    schema = yaml.safe_load((settings.PROJECT_DIR / "openapi.yaml").read_text(encoding="utf-8"))
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/aid-deliveries/"]["get"]
                  ["parameters"]}
    assert parameters["program"]["schema"]["type"] == "number"
