"""Forms of the programs pages. Choices are limited to the user's wilayah; the services check
again."""

from django import forms
from django.db.models import QuerySet
from django.forms import formset_factory
from django.utils.translation import gettext as _, gettext_lazy

from naikkelas.core.forms import DigitsField, PhoneField, RupiahField
from naikkelas.core.validators import POSITIVE_INT_MAX, validate_registry_year
from naikkelas.enterprises.models import Enterprise, LegalForm
from naikkelas.kbli.models import Kbli
from naikkelas.programs.models import (
    AttendanceStatus, KubGroup, Participation, Program, Prospect,
)
from naikkelas.programs.services import validate_document
from naikkelas.wilayah.models import Level, Wilayah

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SEARCH_LIMIT = 50


def kecamatan_choices(user, within: str | None = None) -> QuerySet:
    """Kecamatan of the user's wilayah (and of `within`, a program's wilayah)."""
    kecamatan = Wilayah.objects.visible_to(user).at_level(Level.KECAMATAN)
    return kecamatan.under(within) if within else kecamatan


def _label_kode(field: forms.ModelChoiceField) -> None:
    field.label_from_instance = lambda w: f"{w.nama} ({w.kode})"


class ProgramForm(forms.ModelForm):
    """A program; the organiser wilayah is one of the user's provinsi or kab/kota (or pusat)."""

    kode_wilayah = forms.ChoiceField(label=gettext_lazy("Organiser wilayah"), required=False)

    class Meta:
        model = Program
        fields = ["name", "program_type", "organiser_level", "kode_wilayah", "organiser",
                  "budget_source", "pagu", "realisasi", "realisasi_reason", "start_date",
                  "end_date", "place", "target_participants", "target_recipients"]
        field_classes = {"pagu": RupiahField, "realisasi": RupiahField}
        widgets = {"start_date": DATE, "end_date": DATE,
                   "realisasi_reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        areas = Wilayah.objects.visible_to(user).filter(level__in=[Level.PROVINSI,
                                                                   Level.KABKOTA])
        choices = [(w.kode, f"{w.nama} ({w.kode})") for w in areas]
        if user.is_admin_pusat:
            choices.insert(0, ("", _("Pusat (nasional)")))
        self.fields["kode_wilayah"].choices = choices
        self.fields["pagu"].required = True

    def clean_kode_wilayah(self) -> str:
        return self.cleaned_data["kode_wilayah"] or ""


def limit_facilitating_programs(field: forms.ModelChoiceField, *, user, kode_wilayah: str,
                                current: Program | None = None) -> None:
    """Offer the programs the user may credit for a record at `kode_wilayah` (a certificate's
    enterprise, a sentra): visible to the user and reaching that place. The record's current
    program stays selectable, so editing other fields keeps it; the service checks a change."""
    choices = Program.objects.visible_to(user).covering(kode_wilayah)
    if current is not None:
        choices = choices | Program.objects.filter(pk=current.pk)
    field.queryset = choices.order_by("-start_date", "name")
    field.label_from_instance = lambda p: f"{p.name} ({p.get_program_type_display()}, " \
                                          f"{p.start_date.year})"
    field.error_messages["invalid_choice"] = _(
        "This program is not in your wilayah or does not reach this place. Choose one of the "
        "list, or write the facilitator as text.")


def enterprise_choices(user, program: Program | None, q: str, bound: bool) -> QuerySet:
    """Enterprises the user may pick: in their wilayah and the program's. An unbound form lists
    only the first matches of the search, a bound one accepts any of them."""
    qs = Enterprise.objects.visible_to(user).active()
    if program is not None:
        qs = qs.in_wilayah(program.kode_wilayah)
    if bound:
        return qs
    ids = list(qs.search(q or "").order_by("name").values_list("pk", flat=True)[:SEARCH_LIMIT])
    return qs.filter(pk__in=ids).select_related("kecamatan")


def _enterprise_label(field: forms.ModelChoiceField) -> None:
    field.label_from_instance = lambda e: f"{e.name} — {e.owner_name} ({e.kecamatan_id})"


class ParticipantForm(forms.Form):
    """Add a participant: a registered enterprise, a known prospect, a new prospect or a KUB."""

    KINDS = (("enterprise", gettext_lazy("Registered enterprise")),
             ("prospect", gettext_lazy("Known prospective entrepreneur")),
             ("new_prospect", gettext_lazy("New prospective entrepreneur")),
             ("kub_group", gettext_lazy("KUB group")))
    kind = forms.ChoiceField(label=gettext_lazy("Participant"), choices=KINDS,
                             widget=forms.RadioSelect, initial="enterprise")
    enterprise = forms.ModelChoiceField(label=gettext_lazy("Enterprise"), required=False,
                                        queryset=Enterprise.objects.none())
    prospect = forms.ModelChoiceField(label=gettext_lazy("Prospective entrepreneur"),
                                      required=False, queryset=Prospect.objects.none())
    kub_group = forms.ModelChoiceField(label=gettext_lazy("KUB group"), required=False,
                                       queryset=KubGroup.objects.none())
    nik = DigitsField(label=gettext_lazy("NIK"), required=False)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=150, required=False)
    phone = PhoneField(label=gettext_lazy("Phone"), max_length=20, required=False)
    kecamatan = forms.ModelChoiceField(label=gettext_lazy("Kecamatan"), required=False,
                                       queryset=Wilayah.objects.none())
    business_idea = forms.CharField(label=gettext_lazy("Planned business / product"),
                                    max_length=200, required=False)

    def __init__(self, *args, user, program: Program, q: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprise_choices(user, program, q, self.is_bound)
        _enterprise_label(self.fields["enterprise"])
        within = program.kode_wilayah
        self.fields["prospect"].queryset = Prospect.objects.visible_to(user).in_wilayah(
            within).not_promoted()
        self.fields["kub_group"].queryset = KubGroup.objects.visible_to(user).filter(
            kecamatan__in=kecamatan_choices(user, within))
        self.fields["kecamatan"].queryset = kecamatan_choices(user, within)
        _label_kode(self.fields["kecamatan"])

    def clean(self) -> dict:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        needed = {"enterprise": ["enterprise"], "prospect": ["prospect"],
                  "kub_group": ["kub_group"],
                  "new_prospect": ["nik", "name", "kecamatan"]}.get(kind, [])
        for name in needed:
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, _("This field is required."))
        return cleaned

    def prospect_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("nik", "name", "phone", "kecamatan",
                                                           "business_idea")}


class AttendanceForm(forms.ModelForm):
    class Meta:
        model = Participation
        fields = ["status", "days_present", "certificate_number", "certificate_date"]
        widgets = {"certificate_date": DATE}

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("certificate_number") and cleaned.get("status") not in (
                AttendanceStatus.COMPLETED, None):
            self.add_error("status", _("A certificate is given only to participants who "
                                       "completed the program."))
        return cleaned


class ProspectForm(forms.ModelForm):
    class Meta:
        model = Prospect
        fields = ["nik", "name", "phone", "kecamatan", "business_idea"]
        field_classes = {"nik": DigitsField, "phone": PhoneField}
        help_texts = {"nik": gettext_lazy("16 digits, as on the KTP.")}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].queryset = kecamatan_choices(user)
        _label_kode(self.fields["kecamatan"])


class PromoteForm(forms.Form):
    """The business of a prospect who becomes an enterprise; the person is taken from the
    prospect."""

    name = forms.CharField(label=gettext_lazy("Business name"), max_length=200)
    legal_form = forms.ChoiceField(label=gettext_lazy("Legal form"), choices=LegalForm.choices,
                                   initial=LegalForm.PERORANGAN)
    nib = DigitsField(label=gettext_lazy("NIB"), required=False)
    kbli = forms.ModelChoiceField(label=gettext_lazy("KBLI"), required=False,
                                  queryset=Kbli.objects.none())
    products = forms.CharField(label=gettext_lazy("Products"), max_length=300, required=False)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=300, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kbli"].queryset = Kbli.objects.selectable()

    def enterprise_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["nib"] = data["nib"] or None
        return data


class KubGroupForm(forms.ModelForm):
    class Meta:
        model = KubGroup
        fields = ["name", "kecamatan", "chair"]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].queryset = kecamatan_choices(user)
        _label_kode(self.fields["kecamatan"])


class KubMemberForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=gettext_lazy("Enterprise"), required=False,
                                        queryset=Enterprise.objects.none())
    prospect = forms.ModelChoiceField(label=gettext_lazy("Prospective entrepreneur"),
                                      required=False, queryset=Prospect.objects.none())
    joined_on = forms.DateField(label=gettext_lazy("Joined on"), required=False, widget=DATE)

    def __init__(self, *args, user, group: KubGroup, q: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        kabkota = group.kecamatan_id.rsplit(".", 1)[0]
        self.fields["enterprise"].queryset = enterprise_choices(user, None, q, self.is_bound) \
            .in_wilayah(kabkota)
        _enterprise_label(self.fields["enterprise"])
        self.fields["prospect"].queryset = Prospect.objects.visible_to(user).in_wilayah(kabkota)

    def clean(self) -> dict:
        cleaned = super().clean()
        if bool(cleaned.get("enterprise")) == bool(cleaned.get("prospect")):
            raise forms.ValidationError(_("Choose either an enterprise or a prospective "
                                          "entrepreneur."))
        return cleaned


class AidPaperworkForm(forms.Form):
    """SK penerima, BAST and the reason for giving aid again: the rules of one handover's papers,
    for the web form and for each row of an imported recipient list."""

    sk_number = forms.CharField(label=gettext_lazy("SK penerima number"), max_length=120)
    sk_date = forms.DateField(label=gettext_lazy("SK penerima date"), widget=DATE,
                              validators=[validate_registry_year])
    bast_number = forms.CharField(label=gettext_lazy("BAST number"), max_length=120)
    bast_date = forms.DateField(label=gettext_lazy("BAST date"), widget=DATE,
                                validators=[validate_registry_year])
    override_reason = forms.CharField(
        label=gettext_lazy("Reason for giving aid again"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Needed only when the recipient got the same kind of aid "
                               "recently."))

    def clean(self) -> dict:
        cleaned = super().clean()
        sk, bast = cleaned.get("sk_date"), cleaned.get("bast_date")
        if sk and bast and bast < sk:
            self.add_error("bast_date", _("The BAST date lies before the SK date."))
        return cleaned

    def paperwork(self) -> dict:
        """The `paperwork` argument of services.deliver_aid."""
        return {name: self.cleaned_data[name] for name in ("sk_number", "sk_date", "bast_number",
                                                           "bast_date")}


class AidDeliveryForm(AidPaperworkForm):
    """The recipient and the paperwork of one handover; the items come in AidItemFormSet."""

    recipient_kind = forms.ChoiceField(
        label=gettext_lazy("Recipient"), widget=forms.RadioSelect, initial="enterprise",
        choices=(("enterprise", gettext_lazy("Enterprise")),
                 ("kub_group", gettext_lazy("KUB group"))))
    enterprise = forms.ModelChoiceField(label=gettext_lazy("Enterprise"), required=False,
                                        queryset=Enterprise.objects.none())
    kub_group = forms.ModelChoiceField(label=gettext_lazy("KUB group"), required=False,
                                       queryset=KubGroup.objects.none())
    document = forms.FileField(label=gettext_lazy("Handover document (PDF, JPG, PNG)"),
                               required=False)
    field_order = ["recipient_kind", "enterprise", "kub_group", "sk_number", "sk_date",
                   "bast_number", "bast_date", "document", "override_reason"]

    def __init__(self, *args, user, program: Program, q: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprise_choices(user, program, q, self.is_bound)
        _enterprise_label(self.fields["enterprise"])
        self.fields["kub_group"].queryset = KubGroup.objects.visible_to(user).filter(
            kecamatan__in=kecamatan_choices(user, program.kode_wilayah))
        attrs = {"hx-get": "cek/", "hx-target": "#eligibility", "hx-trigger": "change",
                 "hx-include": "#id_bast_date"}
        self.fields["enterprise"].widget.attrs.update(attrs)
        self.fields["kub_group"].widget.attrs.update(attrs)

    def clean_document(self):
        document = self.cleaned_data.get("document")
        validate_document(document)
        return document

    def clean(self) -> dict:
        cleaned = super().clean()
        kind = cleaned.get("recipient_kind")
        if kind and not cleaned.get(kind) and kind not in self.errors:
            self.add_error(kind, _("Choose the recipient."))
        return cleaned

    @property
    def recipient(self):
        return self.cleaned_data[self.cleaned_data["recipient_kind"]]


class AidItemForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Item"), max_length=200)
    quantity = forms.IntegerField(label=gettext_lazy("Quantity"), min_value=1,
                                  max_value=POSITIVE_INT_MAX)
    unit_value = RupiahField(label=gettext_lazy("Unit value (Rp)"))
    brand = forms.CharField(label=gettext_lazy("Brand / type"), max_length=120, required=False)
    serial = forms.CharField(label=gettext_lazy("Serial number"), max_length=200,
                             required=False)


AidItemFormSet = formset_factory(AidItemForm, extra=3, min_num=1, validate_min=True)


class ParticipantImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Participant list (.xlsx, .xls, .ods, .csv)"))


class RecipientImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Aid recipient list (.xlsx, .xls, .ods, .csv)"))

