"""The KBLI 2020 entries that ship with the project and are loaded at migrate time."""

import csv
from pathlib import Path

import pytest

import naikkelas
from naikkelas.kbli.data import COMMON_IKM_CODES, MORE_IKM_CODES, SHIPPED
from naikkelas.kbli.loaders import parent_of, read_kbli_file
from naikkelas.kbli.models import Kbli, Level, level_of

REFERENCE = Path(naikkelas.__file__).resolve().parents[2] / "shared" / "reference"
KBLI_2020 = REFERENCE / "kbli2020.csv"


@pytest.mark.django_db
def test_kategori_c_and_its_24_golongan_pokok_exist():
    assert Kbli.objects.get(kode="C").judul == "INDUSTRI PENGOLAHAN"
    divisions = Kbli.objects.filter(level=Level.GOLONGAN_POKOK)
    assert sorted(divisions.values_list("kode", flat=True)) == [str(n) for n in range(10, 34)]
    assert all(d.division == d.kode for d in divisions)


@pytest.mark.django_db
@pytest.mark.parametrize("kode", COMMON_IKM_CODES + MORE_IKM_CODES)
def test_common_ikm_code_is_selectable_with_all_its_parents(kode):
    assert Kbli.objects.selectable().filter(kode=kode, division=kode[:2]).exists()
    chain = [kode[:4], kode[:3], kode[:2], "C"]
    assert Kbli.objects.filter(kode__in=chain).count() == 4


@pytest.mark.django_db
def test_migrated_rows_are_the_shipped_data_with_level_and_division_as_save_sets_them():
    stored = {kode: rest for kode, *rest in Kbli.objects.values_list("kode", "judul", "level",
                                                                    "division")}
    expected = {kode: [judul, level_of(kode), "" if kode.isalpha() else kode[:2]]
                for kode, judul in SHIPPED}
    assert stored == expected


def test_shipped_data_passes_the_file_checks_on_its_own(tmp_path):
    path = tmp_path / "shipped.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([("kode", "judul"), *SHIPPED])
    checked = read_kbli_file(path, known=())
    assert checked.warnings == []
    assert all(parent_of(kode) in dict(SHIPPED) for kode, _judul in SHIPPED if kode != "C")


def test_shipped_titles_are_those_of_the_reference_file():
    if not KBLI_2020.exists():
        pytest.skip(f"reference file {KBLI_2020} is not on this machine")
    with KBLI_2020.open(encoding="utf-8-sig", newline="") as f:
        reference = {}
        for kode, judul, _uraian in list(csv.reader(f))[1:]:
            reference.setdefault(kode, judul)
    assert {kode: reference.get(kode) for kode, _judul in SHIPPED} == dict(SHIPPED)
