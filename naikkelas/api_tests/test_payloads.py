"""The enterprise payloads are written from plain rows (serializers.RowWriter), not by the
serializers; byte for byte they must be what EnterpriseSerializer renders, for every kind of
value (nulls, decimals, masked personal data, years without some figures)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db.models import Prefetch
from rest_framework.renderers import JSONRenderer

from naikkelas.api_tests.conftest import token_client
from naikkelas.core.testing import make_enterprise, make_report
from naikkelas.enterprises.models import AnnualReport, Enterprise
from naikkelas.enterprises.serializers import EnterpriseSerializer
from naikkelas.kbli.models import Kbli

pytestmark = pytest.mark.django_db

LIST = "/api/v1/enterprises/"


def varied_enterprises() -> list[Enterprise]:
    """Enterprises whose fields take every shape a payload can carry."""
    Kbli.objects.get_or_create(kode="10750", defaults={"judul": "Kerupuk"})
    full = make_enterprise("16.07.01", name="Kerupuk “Sungsang” ✓", nib="1607000000123",
                           owner_nik="1607014508900042", owner_phone="081234565678",
                           owner_gender="P", desa_id=None, kbli_id="10750",
                           latitude=Decimal("-2.912345"), longitude=Decimal("104.750001"),
                           founded_year=2015, legal_form="ud", npwp="0123456789012345")
    make_report(full, 2022, capacity=Decimal("1500.50"), capacity_unit="kg",
                production_value=900_000_000, raw_material_value=0, source="pendataan")
    make_report(full, 2023, workers_male=9, workers_female=4, investment=2_000_000_000)
    make_report(full, 2025, investment=None, working_capital=None, sales=None)
    bare = make_enterprise("16.07.02", name="Anyaman", owner_phone="0812345")
    no_years = make_enterprise("16.07.03", name="Tanpa data", status="tutup")
    return [full, bare, no_years]


def rendered_by_serializer(user, enterprises: list[Enterprise]) -> list[dict]:
    fresh = Enterprise.objects.filter(pk__in=[e.pk for e in enterprises]).order_by("id")
    fresh = fresh.prefetch_related(Prefetch("reports", queryset=AnnualReport.objects.order_by(
        "year").prefetch_related("classifications")))
    return EnterpriseSerializer(fresh, many=True,
                                context={"request": SimpleNamespace(user=user)}).data


@pytest.mark.parametrize("persona", ["kab", "pimpinan"])  # personal data shown, and masked
def test_list_and_detail_bytes_are_the_serializers(personas, persona):
    user = getattr(personas, persona)
    enterprises = varied_enterprises()
    expected = rendered_by_serializer(user, enterprises)
    client = token_client(user)
    page = {"next": None, "previous": None, "results": expected}
    assert client.get(LIST).content == JSONRenderer().render(page)
    for enterprise, payload in zip(enterprises, expected, strict=True):
        body = client.get(f"{LIST}{enterprise.pk}/").content
        assert body == JSONRenderer().render(payload)
    assert ("••" in expected[0]["owner_nik"]) == (persona == "pimpinan")


def test_created_enterprise_answers_with_the_serializers_bytes(personas):
    client = token_client(personas.kab)
    response = client.post(LIST, {"name": "Dodol", "owner_name": "Siti", "kecamatan": "16.07.01",
                                  "reports": [{"year": 2024, "sales": "Rp 1.500.000"}]},
                           format="json")
    assert response.status_code == 201, response.content
    created = Enterprise.objects.get(pk=response.json()["id"])
    expected = rendered_by_serializer(personas.kab, [created])[0]
    assert response.content == JSONRenderer().render(expected)
