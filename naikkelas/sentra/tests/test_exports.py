"""The sentra list and the counts per wilayah as .xlsx and .csv: the filtered rows, typed, only
in the user's wilayah."""

import datetime

import pytest

from naikkelas.core.testing import client_for, make_enterprise
from naikkelas.core.tests.test_exports import export_queries, exported
from naikkelas.kbli.models import Kbli
from naikkelas.sentra.models import SentraStatus
from naikkelas.sentra.testing import SK_DATE, add_member, make_sentra

pytestmark = pytest.mark.django_db


@pytest.fixture
def sentra(db) -> None:
    Kbli.objects.get_or_create(kode="10750", defaults={"judul": "Industri makanan"})
    songket = make_sentra("16.07.01", SentraStatus.DITETAPKAN, name="Sentra Songket")
    for _ in range(2):
        add_member(songket, make_enterprise("16.07.01", products="pempek"))
    make_sentra("16.07.02", name="Sentra Kopi")
    make_sentra("16.71.01", SentraStatus.TERBENTUK, name="Sentra Pempek Palembang")
    make_sentra("63.71.01", SentraStatus.DITETAPKAN, name="Sentra Sasirangan")


def test_sentra_list_exports_the_filtered_rows_typed(personas, sentra):
    xlsx, text = exported(client_for(personas.kab), "sentra:sentra_list_export",
                          {"status": "ditetapkan"})
    assert [row["Sentra"] for row in xlsx] == ["Sentra Songket"]  # not Kopi, not Banjarmasin's
    row = xlsx[0]
    assert row["Anggota"] == 2 and row["Tanggal SK"] == datetime.datetime.combine(
        SK_DATE, datetime.time())
    assert row["Kurang dari 5 anggota sejenis"] == "ya" and row["Kode kecamatan"] == "16.07.01"
    assert text[0]["Tanggal SK"] == SK_DATE.isoformat() and text[0]["Anggota"] == "2"


def test_sentra_counts_export_per_wilayah_with_the_total(personas, sentra):
    xlsx, text = exported(client_for(personas.prov), "sentra:sentra_counts_export")
    assert [(r["Kode wilayah"], r["Semua"], r["Usulan"], r["Terbentuk"], r["Ber-SK"])
            for r in xlsx] == [("16.07", 2, 1, 1, 1), ("16.71", 1, 0, 1, 0), (None, 3, 1, 2, 1)]
    assert xlsx[-1]["Wilayah"] == "Jumlah" and text[0]["Wilayah"] == "Kabupaten Banyuasin"
    xlsx, _text = exported(client_for(personas.other), "sentra:sentra_counts_export")
    assert [r["Kode wilayah"] for r in xlsx] == ["63.71", None]


def test_export_queries_do_not_grow_with_rows(personas, sentra):
    client = client_for(personas.prov)
    before = [export_queries(client, name)
              for name in ("sentra:sentra_list_export", "sentra:sentra_counts_export")]
    make_sentra("16.71.02", name="Sentra Kain")
    make_sentra("16.07.03", SentraStatus.TERBENTUK, name="Sentra Rotan")
    assert [export_queries(client, name)
            for name in ("sentra:sentra_list_export", "sentra:sentra_counts_export")] == before
