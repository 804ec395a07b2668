"""What the dashboard and the report show, read from the stored rollups only.

Every function is a fixed number of queries whatever the size of the registry; the numbers are
the same rows `compute_indicators` reads, so the dashboard, the report and `naikkelas indicators
--json` agree to the rupiah.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from naikkelas.accounts.models import kode_level
from naikkelas.enterprises.sizeclass import RULES
from naikkelas.indicators.definitions import ROLLUP_COLUMNS
from naikkelas.indicators.models import ALL_DIVISIONS, NO_KBLI, Rollup, RollupClass
from naikkelas.kbli.models import Kbli
from naikkelas.wilayah.models import Level, Wilayah


@dataclass
class Row:
    """One line of a breakdown: a child wilayah or a KBLI division, with its totals."""

    key: str
    label: str
    totals: dict[str, int]
    naik_kelas: int = 0
    url: str = ""

    @property
    def tenaga_kerja(self) -> int:
        return self.totals["laki_laki"] + self.totals["perempuan"]


@dataclass
class Breakdown:
    rows: list[Row] = field(default_factory=list)

    def chart(self, value: str = "jumlah_usaha") -> dict[str, list]:
        """x labels and y values of a bar chart, for json_script."""
        return {"x": [r.label for r in self.rows], "y": [r.totals[value] for r in self.rows],
                "naik": [r.naik_kelas for r in self.rows]}


def _zero() -> dict[str, int]:
    return dict.fromkeys(ROLLUP_COLUMNS, 0)


def years_with_figures(kode: str) -> list[int]:
    """The years in which the wilayah has any enterprise with figures, oldest first."""
    return sorted(Rollup.objects.filter(kode=kode, kbli_division=ALL_DIVISIONS,
                                        jumlah_usaha__gt=0).values_list("tahun", flat=True))


def time_series(kode: str) -> list[dict[str, Any]]:
    """Totals and naik kelas per rule of every year, oldest first (two queries)."""
    rows = (Rollup.objects.filter(kode=kode, kbli_division=ALL_DIVISIONS)
            .order_by("tahun").values("tahun", *ROLLUP_COLUMNS))
    naik = (RollupClass.objects.filter(kode=kode, kbli_division=ALL_DIVISIONS)
            .values_list("tahun", "rule").annotate(n=Sum("naik_kelas")).order_by())
    by_year: dict[tuple[int, str], int] = {(t, r): n for t, r, n in naik}
    return [{**row, "naik_kelas": {rule: by_year.get((row["tahun"], rule), 0) for rule in RULES}}
            for row in rows]


def _naik_by(filters: dict[str, Any], key: str, rule: str) -> dict[str, int]:
    rows = (RollupClass.objects.filter(rule=rule, **filters).values_list(key)
            .annotate(n=Sum("naik_kelas")).order_by())
    return dict(rows)


def child_wilayah(kode: str) -> list[tuple[str, str]]:
    """(kode, nama) of the wilayah one level below, in code order; none below a kecamatan."""
    level = kode_level(kode)
    if level >= Level.KECAMATAN:
        return []
    children = Wilayah.objects.filter(level=level + 1)
    children = children.filter(parent_id=kode) if kode else children
    return list(children.order_by("kode").values_list("kode", "nama"))


def by_child(kode: str, tahun: int, rule: str) -> Breakdown:
    """Every child wilayah (also those without figures) with its totals and naik kelas."""
    children = child_wilayah(kode)
    if not children:
        return Breakdown()
    filters = {"level": kode_level(kode) + 1, "parent": kode, "tahun": tahun,
               "kbli_division": ALL_DIVISIONS}
    totals = {row.pop("kode"): row for row in Rollup.objects.filter(**filters)
              .values("kode", *ROLLUP_COLUMNS)}
    naik = _naik_by(filters, "kode", rule)
    return Breakdown([Row(k, nama, totals.get(k, _zero()), naik.get(k, 0))
                      for k, nama in children])


def division_label(division: str, titles: dict[str, str]) -> str:
    if division == NO_KBLI:
        return _("No KBLI code")
    title = titles.get(division, "")
    return f"{division} {title.capitalize()}".strip()


def by_division(kode: str, tahun: int, rule: str) -> Breakdown:
    """The KBLI divisions (golongan pokok) with figures in the wilayah and year."""
    filters = {"kode": kode, "tahun": tahun}
    rows = (Rollup.objects.filter(**filters).exclude(kbli_division=ALL_DIVISIONS)
            .order_by("kbli_division").values("kbli_division", *ROLLUP_COLUMNS))
    rows = [dict(row) for row in rows]
    titles = dict(Kbli.objects.filter(kode__in=[r["kbli_division"] for r in rows])
                  .values_list("kode", "judul"))
    naik = _naik_by({**filters, "kbli_division__gt": ALL_DIVISIONS}, "kbli_division", rule)
    return Breakdown([Row(r["kbli_division"], division_label(r["kbli_division"], titles),
                          {c: r[c] for c in ROLLUP_COLUMNS}, naik.get(r["kbli_division"], 0))
                      for r in rows])
