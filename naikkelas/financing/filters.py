"""Financing list filters: one FilterSet per list, for the web page and the API."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from naikkelas.enterprises.models import MAX_YEAR, MIN_YEAR
from naikkelas.financing.models import LenderReport, Loan, LoanStatus, Scheme
from naikkelas.wilayah.models import Level, Wilayah


def _area_choices(filterset: django_filters.FilterSet, user) -> None:
    """Provinsi and kab/kota of the user's wilayah, queried only when used."""
    areas = (Wilayah.objects.visible_to(user)
             .filter(level__in=[Level.PROVINSI, Level.KABKOTA]).only("kode", "nama"))
    filterset.filters["wilayah"].extra["choices"] = lambda: [(w.kode, f"{w.kode} {w.nama}")
                                                             for w in areas]


class LoanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="enterprise__name",
                                  lookup_expr="icontains", widget=forms.TextInput(
                                      attrs={"placeholder": _("Enterprise"), "type": "search"}))
    wilayah = django_filters.ChoiceFilter(label=_("Provinsi / kab/kota"), method="filter_wilayah",
                                          empty_label=_("All in my wilayah"))
    scheme = django_filters.ChoiceFilter(label=_("Scheme"), choices=Scheme.choices,
                                         empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=LoanStatus.choices,
                                         empty_label=_("All"))
    tahun = django_filters.NumberFilter(label=_("Akad year"), field_name="akad_date",
                                        lookup_expr="year", min_value=MIN_YEAR,
                                        max_value=MAX_YEAR, decimal_places=0)

    class Meta:
        model = Loan
        fields = ["q", "wilayah", "scheme", "status", "tahun"]

    def __init__(self, data=None, *args, user, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        self.user = user
        _area_choices(self, user)

    @property
    def qs(self) -> QuerySet:
        self.queryset = (Loan.objects.visible_to(self.user)
                         .select_related("enterprise__kecamatan"))
        return super().qs

    def filter_wilayah(self, queryset, name, value):
        return queryset.in_wilayah(value)


class LenderReportFilter(django_filters.FilterSet):
    wilayah = django_filters.ChoiceFilter(label=_("Provinsi / kab/kota"), method="filter_wilayah",
                                          empty_label=_("All in my wilayah"))
    lender = django_filters.CharFilter(label=_("Lender"), lookup_expr="icontains")

    class Meta:
        model = LenderReport
        fields = ["wilayah", "lender"]

    def __init__(self, data=None, *args, user, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        self.user = user
        _area_choices(self, user)

    @property
    def qs(self) -> QuerySet:
        self.queryset = LenderReport.objects.visible_to(self.user).select_related("kabkota")
        return super().qs

    def filter_wilayah(self, queryset, name, value):
        return queryset.in_wilayah(value)
