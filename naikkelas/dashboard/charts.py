"""Chart specifications: plain data that plotly.js draws on the dashboard (through json_script)
and `svg.py` draws in the PDF report, so both show the same numbers."""

from typing import Any

from django.utils.translation import gettext as _

from naikkelas.dashboard.data import Breakdown
from naikkelas.enterprises.sizeclass import SizeRule

Chart = dict[str, Any]


def chart(chart_id: str, title: str, kind: str, x: list, series: list[tuple[str, list]]) -> Chart:
    """kind 'bar' or 'line'; series are (name, values) in the order of x."""
    return {"id": chart_id, "data_id": f"{chart_id}-data", "title": title, "kind": kind,
            "x": [str(v) for v in x],
            "series": [{"name": name, "y": list(values)} for name, values in series]}


def series_charts(series: list[dict]) -> list[Chart]:
    years = [row["tahun"] for row in series]
    return [
        chart("chart-series", _("Enterprises and workers per year"), "line", years, [
            (_("Enterprises with figures"), [r["jumlah_usaha"] for r in series]),
            (_("Workers, total"), [r["laki_laki"] + r["perempuan"] for r in series])]),
        chart("chart-amounts", _("Investment, sales and production value per year (Rp)"),
              "line", years, [
                  (_("Investment excl. land and buildings"), [r["investasi"] for r in series]),
                  (_("Sales (omzet)"), [r["omzet"] for r in series]),
                  (_("Production value"), [r["nilai_produksi"] for r in series])]),
    ]


def breakdown_chart(chart_id: str, title: str, breakdown: Breakdown) -> Chart:
    return chart(chart_id, title, "bar", [r.label for r in breakdown.rows], [
        (_("Enterprises with figures"), [r.totals["jumlah_usaha"] for r in breakdown.rows])])


def rule_charts(series: list[dict], children: Breakdown, indicators: dict,
                rule: SizeRule) -> list[Chart]:
    """The charts of the naik kelas section, for the chosen rule."""
    out = [
        chart("chart-classes", _("Enterprises per class: %(rule)s") % {"rule": rule.name}, "bar",
              list(rule.classes), [(_("Enterprises"), list(indicators["kelas"][rule.id].values()))]),
        chart("chart-naik-series", _("Naik kelas per year: %(rule)s") % {"rule": rule.name},
              "line", [r["tahun"] for r in series],
              [(_("Naik kelas"), [r["naik_kelas"][rule.id] for r in series])]),
    ]
    if children.rows:
        out.append(chart("chart-naik-children", _("Naik kelas per wilayah: %(rule)s")
                         % {"rule": rule.name}, "bar", [r.label for r in children.rows],
                         [(_("Naik kelas"), [r.naik_kelas for r in children.rows])]))
    return out


def dashboard_charts(series: list[dict], children: Breakdown, divisions: Breakdown,
                     indicators: dict, rule: SizeRule) -> dict[str, list[Chart]]:
    general = series_charts(series)
    if children.rows:
        general.append(breakdown_chart("chart-children", _("Enterprises per wilayah"), children))
    general.append(breakdown_chart("chart-divisions", _("Enterprises per KBLI division"),
                                   divisions))
    return {"general": general, "rule": rule_charts(series, children, indicators, rule)}
