"""Writing exports that are safe to open in a spreadsheet program."""

import csv
import datetime
import decimal
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import openpyxl
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Neutralise text a spreadsheet would run as a formula (CSV injection) by prefixing a quote.

    Numbers stay numbers; only text cells starting with = + - @ tab or CR are changed.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


# --- one export helper for every list ------------------------------------------------------------



FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass(frozen=True)
class Column:
    """One export column: its header and how to get the value from a row."""

    header: str
    value: Callable[[Any], Any]


def typed_cell(value: Any) -> Any:
    """A value for a spreadsheet cell: numbers and dates stay typed, text is made safe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return {True: "ya", False: "tidak"}[value]
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, datetime.datetime):
        # Spreadsheets know no time zones: local time, as the pages show it.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) \
            else value
    if isinstance(value, (int, float, datetime.date)):
        return value
    return safe_cell(str(value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterable, columns: Sequence[Column]):
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([c.header for c in columns])
    for row in rows:
        yield writer.writerow([typed_cell(c.value(row)) for c in columns])


def xlsx_bytes(rows: Iterable, columns: Sequence[Column], sheet: str = "Data") -> bytes:
    """An .xlsx workbook (openpyxl write-only, so memory stays flat) of the rows."""
    workbook = openpyxl.Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    worksheet.append([c.header for c in columns])
    for row in rows:
        worksheet.append([typed_cell(c.value(row)) for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(rows: Iterable, columns: Sequence[Column], fmt: str,
                    filename: str) -> HttpResponse:
    """The rows as a csv (streamed) or xlsx download named `filename`.{fmt}."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    if fmt == "csv":
        response: HttpResponse = StreamingHttpResponse(_csv_lines(rows, columns),
                                                       content_type=FORMATS[fmt])
    else:
        response = HttpResponse(xlsx_bytes(rows, columns), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
