"""The certificate form; number formats and dates are checked by the model (Certificate.clean)."""

from django import forms

from naikkelas.certifications.models import Certificate

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CertificateForm(forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["type", "number", "issued_on", "valid_until", "facilitated_by", "notes"]
        widgets = {"issued_on": DATE, "valid_until": DATE}
