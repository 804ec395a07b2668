"""Certificate lists as tables."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from naikkelas.certifications.models import Certificate
from naikkelas.programs.templatetags.facilitators import facilitator_html


class CertificateTable(tables.Table):
    enterprise = tables.Column(accessor="enterprise__name", verbose_name=_("Enterprise"),
                               linkify=lambda record: record.enterprise.get_absolute_url())
    kecamatan = tables.Column(accessor="enterprise__kecamatan__nama", verbose_name=_("Kecamatan"))
    type = tables.Column(verbose_name=_("Type"))
    number = tables.Column(verbose_name=_("Number"), linkify=lambda record: reverse(
        "certifications:certificate_edit", args=[record.pk]))
    issued_on = tables.DateColumn(verbose_name=_("Issued on"), format="j M Y")
    valid_until = tables.DateColumn(verbose_name=_("Valid until"), format="j M Y")
    facilitated_by = tables.Column(verbose_name=_("Facilitated by"), empty_values=(),
                                   order_by=("program__name", "facilitated_by"))

    class Meta:
        model = Certificate
        fields = ("enterprise", "kecamatan", "type", "number", "issued_on", "valid_until",
                  "facilitated_by")
        template_name = "django_tables2/naikkelas_rows.html"
        attrs = {"class": "table", "tbody": {"hx-boost": "false"}}
        order_by = ("valid_until",)
        empty_text = _("No certificate matches these filters.")

    def render_facilitated_by(self, record: Certificate) -> str:
        return facilitator_html(record, self.request.user)
