"""The sentra list as a table."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from naikkelas.enterprises.tables import NumberColumn
from naikkelas.sentra.models import Sentra


class SentraTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Sentra"))
    komoditas = tables.Column(verbose_name=_("Komoditas"))
    kbli = tables.Column(accessor="kbli_id", verbose_name=_("KBLI"))
    kabkota = tables.Column(accessor="kecamatan__parent__nama", verbose_name=_("Kab/kota"),
                            order_by=("kecamatan__parent__nama", "name"))
    kecamatan = tables.Column(accessor="kecamatan__nama", verbose_name=_("Kecamatan"),
                              order_by=("kecamatan__nama", "name"))
    status = tables.Column(verbose_name=_("Status"))
    members_active = NumberColumn(verbose_name=_("Members"))
    members_similar = NumberColumn(verbose_name=_("Similar product"))
    flagged = tables.Column(verbose_name=_("Check"), empty_values=(), orderable=True)

    class Meta:
        model = Sentra
        fields = ("name", "komoditas", "kbli", "kabkota", "kecamatan", "status")
        sequence = ("name", "komoditas", "kbli", "kabkota", "kecamatan", "status",
                    "members_active", "members_similar", "flagged")
        template_name = "django_tables2/naikkelas_rows.html"
        attrs = {"class": "table", "tbody": {"hx-boost": "false"}}
        order_by = ("name",)
        empty_text = _("No sentra matches these filters.")

    def render_flagged(self, value) -> str:
        if not value:
            return ""
        return format_html('<span class="badge down" title="{}">{}</span>',
                           _("Fewer than 5 active members with a similar product"),
                           _("under 5"))
