"""Workbooks the importer hands out: the error report of an import and the standard template."""

import io
from collections import defaultdict

import openpyxl
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from naikkelas.core.exports import xlsx_cell
from naikkelas.enterprises.models import AnnualReport, Enterprise, Gender, LegalForm
from naikkelas.imports.headers import FIELDS, LEGALITY_FIELDS, SYNONYMS, find_header, normalise
from naikkelas.imports.models import ImportRun
from naikkelas.imports.readers import open_grid

ERROR_COLUMN = "KESALAHAN"


def error_report(run: ImportRun) -> bytes:
    """The original sheet, row for row, with one more column holding each row's errors."""
    errors: dict[int, list[str]] = defaultdict(list)
    for error in run.errors:
        errors[error["row"]].append(error["message"])
    grid = open_grid(run.upload_path)
    header = find_header(grid.head, {normalise(h): f for h, f in run.mapping.items()})
    width = max((len(row) for row in grid.head), default=0)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Errors"))
    for number, cells in enumerate(grid.rows_from(0), start=1):
        cells = [xlsx_cell(c) for c in cells] + [""] * (width - len(cells))
        if header and number == header.row + 1:
            extra = ERROR_COLUMN
        else:
            extra = xlsx_cell(" ".join(errors.get(number, [])))
        sheet.append(cells[:max(width, len(cells))] + [extra])
    return _saved(workbook)


def _saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_header(field: str) -> str:
    """The header the template uses for a field: the first spelling of the synonym table."""
    return SYNONYMS[field][0].upper()


def _help(field: str) -> tuple[str, str]:
    allowed = {"legal_form": ", ".join(str(c.label) for c in LegalForm),
               "owner_gender": "L, P",
               "kecamatan": _("name or code of a kecamatan in the wilayah"),
               "nib": _("13 digits"), "owner_nik": _("16 digits"),
               "kbli": _("KBLI 2020 code, 5 digits")}
    for model in (Enterprise, AnnualReport):
        try:
            return str(model._meta.get_field(field).verbose_name), allowed.get(field, "")
        except FieldDoesNotExist:
            continue
    if field in LEGALITY_FIELDS:
        return _("certificate number (recognised, not stored yet)"), ""
    return "", ""


def template_workbook() -> bytes:
    """The standard import template: a header row, and a sheet of field help and allowed values."""
    workbook = openpyxl.Workbook()
    data = workbook.active
    data.title = "Data IKM"
    data.append([template_header(f) for f in FIELDS])
    data.freeze_panes = "A2"
    guide = workbook.create_sheet(_("Guide"))
    guide.append([_("Column"), _("Meaning"), _("Allowed values"), _("Other headers understood")])
    for field in FIELDS:
        meaning, allowed = _help(field)
        guide.append([template_header(field), meaning, allowed,
                      ", ".join(s.upper() for s in SYNONYMS[field][1:6])])
    return _saved(workbook)
