"""Query counts of the programs lists, the program page and the API: they must not grow with the
number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from naikkelas.core.testing import make_enterprise
from naikkelas.programs.tests.conftest import make_region
from naikkelas.programs.tests.factories import (
    make_delivery, make_kub, make_participation, make_program, make_prospect,
)

pytestmark = pytest.mark.django_db


def grow(region, n: int) -> None:
    """n more programs, prospects, KUB groups, and participants and aid on the region's program."""
    for i in range(n):
        make_program("16.07", name=f"Tambahan {i}")
        prospect = make_prospect("16.07.02", nik=f"16070245089{i:05d}")
        make_kub("16.07.02", members=[prospect])
        enterprise = make_enterprise("16.07.02", kbli_id="10750")
        make_participation(region.program, enterprise)
        make_participation(region.program, prospect)
        make_delivery(region.program, enterprise)


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("name", ["programs:program_list", "programs:prospect_list",
                                  "programs:kub_list", "programs:program_detail",
                                  "api:program-list", "api:aiddelivery-list",
                                  "enterprises:enterprise_detail"])
def test_query_count_does_not_grow(name, personas, clients, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    region = make_region("16.07", "16.07.01", "1607014508900042", "Banyuasin")
    args = {"programs:program_detail": [region.program.pk],
            "enterprises:enterprise_detail": [region.enterprise.pk]}.get(name, [])
    url = reverse(name, args=args)
    if name == "enterprises:enterprise_detail":
        url += "?tab=linimasa"
    few = queries(clients["prov"], url)
    grow(region, 6)
    many = queries(clients["prov"], url)
    assert many == few, f"{name}: {few} queries with few rows, {many} with more"
    assert many <= 20
