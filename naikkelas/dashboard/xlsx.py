"""The report as an .xlsx workbook (openpyxl): a cover sheet, then one sheet per section; a
provinsi report adds one sheet per kab/kota with the same summary and class tables."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from naikkelas.core.exports import safe_cell
from naikkelas.dashboard.report import Report, Section

RUPIAH_FORMAT = "#,##0"
INVALID_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name (at most 31 characters, none of []:*?/\\)."""
    base = text.translate(INVALID_SHEET_CHARS)[:31]
    name, n = base, 2
    while name in taken:
        name = f"{base[:28]} {n}"
        n += 1
    taken.add(name)
    return name


def write_section(ws, section: Section, start: int = 1) -> int:
    """Write a titled table from row `start`; returns the next free row."""
    ws.cell(start, 1, section.title).font = Font(bold=True, size=12)
    for col, header in enumerate(section.columns, 1):
        ws.cell(start + 1, col, header).font = Font(bold=True)
    for r, row in enumerate(section.rows, start + 2):
        for col, value in enumerate(row, 1):
            cell = ws.cell(r, col, safe_cell(value))
            if isinstance(value, int) and abs(value) >= 1000:
                cell.number_format = RUPIAH_FORMAT
    for col in range(1, len(section.columns) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 22 if col > 1 else 34
    return start + len(section.rows) + 3


def cover(ws, report: Report) -> None:
    ws["A1"] = report.title
    ws["A1"].font = Font(bold=True, size=16)
    ws["A2"] = _("Wilayah")
    ws["B2"] = f"{report.nama} ({report.kode or _('nasional')})"
    ws["A3"] = _("Year")
    ws["B3"] = report.tahun
    ws["A4"] = _("Made on")
    ws["B4"] = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    ws["A5"] = _("Amounts in whole rupiah; source: naikkelas, the shared IKM registry.")
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 40


def workbook(report: Report) -> bytes:
    wb = Workbook()
    cover(wb.active, report)
    wb.active.title = sheet_name(_("Cover"), taken := set())
    for section in report.main.sections:
        write_section(wb.create_sheet(sheet_name(section.sheet or section.title, taken)), section)
    for part in report.parts:
        ws = wb.create_sheet(sheet_name(f"{part.kode} {part.nama}", taken))
        ws["A1"] = f"{part.nama} ({part.kode})"
        ws["A1"].font = Font(bold=True, size=14)
        row = 3
        for section in part.sections:
            row = write_section(ws, section, row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
