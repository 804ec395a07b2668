"""Forms of the sentra pages. Messages come from the model validators, constraints and services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from naikkelas.core.forms import PhoneField, RupiahField
from naikkelas.enterprises.forms import RegionFieldsMixin
from naikkelas.enterprises.models import Enterprise
from naikkelas.kbli.models import Kbli
from naikkelas.programs.forms import limit_facilitating_programs
from naikkelas.sentra.models import (
    NEXT_STATUS, Sentra, SentraFacility, SentraOfficer, SentraStatus, SentraSupport,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SentraForm(RegionFieldsMixin, forms.ModelForm):
    """The profile of a sentra; kecamatan and desa limited to the user's wilayah."""

    class Meta:
        model = Sentra
        fields = ["name", "komoditas", "kbli", "kecamatan", "desa", "address", "latitude",
                  "longitude", "description"]
        help_texts = {"komoditas": gettext_lazy("What the members make, e.g. kain sasirangan.")}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limit_regions(user)
        self.fields["kbli"].queryset = Kbli.objects.selectable()


class StatusForm(forms.Form):
    """The next step of a sentra's lifecycle, with what that step needs."""

    status = forms.ChoiceField(label=gettext_lazy("New status"), choices=SentraStatus.choices)
    formed_on = forms.DateField(label=gettext_lazy("Date formed"), required=False, widget=DATE)
    sk_number = forms.CharField(label=gettext_lazy("SK number"), max_length=120, required=False)
    sk_date = forms.DateField(label=gettext_lazy("SK date"), required=False, widget=DATE)
    sk_document = forms.FileField(
        label=gettext_lazy("SK document"), required=False,
        help_text=gettext_lazy("The signed SK Bupati/Walikota: PDF, JPG or PNG."))

    def __init__(self, *args, sentra: Sentra, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        following = NEXT_STATUS.get(sentra.status)
        self.initial.setdefault("status", following)
        if following != SentraStatus.TERBENTUK:
            self.fields.pop("formed_on")
        if following != SentraStatus.DITETAPKAN:
            for name in ("sk_number", "sk_date", "sk_document"):
                self.fields.pop(name)

    def step(self) -> dict:
        """The keyword arguments of advance_sentra_status."""
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class MemberForm(forms.Form):
    """Enrol an enterprise: chosen among the enterprises the user sees, of the sentra's kab/kota."""

    enterprise = forms.ModelChoiceField(label=gettext_lazy("Enterprise"), queryset=None)
    joined_on = forms.DateField(label=gettext_lazy("Joined on"), widget=DATE)

    def __init__(self, *args, sentra: Sentra, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("joined_on", timezone.localdate())
        # Visible enterprises only, so an id from elsewhere is an invalid choice, never a leak;
        # the kab/kota rule itself is the service's, with its own message.
        self.fields["enterprise"].queryset = (
            Enterprise.objects.visible_to(user).active()
            .exclude(sentra_memberships__sentra=sentra, sentra_memberships__left_on=None)
            .order_by("name"))
        self.fields["enterprise"].label_from_instance = (
            lambda e: f"{e.name} ({e.kecamatan_id}{', ' + e.kbli_id if e.kbli_id else ''})")


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=gettext_lazy("Left on"), widget=DATE)


class OfficerForm(forms.ModelForm):
    class Meta:
        model = SentraOfficer
        fields = ["kind", "name", "position", "phone", "email"]
        field_classes = {"phone": PhoneField}


class FacilityForm(forms.ModelForm):
    class Meta:
        model = SentraFacility
        fields = ["kind", "name", "description", "year_built"]


class SupportForm(forms.ModelForm):
    class Meta:
        model = SentraSupport
        fields = ["source", "year", "value", "description", "program", "facilitated_by"]
        field_classes = {"value": RupiahField}

    def __init__(self, *args, user, sentra: Sentra, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit_facilitating_programs(self.fields["program"], user=user,
                                    kode_wilayah=sentra.kode_wilayah)

    def clean_value(self) -> int:
        value = self.cleaned_data["value"]
        if value is None:
            raise forms.ValidationError(_("Give the value in rupiah."))
        return value


PART_FORMS: dict[str, type[forms.ModelForm]] = {"officer": OfficerForm, "facility": FacilityForm,
                                                "support": SupportForm}
