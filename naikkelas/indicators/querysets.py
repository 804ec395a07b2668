"""Direct aggregates over the base tables (annual reports, classifications), without rollups.

Not used by the pages: `compute_indicators` reads the rollups. These are the reference the
equality test and `make bench-dashboard` compare the rollups with ("a plain GROUP BY on the base
tables"). `IndicatorQuerySet` extends the registry's `AnnualReportQuerySet`, so the one scoping
rule (`in_wilayah`, which also drops soft-deleted enterprises) stays defined in one place.
"""

from django.db.models import BigIntegerField, Count, Q, Sum, Value
from django.db.models.functions import Coalesce

from naikkelas.enterprises.models import AnnualReport, SizeClassification
from naikkelas.enterprises.querysets import AnnualReportQuerySet
from naikkelas.indicators.models import ALL_DIVISIONS, NO_KBLI

SUMMED_FIELDS = {
    "laki_laki": "workers_male",
    "perempuan": "workers_female",
    "investasi": "investment",
    "omzet": "sales",
    "nilai_produksi": "production_value",
}


def _total(field: str) -> Coalesce:
    # NULL figures are left out of the sum; an empty selection sums to 0, not NULL.
    return Coalesce(Sum(field), Value(0), output_field=BigIntegerField())


class IndicatorQuerySet(AnnualReportQuerySet):
    """Annual reports with aggregate methods for indicators."""

    def in_division(self, division: str) -> "IndicatorQuerySet":
        """Reports of enterprises in one KBLI division ('' = all, '-' = without KBLI)."""
        if division == ALL_DIVISIONS:
            return self
        if division == NO_KBLI:
            return self.filter(enterprise__kbli__isnull=True)
        return self.filter(enterprise__kbli__kode__startswith=division)

    def totals(self) -> dict[str, int]:
        """Number of reports and the sums of workers, investment, sales and production value.

        One report per enterprise and year, so within one year the report count is the number
        of enterprises with figures.
        """
        sums = {key: _total(field) for key, field in SUMMED_FIELDS.items()}
        row = self.order_by().aggregate(jumlah_usaha=Count("pk"), **sums)
        return {key: int(value) for key, value in row.items()}

    def class_counts(self) -> dict[tuple[str, str], tuple[int, int]]:
        """(rule, kelas) -> (number of reports in that class, how many of them moved up)."""
        rows = (SizeClassification.objects.filter(report__in=self)
                .values_list("rule", "kelas")
                .annotate(n=Count("pk"), naik=Count("pk", filter=Q(naik_kelas=True)))
                .order_by())
        return {(rule, kelas): (n, naik) for rule, kelas, n, naik in rows}


def indicator_reports() -> IndicatorQuerySet:
    """All annual reports, as an IndicatorQuerySet: chain `.in_wilayah(kode).for_year(tahun)`."""
    return IndicatorQuerySet(model=AnnualReport)


def direct_figures(kode: str, tahun: int, division: str = ALL_DIVISIONS) -> dict:
    """Totals and class counts of a wilayah, year and division counted on the base tables."""
    reports = indicator_reports().in_wilayah(kode).for_year(tahun).in_division(division)
    return {"totals": reports.totals(), "classes": reports.class_counts()}
