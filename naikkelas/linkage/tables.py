"""The duplicate queue as a table."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from naikkelas.linkage.models import DuplicateCandidate


def agreed_labels(fields: list[str]) -> str:
    """The agreeing fields in the user's language."""
    return ", ".join(str(FIELD_LABELS.get(f, f)) for f in fields)


FIELD_LABELS = {
    "nib": _("NIB"), "owner_nik": _("NIK"), "owner_phone": _("Phone"),
    "name": _("Business name"), "owner_name": _("Owner"), "address": _("Address"),
    "desa": _("Desa/kelurahan"), "kecamatan": _("Kecamatan"), "kbli": _("KBLI"),
    "products": _("Products"),
}


class DuplicateCandidateTable(tables.Table):
    pair = tables.Column(verbose_name=_("Pair"), empty_values=(), orderable=False)
    kecamatan = tables.Column(accessor="enterprise_a__kecamatan__nama",
                              verbose_name=_("Kecamatan"))
    score = tables.Column(verbose_name=_("Score"), attrs={"td": {"class": "num"}})
    agreed = tables.Column(verbose_name=_("What agreed"), orderable=False)
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = DuplicateCandidate
        fields = ("pair", "kecamatan", "score", "agreed", "status")
        template_name = "django_tables2/naikkelas.html"
        attrs = {"class": "table", "tbody": {"hx-boost": "false"}}
        order_by = ("-score",)
        empty_text = _("No duplicate candidates match these filters.")

    def render_pair(self, record: DuplicateCandidate) -> str:
        return format_html('<a href="{}">{} ~ {}</a>',
                           reverse("linkage:candidate_detail", args=[record.pk]),
                           record.enterprise_a.name, record.enterprise_b.name)

    def render_score(self, value: float) -> str:
        return f"{value:.2f}"

    def render_agreed(self, value: list[str]) -> str:
        return agreed_labels(value)
