"""From a grid of cells to rows to save: where the data ends, and each value read and checked.

Every problem becomes a RowError naming the row as the user sees it (1-based, title rows counted)
and the column header as written in the file.
"""

import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext as _

from naikkelas.core.validators import (
    POSITIVE_INT_MAX, normalize_phone, only_digits, parse_rupiah, validate_nib, validate_nik,
)
from naikkelas.enterprises.models import (
    MAX_YEAR, MIN_YEAR, AnnualReport, Enterprise, Gender, LegalForm,
)
from naikkelas.imports.headers import LEGALITY_FIELDS, Header, cell_text, normalise
from naikkelas.imports.places import PlaceError, Places
from naikkelas.kbli.models import Kbli

FOOTER_START = re.compile(r"^(jumlah|total|sub ?total|grand total|mengetahui|keterangan|catatan)\b")
# Cells remembered per column (see RowReader._value_of); a column of unique values stops there.
MEMO_LIMIT = 20_000
# Cells a record fills and a total row or a note below the data does not.
RECORD_FIELDS = ("owner_name", "kecamatan")
COLUMN_NUMBERS = re.compile(r"^\(?\d{1,2}\)?$")
NOT_DIGIT = re.compile(r"\D")
# Above every decimal column (capacity: 16 digits before the point), and small enough for
# quantize, which fails past 28 digits.
DECIMAL_LIMIT = Decimal(10) ** 16
AMOUNT_FIELDS = ("investment", "land_buildings_value", "working_capital", "sales",
                 "production_value", "raw_material_value")
WORKER_FIELDS = ("workers_male", "workers_female")
TEXT_LIMITS = {"name": 200, "owner_name": 150, "address": 300, "products": 300,
               "capacity_unit": 40}
LEGAL_FORMS = {"perorangan": LegalForm.PERORANGAN, "perseorangan": LegalForm.PERORANGAN,
               "pribadi": LegalForm.PERORANGAN, "ud": LegalForm.UD, "cv": LegalForm.CV,
               "pt": LegalForm.PT, "koperasi": LegalForm.KOPERASI, "kub": LegalForm.KUB}
GENDERS = {"l": Gender.MALE, "laki laki": Gender.MALE, "pria": Gender.MALE,
           "p": Gender.FEMALE, "perempuan": Gender.FEMALE, "wanita": Gender.FEMALE}


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.text()}

    def text(self) -> str:
        if self.column:
            return _("Row %(row)d, column %(column)s: %(message)s") % {
                "row": self.row, "column": self.column, "message": self.message}
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ParsedRow:
    """One data row: the enterprise fields and the year's figures it gives (empty cells left out)."""

    number: int
    headers: dict[str, str]
    enterprise: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)
    desa_text: str = ""
    legality: dict[str, str] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    # The registry's field rules on `enterprise` and `figures` (BulkWriter.check), by field;
    # None until checked.
    field_errors: dict[str, list[str]] | None = None
    figure_errors: dict[str, list[str]] = field(default_factory=dict)
    # A new enterprise's id and rows, built ahead of the writer (BulkWriter.check): a
    # bulk.NewEnterprise.
    new: Any = None

    def reject(self, field_name: str, message: str) -> None:
        """Record a problem in the column of `field_name` (by the field's name if the file lacks it)."""
        column = self.headers.get(field_name) or _field_label(field_name)
        self.errors.append(RowError(self.number, column, message))

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def workers(self) -> int | None:
        """The row's workers, men and women together; None when it gives neither."""
        counts = [self.figures.get(name) for name in ("workers_male", "workers_female")]
        if all(count is None for count in counts):
            return None
        return sum(count or 0 for count in counts)


def _field_label(name: str) -> str:
    for model in (Enterprise, AnnualReport):
        try:
            return str(model._meta.get_field(name).verbose_name).upper()
        except FieldDoesNotExist:
            continue
    return ""


def data_rows(rows: list[list], header: Header) -> list[tuple[int, list]]:
    """(row number, cells) of the rows between the header and the footer (see iter_data_rows)."""
    return list(iter_data_rows(rows[header.first_data_row:], header))


def iter_data_rows(rows: Iterable[list], header: Header) -> Iterator[tuple[int, list]]:
    """(row number, cells) of `rows`, the rows below the header, up to the footer.

    Skipped: empty rows, a row of column numbers "(1) (2) (3)" under the header. The data ends at a
    JUMLAH/TOTAL row or a signature/notes block; rows after the last row that looks like data
    (a business name, a number in the NO column, or three filled cells) are footer too, so they
    are held back until a row that looks like data follows them.
    """
    by_field = {c.field: c.index for c in header.columns}
    pending: list[tuple[int, list]] = []
    started = False
    for index, cells in enumerate(rows, start=header.first_data_row):
        texts = [cell_text(c) for c in cells]
        filled = [t for t in texts if t]
        if not filled:
            continue
        if not started and all(COLUMN_NUMBERS.fullmatch(t) for t in filled) and len(filled) > 2:
            continue
        if _is_footer_start(texts, by_field):
            return
        started = True
        pending.append((index + 1, cells))
        if _looks_like_data(texts, filled, by_field):
            yield from pending
            pending.clear()


def _at(texts: list[str], index: int | None) -> str:
    return texts[index] if index is not None and index < len(texts) else ""


def _is_footer_start(texts: list[str], by_field: dict[str, int]) -> bool:
    if _at(texts, by_field.get("")).isdigit():
        return False
    first = next(t for t in texts if t)
    if not FOOTER_START.match(normalise(first)):
        return False
    # A business called "Total Print" or "Catatan Kecil" is data: a total or a note names no
    # owner and no kecamatan (before, such a business ended the data when there was no NO column).
    record = [by_field[name] for name in RECORD_FIELDS if name in by_field]
    return not (record and all(_at(texts, index) for index in record))


def _looks_like_data(texts: list[str], filled: list[str], by_field: dict[str, int]) -> bool:
    return bool(_at(texts, by_field.get("name")) or _at(texts, by_field.get("")).isdigit()
                or len(filled) >= 3)


def nul_message() -> str:
    # PostgreSQL cannot store a NUL in text or jsonb, and the registry's forms refuse it.
    return _("The cell holds a NUL character (code 0), which cannot be saved. "
             "Remove it in the file and import again.")


class RowReader:
    """Reads the values of data rows for one import: places, KBLI codes and checks."""

    def __init__(self, header: Header, places: Places) -> None:
        self.header = header
        self.places = places
        self.headers = {c.field: c.header for c in header.columns}
        self.positions = {c.header: c.index for c in header.columns}
        self.index_of: dict[str, int] = {}  # a field's (first) column
        for column in header.columns:
            self.index_of.setdefault(column.field, column.index)
        self.kbli = set(Kbli.objects.values_list("kode", flat=True))
        # NIKs name the owner's home kecamatan, anywhere in Indonesia: checked without a query.
        self.kecamatan_found: dict[str, str | PlaceError] = {}
        self.desa_found: dict[tuple[str, str], str | PlaceError] = {}
        # The columns read by `read`, each with its remembered cell outcomes.
        self.columns = [(c, {}) for c in header.columns
                        if c.field and c.field not in {"kecamatan", "desa"}]
        self.kecamatan_codes = places.all_kecamatan

    def read(self, number: int, cells: list) -> ParsedRow:
        row = ParsedRow(number=number, headers=self.headers)
        refused = set()  # fields whose cell was refused: not "empty" as well
        width = len(cells)
        for column, memo in self.columns:
            value = cells[column.index] if column.index < width else None
            key = (type(value), value)
            outcome = memo.get(key)
            if outcome is None:
                outcome = self._outcome(column, value)
                if len(memo) < MEMO_LIMIT:
                    memo[key] = outcome
            kind, parsed = outcome
            if kind is _EMPTY:
                continue
            if kind is _ERROR:
                row.reject(column.field, parsed)
                refused.add(column.field)
            elif kind is _LEGALITY:
                row.legality[column.field] = parsed
            elif kind is _REPORT_VALUE:
                row.figures[column.field] = parsed
            else:
                row.enterprise["kbli_id" if column.field == "kbli" else column.field] = parsed
        if not row.enterprise.get("name") and "name" not in refused:
            row.reject("name", _("The business name is empty."))
        if not row.enterprise.get("owner_name") and "owner_name" not in refused:
            row.reject("owner_name", _("The owner's name is empty."))
        self._place(row, cells)
        if len(row.errors) > 1:
            row.errors.sort(key=lambda e: self.positions.get(e.column, len(self.positions)))
        return row

    def _outcome(self, column, value) -> tuple[object, Any]:
        """What one cell gives: (kind, value or error message). It depends on the cell alone, so
        `read` remembers it per column: a big file repeats the same amounts, counts and codes."""
        text = cell_text(value)
        if text == "":
            return _EMPTY, None
        if "\x00" in text:
            return _ERROR, nul_message()
        if column.field in LEGALITY_FIELDS:
            return _LEGALITY, text
        try:
            parsed = self.value(column.field, value, column.multiplier)
        except ValidationError as exc:
            return _ERROR, " ".join(exc.messages)
        except (InvalidOperation, OverflowError, ValueError):
            # A cell no reader foresaw costs its row, not the whole import.
            return _ERROR, _("The value of this cell cannot be read. Check that it is written "
                             "like the other values of its column.")
        return (_REPORT_VALUE if column.field in _REPORT else _ENTERPRISE_VALUE), parsed

    def _cell(self, cells: list, field_name: str) -> str:
        index = self.index_of.get(field_name)
        if index is None or index >= len(cells):
            return ""
        return cell_text(cells[index])

    def _kecamatan(self, text: str) -> str | PlaceError:
        """Places.find_kecamatan, remembered: a big file names the same few kecamatan."""
        if text not in self.kecamatan_found:
            try:
                self.kecamatan_found[text] = self.places.find_kecamatan(text)
            except PlaceError as exc:
                self.kecamatan_found[text] = exc
        return self.kecamatan_found[text]

    def _place(self, row: ParsedRow, cells: list) -> None:
        text = self._cell(cells, "kecamatan")
        if "\x00" in text:  # not quoted in a "no such kecamatan" message: jsonb refuses it
            row.reject("kecamatan", nul_message())
            return
        kecamatan = self._kecamatan(text)
        if isinstance(kecamatan, PlaceError):
            row.reject("kecamatan", str(kecamatan))
            return
        row.enterprise["kecamatan_id"] = kecamatan
        desa = self._cell(cells, "desa")
        row.desa_text = desa
        if "\x00" in desa:
            row.reject("desa", nul_message())
        elif desa and self.places.has_desa(kecamatan):
            found = self.desa_found.get((desa, kecamatan))
            if found is None:
                try:
                    found = self.places.find_desa(desa, kecamatan)
                except PlaceError as exc:
                    found = exc
                if len(self.desa_found) < MEMO_LIMIT:
                    self.desa_found[desa, kecamatan] = found
            if isinstance(found, PlaceError):
                row.reject("desa", str(found))
            else:
                row.enterprise["desa_id"] = found

    def value(self, field_name: str, value, factor: int = 1):
        """One cell converted for `field_name`; ValidationError with the reason otherwise."""
        reader = _READERS.get(field_name, _text)
        if field_name in AMOUNT_FIELDS:
            amount = parse_rupiah(value)
            return None if amount is None else amount * factor
        if field_name == "kbli":
            return _kbli(value, self.kbli)
        if field_name == "owner_nik":
            return _nik(value, self.kecamatan_codes)
        result = reader(value)
        limit = TEXT_LIMITS.get(field_name)
        if limit and len(result) > limit:
            raise ValidationError(_("The text is longer than %(limit)d characters.")
                                  % {"limit": limit})
        return result


_REPORT = set(AMOUNT_FIELDS) | set(WORKER_FIELDS) | {"capacity", "capacity_unit"}
_EMPTY, _ERROR, _LEGALITY, _REPORT_VALUE, _ENTERPRISE_VALUE = (object() for _i in range(5))


def _text(value) -> str:
    """Runs of white space as one space (str.split's white space is the same as re's \\s)."""
    return " ".join(cell_text(value).split())


def _nib(value) -> str:
    nib = only_digits(cell_text(value))
    validate_nib(nib)
    return nib


def _nik(value, kecamatan_codes: set[str]) -> str:
    nik = only_digits(cell_text(value))
    validate_nik(nik, kecamatan_codes=kecamatan_codes)
    return nik


def _npwp(value) -> str:
    return NOT_DIGIT.sub("", cell_text(value))


def _phone(value) -> str:
    phone = normalize_phone(cell_text(value))
    # A number typed into a numeric cell loses its leading 0: 81234567890 -> 081234567890.
    return "0" + phone if phone.startswith("8") else phone


def _workers(value) -> int:
    text = cell_text(value)
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        raise ValidationError(_("'%(value)s' is not a number of workers.") % {"value": text})
    if number < 0:
        raise ValidationError(_("The number of workers cannot be negative."))
    if number > POSITIVE_INT_MAX:  # before int(): int(Decimal("1e10000000")) never ends
        raise ValidationError(_("The number of workers is far too large; write how many people "
                                "work in the business."))
    return int(number)


def _decimal(value, places: str) -> Decimal:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = _to_decimal(str(value))
    else:  # text, or a TRUE/FALSE cell: refused as the text it shows
        text = cell_text(value).replace(" ", "")
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", text):  # 1.250,5 (Indonesian)
            text = text.replace(".", "")
        number = _to_decimal(text.replace(",", "."))
    if abs(number) >= DECIMAL_LIMIT:
        raise ValidationError(_("The number is too large for its column; check the cell."))
    return number.quantize(Decimal(places))


def _to_decimal(text: str) -> Decimal:
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValidationError(_("'%(value)s' is not a number.") % {"value": text})
    return number


def _capacity(value) -> Decimal:
    number = _decimal(value, "0.01")
    if number < 0:
        raise ValidationError(_("The production capacity cannot be negative."))
    return number


def _coordinate(value) -> Decimal:
    return _decimal(value, "0.000001")


def _year(value) -> int:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.year
    text = cell_text(value)
    if not re.fullmatch(r"\d{4}", text) or not MIN_YEAR <= int(text) <= MAX_YEAR:
        raise ValidationError(_("'%(value)s' is not a year.") % {"value": text})
    return int(text)


def _legal_form(value) -> str:
    key = normalise(value)
    if key in {"", "-"}:
        return LegalForm.PERORANGAN
    if key not in LEGAL_FORMS:
        raise ValidationError(_("Unknown legal form '%(value)s'; write one of: %(choices)s.")
                              % {"value": cell_text(value),
                                 "choices": ", ".join(str(c.label) for c in LegalForm)})
    return LEGAL_FORMS[key]


def _gender(value) -> str:
    key = normalise(value)
    if key not in GENDERS:
        raise ValidationError(_("Write the gender as L or P, not '%(value)s'.")
                              % {"value": cell_text(value)})
    return GENDERS[key]


def _kbli(value, known: set[str]) -> str:
    code = NOT_DIGIT.sub("", cell_text(value))
    if code not in known:
        raise ValidationError(_("KBLI code '%(value)s' does not exist.")
                              % {"value": cell_text(value)})
    return code


_READERS = {
    "nib": _nib, "npwp": _npwp, "owner_phone": _phone,
    "workers_male": _workers, "workers_female": _workers, "capacity": _capacity,
    "latitude": _coordinate, "longitude": _coordinate, "founded_year": _year,
    "legal_form": _legal_form, "owner_gender": _gender,
}
