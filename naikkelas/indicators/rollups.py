"""Set-based refresh of the rollup tables (`Rollup`, `RollupClass`), the same SQL on SQLite and
PostgreSQL.

Kecamatan rows are one INSERT ... SELECT ... GROUP BY over the base tables; each level above is
one INSERT ... SELECT ... GROUP BY over the level below, grouped by the `parent` code (the kode
prefix: 16.07.01 -> 16.07 -> 16 -> nasional); the all-divisions rows are grouped last from the
division rows. A refresh covers either everything (optionally one year) or a set of kecamatan
and years together with their ancestors; it never reads rows outside what it rewrites.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from naikkelas.enterprises.models import AnnualReport, Enterprise, SizeClassification
from naikkelas.indicators.definitions import ROLLUP_COLUMNS, STORED
from naikkelas.indicators.models import ALL_DIVISIONS, NO_KBLI, Rollup, RollupClass

KECAMATAN, KABKOTA, PROVINSI, NASIONAL_LEVEL = 3, 2, 1, 0
LOCK_KEY = 7_260_601  # pg_advisory_xact_lock: one refresh at a time, so rows never collide
DIVISION = f"COALESCE(substr(e.kbli_id, 1, 2), '{NO_KBLI}')"


def _parent_sql(level: int, kode: str) -> str:
    """SQL for the parent code of a row of `level` whose code is the expression `kode`.

    A kecamatan code that is not NN.NN.NN has no kab/kota above it and is not rolled up.
    """
    return {KECAMATAN: f"CASE WHEN substr({kode}, 6, 1) = '.' THEN substr({kode}, 1, 5) END",
            KABKOTA: f"substr({kode}, 1, 2)", PROVINSI: "''", NASIONAL_LEVEL: "NULL"}[level]


@dataclass(frozen=True)
class Target:
    """What one rollup table holds: its name, its key columns beyond the wilayah/year/division,
    and its measures (SQL over the base tables, and how a level above sums them)."""

    table: str
    keys: tuple[str, ...]
    measures: tuple[tuple[str, str], ...]  # (column, aggregate over the base tables)
    base_from: str  # the base tables, joined to the enterprise `e`
    year: str  # the report year column of `base_from`


def _tables() -> dict[str, str]:
    return {"r": AnnualReport._meta.db_table, "e": Enterprise._meta.db_table,
            "c": SizeClassification._meta.db_table}


def targets() -> tuple[Target, Target]:
    t = _tables()
    reports = f"{t['r']} r JOIN {t['e']} e ON e.id = r.enterprise_id"
    totals = Target(Rollup._meta.db_table, (), tuple((i.column, i.source) for i in STORED),
                    reports, "r.year")
    # A class row carries its report's enterprise and year, so the largest table joins the
    # enterprises directly (no pass over the reports).
    classes = Target(RollupClass._meta.db_table, ("rule", "kelas"),
                     (("jumlah", "COUNT(*)"),
                      ("naik_kelas", "SUM(CASE WHEN c.naik_kelas THEN 1 ELSE 0 END)")),
                     f"{t['c']} c JOIN {t['e']} e ON e.id = c.enterprise_id", "c.year")
    assert tuple(column for column, _ in totals.measures) == ROLLUP_COLUMNS
    return totals, classes


@dataclass
class Scope:
    """What a refresh rewrites: `years` (None = all) and, per level, the codes (None = all)."""

    years: list[int] | None = None
    codes: dict[int, list[str]] | None = None

    @classmethod
    def of_kecamatan(cls, kecamatan: Iterable[str], years: Iterable[int]) -> "Scope":
        """The kecamatan, their kab/kota, provinsi and nasional, in the given years."""
        kec = sorted(set(kecamatan))
        kab = sorted({k[:5] for k in kec if k[5:6] == "."})
        return cls(sorted(set(years)), {KECAMATAN: kec, KABKOTA: kab,
                                        PROVINSI: sorted({k[:2] for k in kab}),
                                        NASIONAL_LEVEL: [""]})

    def where(self, year_col: str, code_col: str | None, level: int) -> tuple[str, list]:
        """AND-ed SQL conditions (with parameters) for one level; `code_col` is matched
        against the codes of `level`."""
        parts, params = [], []
        if self.years is not None:
            parts.append(f"{year_col} IN ({', '.join(['%s'] * len(self.years))})")
            params += self.years
        if self.codes is not None and code_col is not None:
            codes = self.codes.get(level, [])
            parts.append(f"{code_col} IN ({', '.join(['%s'] * len(codes))})" if codes else "1=0")
            params += codes
        return "".join(f" AND {p}" for p in parts), params


def refresh(scope: Scope) -> None:
    """Rewrite the rollup rows inside `scope`, bottom-up, in one transaction."""
    whole = scope.years is None and scope.codes is None
    with transaction.atomic():
        _lock()
        if not whole and connection.vendor == "postgresql":
            _plan_for_a_few_kecamatan()
        with connection.cursor() as cursor:
            for target in targets():
                if whole and connection.vendor == "postgresql":
                    _rebuild_postgresql(cursor, target)
                    continue
                for sql, params in _clear(target, scope):
                    cursor.execute(sql, params)
                _write_kecamatan(cursor, target, scope)
                for sql, params in _roll_up(target, scope):
                    cursor.execute(sql, params)


def _rebuild_postgresql(cursor, target: Target) -> None:
    """The full refresh of one table on PostgreSQL: the same statements, made fast at national
    scale: the table's indexes are dropped and rebuilt around the load (one sort each instead
    of millions of index insertions). All of it is inside the refresh's transaction: readers
    see the old rows until it commits.
    """
    cursor.execute(
        "SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "WHERE c.conrelid = %s::regclass AND c.contype = 'u'", [target.table])
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS (SELECT 1 "
        "FROM pg_constraint c WHERE c.conindid = i.indexrelid)", [target.table])
    indexes = cursor.fetchall()
    quote = connection.ops.quote_name
    for name, _definition in constraints:
        cursor.execute(f"ALTER TABLE {target.table} DROP CONSTRAINT {quote(name)}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    cursor.execute(_truncate(target.table))
    _write_kecamatan(cursor, target, Scope())
    for sql, params in _roll_up(target, Scope()):
        cursor.execute(sql, params)
    for name, definition in constraints:
        cursor.execute(f"ALTER TABLE {target.table} ADD CONSTRAINT {quote(name)} {definition}")
    for _name, definition in indexes:
        cursor.execute(definition)
    cursor.execute(f"ANALYZE {target.table}")


LEVELS = (KECAMATAN, KABKOTA, PROVINSI, NASIONAL_LEVEL)


def _clear(target: Target, scope: Scope) -> list[tuple[str, list]]:
    """The statements deleting the rows of one table that `scope` rewrites."""
    if scope.years is None and scope.codes is None:
        return [(_truncate(target.table), [])]
    return [_delete(target, scope, level) for level in LEVELS]


def _write_kecamatan(cursor, target: Target, scope: Scope) -> None:
    """Insert the kecamatan rows of `scope`, the one pass over the base tables.

    On PostgreSQL they are first grouped into a temporary table, because PostgreSQL runs a
    `CREATE TABLE ... AS` query with parallel workers but never an `INSERT ... SELECT`.
    """
    select, params = _select_kecamatan(target, scope)
    if connection.vendor != "postgresql":
        cursor.execute(_insert_into(target) + select, params)
        return
    cursor.execute("DROP TABLE IF EXISTS pg_temp.rollup_stage")
    cursor.execute(f"CREATE TEMPORARY TABLE rollup_stage ON COMMIT DROP AS SELECT * FROM "
                   f"({select}) s ({_columns(target)})", params)
    cursor.execute(f"{_insert_into(target)}SELECT * FROM rollup_stage")
    cursor.execute("DROP TABLE rollup_stage")


def _roll_up(target: Target, scope: Scope) -> list[tuple[str, list]]:
    """The statements writing the levels above kecamatan and the all-divisions rows, in order,
    each from rows already written."""
    return ([_insert_level(target, scope, level) for level in LEVELS[1:]]
            + [_insert_all_divisions(target, scope, level) for level in LEVELS])


def _truncate(table: str) -> str:
    # SQLite turns an unconditional DELETE into a truncate; PostgreSQL needs the word.
    return f"TRUNCATE {table}" if connection.vendor == "postgresql" else f"DELETE FROM {table}"


def _delete(target: Target, scope: Scope, level: int) -> tuple[str, list]:
    where, params = scope.where("tahun", "kode", level)
    return f"DELETE FROM {target.table} WHERE level = {level}{where}", params


def _columns(target: Target) -> str:
    measures = ", ".join(column for column, _ in target.measures)
    return ", ".join(["kode", "level", "parent", "tahun", "kbli_division", *target.keys,
                      measures])


def _insert_into(target: Target) -> str:
    return f"INSERT INTO {target.table} ({_columns(target)}) "


def _select_kecamatan(target: Target, scope: Scope) -> tuple[str, list]:
    """The kecamatan rows of `scope`, grouped from the base tables, in `_columns` order."""
    keys = "".join(f", c.{key}" for key in target.keys)
    aggregates = ", ".join(source for _, source in target.measures)
    where, params = scope.where(target.year, "e.kecamatan_id", KECAMATAN)
    sql = (f"SELECT e.kecamatan_id, {KECAMATAN}, {_parent_sql(KECAMATAN, 'e.kecamatan_id')}, "
           f"{target.year}, {DIVISION}{keys}, {aggregates} FROM {target.base_from} "
           f"WHERE e.deleted_at IS NULL{where} "
           f"GROUP BY e.kecamatan_id, {target.year}, {DIVISION}{keys}")
    return sql, params


def _sums(target: Target) -> str:
    return ", ".join(f"SUM(x.{column})" for column, _ in target.measures)


def _insert_level(target: Target, scope: Scope, level: int) -> tuple[str, list]:
    """Rows of `level` from the division rows of the level below, grouped by their parent."""
    keys = "".join(f", x.{key}" for key in target.keys)
    where, params = scope.where("x.tahun", "x.parent", level)
    sql = (f"{_insert_into(target)}"
           f"SELECT x.parent, {level}, {_parent_sql(level, 'x.parent')}, x.tahun, "
           f"x.kbli_division{keys}, {_sums(target)} FROM {target.table} x "
           f"WHERE x.level = {level + 1} AND x.parent IS NOT NULL "
           f"AND x.kbli_division <> '{ALL_DIVISIONS}'{where} "
           f"GROUP BY x.parent, x.tahun, x.kbli_division{keys}")
    return sql, params


def _insert_all_divisions(target: Target, scope: Scope, level: int) -> tuple[str, list]:
    """The all-divisions rows of the rewritten wilayah of `level`, from their division rows."""
    keys = "".join(f", x.{key}" for key in target.keys)
    where, params = scope.where("x.tahun", "x.kode", level)
    sql = (f"{_insert_into(target)}"
           f"SELECT x.kode, x.level, x.parent, x.tahun, '{ALL_DIVISIONS}'{keys}, {_sums(target)} "
           f"FROM {target.table} x WHERE x.level = {level} "
           f"AND x.kbli_division <> '{ALL_DIVISIONS}'{where} "
           f"GROUP BY x.kode, x.level, x.parent, x.tahun{keys}")
    return sql, params


def _lock() -> None:
    """On PostgreSQL, wait for any other refresh to commit (it may rewrite the same rows)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            # Grouping tens of millions of class rows into millions of groups: hashing in memory
            # beats spilling to disk by far; a full refresh is one session at a time (the lock).
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")


def _plan_for_a_few_kecamatan() -> None:
    """An incremental refresh reads the reports of a few kecamatan out of millions: reach them
    through the indexes (random reads cost little more than sequential ones on the solid-state
    disks servers have, which PostgreSQL's default cost of 4 ignores), and do not spend a
    second compiling these short queries to machine code (JIT)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL random_page_cost = 1.1")
        cursor.execute("SET LOCAL jit = off")


def refresh_all(tahun: int | None = None) -> None:
    """Full refresh: every wilayah, every year (or one year)."""
    refresh(Scope(years=None if tahun is None else [tahun]))


def refresh_kecamatan(kecamatan: Iterable[str], years: Iterable[int]) -> None:
    """Incremental refresh of some kecamatan and years, with their ancestors."""
    scope = Scope.of_kecamatan(kecamatan, years)
    if scope.codes[KECAMATAN] and scope.years:
        refresh(scope)
