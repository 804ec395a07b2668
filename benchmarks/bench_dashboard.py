"""`make bench-dashboard` (python -m benchmarks.bench_dashboard): the indicator rollups and the
dashboard over 4,500,000 generated enterprises with three years of reports in PostgreSQL.

Measured in one run, on the same data: the full refresh of the rollups (`refresh-indicators`);
an incremental refresh (`services.mark_dirty`) after inserting 10,000 enterprises with their
reports into one kab/kota, as an import of one Dinas does (inside a transaction rolled back
afterwards, so the data stays reusable); the dashboard request for nasional, a provinsi, a
kab/kota and a kecamatan (Django test client, median and p95 over bounded repeated requests);
beside them the same numbers computed by a plain GROUP BY on the base tables (PostgreSQL) and by
DuckDB over a copy of the same rows. Every figure is checked to agree before it is printed.

The data is generated inside PostgreSQL by `benchmarks.bulk_registry` (generate_series, indexes
dropped and rebuilt around the load), in database `nk_dashboard_bench`; --reuse-data keeps it
when it already holds exactly --enterprises enterprises.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg

from benchmarks import bulk_registry
from benchmarks.bench_api import prepare_database, server_environment, setup_django

TARGET_P95_MS, TARGET_INCREMENTAL_S, TARGET_FULL_S = 300.0, 5.0, 600.0
YEAR = 2024
WILAYAH = (("nasional", ""), ("provinsi", "16"), ("kab/kota", "16.07"),
           ("kecamatan", "16.07.01"))
INSERT_KODE = "16.07"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--enterprises", type=int, default=4_500_000, help="enterprises to generate")
    p.add_argument("--reuse-data", action="store_true",
                   help="keep the database when it already holds exactly --enterprises rows")
    p.add_argument("--requests", type=int, default=40, help="measured requests per wilayah")
    p.add_argument("--warmup", type=int, default=3, help="unmeasured requests per wilayah")
    p.add_argument("--baseline-repeats", type=int, default=3,
                   help="repeats of each plain GROUP BY and DuckDB query")
    p.add_argument("--insert", type=int, default=10_000,
                   help="enterprises inserted before the incremental refresh")
    p.add_argument("--no-duckdb", action="store_true", help="skip the DuckDB comparison")
    p.add_argument("--postgres", default=os.environ.get(
        "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
                   help="PostgreSQL server (no database name)")
    p.add_argument("--database", default="nk_dashboard_bench", help="database to (re)create")
    args = p.parse_args(argv)
    if args.enterprises < 1000 or args.requests < 1 or args.insert < 1:
        p.error("--enterprises must be at least 1000; --requests and --insert positive")
    args.rows = args.enterprises  # the name bench_api.prepare_database reads
    return args


@dataclass
class Timing:
    """Seconds of repeated runs of one measurement."""

    seconds: list[float]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


def timed(action: Callable[[], object], repeats: int, warmup: int = 0) -> tuple[Timing, object]:
    result = None
    for _ in range(warmup):
        result = action()
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = action()
        seconds.append(time.perf_counter() - started)
    return Timing(seconds), result


# --- the rollups -------------------------------------------------------------------------------

def full_refresh() -> float:
    from naikkelas.indicators.services import refresh_indicators

    started = time.perf_counter()
    refresh_indicators()
    return time.perf_counter() - started


def insert_enterprises(count: int) -> list[str]:
    """Insert `count` enterprises with 2023 and 2024 reports and their classes into the
    kecamatan of INSERT_KODE, set-based; returns the kecamatan written to."""
    from django.db import connection

    from naikkelas.enterprises.sizeclass import RULES

    with connection.cursor() as cursor:
        cursor.execute("SELECT kode FROM wilayah_wilayah WHERE level = 3 AND parent_id = %s "
                       "ORDER BY kode", [INSERT_KODE])
        kecamatan = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT coalesce(max(id), 0) FROM enterprises_enterprise")
        first = cursor.fetchone()[0] + 1
        cursor.execute(f"""
            INSERT INTO enterprises_enterprise (id, name, legal_form, npwp, owner_name,
                owner_nik, owner_gender, owner_phone, address, kecamatan_id, kbli_id, products,
                status, created_at, updated_at)
            SELECT i, 'Usaha Impor ' || i, 'perorangan', '', 'Pemilik ' || i, '', '', '', '',
                (%s::text[])[1 + i %% %s], (ARRAY['10750','13134','14111','31001'])[1 + i %% 4],
                '', 'aktif', now(), now()
            FROM generate_series({first}, {first + count - 1}) i""",
                       [kecamatan, len(kecamatan)])
        cursor.execute(f"""
            INSERT INTO enterprises_annualreport (enterprise_id, year, workers_male,
                workers_female, investment, working_capital, sales, production_value,
                capacity_unit, source, created_at, updated_at)
            SELECT i, y, 1 + i % 7, i % 5, (i % 97) * 10000000, (i % 89) * 10000000,
                (i % 83) * 50000000 + (y - 2023) * 10000000, (i % 79) * 40000000, '', 'impor',
                now(), now()
            FROM generate_series({first}::bigint, {first + count - 1}) i CROSS JOIN (VALUES (2023),
                (2024)) v(y)""")
        for rule in RULES.values():
            classes = "ARRAY[" + ", ".join(f"'{k}'" for k in rule.classes) + "]"
            cursor.execute(f"""
                INSERT INTO enterprises_sizeclassification (report_id, enterprise_id, year,
                    rule, kelas, rank, naik_kelas)
                SELECT id, enterprise_id, year, %s, ({classes})[rk], rk,
                    CASE WHEN year = 2024 THEN rk > lag(rk) OVER (PARTITION BY enterprise_id
                        ORDER BY year) END
                FROM (SELECT id, enterprise_id, year, {bulk_registry.rank_sql(rule)} AS rk
                      FROM enterprises_annualreport WHERE enterprise_id >= {first}) s
                WHERE rk IS NOT NULL""", [rule.id])
    return kecamatan


def incremental_refresh(count: int) -> tuple[float, float, bool]:
    """(insert seconds, refresh seconds, rollup equals a direct count), rolled back after."""
    from django.db import transaction

    from naikkelas.indicators.services import mark_dirty

    with transaction.atomic():
        started = time.perf_counter()
        kecamatan = insert_enterprises(count)
        inserted = time.perf_counter() - started
        started = time.perf_counter()
        mark_dirty(kecamatan, [2023, 2024])
        refreshed = time.perf_counter() - started
        agrees = all(rollup_numbers(k) == plain_group_by(k) for k in (INSERT_KODE, kecamatan[0]))
        transaction.set_rollback(True)
    return inserted, refreshed, agrees


# --- the three ways of counting ----------------------------------------------------------------

def rollup_numbers(kode: str) -> tuple:
    """Enterprises, workers, investment, omzet and naik kelas per rule of `compute_indicators`."""
    from naikkelas.indicators.services import compute_indicators

    data = compute_indicators(kode, YEAR)
    return (data["jumlah_usaha"], data["tenaga_kerja"]["total"], data["investasi"],
            data["omzet"], tuple(sorted(data["naik_kelas"].items())))


def plain_group_by(kode: str) -> tuple:
    """The same numbers by GROUP BY on the base tables (no rollups)."""
    from naikkelas.enterprises.sizeclass import RULES
    from naikkelas.indicators.querysets import direct_figures

    figures = direct_figures(kode, YEAR)
    t, classes = figures["totals"], figures["classes"]
    naik = {rule: sum(n for (r, _k), (_c, n) in classes.items() if r == rule) for rule in RULES}
    return (t["jumlah_usaha"], t["laki_laki"] + t["perempuan"], t["investasi"], t["omzet"],
            tuple(sorted(naik.items())))


def duckdb_copy(url: str, folder: Path):
    """A DuckDB database holding the columns the indicators read, copied from PostgreSQL."""
    import duckdb

    queries = {
        "e": "SELECT id, kecamatan_id, coalesce(substr(kbli_id, 1, 2), '-') AS division "
             "FROM enterprises_enterprise WHERE deleted_at IS NULL",
        "r": "SELECT id, enterprise_id, year, workers_male, workers_female, investment, sales, "
             "production_value FROM enterprises_annualreport",
        "c": "SELECT report_id, rule, naik_kelas FROM enterprises_sizeclassification",
    }
    duck = duckdb.connect(str(folder / "naikkelas.duckdb"))
    with psycopg.connect(url) as conn:
        for name, query in queries.items():
            path = folder / f"{name}.csv"
            with open(path, "wb") as out, conn.cursor().copy(
                    f"COPY ({query}) TO STDOUT (FORMAT csv, HEADER)") as copy:
                for chunk in copy:
                    out.write(chunk)
            # Codes such as 11.13.01 look like dates to the sniffer: text columns are declared.
            duck.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{path}', header = true, "
                         f"types = {TEXT_COLUMNS.get(name, {})})")
            path.unlink()
    return duck


TEXT_COLUMNS = {"e": {"kecamatan_id": "VARCHAR", "division": "VARCHAR"},
                "c": {"rule": "VARCHAR"}}


def duckdb_numbers(duck, kode: str) -> tuple:
    where = "TRUE" if not kode else f"(e.kecamatan_id = '{kode}' OR e.kecamatan_id LIKE '{kode}.%')"
    totals = duck.execute(
        "SELECT count(*), coalesce(sum(workers_male + workers_female), 0), "
        "coalesce(sum(investment), 0), coalesce(sum(sales), 0) FROM r JOIN e ON e.id = "
        f"r.enterprise_id WHERE r.year = {YEAR} AND {where}").fetchone()
    naik = dict(duck.execute(
        "SELECT c.rule, count(*) FILTER (WHERE c.naik_kelas) FROM c JOIN r ON r.id = c.report_id "
        f"JOIN e ON e.id = r.enterprise_id WHERE r.year = {YEAR} AND {where} GROUP BY c.rule"
    ).fetchall())
    from naikkelas.enterprises.sizeclass import RULES

    return (*(int(v) for v in totals), tuple(sorted((r, int(naik.get(r, 0))) for r in RULES)))


def duckdb_full(duck) -> None:
    """What the full refresh computes, in one DuckDB query: every level x year x division."""
    duck.execute(
        "SELECT kec, kab, prov, year, division, count(*), sum(workers_male), "
        "sum(workers_female), sum(investment), sum(sales), sum(production_value) FROM ("
        "SELECT e.kecamatan_id AS kec, substr(e.kecamatan_id, 1, 5) AS kab, "
        "substr(e.kecamatan_id, 1, 2) AS prov, e.division, r.* FROM r JOIN e ON e.id = "
        "r.enterprise_id) GROUP BY GROUPING SETS ((kec, year, division), (kab, year, division), "
        "(prov, year, division), (year, division), (kec, year), (kab, year), (prov, year), "
        "(year))").fetchall()


# --- the dashboard -----------------------------------------------------------------------------

def dashboard_client():
    from django.test import Client

    from naikkelas.accounts.models import Role, User

    user, _ = User.objects.update_or_create(
        username="bench-dashboard-pusat",
        defaults={"role": Role.ADMIN_PUSAT, "kode_wilayah": "", "is_active": True})
    client = Client()
    client.force_login(user)
    return client


def dashboard_path(kode: str) -> str:
    from django.urls import reverse

    return reverse("dashboard:wilayah", kwargs={"kode": kode or "nasional"}) + f"?tahun={YEAR}"


def request(client, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path}: {response.status_code}")


# --- the run -----------------------------------------------------------------------------------

def add_row(rows: list, row: tuple) -> None:
    """Keep a measured row for the table and show it at once (a later failure loses nothing)."""
    rows.append(row)
    log("  " + " | ".join(str(cell) for cell in row if cell))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = f"{args.postgres}/{args.database}"
    data = prepare_database(args, url)
    setup_django({**server_environment(url), "NAIKKELAS_ALLOWED_HOSTS": "testserver"})
    rows: list[tuple[str, str, str, str, str]] = []
    log("refresh: full")
    full = full_refresh()
    add_row(rows, ("full refresh (all levels x years x divisions)", f"{full:.1f} s", "", "",
                 verdict(full <= TARGET_FULL_S)))
    log(f"refresh: incremental after inserting {args.insert:,} enterprises into {INSERT_KODE}")
    inserted, incremental, agrees = incremental_refresh(args.insert)
    add_row(rows, (f"incremental refresh after {args.insert:,} rows into {INSERT_KODE} "
                 f"(insert {inserted:.1f} s)", f"{incremental:.2f} s", "", "",
                 verdict(incremental <= TARGET_INCREMENTAL_S and agrees)))
    duck, folder = None, tempfile.TemporaryDirectory(prefix="bench-dashboard-")
    if not args.no_duckdb:
        log("duckdb: copying the base columns")
        started = time.perf_counter()
        duck = duckdb_copy(url, Path(folder.name))
        log(f"duckdb: copied in {time.perf_counter() - started:.0f} s")
        duck_full, _ = timed(lambda: duckdb_full(duck), 1)
        rows[0] = (*rows[0][:3], f"DuckDB {duck_full.median_ms / 1000:.1f} s", rows[0][4])
    client = dashboard_client()
    for level, kode in WILAYAH:
        log(f"dashboard: {level} {kode or 'nasional'}")
        path = dashboard_path(kode)
        page, _ = timed(lambda: request(client, path), args.requests, args.warmup)
        plain, plain_result = timed(lambda: plain_group_by(kode), args.baseline_repeats)
        same = rollup_numbers(kode) == plain_result
        duck_text = ""
        if duck is not None:
            d, duck_result = timed(lambda: duckdb_numbers(duck, kode), args.baseline_repeats)
            same = same and duck_result == plain_result
            duck_text = f"{d.median_ms:.0f} ms"
        add_row(rows, (f"dashboard {level} {kode or ''} (median / p95)",
                     f"{page.median_ms:.0f} / {page.p95_ms:.0f} ms",
                     f"{plain.median_ms:.0f} ms", duck_text,
                     verdict(page.p95_ms <= TARGET_P95_MS and same)))
    folder.cleanup()
    print_table(args, data, rows)
    return 0 if all(row[4].startswith("ok") for row in rows) else 1


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISS"


def print_table(args: argparse.Namespace, data, rows) -> None:
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"bench-dashboard: {args.enterprises:,} enterprises, data {data.mode} in "
          f"{data.seconds:.0f} s; {args.requests} requests per wilayah after {args.warmup} "
          f"warm-up; year {YEAR}")
    print(f"targets: dashboard p95 < {TARGET_P95_MS:.0f} ms, incremental < "
          f"{TARGET_INCREMENTAL_S:.0f} s, full < {TARGET_FULL_S / 60:.0f} min; numbers checked "
          "equal across rollup, GROUP BY and DuckDB")
    header = ("measure", "naikkelas (rollups)", "plain GROUP BY", "DuckDB", "target")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(5)]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths)).rstrip())
    print(f"uptime: {uptime}")


if __name__ == "__main__":
    sys.exit(main())
