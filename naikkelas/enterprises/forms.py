"""Forms for the registry. Validation messages come from the model validators and constraints."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext as _, gettext_lazy

from naikkelas.accounts.models import kode_level
from naikkelas.core.forms import DigitsField, PhoneField, RupiahField
from naikkelas.enterprises.models import AMOUNT_FIELDS, AnnualReport, Enterprise
from naikkelas.kbli.models import Kbli
from naikkelas.wilayah.models import Level, Wilayah

PERSONAL_FIELDS = ("owner_nik", "owner_phone")


def _loads_children_into(target: str) -> dict:
    """htmx attributes: on change, replace the options of `target` with this region's children."""
    return {"hx-get": reverse_lazy("wilayah:children_options"), "hx-target": target,
            "hx-trigger": "change", "hx-swap": "innerHTML"}


class RegionFieldsMixin:
    """A form's `kecamatan` and `desa` fields limited to the user's wilayah; users above a
    kab/kota first pick one (an htmx picker), so the kecamatan list stays short."""

    def limit_regions(self, user) -> None:
        visible = Wilayah.objects.visible_to(user)
        kecamatan = visible.at_level(Level.KECAMATAN)
        if kode_level(user.kode_wilayah) < Level.KABKOTA:
            kecamatan = self._add_kabkota_picker(visible, kecamatan)
        self.fields["kecamatan"].queryset = kecamatan
        self.fields["kecamatan"].label_from_instance = lambda w: f"{w.nama} ({w.kode})"
        self.fields["kecamatan"].widget.attrs.update(_loads_children_into("#id_desa"))
        self.fields["desa"].queryset = self._desa_choices(visible)

    def _add_kabkota_picker(self, visible, kecamatan):
        field = forms.ChoiceField(
            label=_("Kabupaten/kota"), required=False,
            choices=[("", "---------")] + [(w.kode, f"{w.nama} ({w.kode})")
                                           for w in visible.at_level(Level.KABKOTA)])
        field.widget.attrs.update(_loads_children_into("#id_kecamatan"))
        self.fields["kabkota"] = field
        names = [n for n in self.fields if n != "kabkota"]
        self.order_fields(names[:names.index("kecamatan")] + ["kabkota"]
                          + names[names.index("kecamatan"):])
        chosen = self.data.get(self.add_prefix("kabkota"))
        if chosen is None and self.instance.pk:
            chosen = self.instance.kecamatan.parent_id
        self.initial.setdefault("kabkota", chosen)
        if chosen:
            return kecamatan.filter(parent_id=chosen)
        # A posted kecamatan without a kab/kota (scripts, old forms) is still checked against scope.
        return kecamatan if self.is_bound else kecamatan.none()

    def _desa_choices(self, visible):
        kecamatan = self.data.get(self.add_prefix("kecamatan")) or self.initial.get("kecamatan")
        if kecamatan is None and self.instance.pk:
            kecamatan = self.instance.kecamatan_id
        if not kecamatan:
            return visible.none()
        return visible.at_level(Level.DESA).filter(parent_id=getattr(kecamatan, "pk", kecamatan))

    def clean(self) -> dict:
        cleaned = super().clean()
        desa, kecamatan = cleaned.get("desa"), cleaned.get("kecamatan")
        if desa and kecamatan and desa.parent_id != kecamatan.pk:
            self.add_error("desa", _("This desa is not in the chosen kecamatan."))
        return cleaned


class EnterpriseForm(RegionFieldsMixin, forms.ModelForm):
    """Create or edit an enterprise; kecamatan and desa are limited to the user's wilayah."""

    class Meta:
        model = Enterprise
        fields = ["name", "legal_form", "nib", "npwp", "owner_name", "owner_nik", "owner_gender",
                  "owner_phone", "kecamatan", "desa", "address", "latitude", "longitude", "kbli",
                  "products", "founded_year", "status"]
        field_classes = {"nib": DigitsField, "npwp": DigitsField, "owner_nik": DigitsField,
                         "owner_phone": PhoneField}
        help_texts = {
            "nib": gettext_lazy("13 digits from OSS; leave empty if the business has none yet."),
            "owner_nik": gettext_lazy("16 digits, as on the owner's KTP."),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.can_view_personal_data:
            for name in PERSONAL_FIELDS:
                self.fields.pop(name)
        self.limit_regions(user)
        self.fields["kbli"].queryset = Kbli.objects.selectable()
        self.fields["nib"].required = False

    def clean_nib(self) -> str | None:
        """Report a taken NIB on the field itself, naming the enterprise if the user may see it."""
        nib = self.cleaned_data["nib"] or None
        other = Enterprise.objects.filter(nib=nib).exclude(pk=self.instance.pk).first() if nib \
            else None
        if other is None:
            return nib
        if Enterprise.objects.visible_to(self.user).filter(pk=other.pk).exists():
            raise forms.ValidationError(
                _("NIB %(nib)s is already registered to %(name)s.") % {"nib": nib, "name": other})
        raise forms.ValidationError(
            _("NIB %(nib)s is already registered to an enterprise outside your wilayah.")
            % {"nib": nib})


class AnnualReportForm(forms.ModelForm):
    """One year's figures. Amounts accept the way officials write rupiah."""

    class Meta:
        model = AnnualReport
        fields = ["year", "workers_male", "workers_female", "investment", "land_buildings_value",
                  "working_capital", "sales", "capacity", "capacity_unit", "production_value",
                  "raw_material_value", "source"]
        field_classes = {name: RupiahField for name in AMOUNT_FIELDS}

    def __init__(self, *args, enterprise: Enterprise, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise
        if self.instance.pk:
            self.fields["year"].disabled = True

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        others = AnnualReport.objects.filter(enterprise=self.enterprise, year=year)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("Figures for %(year)s already exist; edit that year instead.") % {"year": year}
            )
        return year

    def figures(self) -> dict:
        """The cleaned values the service writes (everything but the year)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "year"}


class DeleteForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
