"""Form fields shared by every app: amounts as officials write them, identifiers without spaces."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from naikkelas.core.validators import normalize_phone, only_digits, parse_rupiah


class RupiahField(forms.CharField):
    """Whole rupiah, accepting 1.500.000 / Rp 1.500.000,- / 1500000; shown with thousand dots."""

    def __init__(self, *args, **kwargs) -> None:
        for numeric_only in ("min_value", "max_value", "step_size"):
            kwargs.pop(numeric_only, None)  # passed by model integer fields; parse_rupiah checks sign
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "maxlength": "40"})

    def prepare_value(self, value):
        if isinstance(value, int):
            return number_format(value, force_grouping=True)
        return value

    def to_python(self, value) -> int | None:
        text = super().to_python(value)
        if len(text) > 40:
            raise forms.ValidationError(_("Amount is too long."), code="rupiah_length")
        return parse_rupiah(text)


class DigitsField(forms.CharField):
    """An identifier typed with spaces, dots or dashes (NIB, NIK, NPWP): keep the digits.

    The model field's max_length counts digits, so the input itself may be longer.
    """

    def widget_attrs(self, widget) -> dict:
        attrs = super().widget_attrs(widget)
        attrs.update({"maxlength": "32", "inputmode": "numeric"})
        return attrs

    def to_python(self, value) -> str:
        return only_digits(super().to_python(value))


class PhoneField(forms.CharField):
    def to_python(self, value) -> str:
        return normalize_phone(super().to_python(value))


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's ValidationError on the form: on the fields the form has, the rest above it."""
    items = exc.error_dict.items() if hasattr(exc, "error_dict") else [(None, exc.error_list)]
    for field, errors in items:
        form.add_error(field if field in form.fields else None, errors)
