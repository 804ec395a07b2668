"""The sentra section of the indicators, through `naikkelas indicators --json`."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command

from naikkelas.sentra.testing import make_sentra

pytestmark = pytest.mark.django_db


def indicators(kode: str, tahun: int) -> dict:
    out = StringIO()
    call_command("indicators", wilayah=kode, tahun=str(tahun), as_json=True, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def lampung(db) -> None:
    """Lampung: 4 designated (SK 2022, 2023, 2023, 2024), 2 only formed (2021, 2024), 1 usulan;
    one designated sentra in Banyuasin."""
    for n, (sk_year, formed) in enumerate([(2022, 2021), (2023, 2022), (2023, 2023),
                                           (2024, 2024)]):
        make_sentra("18.71.03", "ditetapkan", formed_on=datetime.date(formed, 1, 1),
                    sk_date=datetime.date(sk_year, 6, 1), name=f"L{n}")
    make_sentra("18.04.04", "terbentuk", formed_on=datetime.date(2021, 5, 1))
    make_sentra("18.71.03", "terbentuk", formed_on=datetime.date(2024, 12, 31))
    make_sentra("18.71.03", "usulan")
    make_sentra("16.07.01", "ditetapkan")


@pytest.mark.parametrize("kode, tahun, terbentuk, ber_sk", [
    ("18", 2024, 6, 4),
    ("18", 2023, 4, 3),     # formed by end 2023: 2021, 2022, 2023 designated + 2021 formed
    ("18", 2021, 2, 0),
    ("18.71", 2024, 5, 4),
    ("18.04", 2024, 1, 0),
    ("16", 2024, 1, 1),
    ("nasional", 2024, 7, 5),
    ("63", 2024, 0, 0),
])
def test_terbentuk_and_ber_sk_per_wilayah_and_year(lampung, kode, tahun, terbentuk, ber_sk):
    assert indicators(kode, tahun)["sentra"] == {"terbentuk": terbentuk, "ber_sk": ber_sk}
