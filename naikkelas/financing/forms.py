"""Financing forms. Scheme limits are checked by the model (Loan.clean), amounts as officials
write rupiah."""

from django import forms

from naikkelas.core.forms import RupiahField
from naikkelas.financing.models import LenderReport, Loan
from naikkelas.wilayah.models import Level, Wilayah

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LoanForm(forms.ModelForm):
    class Meta:
        model = Loan
        fields = ["lender", "scheme", "contract_number", "plafon", "akad_date", "tenor_months",
                  "rate", "kur_sequence", "status"]
        field_classes = {"plafon": RupiahField}
        widgets = {"akad_date": DATE}


class LenderReportForm(forms.ModelForm):
    """A lender's aggregate; the kab/kota is limited to the user's wilayah."""

    class Meta:
        model = LenderReport
        fields = ["lender", "all_lenders", "kabkota", "period_start", "period_end", "debtors",
                  "disbursed", "source"]
        field_classes = {"disbursed": RupiahField}
        widgets = {"period_start": DATE, "period_end": DATE}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kabkota"].queryset = Wilayah.objects.visible_to(user).at_level(
            Level.KABKOTA)
