"""The program and aid section of the indicators, through `naikkelas indicators --json`."""

import datetime
import io
import json

import pytest
from django.core.management import call_command

from naikkelas.core.testing import make_enterprise
from naikkelas.programs.models import ProgramType
from naikkelas.programs.tests.factories import (
    make_delivery, make_kub, make_participation, make_program, make_prospect,
)

pytestmark = pytest.mark.django_db


def indicators(kode: str, tahun: int) -> dict:
    out = io.StringIO()
    call_command("indicators", "--wilayah", kode, "--tahun", str(tahun), "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def programs(db):
    banyuasin, palembang = make_enterprise("16.07.01"), make_enterprise("16.71.01")
    bimtek = make_program("16.07", start_date=datetime.date(2024, 2, 1),
                          end_date=datetime.date(2024, 2, 3))
    make_participation(bimtek, banyuasin)
    make_participation(bimtek, make_kub("16.07.02"))
    wub = make_program("16", program_type=ProgramType.WUB, start_date=datetime.date(2024, 6, 1),
                       end_date=datetime.date(2024, 6, 5))
    make_participation(wub, make_prospect("16.07.01"))
    make_participation(wub, palembang)
    make_program("16.07", start_date=datetime.date(2023, 12, 31),
                 end_date=datetime.date(2024, 1, 2))  # started in 2023
    aid = make_program("", program_type=ProgramType.EQUIPMENT)
    make_delivery(aid, banyuasin, bast_date=datetime.date(2024, 3, 1),
                  items=[("Mesin jahit", 2, 3_000_000), ("Obras", 1, 2_500_000)])
    make_delivery(aid, banyuasin, bast_date=datetime.date(2024, 9, 1),
                  items=[("Oven", 1, 4_000_000)])
    make_delivery(aid, palembang, bast_date=datetime.date(2024, 5, 1),
                  items=[("Alat servis HP", 3, 1_000_000)])
    make_delivery(aid, palembang, bast_date=datetime.date(2023, 5, 1))


def test_section_for_a_kabupaten(programs):
    result = indicators("16.07", 2024)
    assert result["program"] == {"kegiatan": 1, "peserta": 3, "wub": 1}
    assert result["bantuan"] == {"penerima": 1, "nilai": 12_500_000}


def test_section_for_the_provinsi_and_nasional(programs):
    assert indicators("16", 2024)["program"] == {"kegiatan": 2, "peserta": 4, "wub": 2}
    assert indicators("16", 2024)["bantuan"] == {"penerima": 2, "nilai": 15_500_000}
    assert indicators("nasional", 2024)["program"]["kegiatan"] == 2  # the aid program began 2023


def test_section_of_another_year(programs):
    result = indicators("16.71", 2023)
    assert result["program"] == {"kegiatan": 0, "peserta": 0, "wub": 0}
    assert result["bantuan"] == {"penerima": 1, "nilai": 6_000_000}
