"""The indicators the offices report, for one wilayah and one year, as one JSON-able dict.

The keys of `compute_indicators` are an external interface (dashboard, command, exports): add keys,
never rename or drop one. Three queries whatever the size of the registry: the wilayah's name,
the totals, and the class counts with naik kelas.
"""

from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from naikkelas.accounts.models import kode_level
from naikkelas.core.validators import validate_kode_wilayah
from naikkelas.enterprises.sizeclass import RULES, SizeRule
from naikkelas.indicators.querysets import indicator_reports
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
    that have an annual report for `tahun`.

    Enterprises are located by kecamatan, so `kode` is a provinsi, kab/kota or kecamatan code.
    `naik_kelas` counts, per rule, the enterprises whose class in `tahun` is higher than in the
    year before (none without a report for the year before); `tanpa_data` counts, per rule, the
    reports lacking a figure that rule needs.
    """
    reports = indicator_reports().in_wilayah(kode).for_year(tahun)
    totals = reports.totals()
    counts = reports.class_counts()
    kelas = {rule.id: _kelas_of(rule, counts) for rule in RULES.values()}
    return {
        "wilayah": kode,
        "nama_wilayah": Wilayah.label_for(kode),
        "tahun": tahun,
        "jumlah_usaha": totals["jumlah_usaha"],
        "tenaga_kerja": {
            "laki_laki": totals["laki_laki"],
            "perempuan": totals["perempuan"],
            "total": totals["laki_laki"] + totals["perempuan"],
        },
        "investasi": totals["investasi"],
        "omzet": totals["omzet"],
        "nilai_produksi": totals["nilai_produksi"],
        "kelas": kelas,
        "naik_kelas": {rule.id: _naik_of(rule, counts) for rule in RULES.values()},
        "tanpa_data": {rule_id: totals["jumlah_usaha"] - sum(by_class.values())
                       for rule_id, by_class in kelas.items()},
        "rules": {rule.id: _rule_meta(rule) for rule in RULES.values()},
        **_sections(kode, tahun),
    }


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
