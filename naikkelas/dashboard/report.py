"""Laporan Perkembangan IKM: one uniform report of a wilayah and year, as sections of rows that
the .xlsx (`xlsx.py`) and the PDF (`pdf.py`) lay out the same way.

Every number comes from `compute_indicators` and the rollup breakdowns, so the report, the
dashboard and `naikkelas indicators --json` agree to the rupiah. A provinsi report repeats the
summary and class sections for each of its kab/kota, in the same layout.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from naikkelas.accounts.models import kode_level
from naikkelas.dashboard import charts
from naikkelas.dashboard.data import Breakdown, by_child, by_division, time_series
from naikkelas.enterprises.sizeclass import RULES
from naikkelas.indicators.definitions import by_key
from naikkelas.indicators.services import compute_indicators
from naikkelas.wilayah.models import Level

SUMMARY_KEYS = ("jumlah_usaha", "tenaga_kerja.laki_laki", "tenaga_kerja.perempuan",
                "tenaga_kerja.total", "investasi", "omzet", "nilai_produksi")
GROWTH_OF = {"jumlah_usaha": "jumlah_usaha", "tenaga_kerja.total": "tenaga_kerja",
             "investasi": "investasi", "omzet": "omzet", "nilai_produksi": "nilai_produksi"}


@dataclass
class Section:
    """One table: a title, its column headers and its rows (numbers stay numbers)."""

    title: str
    columns: list[str]
    rows: list[list[Any]]
    sheet: str = ""


@dataclass
class Chapter:
    """The sections of one wilayah: the report's own, or one kab/kota of a provinsi report."""

    kode: str
    nama: str
    indicators: dict
    sections: list[Section]
    charts: list[dict] = field(default_factory=list)


@dataclass
class Report:
    kode: str
    nama: str
    tahun: int
    main: Chapter
    parts: list[Chapter] = field(default_factory=list)

    @property
    def title(self) -> str:
        return _("Laporan Perkembangan IKM")

    @property
    def slug(self) -> str:
        return f"laporan-perkembangan-ikm-{self.kode or 'nasional'}-{self.tahun}"


def _dig(data: dict, key: str) -> Any:
    for part in key.split("."):
        data = data[part]
    return data


def summary(data: dict) -> Section:
    """Ringkasan: each headline indicator, its unit, this year's value and the growth."""
    rows = []
    for key in SUMMARY_KEYS:
        definition = by_key(key)
        growth = data["pertumbuhan"].get(GROWTH_OF.get(key, ""), None)
        rows.append([str(definition.label), str(definition.unit), _dig(data, key), growth])
    return Section(_("Summary"), [_("Indicator"), _("Unit"), str(data["tahun"]),
                                  _("Growth against the year before (%)")], rows, "Ringkasan")


def classes(data: dict) -> Section:
    """Kelas usaha: per rule, every class, naik kelas and the enterprises without figures."""
    rows = []
    for rule in RULES.values():
        rows += [[rule.name, kelas, n] for kelas, n in data["kelas"][rule.id].items()]
        rows.append([rule.name, _("naik kelas"), data["naik_kelas"][rule.id]])
        rows.append([rule.name, _("no figures"), data["tanpa_data"][rule.id]])
    return Section(_("Size classes and naik kelas"), [_("Rule"), _("Class"), _("Enterprises")],
                   rows, "Kelas usaha")


def breakdown(title: str, sheet: str, first: str, table: Breakdown, rule_id: str) -> Section:
    rows = [[r.key, r.label, r.totals["jumlah_usaha"], r.totals["laki_laki"],
             r.totals["perempuan"], r.totals["investasi"], r.totals["omzet"],
             r.totals["nilai_produksi"], r.naik_kelas] for r in table.rows]
    return Section(title, [first, _("Name"), _("Enterprises"), _("Workers, men"),
                           _("Workers, women"), _("Investment (Rp)"), _("Sales (Rp)"),
                           _("Production value (Rp)"),
                           _("Naik kelas (%(rule)s)") % {"rule": RULES[rule_id].name}],
                   rows, sheet)


def series_section(series: list[dict]) -> Section:
    rows = [[r["tahun"], r["jumlah_usaha"], r["laki_laki"] + r["perempuan"], r["investasi"],
             r["omzet"], r["nilai_produksi"], *(r["naik_kelas"][rule] for rule in RULES)]
            for r in series]
    return Section(_("Over the years"), [_("Year"), _("Enterprises"), _("Workers, total"),
                                         _("Investment (Rp)"), _("Sales (Rp)"),
                                         _("Production value (Rp)"),
                                         *(_("Naik kelas (%(rule)s)") % {"rule": r.name}
                                           for r in RULES.values())], rows, "Deret waktu")


def other_sections(data: dict) -> list[Section]:
    """The keys the domain apps add (sentra, program, bantuan, KUR, sertifikat), flattened."""
    known = {"wilayah", "nama_wilayah", "tahun", "jumlah_usaha", "tenaga_kerja", "investasi",
             "omzet", "nilai_produksi", "kelas", "naik_kelas", "tanpa_data", "pertumbuhan",
             "rules"}
    rows = [[key, value] for name, value in data.items() if name not in known
            for key, value in _flatten(name, value)]
    return [Section(_("Other indicators"), [_("Indicator"), _("Value")], rows, "Lainnya")] \
        if rows else []


def _flatten(prefix: str, value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [item for k, v in value.items() for item in _flatten(f"{prefix}.{k}", v)]
    return [(prefix, value)]


def chapter(kode: str, tahun: int, rule_id: str, full: bool) -> Chapter:
    data = compute_indicators(kode, tahun)
    sections = [summary(data), classes(data)]
    chart_list: list[dict] = []
    if full:
        series, children = time_series(kode), by_child(kode, tahun, rule_id)
        divisions = by_division(kode, tahun, rule_id)
        if children.rows:
            sections.append(breakdown(_("Per wilayah"), "Per wilayah", _("Code"), children,
                                      rule_id))
        sections.append(breakdown(_("Per KBLI division"), "Per KBLI", _("KBLI"), divisions,
                                  rule_id))
        sections.append(series_section(series))
        sections += other_sections(data)
        chart_list = charts.dashboard_charts(series, children, divisions, data,
                                             RULES[rule_id])["general"]
    return Chapter(kode, data["nama_wilayah"], data, sections, chart_list)


def build_report(kode: str, tahun: int, rule_id: str | None = None) -> Report:
    """The report of a wilayah and year; for a provinsi, with a chapter per kab/kota."""
    rule_id = rule_id or next(iter(RULES))
    main = chapter(kode, tahun, rule_id, full=True)
    report = Report(kode, main.nama, tahun, main)
    if kode_level(kode) == Level.PROVINSI:
        report.parts = [chapter(row.key, tahun, rule_id, full=False)
                        for row in by_child(kode, tahun, rule_id).rows]
    return report
