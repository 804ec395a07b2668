"""Writing exports that are safe to open in a spreadsheet program."""

import csv
import datetime
import decimal
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import openpyxl
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django_tables2 import RequestConfig, Table
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from naikkelas.core import audit
from naikkelas.core.models import AuditLog

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

    header: str  # a lazy translation is fine: it is rendered when the export starts
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


def xlsx_cell(value: Any) -> Any:
    """`typed_cell`, without the control characters a worksheet cannot hold (openpyxl refuses
    them): text from a file or a form may carry one."""
    value = typed_cell(value)
    if not isinstance(value, str):
        return value
    # Neutralised again after: "\x01=..." starts with "=" once the \x01 is gone.
    return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def _headers(columns: Sequence[Column]) -> list[str]:
    return [safe_cell(str(c.header)) for c in columns]


def _csv_lines(rows: Iterable, columns: Sequence[Column], headers: list[str]):
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(headers)
    for row in rows:
        yield writer.writerow([typed_cell(c.value(row)) for c in columns])


def xlsx_bytes(rows: Iterable, columns: Sequence[Column], sheet: str = "Data") -> bytes:
    """An .xlsx workbook (openpyxl write-only, so memory stays flat) of the rows."""
    workbook = openpyxl.Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    worksheet.append(_headers(columns))
    for row in rows:
        worksheet.append([xlsx_cell(c.value(row)) for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(rows: Iterable, columns: Sequence[Column], fmt: str,
                    filename: str) -> HttpResponse:
    """The rows as a csv (streamed) or xlsx download named `filename`.{fmt}."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    if fmt == "csv":
        # The headers now, in the request's language: the body is streamed after the view returns.
        response: HttpResponse = StreamingHttpResponse(_csv_lines(rows, columns, _headers(columns)),
                                                       content_type=FORMATS[fmt])
    else:
        response = HttpResponse(xlsx_bytes(rows, columns), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def ordered_rows(request: HttpRequest, table: Table) -> Iterable:
    """Every row of `table` (not one page) in the order the list shows it (?sort=)."""
    RequestConfig(request, paginate=False).configure(table)
    rows = table.data.data
    return rows.iterator(chunk_size=2000) if isinstance(rows, QuerySet) else rows


def list_export(request: HttpRequest, rows: Iterable, columns: Sequence[Column], fmt: str, *,
                name: str) -> HttpResponse:
    """A list page's rows as `name`-<time>.xlsx or .csv (else 404), written to the audit log
    with the filter it used and whether personal data went out in clear."""
    if fmt not in FORMATS:
        raise Http404
    user = request.user
    audit.record(actor=user, action=AuditLog.Action.EXPORT, obj=user,
                 kode_wilayah=user.kode_wilayah,
                 after={"export": name, "format": fmt, "query": request.GET.urlencode(),
                        "personal_data": user.can_view_personal_data})
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return export_response(rows, columns, fmt, f"{name}-{stamp}")
