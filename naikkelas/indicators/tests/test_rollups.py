"""The stored rollups always equal a direct count on the base tables.

A random registry (fixed seeds) over several provinsi, kab/kota, kecamatan, KBLI divisions and
years is written, then edited at random through the services (figures saved and deleted,
enterprises moved to another kecamatan or KBLI, deleted and restored). After every round, random
wilayah of every level x every year x some divisions are counted directly and compared with
what `compute_indicators` reads.
"""

import random
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import transaction

from naikkelas.core.testing import make_enterprise, make_report
from naikkelas.enterprises import services
from naikkelas.enterprises.models import AnnualReport, Enterprise
from naikkelas.indicators.models import ALL_DIVISIONS, NO_KBLI, Rollup, RollupClass
from naikkelas.indicators.querysets import direct_figures
from naikkelas.indicators.services import (
    compute_indicators, indicators_of, mark_dirty, refresh_batch, refresh_indicators,
    stored_class_counts, stored_totals,
)

pytestmark = pytest.mark.django_db

KECAMATAN = ["16.07.01", "16.07.02", "16.07.19", "16.71.01", "16.71.15", "63.71.01", "63.71.02",
             "18.71.01"]
KBLI = ["10750", "10794", "13134", "14111", "16291", "31001", None]
YEARS = [2022, 2023, 2024]


def _figures(rng: random.Random) -> dict:
    maybe = lambda high: None if rng.random() < 0.15 else rng.randrange(high)  # noqa: E731
    return {"workers_male": rng.randrange(0, 40), "workers_female": rng.randrange(0, 40),
            "investment": maybe(20 * 10**9), "working_capital": maybe(12 * 10**9),
            "sales": maybe(60 * 10**9), "production_value": maybe(30 * 10**9)}


def build(rng: random.Random, count: int = 40) -> list[Enterprise]:
    enterprises = []
    for _ in range(count):
        enterprise = make_enterprise(rng.choice(KECAMATAN), kbli_id=rng.choice(KBLI))
        for year in YEARS:
            if rng.random() < 0.8:
                make_report(enterprise, year, **_figures(rng))
        enterprises.append(enterprise)
    return enterprises


def edit(rng: random.Random, enterprises: list[Enterprise], actor) -> str:
    """One random change through the services; returns what it did."""
    enterprise = Enterprise.objects.get(pk=rng.choice(enterprises).pk)
    action = rng.choice(["save", "save", "delete_report", "move", "kbli", "delete", "restore"])
    if action == "save" and not enterprise.deleted_at:
        services.save_annual_report(enterprise, actor=actor, year=rng.choice(YEARS + [2025]),
                                    figures=_figures(rng))
    elif action == "delete_report" and (report := enterprise.reports.first()):
        services.delete_annual_report(report, actor=actor)
    elif action == "move":
        services.update_enterprise(enterprise, actor=actor,
                                   changes={"kecamatan_id": rng.choice(KECAMATAN)})
    elif action == "kbli":
        services.update_enterprise(enterprise, actor=actor, changes={"kbli_id": rng.choice(KBLI)})
    elif action == "delete" and not enterprise.deleted_at:
        services.delete_enterprise(enterprise, actor=actor)
    elif action == "restore" and enterprise.deleted_at:
        services.restore_enterprise(enterprise, actor=actor)
    return action


def stored(kode: str, tahun: int, division: str) -> dict:
    """What the rollups hold, in the shape of `direct_figures` (zero rows left out)."""
    totals = stored_totals([kode], [tahun], division).get((kode, tahun))
    zero = {"jumlah_usaha": 0, "laki_laki": 0, "perempuan": 0, "investasi": 0, "omzet": 0,
            "nilai_produksi": 0}
    classes = {key: value for key, value in stored_class_counts(kode, tahun, division).items()
               if value != (0, 0)}
    return {"totals": totals or zero, "classes": classes}


def sample_wilayah(rng: random.Random) -> list[str]:
    """Random wilayah of every level, some without any enterprise."""
    kecamatan = rng.sample(KECAMATAN + ["16.07.03", "63.71.03"], 2)
    kabkota = rng.choice(["16.07", "16.71", "63.71", "18.71"])
    return ["", rng.choice(["16", "63", "18"]), kabkota, *kecamatan]


def assert_equal_to_direct(rng: random.Random) -> int:
    """Random wilayah of every level, every year, some divisions: rollup == ORM count; and every
    stored row == the same count done in Python over all base rows."""
    compared = 0
    for kode in sample_wilayah(rng):
        for tahun in rng.sample([*YEARS, 2025, 2021], 2):
            for division in [ALL_DIVISIONS, rng.choice([NO_KBLI, "10", "13", "14", "16", "31"])]:
                assert stored(kode, tahun, division) == direct_figures(kode, tahun, division), (
                    kode, tahun, division)
                compared += 1
    assert stored_everything() == counted_in_python()
    return compared


def _ancestors(kecamatan: str) -> list[tuple[str, int]]:
    return [(kecamatan, 3), (kecamatan[:5], 2), (kecamatan[:2], 1), ("", 0)]


def counted_in_python() -> tuple[dict, dict]:
    """Every (kode, tahun, division) total and class count, summed in Python from the base rows."""
    totals: dict[tuple, list[int]] = {}
    classes: dict[tuple, list[int]] = {}
    reports = AnnualReport.objects.filter(enterprise__deleted_at__isnull=True).select_related(
        "enterprise").prefetch_related("classifications")
    for r in reports:
        division = (r.enterprise.kbli_id or NO_KBLI)[:2]
        for kode, _level in _ancestors(r.enterprise.kecamatan_id):
            for div in (division, ALL_DIVISIONS):
                row = totals.setdefault((kode, r.year, div), [0] * 6)
                for n, value in enumerate([1, r.workers_male, r.workers_female, r.investment,
                                           r.sales, r.production_value]):
                    row[n] += value or 0
                for c in r.classifications.all():
                    counts = classes.setdefault((kode, r.year, div, c.rule, c.kelas), [0, 0])
                    counts[0] += 1
                    counts[1] += bool(c.naik_kelas)
    return ({k: tuple(v) for k, v in totals.items()},
            {k: tuple(v) for k, v in classes.items()})


def stored_everything() -> tuple[dict, dict]:
    keys = ["kode", "tahun", "kbli_division"]
    totals = {tuple(row[:3]): tuple(row[3:]) for row in Rollup.objects.values_list(
        *keys, "jumlah_usaha", "laki_laki", "perempuan", "investasi", "omzet", "nilai_produksi")}
    classes = {tuple(row[:5]): tuple(row[5:]) for row in RollupClass.objects.values_list(
        *keys, "rule", "kelas", "jumlah", "naik_kelas")}
    return totals, classes


@dataclass
class Snapshot:
    rows: list
    classes: list


def snapshot() -> Snapshot:
    fields = ["kode", "level", "parent", "tahun", "kbli_division"]
    return Snapshot(
        sorted(Rollup.objects.values_list(*fields, "jumlah_usaha", "laki_laki", "perempuan",
                                          "investasi", "omzet", "nilai_produksi")),
        sorted(RollupClass.objects.values_list(*fields, "rule", "kelas", "jumlah",
                                               "naik_kelas")))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollups_equal_a_direct_count_after_random_edits(personas, seed):
    rng = random.Random(seed)
    enterprises = build(rng)
    assert assert_equal_to_direct(rng) > 0
    for _round in range(4):
        done = {edit(rng, enterprises, personas.admin) for _ in range(12)}
        assert done
        assert_equal_to_direct(rng)
    incremental = snapshot()
    refresh_indicators()
    assert snapshot() == incremental  # the full refresh rebuilds exactly what edits maintained


def test_compute_indicators_reads_what_a_direct_count_gives(personas):
    build(random.Random(9), 25)
    for kode in ["", "16", "16.07", "16.07.01", "63.71.02"]:
        direct = direct_figures(kode, 2024)
        expected = indicators_of(direct["totals"], direct["classes"])
        data = compute_indicators(kode, 2024)
        assert {key: data[key] for key in expected} == expected


def _ids() -> dict[tuple, int]:
    return {(r.kode, r.tahun, r.kbli_division): r.pk for r in Rollup.objects.all()}


def test_incremental_refresh_rewrites_only_the_touched_wilayah_and_years(personas):
    rng = random.Random(4)
    build(rng, 30)
    enterprise = make_enterprise("16.07.02", kbli_id="10750")
    make_report(enterprise, 2022, workers_male=5)
    before = _ids()
    services.save_annual_report(enterprise, actor=personas.kab, year=2022,
                                figures={"workers_male": 6})
    after = _ids()
    rewritten = {key for key, pk in after.items() if before.get(key) != pk}
    assert {(kode, tahun) for kode, tahun, _div in rewritten} == {
        ("16.07.02", 2022), ("16.07", 2022), ("16", 2022), ("", 2022)}
    assert {key for key in before if key[0] == "63.71.01"} <= set(after) - rewritten


def test_moving_an_enterprise_refreshes_both_kecamatan(personas):
    enterprise = make_enterprise("16.07.01", kbli_id="13134")
    make_report(enterprise, 2024, workers_female=9)
    services.update_enterprise(enterprise, actor=personas.prov,
                               changes={"kecamatan_id": "16.71.01", "kbli_id": "31001"})
    assert compute_indicators("16.07", 2024)["tenaga_kerja"]["perempuan"] == 0
    assert compute_indicators("16.71.01", 2024)["tenaga_kerja"]["perempuan"] == 9
    assert stored_totals(["16"], [2024], "31")[("16", 2024)]["perempuan"] == 9
    assert ("16", 2024) not in stored_totals(["16"], [2024], "13")


def test_a_rolled_back_edit_leaves_the_rollups_as_they_were(personas):
    enterprise = make_enterprise("16.07.01")
    make_report(enterprise, 2024, workers_male=4)
    before = snapshot()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.save_annual_report(enterprise, actor=personas.kab, year=2024,
                                    figures={"workers_male": 40})
        raise RuntimeError("the import failed further on")
    assert snapshot() == before


def test_a_batch_refreshes_once_at_its_end(personas, django_assert_max_num_queries):
    enterprises = [make_enterprise("16.07.01") for _ in range(3)]
    with refresh_batch():
        for enterprise in enterprises:
            AnnualReport.objects.create(enterprise=enterprise, year=2024, workers_male=2)
            mark_dirty([enterprise.kecamatan_id], [2024])
        assert compute_indicators("16.07.01", 2024)["jumlah_usaha"] == 0  # not yet
    assert compute_indicators("16.07.01", 2024)["jumlah_usaha"] == 3


def test_refresh_command_rebuilds_rows_written_past_the_services(db):
    enterprise = make_enterprise("63.71.01")
    AnnualReport.objects.create(enterprise=enterprise, year=2023, workers_male=7)
    AnnualReport.objects.create(enterprise=enterprise, year=2024, workers_male=8)
    call_command("refresh-indicators", "--tahun", "2024", stdout=open("/dev/null", "w"))
    assert compute_indicators("63", 2024)["tenaga_kerja"]["laki_laki"] == 8
    assert compute_indicators("63", 2023)["jumlah_usaha"] == 0  # other years untouched
    call_command("refresh-indicators", stdout=open("/dev/null", "w"))
    assert compute_indicators("63", 2023)["jumlah_usaha"] == 1


def test_growth_against_the_year_before(db):
    enterprise = make_enterprise("16.07.01")
    make_report(enterprise, 2023, workers_male=10, workers_female=0, sales=100)
    make_report(make_enterprise("16.07.01"), 2024, workers_male=5, workers_female=10, sales=50)
    make_report(enterprise, 2024, workers_male=0, workers_female=0, sales=100)
    growth = compute_indicators("16.07", 2024)["pertumbuhan"]
    assert growth["jumlah_usaha"] == 100.0
    assert growth["tenaga_kerja"] == 50.0
    assert growth["omzet"] == 50.0
    assert compute_indicators("16.07", 2023)["pertumbuhan"]["jumlah_usaha"] is None


def _table_constraints() -> dict[str, dict]:
    from django.db import connection

    with connection.cursor() as cursor:
        return {model._meta.db_table: {
            name: (tuple(c["columns"]), c["unique"], c["index"])
            for name, c in connection.introspection.get_constraints(
                cursor, model._meta.db_table).items()}
            for model in (Rollup, RollupClass)}


def test_full_refresh_keeps_every_index_and_unique_rule(personas):
    """The full refresh may rebuild the rollup indexes (it does on PostgreSQL); afterwards the
    tables have exactly the indexes and unique constraints they had, and still enforce them."""
    from django.db import IntegrityError

    make_report(make_enterprise("16.07.01"), year=2024, workers_male=3)
    before = _table_constraints()
    refresh_indicators()
    assert _table_constraints() == before
    row = Rollup.objects.filter(level=3).first()
    assert row is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Rollup.objects.create(kode=row.kode, level=3, parent=row.parent, tahun=row.tahun,
                              kbli_division=row.kbli_division)
