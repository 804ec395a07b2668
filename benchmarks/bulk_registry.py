"""A large synthetic registry, generated inside PostgreSQL for the benchmarks.

`fill(conn, rows)` writes `rows` enterprises spread over every kecamatan (a fixed share in one
focus kab/kota), two or three annual reports each, and their size classes under every rule in
`sizeclass.RULES`, with deterministic pseudo-random values (`hashint8extended`), so a row count
always yields the same registry. Secondary indexes and constraints are dropped for the load and
rebuilt afterwards, which is several times faster than maintaining them row by row.

The class of each report is computed in SQL from the thresholds of the same RULES objects that
`sizeclass.classify` reads; `verify_classifications` checks a sample against
`services.classifications_for`, so the two cannot drift apart unnoticed.
"""

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

GENERATOR = "naikkelas-bench-registry v1"
ENTERPRISE = "enterprises_enterprise"
REPORT = "enterprises_annualreport"
CLASSIFICATION = "enterprises_sizeclassification"
TABLES = (ENTERPRISE, REPORT, CLASSIFICATION)
YEARS = (2022, 2023, 2024)  # every enterprise has the first two; about half also the third

PRODUCTS = ("Keripik", "Batik", "Tenun", "Anyaman", "Kerupuk", "Kopi", "Gula Aren", "Tahu",
            "Tempe", "Roti", "Songket", "Mebel", "Kecap", "Sambal", "Dodol", "Pempek", "Madu",
            "Sepatu", "Tas", "Gerabah")
ADJECTIVES = ("Jaya", "Makmur", "Indah", "Berkah", "Sejahtera", "Mandiri", "Lestari", "Sentosa",
              "Abadi", "Sari", "Mulia", "Rezeki", "Putri", "Bersaudara", "Mekar", "Utama", "Baru",
              "Sejati", "Permai", "Cemerlang", "Amanah")
FIRST_NAMES = ("Ahmad", "Budi", "Siti", "Dewi", "Rudi", "Agus", "Sri", "Wahyu", "Nur", "Hendra",
               "Rina", "Yanti", "Eko", "Fitri", "Joko", "Lestari", "Bambang", "Ratna", "Andi",
               "Maya")
LAST_NAMES = ("Saputra", "Wijaya", "Hidayat", "Rahmawati", "Susanto", "Pratama", "Kurniawan",
              "Lubis", "Siregar", "Nasution", "Harahap", "Simanjuntak", "Gunawan", "Setiawan",
              "Utami", "Permata", "Halim", "Syahputra", "Ramadhan", "Anggraini")
STREETS = ("Merdeka", "Sudirman", "Diponegoro", "Kartini", "Pahlawan", "Pasar", "Masjid",
           "Sekolah", "Veteran", "Gatot Subroto")
# Cumulative per-mille thresholds: (legal form, upper bound of its slice of 0..999).
LEGAL_FORMS = (("perorangan", 600), ("ud", 750), ("cv", 850), ("pt", 880), ("koperasi", 920),
               ("kub", 1000))
NAME_PREFIX = {"ud": "UD ", "cv": "CV ", "pt": "PT ", "koperasi": "Koperasi ", "kub": "KUB "}


@dataclass
class FillReport:
    """What `fill` wrote and how long each step took."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def stamp(rows: int) -> str:
    """The table comment that marks a database as filled by this generator with `rows` rows."""
    return f"{GENERATOR} rows={rows}"


def holds_expected(conn: psycopg.Connection, rows: int) -> bool:
    """True when the database was filled by this generator version with exactly `rows` rows."""
    comment = conn.execute("SELECT obj_description(%s::regclass, 'pg_class')",
                           [ENTERPRISE]).fetchone()[0]
    if comment != stamp(rows):
        return False
    return conn.execute(sql.SQL("SELECT count(*) FROM {}").format(
        sql.Identifier(ENTERPRISE))).fetchone()[0] == rows


def fill(conn: psycopg.Connection, rows: int, *, focus_kode: str = "16.07",
         focus_share: float = 0.02, log: Callable[[str], None] = print) -> FillReport:
    """Write the synthetic registry into empty, migrated tables. `conn` must be in autocommit."""
    report = FillReport()
    for table in TABLES:
        if conn.execute(sql.SQL("SELECT EXISTS (SELECT 1 FROM {})").format(
                sql.Identifier(table))).fetchone()[0]:
            raise RuntimeError(f"{table} is not empty; fill() expects a freshly migrated database")
    conn.execute("SET maintenance_work_mem = '1GB'")
    conn.execute("SET work_mem = '256MB'")
    conn.execute("SET synchronous_commit = off")

    def step(name: str, action: Callable[[], None]) -> None:
        started = time.perf_counter()
        action()
        report.seconds[name] = time.perf_counter() - started
        log(f"  {name}: {report.seconds[name]:.1f} s")

    saved: list[str] = []
    step("drop secondary indexes and constraints", lambda: saved.extend(_drop_secondary(conn)))
    _create_hash_function(conn)
    try:
        step("enterprises", lambda: _insert_enterprises(conn, rows, focus_kode, focus_share))
        step("annual reports", lambda: _insert_reports(conn, rows))
        step("size classifications", lambda: _insert_classifications(conn))
    finally:
        conn.execute("DROP FUNCTION IF EXISTS rnd(bigint, int, bigint)")
    step("rebuild indexes and constraints", lambda: [conn.execute(s) for s in saved])
    step("vacuum analyze", lambda: [conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(
        sql.Identifier(t))) for t in TABLES])
    conn.execute(sql.SQL("COMMENT ON TABLE {} IS {}").format(
        sql.Identifier(ENTERPRISE), sql.Literal(stamp(rows))))
    for table in TABLES:
        report.counts[table] = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(
            sql.Identifier(table))).fetchone()[0]
    return report


def _drop_secondary(conn: psycopg.Connection) -> list[str]:
    """Drop foreign keys, unique constraints and non-key indexes; return the SQL to rebuild them.

    Foreign keys go first and come back last: checking them is one join over the loaded tables.
    """
    constraints = conn.execute(
        "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) "
        "FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u') "
        "ORDER BY contype, conname", [list(TABLES)]).fetchall()
    indexes = conn.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype = 'u') "
        "ORDER BY 1", [list(TABLES)]).fetchall()
    rebuild = [f"ALTER TABLE {table} ADD CONSTRAINT {sql.Identifier(name).as_string(conn)} "
               f"{definition}" for table, name, kind, definition in constraints if kind == "u"]
    rebuild += [definition for _name, definition in indexes]
    rebuild += [f"ALTER TABLE {table} ADD CONSTRAINT {sql.Identifier(name).as_string(conn)} "
                f"{definition}" for table, name, kind, definition in constraints if kind == "f"]
    for table, name, _kind, _definition in constraints:
        conn.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
            sql.Identifier(table), sql.Identifier(name)))
    for name, _definition in indexes:
        conn.execute(f"DROP INDEX {name}")
    return rebuild


def _pick(words: tuple[str, ...], salt: int) -> str:
    """SQL choosing one of `words` for enterprise `i`, by a hash salted with `salt`."""
    return f"({_array(words)})[1 + rnd(i, {salt}, {len(words)})]"


def _array(words) -> str:
    return "ARRAY[" + ", ".join(sql.quote(w) for w in words) + "]::text[]"


def _legal_form_case() -> str:
    whens = " ".join(f"WHEN lf < {upper} THEN {sql.quote(form)}" for form, upper in LEGAL_FORMS)
    return f"CASE {whens} END"


def _name_prefix_case() -> str:
    whens = " ".join(f"WHEN {sql.quote(f)} THEN {sql.quote(p)}" for f, p in NAME_PREFIX.items())
    return f"CASE legal_form {whens} ELSE '' END"


def _create_hash_function(conn: psycopg.Connection) -> None:
    """rnd(i, salt, m): a deterministic pseudo-random integer in [0, m) for row i.

    Not a pg_temp function: PostgreSQL never looks up functions in pg_temp unless qualified.
    `fill` drops it again when it is done.
    """
    conn.execute("CREATE OR REPLACE FUNCTION rnd(i bigint, salt int, m bigint) "
                 "RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS "
                 "$$ SELECT ((hashint8extended(i, salt) % m) + m) % m $$")


def _insert_enterprises(conn: psycopg.Connection, rows: int, focus_kode: str,
                        focus_share: float) -> None:
    conn.execute("DROP TABLE IF EXISTS pg_temp.kec")
    conn.execute(
        "CREATE TEMP TABLE kec AS SELECT pool, (row_number() OVER (PARTITION BY pool ORDER BY kode)"
        " - 1)::int AS n, kode FROM (SELECT 0 AS pool, kode FROM wilayah_wilayah WHERE level = 3 "
        "UNION ALL SELECT 1, kode FROM wilayah_wilayah WHERE level = 3 AND kode LIKE %s) k",
        [f"{focus_kode}.%"])
    conn.execute("CREATE INDEX ON kec (pool, n)")
    sizes = dict(conn.execute("SELECT pool, count(*) FROM kec GROUP BY pool").fetchall())
    if not sizes.get(0) or not sizes.get(1):
        raise RuntimeError(f"no kecamatan (or none in {focus_kode}) in wilayah_wilayah: migrate "
                           "loads them")
    kbli = [k for (k,) in conn.execute(
        "SELECT kode FROM kbli_kbli WHERE level = 5 AND division BETWEEN '10' AND '33' "
        "ORDER BY kode").fetchall()]
    conn.execute(f"""
        INSERT INTO {ENTERPRISE} (id, name, legal_form, nib, npwp, owner_name, owner_nik,
            owner_gender, owner_phone, address, kecamatan_id, desa_id, latitude, longitude,
            kbli_id, products, founded_year, status, created_at, updated_at, deleted_at)
        SELECT i, {_name_prefix_case()} || product || ' ' || adj1 || ' ' || adj2, legal_form,
            CASE WHEN rnd(i, 5, 10) < 7 THEN '91' || lpad(i::text, 11, '0') END,
            CASE WHEN rnd(i, 6, 10) < 2
                THEN lpad((rnd(i, 7, 1000000000) * 1000000 + i)::text, 15, '0') ELSE '' END,
            {_pick(FIRST_NAMES, 8)} || ' ' || {_pick(LAST_NAMES, 9)},
            replace(kode, '.', '')
                || lpad((1 + rnd(i, 10, 28) + CASE WHEN female THEN 40 ELSE 0 END)::text, 2, '0')
                || lpad((1 + rnd(i, 11, 12))::text, 2, '0')
                || lpad((50 + rnd(i, 12, 50))::text, 2, '0')
                || lpad((1 + rnd(i, 13, 9999))::text, 4, '0'),
            CASE WHEN female THEN 'P' ELSE 'L' END,
            '08' || lpad(rnd(i, 14, 10000000000)::text, 10, '0'),
            'Jl. ' || {_pick(STREETS, 15)} || ' No. ' || (1 + rnd(i, 16, 200)),
            kode, NULL,
            CASE WHEN rnd(i, 17, 10) < 3 THEN -6 + rnd(i, 18, 4000000) / 1000000.0 END,
            CASE WHEN rnd(i, 17, 10) < 3 THEN 100 + rnd(i, 19, 4000000) / 1000000.0 END,
            {_pick(tuple(kbli), 20)}, product, 1980 + rnd(i, 21, 44),
            CASE WHEN st < 900 THEN 'aktif' WHEN st < 970 THEN 'tidak_aktif' ELSE 'tutup' END,
            now() - make_interval(days => rnd(i, 22, 1500)::int), now(),
            CASE WHEN rnd(i, 23, 1000) < 5 THEN now() END
        FROM (
            SELECT i, {_pick(PRODUCTS, 1)} AS product, {_pick(ADJECTIVES, 2)} AS adj1,
                {_pick(ADJECTIVES, 3)} AS adj2, {_legal_form_case()} AS legal_form,
                rnd(i, 24, 2) = 1 AS female, rnd(i, 25, 1000) AS st,
                CASE WHEN rnd(i, 26, 1000000) < {round(focus_share * 1_000_000)}
                    THEN 1 ELSE 0 END AS pool,
                rnd(i, 27, 1000000007) AS pick
            FROM (SELECT i, rnd(i, 4, 1000) AS lf FROM generate_series(1, {int(rows)}) i) s
        ) e
        JOIN kec ON kec.pool = e.pool
            AND kec.n = e.pick % CASE e.pool WHEN 1 THEN {sizes[1]} ELSE {sizes[0]} END
        """)
    conn.execute(f"SELECT setval(pg_get_serial_sequence('{ENTERPRISE}', 'id'), {int(rows)})")


# Figures per enterprise: a size tier, log-uniform amounts, and a yearly growth factor of
# 0.85-1.45 compounded from the first year, so some enterprises move up a class and some down.
WORKERS_BY_TIER = ("CASE WHEN tier < 70 THEN 1 + rnd(i, 31, 4) "
                   "WHEN tier < 90 THEN 5 + rnd(i, 31, 15) "
                   "WHEN tier < 98 THEN 20 + rnd(i, 31, 80) ELSE 100 + rnd(i, 31, 200) END")


def _log_uniform(salt: int, low: float, high: float) -> str:
    span = math.log(high) - math.log(low)
    # float8 throughout: exp() of a numeric is some ten times slower.
    return f"exp({math.log(low)}::float8 + rnd(i, {salt}, 1000000)::float8 / 1e6 * {span})"


def _insert_reports(conn: psycopg.Connection, rows: int) -> None:
    conn.execute(f"""
        INSERT INTO {REPORT} (enterprise_id, year, workers_male, workers_female, investment,
            land_buildings_value, working_capital, sales, capacity, capacity_unit,
            production_value, raw_material_value, source, created_at, updated_at)
        SELECT i, year, round(workers * male_share)::int,
            workers - round(workers * male_share)::int,
            CASE WHEN rnd(i, 40, 100) >= 2 THEN round(investment * growth)::bigint END,
            round(investment * growth * 0.6)::bigint,
            round(capital * growth)::bigint,
            CASE WHEN rnd(i * 10 + year, 41, 100) >= 3 THEN round(sales * growth)::bigint END,
            round((sales / 20000.0 * growth)::numeric, 2), 'unit',
            round(sales * growth * 0.9)::bigint, round(sales * growth * 0.5)::bigint,
            'Pendataan Dinas ' || year, now(), now()
        FROM (
            SELECT i, year, greatest(0, round(workers0 * growth)::int) AS workers, male_share,
                investment, capital, sales, growth
            FROM (
                SELECT i, {WORKERS_BY_TIER} AS workers0,
                    rnd(i, 32, 101)::float8 / 100 AS male_share,
                    {_log_uniform(33, 5e6, 3e10)} AS investment,
                    {_log_uniform(34, 1e7, 2e10)} AS capital,
                    {_log_uniform(35, 2e7, 1e11)} AS sales, rnd(i, 36, 2) = 0 AS third_year
                FROM (SELECT i, rnd(i, 30, 100) AS tier FROM generate_series(1, {int(rows)}) i) t
            ) e
            CROSS JOIN LATERAL (
                SELECT y AS year, CASE WHEN y = {YEARS[0]} THEN 1::float8 ELSE
                    (0.85 + rnd(i * 10 + y, 37, 600)::float8 / 1000)
                    * CASE WHEN y = {YEARS[2]}
                      THEN 0.85 + rnd(i * 10 + y - 1, 37, 600)::float8 / 1000
                      ELSE 1 END END AS growth
                FROM unnest(ARRAY[{", ".join(map(str, YEARS))}]) y
                WHERE y < {YEARS[2]} OR third_year
            ) g
        ) f
        ORDER BY i, year
        """)


def rank_sql(rule) -> str:
    """SQL for the rank (1-based position in rule.classes) of a report row, NULL when unknown.

    Mirrors `sizeclass.classify`: the same dispatch on the rule's shape, the same thresholds.
    """
    workers = "(workers_male + workers_female)"
    if rule.thresholds:
        t = rule.thresholds
        return (f"CASE WHEN investment IS NULL THEN NULL "
                f"WHEN {workers} <= {t['max_workers_small']} THEN CASE WHEN investment < "
                f"{t['investment_small_below']} THEN {rule.rank('kecil')} ELSE "
                f"{rule.rank('menengah')} END "
                f"WHEN investment <= {t['investment_medium_max']} THEN {rule.rank('menengah')} "
                f"ELSE {rule.rank('besar')} END")
    if rule.basis.startswith("workers"):
        value = f"greatest({workers}, 1)"
    elif rule.basis.startswith("working capital"):
        value = "working_capital"
    else:
        value = "sales"
    whens = " ".join(f"WHEN {value} <= {band.upper} THEN {rule.rank(band.kelas)}"
                     for band in rule.bands if band.upper is not None)
    last = rule.rank(rule.bands[-1].kelas)
    return f"CASE WHEN {value} IS NULL THEN NULL {whens} ELSE {last} END"


def _insert_classifications(conn: psycopg.Connection) -> None:
    from naikkelas.enterprises.sizeclass import RULES

    rules = list(RULES.values())
    ranks = ", ".join(f"{rank_sql(rule)} AS r{n}" for n, rule in enumerate(rules))
    lags = ", ".join(f"lag(r{n}) OVER w AS p{n}" for n in range(len(rules)))
    values = ", ".join(
        f"({sql.quote(rule.id)}, {_array(rule.classes)}, s.r{n}, "
        f"CASE WHEN s.prev_year = s.year - 1 THEN s.p{n} END)" for n, rule in enumerate(rules))
    conn.execute(f"""
        INSERT INTO {CLASSIFICATION} (report_id, enterprise_id, year, rule, kelas, rank, naik_kelas)
        SELECT s.id, s.enterprise_id, s.year, v.rule, v.classes[v.rank], v.rank, v.rank > v.prev
        FROM (
            SELECT c.*, lag(year) OVER w AS prev_year, {lags}
            FROM (SELECT id, enterprise_id, year, {ranks} FROM {REPORT}) c
            WINDOW w AS (PARTITION BY enterprise_id ORDER BY year)
        ) s
        CROSS JOIN LATERAL (VALUES {values}) v(rule, classes, rank, prev)
        WHERE v.rank IS NOT NULL
        """)


def verify_classifications(sample: int = 300, seed: int = 7) -> int:
    """Compare stored classes of `sample` random enterprises with `services.classifications_for`.

    Needs Django set up on the filled database. Returns the number of rows compared; raises
    AssertionError on the first enterprise whose stored rows differ.
    """
    from naikkelas.enterprises.models import AnnualReport, Enterprise, SizeClassification
    from naikkelas.enterprises.services import classifications_for

    last = Enterprise.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ids = random.Random(seed).sample(range(1, last + 1), min(sample, last))
    compared = 0
    for pk in ids:
        reports = list(AnnualReport.objects.filter(enterprise_id=pk).order_by("year"))
        expected = sorted((c.report_id, c.rule, c.kelas, c.rank, c.naik_kelas)
                          for c in classifications_for(reports))
        stored = sorted(SizeClassification.objects.filter(report__enterprise_id=pk).values_list(
            "report_id", "rule", "kelas", "rank", "naik_kelas"))
        if stored != expected:
            raise AssertionError(f"enterprise {pk}: stored {stored} != computed {expected}")
        compared += len(stored)
    return compared
