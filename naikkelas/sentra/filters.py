"""The sentra list filter: one FilterSet for the web list and the API."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from naikkelas.enterprises.filters import YES_NO
from naikkelas.kbli.models import Kbli
from naikkelas.sentra.models import Sentra, SentraStatus
from naikkelas.wilayah.models import Level, Wilayah


class SentraFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q",
                                  widget=forms.TextInput(attrs={
                                      "placeholder": _("Name or komoditas"), "type": "search"}))
    wilayah = django_filters.ChoiceFilter(label=_("Provinsi / kab/kota"), method="filter_wilayah",
                                          empty_label=_("All in my wilayah"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SentraStatus.choices,
                                         empty_label=_("All"))
    kbli = django_filters.ChoiceFilter(label=_("KBLI"), method="filter_kbli",
                                       empty_label=_("All KBLI"))
    flagged = django_filters.ChoiceFilter(label=_("Fewer than 5 similar members"), choices=YES_NO,
                                          method="filter_flagged", empty_label=_("All"))

    class Meta:
        model = Sentra
        fields = ["q", "wilayah", "status", "kbli", "flagged"]

    def __init__(self, data=None, *args, user, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        self.user = user
        # Callables: queried only when the form is rendered or validated.
        areas = (Wilayah.objects.visible_to(user)
                 .filter(level__in=[Level.PROVINSI, Level.KABKOTA]).only("kode", "nama"))
        divisions = Kbli.objects.manufacturing().filter(level__in=[2, 5]).only("kode", "judul")
        self.filters["wilayah"].extra["choices"] = lambda: [(w.kode, f"{w.kode} {w.nama}")
                                                            for w in areas]
        self.filters["kbli"].extra["choices"] = lambda: [(k.kode, f"{k.kode} {k.judul[:60]}")
                                                         for k in divisions]

    @property
    def qs(self) -> QuerySet:
        self.queryset = (Sentra.objects.visible_to(self.user).with_member_counts()
                         .select_related("kecamatan__parent", "kbli"))
        return super().qs

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_wilayah(self, queryset, name, value):
        return queryset.in_wilayah(value)

    def filter_kbli(self, queryset, name, value):
        return queryset.filter(kbli__kode__startswith=value)

    def filter_flagged(self, queryset, name, value):
        return queryset.filter(flagged=(value == "ya"))
