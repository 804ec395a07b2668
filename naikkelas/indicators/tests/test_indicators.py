"""Indicators over a small registry whose every number was worked out by hand.

Figures per year as L/P workers, investment, modal, omzet (M = 10^9, jt = 10^6 rupiah); classes
of 2024 as permenperin, modal, omzet, bps, with ↑ for naik kelas and ↓ for a move down.

A 16.07.01 Banyuasin  2023 2/1, 500jt, 500jt, 1.5M  2024 4/2, 1.2M, 1.2M, 1.8M
                      menengah↑, kecil↑, mikro, kecil↑ (up under three rules, not omzet)
B 16.07.19 Banyuasin  2024 20/5, 16M, 12M, 60M      besar, besar, besar, sedang (no 2023)
C 16.07.01 Banyuasin  2023 8/2, 2M, 3M, 20M         2024 3/1, 2M, 3M, 3M
                      menengah, kecil, kecil↓, mikro↓
D 16.07.01 deleted    2023 1/0, 10jt each           2024 40/10, 20M, 20M, 90M: left out
E 16.07.01 Banyuasin  2023 and 2024 0/0, no amounts: -, -, -, mikro (the owner counts)
F 16.07.19 Banyuasin  2023 1/1, 10jt each; no 2024 report: not counted in 2024
G 16.71.15 Palembang  2023 2/0, 100jt each          2024 10/20, 3M, 6M, 16M
                      menengah↑, menengah↑, menengah↑, sedang↑
H 63.71.01 Banjarmasin 2023 3/2, 1M, 1M, 2M         2024 60/60, 10M, 11M, 51M
                      menengah (already in 2023), besar↑, besar↑, besar↑
"""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from naikkelas.core.testing import make_enterprise, make_report
from naikkelas.enterprises.services import restore_enterprise
from naikkelas.enterprises.sizeclass import RULE_IDS, RULES
from naikkelas.indicators.management.commands.indicators import (
    RULE_LABELS, TITLE, TOTAL_ROWS, format_number,
)
from naikkelas.indicators.services import compute_indicators
from naikkelas.wilayah.models import Wilayah

M = 1_000_000_000
JT = 1_000_000
PERMENPERIN, MODAL, OMZET, BPS = RULE_IDS
REQUIRED_KEYS = {"wilayah", "tahun", "jumlah_usaha", "tenaga_kerja", "investasi", "omzet",
                 "kelas", "naik_kelas"}


def figures(male: int, female: int, inv: int | None, modal: int | None,
            omzet: int | None) -> dict:
    return {"workers_male": male, "workers_female": female, "investment": inv,
            "working_capital": modal, "sales": omzet}


REGISTRY = {
    "A": ("16.07.01", False, {2023: figures(2, 1, 500 * JT, 500 * JT, 1_500 * JT),
                              2024: figures(4, 2, 1_200 * JT, 1_200 * JT, 1_800 * JT)}),
    "B": ("16.07.19", False, {2024: figures(20, 5, 16 * M, 12 * M, 60 * M)}),
    "C": ("16.07.01", False, {2023: figures(8, 2, 2 * M, 3 * M, 20 * M),
                              2024: figures(3, 1, 2 * M, 3 * M, 3 * M)}),
    "D": ("16.07.01", True, {2023: figures(1, 0, 10 * JT, 10 * JT, 10 * JT),
                             2024: figures(40, 10, 20 * M, 20 * M, 90 * M)}),
    "E": ("16.07.01", False, {2023: figures(0, 0, None, None, None),
                              2024: figures(0, 0, None, None, None)}),
    "F": ("16.07.19", False, {2023: figures(1, 1, 10 * JT, 10 * JT, 10 * JT)}),
    "G": ("16.71.15", False, {2023: figures(2, 0, 100 * JT, 100 * JT, 100 * JT),
                              2024: figures(10, 20, 3 * M, 6 * M, 16 * M)}),
    "H": ("63.71.01", False, {2023: figures(3, 2, 1 * M, 1 * M, 2 * M),
                              2024: figures(60, 60, 10 * M, 11 * M, 51 * M)}),
}


def build_registry() -> dict:
    """The registry of the module docstring; returns the enterprises by letter."""
    enterprises = {}
    for letter, (kecamatan, deleted, years) in REGISTRY.items():
        enterprise = make_enterprise(kecamatan, name=f"Usaha {letter}",
                                     deleted_at=timezone.now() if deleted else None)
        for year, numbers in years.items():
            make_report(enterprise, year, **numbers)
        enterprises[letter] = enterprise
    return enterprises


@pytest.fixture
def registry(db) -> dict:
    return build_registry()


def run_command(*args: str) -> str:
    out = StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


# --- compute_indicators -----------------------------------------------------------------------


def test_banyuasin_totals(registry):
    data = compute_indicators("16.07", 2024)
    assert data["wilayah"] == "16.07"
    assert data["tahun"] == 2024
    assert data["nama_wilayah"] == "Kabupaten Banyuasin"
    assert data["jumlah_usaha"] == 4  # A, B, C, E; not D (deleted), F (no 2024), G, H (elsewhere)
    assert data["tenaga_kerja"] == {"laki_laki": 27, "perempuan": 8, "total": 35}
    assert data["investasi"] == 19_200 * JT
    assert data["omzet"] == 64_800 * JT


def test_banyuasin_classes(registry):
    data = compute_indicators("16.07", 2024)
    assert data["kelas"] == {
        PERMENPERIN: {"kecil": 0, "menengah": 2, "besar": 1},
        MODAL: {"mikro": 0, "kecil": 2, "menengah": 0, "besar": 1},
        OMZET: {"mikro": 1, "kecil": 1, "menengah": 0, "besar": 1},
        BPS: {"mikro": 2, "kecil": 1, "sedang": 1, "besar": 0},
    }
    assert data["tanpa_data"] == {PERMENPERIN: 1, MODAL: 1, OMZET: 1, BPS: 0}


def test_banyuasin_naik_kelas(registry):
    """A moved up under three rules but not under omzet; B has no 2023; C moved down."""
    data = compute_indicators("16.07", 2024)
    assert data["naik_kelas"] == {PERMENPERIN: 1, MODAL: 1, OMZET: 0, BPS: 1}


def test_provinsi_sums_its_kabupaten_and_kota(registry):
    data = compute_indicators("16", 2024)
    assert data["jumlah_usaha"] == 5
    assert data["tenaga_kerja"] == {"laki_laki": 37, "perempuan": 28, "total": 65}
    assert data["investasi"] == 22_200 * JT
    assert data["omzet"] == 80_800 * JT
    assert data["kelas"][PERMENPERIN] == {"kecil": 0, "menengah": 3, "besar": 1}
    assert data["kelas"][BPS] == {"mikro": 2, "kecil": 1, "sedang": 2, "besar": 0}
    assert data["naik_kelas"] == {PERMENPERIN: 2, MODAL: 2, OMZET: 1, BPS: 2}


def test_nasional(registry):
    data = compute_indicators("", 2024)
    assert data["wilayah"] == ""
    assert data["jumlah_usaha"] == 6
    assert data["tenaga_kerja"] == {"laki_laki": 97, "perempuan": 88, "total": 185}
    assert data["investasi"] == 32_200 * JT
    assert data["omzet"] == 131_800 * JT
    assert data["kelas"][MODAL] == {"mikro": 0, "kecil": 2, "menengah": 1, "besar": 2}
    assert data["kelas"][OMZET] == {"mikro": 1, "kecil": 1, "menengah": 1, "besar": 2}
    # H stays menengah under Permenperin (1 M in 2023, 10 M with 120 workers in 2024).
    assert data["naik_kelas"] == {PERMENPERIN: 2, MODAL: 3, OMZET: 2, BPS: 3}


def test_kota_palembang_is_not_part_of_kabupaten_banyuasin(registry):
    data = compute_indicators("16.71", 2024)
    assert data["jumlah_usaha"] == 1
    assert data["tenaga_kerja"]["total"] == 30
    assert compute_indicators("16.07", 2024)["tenaga_kerja"]["total"] == 35


def test_other_province_sees_only_its_own(registry):
    data = compute_indicators("63", 2024)
    assert data["jumlah_usaha"] == 1
    assert data["investasi"] == 10 * M
    assert data["naik_kelas"] == {PERMENPERIN: 0, MODAL: 1, OMZET: 1, BPS: 1}


def test_kecamatan(registry):
    data = compute_indicators("16.07.01", 2024)
    assert data["jumlah_usaha"] == 3  # A, C, E
    assert data["tenaga_kerja"]["total"] == 10


def test_code_prefix_without_a_dot_is_not_a_child(db):
    """16.07 covers 16.07.xx, not a code that merely starts with the characters '16.07'."""
    Wilayah.objects.create(kode="16.0701", nama="Kecamatan rekaan", level=3, parent_id="16.07")
    make_report(make_enterprise("16.0701"), 2024, workers_male=99)
    make_report(make_enterprise("16.07.01"), 2024, workers_male=1)
    assert compute_indicators("16.07", 2024)["tenaga_kerja"]["laki_laki"] == 1


def test_first_year_counts_no_naik_kelas(registry):
    data = compute_indicators("16.07", 2023)
    assert data["jumlah_usaha"] == 4  # A, C, E, F
    assert data["naik_kelas"] == dict.fromkeys(RULE_IDS, 0)


def test_deleted_enterprise_is_left_out(registry, personas):
    restore_enterprise(registry["D"], actor=personas.admin)
    data = compute_indicators("16.07", 2024)
    assert data["jumlah_usaha"] == 5
    assert data["tenaga_kerja"]["total"] == 85
    assert data["naik_kelas"][BPS] == 2


def test_empty_wilayah_and_year_give_zeros_for_every_class(db):
    data = compute_indicators("16.07", 2024)
    assert data["jumlah_usaha"] == 0
    assert data["tenaga_kerja"] == {"laki_laki": 0, "perempuan": 0, "total": 0}
    assert data["investasi"] == data["omzet"] == 0
    assert data["kelas"] == {rule.id: dict.fromkeys(rule.classes, 0) for rule in RULES.values()}
    assert data["naik_kelas"] == dict.fromkeys(RULE_IDS, 0)


def test_classes_are_listed_smallest_first_with_rule_metadata(registry):
    data = compute_indicators("16.07", 2024)
    for rule in RULES.values():
        assert list(data["kelas"][rule.id]) == list(rule.classes)
        assert data["rules"][rule.id]["source"] == rule.source
        assert data["rules"][rule.id]["name"] == rule.name


def test_result_is_json_serialisable(registry):
    data = compute_indicators("16", 2024)
    assert json.loads(json.dumps(data)) == data


def test_query_count_does_not_grow_with_the_registry(db, django_assert_max_num_queries):
    for i in range(30):
        enterprise = make_enterprise("16.07.01" if i % 2 else "16.71.15")
        make_report(enterprise, 2023, workers_male=i)
        make_report(enterprise, 2024, workers_male=i + 3)
    # three for the registry, five for the programs section (kegiatan, peserta, wub, penerima, nilai)
    with django_assert_max_num_queries(8):
        data = compute_indicators("16", 2024)
    assert data["jumlah_usaha"] == 30


# --- the command ------------------------------------------------------------------------------


def test_command_json_has_the_required_keys(registry):
    data = json.loads(run_command("--wilayah", "16.07", "--tahun", "2024", "--json"))
    assert REQUIRED_KEYS <= set(data)
    assert set(data["kelas"]) == set(data["naik_kelas"]) == set(RULE_IDS)
    assert data["jumlah_usaha"] == 4
    assert data == compute_indicators("16.07", 2024)


def test_command_json_keeps_non_ascii_readable(registry):
    Wilayah.objects.filter(kode="16.07").update(nama="Kabupaten Banyuasin – uji")
    assert "Banyuasin – uji" in run_command("--wilayah", "16.07", "--tahun", "2024", "--json")


def test_command_nasional(registry):
    for value in ("nasional", "Nasional", ""):
        data = json.loads(run_command("--wilayah", value, "--tahun", "2024", "--json"))
        assert data["wilayah"] == "" and data["jumlah_usaha"] == 6


def test_command_table(registry):
    with translation.override("en"):
        out = run_command("--wilayah", "16.07", "--tahun", "2024")
    assert "Kabupaten Banyuasin (16.07), year 2024" in out
    assert "19.200.000.000" in out and "64.800.000.000" in out
    for rule in RULES.values():
        assert rule.name in out


def test_command_refuses_wilayah_outside_the_users_scope(registry, personas):
    with pytest.raises(CommandError, match="op_kalsel"):
        run_command("--wilayah", "16.07", "--tahun", "2024", "--user", "op_kalsel")
    with pytest.raises(CommandError):
        run_command("--wilayah", "nasional", "--tahun", "2024", "--user", "op_banyuasin")
    with pytest.raises(CommandError):
        run_command("--wilayah", "16.71", "--tahun", "2024", "--user", "pimpinan_banyuasin")


def test_command_runs_inside_the_users_scope(registry, personas):
    data = json.loads(run_command("--wilayah", "16.07.01", "--tahun", "2024", "--json",
                                  "--user", "op_sumsel"))
    assert data["jumlah_usaha"] == 3
    data = json.loads(run_command("--tahun", "2024", "--json", "--user", "op_banyuasin"))
    assert data["wilayah"] == "16.07"


def test_command_without_user_runs_as_the_system(registry):
    data = json.loads(run_command("--tahun", "2024", "--json"))
    assert data["wilayah"] == "" and data["jumlah_usaha"] == 6


def test_command_refuses_unknown_or_inactive_user(registry, personas):
    with pytest.raises(CommandError, match="nobody"):
        run_command("--tahun", "2024", "--user", "nobody")
    personas.kab.is_active = False
    personas.kab.save()
    with pytest.raises(CommandError, match="op_banyuasin"):
        run_command("--tahun", "2024", "--user", "op_banyuasin")


@pytest.mark.parametrize("kode", ["16.7", "1607", "16.07.", "abc", "16.07.01.2001"])
def test_command_refuses_malformed_or_desa_codes(db, kode):
    with pytest.raises(CommandError, match=kode.replace(".", r"\.")):
        run_command("--wilayah", kode, "--tahun", "2024")


def test_command_refuses_unknown_wilayah(db):
    with pytest.raises(CommandError, match=r"16\.99"):
        run_command("--wilayah", "16.99", "--tahun", "2024")


@pytest.mark.parametrize("tahun", ["1899", "2101", "dua ribu", "20.24"])
def test_command_refuses_bad_year(db, tahun):
    with pytest.raises(CommandError, match="--tahun"):
        run_command("--wilayah", "16.07", "--tahun", tahun)


@pytest.mark.parametrize("tahun", ["1900", "2100"])
def test_command_accepts_the_year_bounds(db, tahun):
    assert json.loads(run_command("--tahun", tahun, "--json"))["tahun"] == int(tahun)


def test_format_number_groups_thousands_with_dots():
    assert format_number(0) == "0"
    assert format_number(1_500_000) == "1.500.000"
