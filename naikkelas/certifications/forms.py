"""The certificate form; number formats and dates are checked by the model (Certificate.clean),
the facilitating program by programs.services.check_facilitating_program."""

from django import forms

from naikkelas.certifications.models import Certificate
from naikkelas.enterprises.models import Enterprise
from naikkelas.programs.forms import limit_facilitating_programs

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CertificateForm(forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["type", "number", "issued_on", "valid_until", "program", "facilitated_by",
                  "notes"]
        widgets = {"issued_on": DATE, "valid_until": DATE}

    def __init__(self, *args, user, enterprise: Enterprise, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit_facilitating_programs(self.fields["program"], user=user,
                                    kode_wilayah=enterprise.kode_wilayah,
                                    current=self.instance.program if self.instance.program_id
                                    else None)
