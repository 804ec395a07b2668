"""The enterprise list as a table; the same table feeds the web page and the export."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from naikkelas.enterprises.models import Enterprise


class NumberColumn(tables.Column):
    attrs = {"td": {"class": "num"}, "th": {"class": "num"}}

    def render(self, value) -> str:
        return f"{value:,}".replace(",", ".")


def naik_kelas_badge(value: bool | None) -> str:
    """A badge when the enterprise moved up; nothing when it did not or cannot be told."""
    return format_html('<span class="badge up">{}</span>', _("naik kelas")) if value else ""


class EnterpriseTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Business name"))
    owner_name = tables.Column(verbose_name=_("Owner"))
    kecamatan = tables.Column(accessor="kecamatan__nama", verbose_name=_("Kecamatan"),
                              order_by=("kecamatan__nama", "name"))
    kbli = tables.Column(accessor="kbli_id", verbose_name=_("KBLI"))
    tenaga_kerja = NumberColumn(accessor="tk_total", verbose_name=_("Workers"),
                                order_by=("tk_total",), empty_values=(None,))
    investasi = NumberColumn(verbose_name=_("Investment (Rp)"), empty_values=(None,))
    omzet = NumberColumn(verbose_name=_("Sales (Rp)"), empty_values=(None,))
    kelas = tables.Column(verbose_name=_("Class"), order_by=("kelas_rank", "name"))
    naik_kelas = tables.Column(verbose_name=_("Naik kelas"), empty_values=())

    class Meta:
        model = Enterprise
        fields = ("name", "owner_name", "kecamatan", "kbli")
        sequence = ("name", "owner_name", "kecamatan", "kbli", "tenaga_kerja", "investasi",
                    "omzet", "kelas", "naik_kelas")
        template_name = "django_tables2/naikkelas.html"
        # Sorting and paging links are boosted into #results; links to records are normal links.
        attrs = {"class": "table", "tbody": {"hx-boost": "false"}}
        order_by = ("name",)
        empty_text = _("No enterprise matches these filters.")

    def render_naik_kelas(self, value) -> str:
        return naik_kelas_badge(value)
