"""The indicators the offices report, for one wilayah and one year, as one JSON-able dict, and
the one entry point that keeps the stored rollups right when the registry changes.

The keys of `compute_indicators` are an external interface (dashboard, command, API, report,
exports): add keys, never rename or drop one. It reads only the rollup tables (three queries
whatever the size of the registry: the wilayah's name, the totals of the year and the year
before, and the class counts), so every change to the base tables must reach `mark_dirty`.
"""

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from naikkelas.accounts.models import kode_level
from naikkelas.core.validators import validate_kode_wilayah
from naikkelas.enterprises.sizeclass import RULES, SizeRule
from naikkelas.indicators import rollups
from naikkelas.indicators.definitions import GROWTH_KEYS, ROLLUP_COLUMNS
from naikkelas.indicators.models import ALL_DIVISIONS, Rollup, RollupClass
from naikkelas.wilayah.models import Level, Wilayah

NASIONAL = {"", "nasional"}

ClassCounts = dict[tuple[str, str], tuple[int, int]]


def indicator_wilayah(value: str) -> str:
    """The wilayah indicators are asked for: '' / 'nasional', or a known code down to kecamatan.

    One rule for the command and the API; raises ValidationError with the reason.
    """
    kode = value.strip()
    if kode.lower() in NASIONAL:
        return ""
    validate_kode_wilayah(kode)
    if kode_level(kode) > Level.KECAMATAN:
        raise ValidationError(_("Indicators are computed down to kecamatan; '%(kode)s' is a "
                                "desa/kelurahan code.") % {"kode": kode})
    if not Wilayah.objects.filter(kode=kode).exists():
        raise ValidationError(_("Wilayah '%(kode)s' does not exist.") % {"kode": kode})
    return kode


def compute_indicators(kode: str, tahun: int) -> dict[str, Any]:
    """Indicators of the non-deleted enterprises located at or under `kode` ('' = nasional)
    that have an annual report for `tahun`, read from the stored rollups.

    Enterprises are located by kecamatan, so `kode` is a provinsi, kab/kota or kecamatan code.
    `naik_kelas` counts, per rule, the enterprises whose class in `tahun` is higher than in the
    year before (none without a report for the year before); `tanpa_data` counts, per rule, the
    reports lacking a figure that rule needs; `pertumbuhan` is the growth in percent against the
    year before. See `naikkelas.indicators.definitions` for every key.
    """
    totals = stored_totals([kode], [tahun - 1, tahun])
    counts = stored_class_counts(kode, tahun)
    return {
        "wilayah": kode,
        "nama_wilayah": Wilayah.label_for(kode),
        "tahun": tahun,
        **indicators_of(totals.get((kode, tahun), {}), counts),
        "pertumbuhan": growth(totals.get((kode, tahun), {}), totals.get((kode, tahun - 1), {})),
        "rules": {rule.id: _rule_meta(rule) for rule in RULES.values()},
        **_sections(kode, tahun),
    }


def indicators_of(row: dict[str, int], counts: ClassCounts) -> dict[str, Any]:
    """The enterprise-based keys of `compute_indicators`, from one rollup row and its class
    counts (missing values count 0)."""
    row = {column: row.get(column, 0) for column in ROLLUP_COLUMNS}
    kelas = {rule.id: _kelas_of(rule, counts) for rule in RULES.values()}
    return {
        "jumlah_usaha": row["jumlah_usaha"],
        "tenaga_kerja": {"laki_laki": row["laki_laki"], "perempuan": row["perempuan"],
                         "total": row["laki_laki"] + row["perempuan"]},
        "investasi": row["investasi"],
        "omzet": row["omzet"],
        "nilai_produksi": row["nilai_produksi"],
        "kelas": kelas,
        "naik_kelas": {rule.id: _naik_of(rule, counts) for rule in RULES.values()},
        "tanpa_data": {rule_id: row["jumlah_usaha"] - sum(by_class.values())
                       for rule_id, by_class in kelas.items()},
    }


def _value(row: dict[str, int], key: str) -> int:
    if key == "tenaga_kerja.total":
        return row.get("laki_laki", 0) + row.get("perempuan", 0)
    return row.get(key, 0)


def growth(now: dict[str, int], before: dict[str, int]) -> dict[str, float | None]:
    """Percent change per GROWTH_KEYS indicator; None when the year before is zero."""
    out = {}
    for key in GROWTH_KEYS:
        old, new = _value(before, key), _value(now, key)
        out[key.split(".")[0]] = round((new - old) * 100 / old, 2) if old else None
    return out


def stored_totals(codes: Iterable[str], years: Iterable[int],
                  division: str = ALL_DIVISIONS) -> dict[tuple[str, int], dict[str, int]]:
    """(kode, tahun) -> the stored totals of the division (default: all divisions)."""
    rows = (Rollup.objects.filter(kode__in=list(codes), tahun__in=list(years),
                                  kbli_division=division)
            .values("kode", "tahun", *ROLLUP_COLUMNS))
    return {(row.pop("kode"), row.pop("tahun")): row for row in rows}


def stored_class_counts(kode: str, tahun: int, division: str = ALL_DIVISIONS) -> ClassCounts:
    """(rule, kelas) -> (enterprises in that class, how many of them moved up)."""
    rows = (RollupClass.objects.filter(kode=kode, tahun=tahun, kbli_division=division)
            .values_list("rule", "kelas", "jumlah", "naik_kelas"))
    return {(rule, kelas): (n, naik) for rule, kelas, n, naik in rows}


def _sections(kode: str, tahun: int) -> dict[str, Any]:
    """The indicators the domain apps add (sentra, program, bantuan, kur, sertifikat, ...)."""
    merged: dict[str, Any] = {}
    for module in settings.NAIKKELAS_INDICATOR_SECTIONS:
        merged.update(import_module(module).indicator_section(kode, tahun))
    return merged


def _kelas_of(rule: SizeRule, counts: ClassCounts) -> dict[str, int]:
    """Every class of the rule, smallest first, with its count (0 when none)."""
    return {kelas: counts.get((rule.id, kelas), (0, 0))[0] for kelas in rule.classes}


def _naik_of(rule: SizeRule, counts: ClassCounts) -> int:
    return sum(naik for (rule_id, _kelas), (_n, naik) in counts.items() if rule_id == rule.id)


def _rule_meta(rule: SizeRule) -> dict[str, Any]:
    """What a reader of the numbers needs to know about the rule behind them."""
    return {
        "name": rule.name,
        "basis": rule.basis,
        "source": rule.source,
        "valid_from": rule.valid_from.isoformat(),
        "valid_until": rule.valid_until.isoformat() if rule.valid_until else None,
        "classes": list(rule.classes),
    }


# --- keeping the rollups right -----------------------------------------------------------------

_batches = threading.local()


def mark_dirty(kecamatan_codes: Iterable[str], years: Iterable[int]) -> None:
    """Tell the rollups that the figures of these kecamatan in these years changed.

    The one function every writer of the base tables calls (through the `registry_changed`
    signal of `naikkelas.enterprises.services`, or directly): saving or deleting an annual
    report, an edit that moves an enterprise to another kecamatan or KBLI, deleting or restoring
    an enterprise, and the spreadsheet importer. Call it inside the writer's transaction: the
    kecamatan and their kab/kota, provinsi and nasional rows are rewritten at once, in the same
    transaction, so a rollback undoes both. Inside `refresh_batch()` the marks are collected
    and refreshed once when the batch ends (an importer writing thousands of rows wraps its loop
    in it). Pass both the old and the new kecamatan of a moved enterprise, and every year whose
    figures or naik kelas may change (a report of year Y also changes naik kelas of Y + 1).
    """
    kecamatan, years = set(kecamatan_codes) - {""}, set(years)
    pending = getattr(_batches, "stack", None)
    if pending:
        pending[-1][0].update(kecamatan)
        pending[-1][1].update(years)
    elif kecamatan and years:
        rollups.refresh_kecamatan(kecamatan, years)


@contextmanager
def refresh_batch() -> Iterator[None]:
    """Collect the `mark_dirty` calls made inside and refresh their rollups once at the end."""
    stack = _batches.__dict__.setdefault("stack", [])
    stack.append((set(), set()))
    try:
        yield
    finally:
        kecamatan, years = stack.pop()
    mark_dirty(kecamatan, years)


def refresh_indicators(tahun: int | None = None) -> None:
    """Full refresh of the rollups (all years, or one): `naikkelas refresh-indicators`."""
    rollups.refresh_all(tahun)
