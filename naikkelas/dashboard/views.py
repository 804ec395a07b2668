"""The home page: the headline numbers of the user's wilayah for the latest year with figures."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from naikkelas.enterprises.filters import latest_year
from naikkelas.enterprises.models import Enterprise
from naikkelas.enterprises.sizeclass import RULES
from naikkelas.wilayah.models import Wilayah


@login_required
def home(request: HttpRequest) -> HttpResponse:
    kode = request.user.kode_wilayah
    enterprises = Enterprise.objects.visible_to(request.user).active()
    year = _chosen_year(request) or latest_year(enterprises)
    context = {"year": year, "wilayah_label": Wilayah.label_for(kode),
               "rules": list(RULES.values()), "indicators": None,
               "registered": enterprises.count()}
    if year:
        from naikkelas.indicators.services import compute_indicators

        context["indicators"] = compute_indicators(kode, year)
        context["rule_rows"] = _rule_rows(context["indicators"])
    return render(request, "dashboard/home.html", context)


def _chosen_year(request: HttpRequest) -> int | None:
    value = request.GET.get("tahun", "")
    return int(value) if value.isdigit() and 1900 <= int(value) <= 2100 else None


def _rule_rows(indicators: dict) -> list[dict]:
    """One row per rule: its classes with counts, and the naik kelas count."""
    return [
        {"rule": rule, "classes": [(k, indicators["kelas"][rule.id].get(k, 0))
                                   for k in rule.classes],
         "naik_kelas": indicators["naik_kelas"][rule.id]}
        for rule in RULES.values()
    ]
