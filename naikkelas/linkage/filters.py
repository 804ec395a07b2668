"""The duplicate queue filter: one FilterSet for the web list and the API."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from naikkelas.linkage.models import CandidateStatus, DuplicateCandidate
from naikkelas.wilayah.models import Level, Wilayah


class DuplicateCandidateFilter(django_filters.FilterSet):
    wilayah = django_filters.ChoiceFilter(label=_("Provinsi / kab/kota"), method="filter_wilayah",
                                          empty_label=_("All in my wilayah"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CandidateStatus.choices,
                                         empty_label=_("All"))
    min_score = django_filters.NumberFilter(label=_("Score at least"), field_name="score",
                                            lookup_expr="gte", min_value=0, max_value=1)

    class Meta:
        model = DuplicateCandidate
        fields = ["wilayah", "status", "min_score"]

    def __init__(self, data=None, *args, user, **kwargs) -> None:
        data = data.copy() if data is not None else {}
        data.setdefault("status", CandidateStatus.OPEN)
        super().__init__(data, *args, **kwargs)
        self.user = user
        areas = Wilayah.objects.visible_to(user).filter(
            level__in=[Level.PROVINSI, Level.KABKOTA]).only("kode", "nama")
        self.filters["wilayah"].extra["choices"] = lambda: [(w.kode, f"{w.kode} {w.nama}")
                                                            for w in areas]

    @property
    def qs(self) -> QuerySet:
        self.queryset = (DuplicateCandidate.objects.visible_to(self.user).live()
                         .select_related("enterprise_a__kecamatan", "enterprise_b__kecamatan"))
        return super().qs

    def filter_wilayah(self, queryset, name, value):
        return queryset.in_wilayah(value)
