"""Financing lists as tables."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from naikkelas.enterprises.tables import NumberColumn
from naikkelas.financing.models import LenderReport, Loan

ROWS_TEMPLATE = "django_tables2/naikkelas_rows.html"


class LoanTable(tables.Table):
    enterprise = tables.Column(accessor="enterprise__name", verbose_name=_("Enterprise"),
                               linkify=lambda record: record.enterprise.get_absolute_url())
    kecamatan = tables.Column(accessor="enterprise__kecamatan__nama", verbose_name=_("Kecamatan"))
    lender = tables.Column(verbose_name=_("Lender"), linkify=True)
    scheme = tables.Column(verbose_name=_("Scheme"))
    contract_number = tables.Column(verbose_name=_("Contract"))
    plafon = NumberColumn(verbose_name=_("Plafon (Rp)"))
    akad_date = tables.DateColumn(verbose_name=_("Akad date"), format="j M Y")
    tenor_months = tables.Column(verbose_name=_("Tenor (months)"))
    rate = tables.Column(verbose_name=_("Rate (%)"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Loan
        fields = ("enterprise", "kecamatan", "lender", "scheme", "contract_number", "plafon",
                  "akad_date",
                  "tenor_months", "rate", "status")
        template_name = ROWS_TEMPLATE
        attrs = {"class": "table", "tbody": {"hx-boost": "false"}}
        order_by = ("-akad_date",)
        empty_text = _("No loan matches these filters.")


class LenderReportTable(tables.Table):
    lender = tables.Column(verbose_name=_("Lender"), linkify=lambda record: reverse(
        "financing:report_edit", args=[record.pk]))
    kabkota = tables.Column(accessor="kabkota__nama", verbose_name=_("Kab/kota"))
    period_start = tables.DateColumn(verbose_name=_("From"), format="j M Y")
    period_end = tables.DateColumn(verbose_name=_("Until"), format="j M Y")
    debtors = NumberColumn(verbose_name=_("Debtors"), empty_values=(None,))
    disbursed = NumberColumn(verbose_name=_("Disbursed (Rp)"))
    source = tables.Column(verbose_name=_("Source"))

    class Meta:
        model = LenderReport
        fields = ("lender", "kabkota", "period_start", "period_end", "debtors", "disbursed",
                  "source")
        template_name = ROWS_TEMPLATE
        attrs = {"class": "table", "tbody": {"hx-boost": "false"}}
        order_by = ("-period_end",)
        empty_text = _("No lender report recorded.")
