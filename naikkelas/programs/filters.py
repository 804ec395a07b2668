"""List filters of programs, prospects and KUB groups: one FilterSet each for the page and the
API. Each starts from `visible_to(user)`."""

import django_filters
from django import forms
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from naikkelas.core.scope import wilayah_q
from naikkelas.core.validators import KODE_WILAYAH
from naikkelas.programs.models import (
    BudgetSource, KubGroup, OrganiserLevel, Program, ProgramType, Prospect,
)
from naikkelas.wilayah.models import Level, Wilayah


class ScopedFilterSet(django_filters.FilterSet):
    """A FilterSet whose queryset is the user's visible records, with a wilayah picker."""

    wilayah = django_filters.ChoiceFilter(label=_("Wilayah"), method="filter_wilayah",
                                          empty_label=_("All in my wilayah"))
    wilayah_field = "kode_wilayah"

    def __init__(self, data=None, *args, user, **kwargs) -> None:
        kwargs.pop("queryset", None)  # the API backend passes its own; the scope is ours
        super().__init__(data, *args, queryset=self.base(user), **kwargs)
        self.user = user
        areas = Wilayah.objects.visible_to(user).filter(
            level__in=[Level.PROVINSI, Level.KABKOTA]).only("kode", "nama")
        self.filters["wilayah"].extra["choices"] = lambda: [(w.kode, f"{w.kode} {w.nama}")
                                                            for w in areas]

    def base(self, user) -> QuerySet:
        raise NotImplementedError

    def filter_wilayah(self, queryset, name, value):
        if not KODE_WILAYAH.fullmatch(value):
            return queryset.none()
        return queryset.filter(wilayah_q(value, self.wilayah_field))


class ProgramFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="name", lookup_expr="icontains",
                                  widget=forms.TextInput(attrs={"type": "search"}))
    program_type = django_filters.ChoiceFilter(label=_("Type"), choices=ProgramType.choices,
                                               empty_label=_("All"))
    organiser_level = django_filters.ChoiceFilter(label=_("Organiser level"),
                                                  choices=OrganiserLevel.choices,
                                                  empty_label=_("All"))
    budget_source = django_filters.ChoiceFilter(label=_("Budget source"),
                                                choices=BudgetSource.choices,
                                                empty_label=_("All"))
    tahun = django_filters.NumberFilter(label=_("Year"), field_name="start_date",
                                        lookup_expr="year")

    class Meta:
        model = Program
        fields = ["q", "program_type", "organiser_level", "budget_source", "tahun", "wilayah"]

    def base(self, user) -> QuerySet:
        return Program.objects.visible_to(user).annotate(
            participant_count=Count("participations", distinct=True),
            delivery_count=Count("deliveries", distinct=True))


class ProspectFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="name", lookup_expr="icontains",
                                  widget=forms.TextInput(attrs={"type": "search"}))
    wilayah_field = "kecamatan__kode"

    class Meta:
        model = Prospect
        fields = ["q", "wilayah"]

    def base(self, user) -> QuerySet:
        return Prospect.objects.visible_to(user).select_related("kecamatan", "enterprise")


class KubGroupFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="name", lookup_expr="icontains",
                                  widget=forms.TextInput(attrs={"type": "search"}))
    wilayah_field = "kecamatan__kode"

    class Meta:
        model = KubGroup
        fields = ["q", "wilayah"]

    def base(self, user) -> QuerySet:
        return KubGroup.objects.visible_to(user).select_related("kecamatan").annotate(
            member_count=Count("members"))
