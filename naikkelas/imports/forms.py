"""The upload form of the web import, and the per-column mapping of the preview."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from naikkelas.accounts.models import kode_level
from naikkelas.enterprises.models import MAX_YEAR, MIN_YEAR
from naikkelas.imports.headers import FIELDS
from naikkelas.imports.readers import EXTENSIONS
from naikkelas.wilayah.models import Level, Wilayah


def wilayah_choices(user) -> list[tuple[str, str]]:
    """The provinsi and kab/kota in the user's scope; a kab/kota user also gets its kecamatan."""
    levels = [Level.PROVINSI, Level.KABKOTA]
    if kode_level(user.kode_wilayah) >= Level.KABKOTA:
        levels.append(Level.KECAMATAN)
    regions = Wilayah.objects.visible_to(user).filter(level__in=levels).order_by("kode")
    return [(w.kode, f"{w.kode} {w.nama}") for w in regions]


class UploadForm(forms.Form):
    """A spreadsheet, the wilayah it is about (within the user's scope) and the year."""

    file = forms.FileField(label=gettext_lazy("Spreadsheet (.xlsx, .xls, .ods or .csv)"))
    wilayah = forms.ChoiceField(label=gettext_lazy("Wilayah"))
    tahun = forms.IntegerField(label=gettext_lazy("Year of the figures"), min_value=MIN_YEAR,
                               max_value=MAX_YEAR)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wilayah"].choices = wilayah_choices(user)
        self.fields["wilayah"].initial = user.kode_wilayah
        self.fields["tahun"].initial = timezone.localdate().year - 1

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = Path(upload.name).suffix.lower()
        if extension not in EXTENSIONS:
            raise forms.ValidationError(
                _("Files of type '%(ext)s' cannot be imported; use .xlsx, .xls, .ods or .csv.")
                % {"ext": extension or upload.name})
        if upload.size > settings.NAIKKELAS_IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than the limit of %(limit)d MB.")
                                        % {"limit": settings.NAIKKELAS_IMPORT_MAX_BYTES
                                           // (1024 * 1024)})
        return upload


class MappingForm(forms.Form):
    """One dropdown per column the importer did not recognise: which field it holds."""

    def __init__(self, *args, columns: list[str], mapping: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns
        choices = [("", _("(ignore this column)"))] + [(f, f) for f in FIELDS]
        for index, header in enumerate(columns):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header, choices=choices, required=False,
                initial=mapping.get(header, ""))

    def mapping(self) -> dict[str, str]:
        """{header as written: field} for the columns given a field."""
        return {header: self.cleaned_data[f"column_{i}"] for i, header in enumerate(self.columns)
                if self.cleaned_data.get(f"column_{i}")}
