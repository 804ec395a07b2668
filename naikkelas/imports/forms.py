"""The upload form of the web import, and the per-column mapping of the preview."""

from collections.abc import Iterator
from pathlib import Path

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from openpyxl.utils import get_column_letter

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
    """One dropdown per column the importer did not recognise (or the user mapped before): which
    field it holds. A column is known by its place (`checks.columns`), so two columns headed
    alike are two dropdowns, each named with its column letter and mapping its own column."""

    def __init__(self, *args, columns: list[dict], mapping: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns
        choices = [("", _("(ignore this column)"))] + [(f, f) for f in FIELDS]
        for index, column in enumerate(columns):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=column_label(column), choices=choices, required=False,
                initial=mapping.get(column["key"], ""))

    def clean(self) -> dict:
        """One field, one column: the importer would read only the first of two."""
        data = super().clean()
        chosen: dict[str, dict] = {}
        for column, field in self._chosen():
            if field in chosen:
                raise forms.ValidationError(
                    _("%(first)s and %(second)s are both mapped to %(field)s; a field is read "
                      "from one column only.")
                    % {"first": column_label(chosen[field]), "second": column_label(column),
                       "field": field})
            chosen[field] = column
        return data

    def mapped(self) -> list[dict]:
        """The columns given a field, to keep offering them once they are recognised."""
        return [column for column, field in self._chosen()]

    def mapping(self) -> dict[str, str]:
        """{column key: field} for the columns given a field: the importer's mapping."""
        return {column["key"]: field for column, field in self._chosen()}

    def _chosen(self) -> Iterator[tuple[dict, str]]:
        for index, column in enumerate(self.columns):
            if field := self.cleaned_data.get(f"column_{index}"):
                yield column, field


def column_label(column: dict) -> str:
    """'URAIAN (kolom E)': the header as written and the letter a spreadsheet program shows."""
    return _("%(header)s (column %(letter)s)") % {"header": column["header"],
                                                  "letter": get_column_letter(column["column"] + 1)}
