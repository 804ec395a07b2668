"""The program, prospect and KUB lists as .xlsx and .csv: the filtered rows, typed, only in the
user's wilayah; a prospect's NIK and phone masked for a role that may not see them."""

import datetime

import pytest

from naikkelas.core.testing import client_for, make_enterprise
from naikkelas.core.tests.test_exports import export_queries, exported
from naikkelas.programs.models import ProgramType
from naikkelas.programs.tests.factories import (
    make_delivery, make_kub, make_participation, make_program, make_prospect,
)

pytestmark = pytest.mark.django_db
NIK, PHONE = "1607014508900042", "081299990000"


def test_program_list_exports_the_filtered_programs_typed(personas):
    aid = make_program("16.07", name="Mesin Banyuasin", program_type=ProgramType.EQUIPMENT,
                       pagu=250_000_000, realisasi=240_000_000)
    make_participation(aid, make_enterprise("16.07.01"))
    make_delivery(aid, make_enterprise("16.07.01"))
    make_program("16.07", name="Bimtek Banyuasin")
    make_program("63.71", name="Mesin Banjarmasin", program_type=ProgramType.EQUIPMENT)
    xlsx, text = exported(client_for(personas.kab), "programs:program_list_export",
                          {"program_type": "peralatan"})
    assert [row["Program"] for row in xlsx] == ["Mesin Banyuasin"]
    row = xlsx[0]
    assert row["ID program"] == aid.pk and row["Pagu (Rp)"] == 250_000_000
    assert row["Realisasi (Rp)"] == 240_000_000 and row["Mulai"] == datetime.datetime(2023, 5, 1)
    assert row["Peserta"] == 1 and row["Penyerahan bantuan"] == 1
    assert text[0]["Mulai"] == "2023-05-01" and text[0]["Wilayah"] == "16.07"


@pytest.mark.parametrize("persona, nik, phone", [
    ("kab", NIK, PHONE), ("pimpinan", "160701••••••0042", "0812••••0000")])
def test_prospects_export_with_nik_and_phone_masked_by_role(personas, persona, nik, phone):
    make_prospect("16.07.01", nik=NIK, name="Calon Sari", phone=PHONE, business_idea="Kopi")
    make_prospect("16.07.02", name="Calon Budi")
    make_prospect("63.71.01", nik="6371010101700042", name="Calon Sari Banjar")
    xlsx, text = exported(client_for(getattr(personas, persona)),
                          "programs:prospect_list_export", {"q": "sari"})
    assert [row["Nama"] for row in xlsx] == ["Calon Sari"]  # not Budi, not Banjarmasin's
    for row in (xlsx[0], text[0]):
        assert row["NIK"] == nik and row["Nomor telepon"] == phone
    assert xlsx[0]["Rencana usaha / produk"] == "Kopi"


def test_kub_list_exports_the_filtered_groups_in_scope(personas):
    make_kub("16.07.01", members=[make_enterprise("16.07.01"), make_prospect("16.07.01")],
             name="KUB Songket", chair="Ibu Ani")
    make_kub("16.07.02", name="KUB Kopi")
    make_kub("63.71.01", name="KUB Songket Banjar")
    xlsx, text = exported(client_for(personas.kab), "programs:kub_list_export",
                          {"q": "songket"})
    assert [(row["KUB"], row["Anggota"], row["Ketua"]) for row in xlsx] == [
        ("KUB Songket", 2, "Ibu Ani")]
    assert [row["Kode kecamatan"] for row in text] == ["16.07.01"]
    xlsx, _text = exported(client_for(personas.other), "programs:kub_list_export")
    assert [row["KUB"] for row in xlsx] == ["KUB Songket Banjar"]


def test_export_queries_do_not_grow_with_rows(personas):
    client = client_for(personas.kab)
    make_program("16.07")
    make_prospect("16.07.01", enterprise=make_enterprise("16.07.01"))
    make_kub("16.07.01", members=[make_enterprise("16.07.01")])
    names = ["programs:program_list_export", "programs:prospect_list_export",
             "programs:kub_list_export"]
    before = [export_queries(client, name) for name in names]
    for _ in range(2):
        make_participation(make_program("16.07"), make_enterprise("16.07.01"))
        make_prospect("16.07.02", enterprise=make_enterprise("16.07.02"))
        make_kub("16.07.02", members=[make_enterprise("16.07.02")])
    assert [export_queries(client, name) for name in names] == before
