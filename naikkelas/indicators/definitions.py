"""One definition of each indicator: its key in `compute_indicators`, label, unit, description and
how it is computed. The rollup tables, the SQL that fills them, the dashboard, the report, the
open-data export and the page "Definisi indikator" all read this registry, so an indicator is
defined once.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Indicator:
    """An indicator of a wilayah and year.

    `key` is its dotted path in the dict of `compute_indicators`. `column` names the column of
    `Rollup` it is stored in and `source` the SQL aggregate over the base tables (alias `r` is
    the annual report) that fills it; derived indicators have neither.
    """

    key: str
    label: Promise
    unit: Promise
    description: Promise
    computation: Promise
    column: str = ""
    source: str = ""


RUPIAH, UNIT, PERSON, PERCENT = _("rupiah"), _("enterprises"), _("people"), _("percent")

STORED: tuple[Indicator, ...] = (
    Indicator("jumlah_usaha", _("Enterprises with figures"), UNIT,
              _("Non-deleted enterprises located in the wilayah that have an annual report for "
                "the year."),
              _("Number of annual reports of the year (one per enterprise and year)."),
              "jumlah_usaha", "COUNT(*)"),
    Indicator("tenaga_kerja.laki_laki", _("Workers, men"), PERSON,
              _("Male workers reported in the annual reports of the year."),
              _("Sum of the men workers of the reports."), "laki_laki", "SUM(r.workers_male)"),
    Indicator("tenaga_kerja.perempuan", _("Workers, women"), PERSON,
              _("Female workers reported in the annual reports of the year."),
              _("Sum of the women workers of the reports."), "perempuan",
              "SUM(r.workers_female)"),
    Indicator("investasi", _("Investment excl. land and buildings"), RUPIAH,
              _("Investment value excluding land and buildings, whole rupiah."),
              _("Sum over the reports; a report without the figure adds nothing."), "investasi",
              "COALESCE(SUM(r.investment), 0)"),
    Indicator("omzet", _("Sales (omzet)"), RUPIAH, _("Annual sales, whole rupiah."),
              _("Sum over the reports; a report without the figure adds nothing."), "omzet",
              "COALESCE(SUM(r.sales), 0)"),
    Indicator("nilai_produksi", _("Production value"), RUPIAH,
              _("Value of the year's production, whole rupiah."),
              _("Sum over the reports; a report without the figure adds nothing."),
              "nilai_produksi", "COALESCE(SUM(r.production_value), 0)"),
)
DERIVED: tuple[Indicator, ...] = (
    Indicator("tenaga_kerja.total", _("Workers, total"), PERSON,
              _("All workers, men and women."), _("Men plus women.")),
    Indicator("kelas", _("Enterprises per size class"), UNIT,
              _("For each size rule, the enterprises with figures in each of its classes."),
              _("Count of the year's reports by their stored class under the rule.")),
    Indicator("naik_kelas", _("Naik kelas"), UNIT,
              _("For each size rule, the enterprises whose class this year is higher than in the "
                "year before."),
              _("Count of the year's reports whose class rank under the rule exceeds the rank of "
                "the same enterprise's report of the year before; none without that report.")),
    Indicator("tanpa_data", _("Without the figures a rule needs"), UNIT,
              _("For each size rule, the enterprises with a report that lacks a figure the rule "
                "reads, so that they have no class."),
              _("Enterprises with figures minus the enterprises with a class under the rule.")),
    Indicator("pertumbuhan", _("Growth against the year before"), PERCENT,
              _("Change of the enterprises, workers, investment, sales and production value "
                "against the same wilayah the year before."),
              _("(this year - year before) / year before x 100, from the stored rollups, rounded "
                "to two decimals; empty when the year before is zero.")),
)
INDICATORS: tuple[Indicator, ...] = STORED + DERIVED
# The indicators whose growth `pertumbuhan` reports, by their key.
GROWTH_KEYS: tuple[str, ...] = ("jumlah_usaha", "tenaga_kerja.total", "investasi", "omzet",
                                "nilai_produksi")
ROLLUP_COLUMNS: tuple[str, ...] = tuple(i.column for i in STORED)


def by_key(key: str) -> Indicator:
    """The definition of one indicator, by its dotted key."""
    return next(i for i in INDICATORS if i.key == key)
