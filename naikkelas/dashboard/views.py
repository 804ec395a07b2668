"""The dashboard of a wilayah (home page and drill-down), the indicator definitions, plotly.js."""

from pathlib import Path

import plotly
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from naikkelas.core.scope import kode_within
from naikkelas.dashboard import charts
from naikkelas.dashboard.data import by_child, by_division, time_series, years_with_figures
from naikkelas.dashboard.opendata import HEADER, THRESHOLD, published_years
from naikkelas.dashboard.opendata import open_data_csv as open_data_csv_text
from naikkelas.dashboard.report import build_report
from naikkelas.dashboard.services import record_report_export
from naikkelas.enterprises.models import MAX_YEAR, MIN_YEAR
from naikkelas.enterprises.sizeclass import RULES, SizeRule
from naikkelas.indicators.definitions import INDICATORS
from naikkelas.indicators.services import compute_indicators, indicator_wilayah
from naikkelas.wilayah.models import Wilayah

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
YEAR_SECONDS = 365 * 24 * 3600


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard of the user's own wilayah."""
    return _dashboard(request, request.user.kode_wilayah)


@login_required
def wilayah(request: HttpRequest, kode: str) -> HttpResponse:
    """The dashboard of a wilayah inside the user's scope (drill-down); elsewhere 404."""
    return _dashboard(request, scoped_kode(request.user, kode))


def scoped_kode(user, kode: str) -> str:
    """The kode of a URL ('nasional' = ''), if it is a known wilayah inside the user's scope."""
    try:
        kode = indicator_wilayah(kode)
    except ValidationError:
        raise Http404 from None
    if not user.covers(kode):
        raise Http404
    return kode


def _dashboard(request: HttpRequest, kode: str) -> HttpResponse:
    years = years_with_figures(kode)
    year = chosen_year(request) or (years[-1] if years else None)
    rule = chosen_rule(request)
    context = {"kode": kode, "year": year, "years": years, "rule": rule,
               "rules": list(RULES.values()), "wilayah_label": Wilayah.label_for(kode),
               "indicators": None, "trail": trail(request.user, kode)}
    if year:
        context.update(_figures(kode, year, rule))
    if request.htmx and request.GET.get("bagian") == "naik-kelas":
        return render(request, "dashboard/home.html#naik-kelas", context)
    return render(request, "dashboard/home.html", context)


def _figures(kode: str, year: int, rule: SizeRule) -> dict:
    indicators = compute_indicators(kode, year)
    series = time_series(kode)
    children = by_child(kode, year, rule.id)
    for row in children.rows:
        row.url = f"{dashboard_url(row.key)}?tahun={year}&aturan={rule.id}"
    divisions = by_division(kode, year, rule.id)
    return {"indicators": indicators, "rule_rows": rule_rows(indicators), "children": children,
            "divisions": divisions, "rule_naik": indicators["naik_kelas"][rule.id],
            "plotly_version": plotly.__version__,
            "charts": charts.dashboard_charts(series, children, divisions, indicators, rule)}


def dashboard_url(kode: str) -> str:
    return reverse("dashboard:wilayah", kwargs={"kode": kode or "nasional"})


def trail(user, kode: str) -> list[tuple[str, str]]:
    """(label, url) from the user's own wilayah down to `kode`: never above the user's scope."""
    codes = [""] + [kode[:n] for n in (2, 5, 8) if len(kode) >= n]
    codes = [c for c in codes if kode_within(c, user.kode_wilayah)]
    names = dict(Wilayah.objects.filter(kode__in=codes).values_list("kode", "nama"))
    return [(names.get(c) or Wilayah.label_for(""), dashboard_url(c)) for c in codes]


def chosen_year(request: HttpRequest) -> int | None:
    value = request.GET.get("tahun", "")
    return int(value) if value.isdigit() and MIN_YEAR <= int(value) <= MAX_YEAR else None


def chosen_rule(request: HttpRequest) -> SizeRule:
    """The size rule picked in the selector; the first rule when none or an unknown one."""
    return RULES.get(request.GET.get("aturan", ""), next(iter(RULES.values())))


def rule_rows(indicators: dict) -> list[dict]:
    """One row per rule: its classes with counts, and the naik kelas count."""
    return [
        {"rule": rule, "classes": [(k, indicators["kelas"][rule.id].get(k, 0))
                                   for k in rule.classes],
         "naik_kelas": indicators["naik_kelas"][rule.id]}
        for rule in RULES.values()
    ]


@login_required
def definitions(request: HttpRequest) -> HttpResponse:
    """Definisi indikator: every indicator, from the one registry of definitions."""
    return render(request, "dashboard/definitions.html",
                  {"indicators": INDICATORS, "rules": list(RULES.values())})


@require_GET
def plotly_js(request: HttpRequest) -> FileResponse:
    """plotly.js from the installed `plotly` package (no CDN); the URL carries its version, so
    browsers may keep it for a year."""
    response = FileResponse(PLOTLY_JS.open("rb"), content_type="text/javascript")
    response["Cache-Control"] = f"public, max-age={YEAR_SECONDS}, immutable"
    return response


@login_required
def report_xlsx(request: HttpRequest, kode: str, year: int) -> HttpResponse:
    """Laporan Perkembangan IKM as .xlsx, for a wilayah in scope; audit-logged."""
    return _report(request, kode, year, "xlsx")


@login_required
def report_pdf(request: HttpRequest, kode: str, year: int) -> HttpResponse:
    """Laporan Perkembangan IKM as PDF, for a wilayah in scope; audit-logged."""
    return _report(request, kode, year, "pdf")


REPORT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "pdf": "application/pdf"}


def _report(request: HttpRequest, kode: str, year: int, fmt: str) -> HttpResponse:
    from naikkelas.dashboard import pdf, xlsx  # WeasyPrint loads slowly: only when asked

    kode = scoped_kode(request.user, kode)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    report = build_report(kode, year, chosen_rule(request).id)
    content = xlsx.workbook(report) if fmt == "xlsx" else pdf.document(report)
    record_report_export(actor=request.user, kode=kode, tahun=year, fmt=fmt)
    response = HttpResponse(content, content_type=REPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{report.slug}.{fmt}"'
    return response


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    """Public page (no login): what the open-data CSV holds and how small counts are hidden."""
    return render(request, "dashboard/open_data.html",
                  {"years": published_years(), "header": HEADER, "threshold": THRESHOLD,
                   "rules": list(RULES.values())})


@require_GET
def open_data_csv(request: HttpRequest, year: int) -> HttpResponse:
    """Public CSV of the aggregates of one year, with small counts suppressed."""
    if year not in published_years():
        raise Http404
    response = HttpResponse(open_data_csv_text(year), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ikm-agregat-{year}.csv"'
    return response
