"""The enterprise list filter: one FilterSet for the web list, the export and the API.

Class and naik kelas are read for one year (the `tahun` filter, default the latest year with data
in the user's wilayah) under one rule (the `aturan` filter). The web table and the export also
show that year's figures and class (`figures=True`, the default); the API shows every year instead
and asks for the bare filtered enterprises (`figures=False`), so it pays for no annotation and no
latest-year query unless it filters by class.
"""

from functools import cache, cached_property

import django_filters
from django import forms
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naikkelas.core.validators import KODE_WILAYAH
from naikkelas.enterprises.models import AnnualReport, Enterprise, SizeClassification, Status
from naikkelas.enterprises.sizeclass import RULES
from naikkelas.kbli.models import Kbli
from naikkelas.wilayah.models import Level, Wilayah

DEFAULT_RULE = "permenperin-64-2016"
YEARS_OFFERED = 12  # the year picker's range; the filter itself accepts any year
YES_NO = (("ya", _("yes")), ("tidak", _("no")))


def latest_year(enterprises: QuerySet) -> int | None:
    """The most recent year with figures among these enterprises."""
    return (AnnualReport.objects.filter(enterprise__in=enterprises)
            .order_by("-year").values_list("year", flat=True).first())


def classes_in(year: int | None, rule: str) -> QuerySet:
    """The size class of the outer enterprise in `year` under `rule` (one row at most), by the
    columns copied from the report: an index lookup without a join."""
    return SizeClassification.objects.filter(enterprise=OuterRef("pk"), year=year, rule=rule)


def with_year_figures(enterprises: QuerySet, year: int | None, rule: str) -> QuerySet:
    """Annotate each enterprise with its figures and class in `year` under `rule`."""
    classes = classes_in(year, rule)
    return enterprises.annotate(
        yr=FilteredRelation("reports", condition=Q(reports__year=year)),
        kelas=Subquery(classes.values("kelas")[:1]),
        kelas_rank=Subquery(classes.values("rank")[:1]),
        naik_kelas=Subquery(classes.values("naik_kelas")[:1]),
    ).annotate(
        tk_l=F("yr__workers_male"), tk_p=F("yr__workers_female"),
        investasi=F("yr__investment"), omzet=F("yr__sales"),
        tk_total=F("yr__workers_male") + F("yr__workers_female"),
    )


def area_choices(user) -> list[tuple[str, str]]:
    """The provinsi and kab/kota a user may filter by."""
    areas = Wilayah.objects.visible_to(user).filter(level__in=[Level.PROVINSI, Level.KABKOTA])
    return [(w.kode, f"{w.kode} {w.nama}") for w in areas.only("kode", "nama")]


def kecamatan_choices(user, parent: str) -> list[tuple[str, str]]:
    """The kecamatan under `parent` a user may filter by (none without a parent)."""
    if not parent:
        return []
    kecamatan = Wilayah.objects.visible_to(user).at_level(Level.KECAMATAN).under(parent)
    return [(w.kode, w.nama) for w in kecamatan.only("kode", "nama")]


def kbli_choices() -> list[tuple[str, str]]:
    """The manufacturing KBLI divisions and groups."""
    divisions = Kbli.objects.manufacturing().filter(level__in=[2, 5]).only("kode", "judul")
    return [(k.kode, f"{k.kode} {k.judul[:60]}") for k in divisions]


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q",
                                  widget=forms.TextInput(attrs={
                                      "placeholder": _("Name, NIB or owner"),
                                      "type": "search"}))
    wilayah = django_filters.ChoiceFilter(label=_("Provinsi / kab/kota"), method="filter_wilayah",
                                          empty_label=_("All in my wilayah"))
    kecamatan = django_filters.ChoiceFilter(label=_("Kecamatan"), method="filter_wilayah",
                                            empty_label=_("All kecamatan"))
    kbli = django_filters.ChoiceFilter(label=_("KBLI"), method="filter_kbli",
                                       empty_label=_("All KBLI"))
    tahun = django_filters.NumberFilter(label=_("Year"), method="filter_noop")
    aturan = django_filters.ChoiceFilter(
        label=_("Size rule"), method="filter_noop", empty_label=None,
        choices=[(r.id, r.name) for r in RULES.values()])
    kelas = django_filters.ChoiceFilter(label=_("Class"), method="filter_kelas",
                                        empty_label=_("All classes"))
    naik_kelas = django_filters.ChoiceFilter(label=_("Naik kelas"), choices=YES_NO,
                                             method="filter_naik_kelas", empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices,
                                         empty_label=_("All"))

    class Meta:
        model = Enterprise
        fields = ["q", "wilayah", "kecamatan", "kbli", "tahun", "aturan", "kelas", "naik_kelas",
                  "status"]

    def __init__(self, data=None, *args, user, figures: bool = True, **kwargs) -> None:
        data = data.copy() if data is not None else {}
        data.setdefault("aturan", DEFAULT_RULE)
        super().__init__(data, *args, **kwargs)
        self.user = user
        self.figures = figures
        self._set_choices()

    def _set_choices(self) -> None:
        """Region and KBLI choices are callables: built and queried only when rendered or
        validated (once per FilterSet), so API requests that do not filter by them pay nothing.
        Closures, not bound methods: the form deep-copies its fields' choices."""
        user, parent = self.user, self.data.get("wilayah")
        if not (parent and KODE_WILAYAH.fullmatch(parent)):  # raw input: keep it out of the query
            parent = user.kode_wilayah
        self.filters["wilayah"].extra["choices"] = cache(lambda: area_choices(user))
        self.filters["kecamatan"].extra["choices"] = cache(lambda: kecamatan_choices(user, parent))
        self.filters["kbli"].extra["choices"] = cache(kbli_choices)
        this_year = timezone.localdate().year
        self.filters["tahun"].extra["widget"] = forms.Select(
            choices=[("", _("Latest with figures"))]
            + [(y, y) for y in range(this_year, this_year - YEARS_OFFERED, -1)])
        rule = RULES.get(self.data.get("aturan"), RULES[DEFAULT_RULE])
        self.filters["kelas"].extra["choices"] = [(c, c) for c in rule.classes]

    @property
    def rule(self) -> str:
        value = self.form.cleaned_data.get("aturan") if self.form.is_valid() else None
        return value or DEFAULT_RULE

    @property
    def qs(self) -> QuerySet:
        """The user's active enterprises that match; with the year's figures and class for the
        web table and the export (`figures`)."""
        base = Enterprise.objects.visible_to(self.user).active()
        if self.figures:
            base = with_year_figures(base, self.year, self.rule).select_related("kecamatan",
                                                                                "kbli")
        self.queryset = base
        return super().qs

    @cached_property
    def year(self) -> int | None:
        """The year of the figures and classes: the `tahun` filter, else the latest year with
        figures in the user's wilayah (queried only when something reads it)."""
        if self.form.is_valid() and self.form.cleaned_data.get("tahun"):
            return int(self.form.cleaned_data["tahun"])
        return latest_year(Enterprise.objects.visible_to(self.user).active())

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_wilayah(self, queryset, name, value):
        return queryset.in_wilayah(value)

    def filter_kbli(self, queryset, name, value):
        return queryset.filter(kbli__kode__startswith=value)

    # Exists() rather than the annotations: PostgreSQL stops at the first match (a semi-join)
    # instead of computing a scalar subquery for every enterprise in scope.
    def filter_kelas(self, queryset, name, value):
        return queryset.filter(Exists(classes_in(self.year, self.rule).filter(kelas=value)))

    def filter_naik_kelas(self, queryset, name, value):
        return queryset.filter(Exists(classes_in(self.year, self.rule).filter(
            naik_kelas=(value == "ya"))))
