"""The certificate list filter: one FilterSet for the web list and the API."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naikkelas.certifications.models import Certificate, CertificateType
from naikkelas.wilayah.models import Level, Wilayah

VALIDITY = (("berlaku", _("valid")), ("kedaluwarsa", _("expired")))


class CertificateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", widget=forms.TextInput(
        attrs={"placeholder": _("Enterprise or number"), "type": "search"}))
    wilayah = django_filters.ChoiceFilter(label=_("Provinsi / kab/kota"), method="filter_wilayah",
                                          empty_label=_("All in my wilayah"))
    type = django_filters.ChoiceFilter(label=_("Type"), choices=CertificateType.choices,
                                       empty_label=_("All"))
    berlaku = django_filters.ChoiceFilter(label=_("Validity"), choices=VALIDITY,
                                          method="filter_validity", empty_label=_("All"))

    class Meta:
        model = Certificate
        fields = ["q", "wilayah", "type", "berlaku"]

    def __init__(self, data=None, *args, user, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        self.user = user
        areas = (Wilayah.objects.visible_to(user)
                 .filter(level__in=[Level.PROVINSI, Level.KABKOTA]).only("kode", "nama"))
        self.filters["wilayah"].extra["choices"] = lambda: [(w.kode, f"{w.kode} {w.nama}")
                                                            for w in areas]

    @property
    def qs(self) -> QuerySet:
        self.queryset = (Certificate.objects.visible_to(self.user)
                         .select_related("enterprise__kecamatan", "program"))
        return super().qs

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(number__icontains=value))

    def filter_wilayah(self, queryset, name, value):
        return queryset.in_wilayah(value)

    def filter_validity(self, queryset, name, value):
        today = timezone.localdate()
        valid = queryset.valid_on(today)
        return valid if value == "berlaku" else queryset.exclude(pk__in=valid.values("pk"))
