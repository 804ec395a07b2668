"""The export helper every list uses: typed cells, no formulas, 404 for an unknown format, an
audit row per download. `exported` reads a list's export back for the apps' own export tests."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.http import Http404
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from naikkelas.core.exports import FORMATS, FORMULA_TRIGGERS, Column, export_response, list_export
from naikkelas.core.models import AuditLog

Rows = list[dict[str, object]]


def exported(client: Client, url_name: str, query: dict | None = None) -> tuple[Rows, Rows]:
    """A list's export in both formats as {header: value} rows: the .xlsx typed, the .csv text.
    Checks that both are downloads with the same header."""
    sheets = []
    for fmt in ("xlsx", "csv"):
        response = client.get(reverse(url_name, args=[fmt]), query or {})
        assert response.status_code == 200, (url_name, fmt, response.status_code)
        assert response["Content-Type"] == FORMATS[fmt]
        assert response["Content-Disposition"].endswith(f'.{fmt}"')
        if fmt == "xlsx":
            sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
            sheets.append([list(row) for row in sheet.iter_rows(values_only=True)])
        else:
            text = b"".join(response.streaming_content).decode("utf-8")
            assert text.startswith("\ufeff")  # so that Excel reads it as UTF-8
            sheets.append(list(csv.reader(io.StringIO(text[1:]))))
    (header, *xlsx_rows), (csv_header, *csv_rows) = sheets
    assert header == csv_header and len(xlsx_rows) == len(csv_rows)
    return ([dict(zip(header, row)) for row in xlsx_rows],
            [dict(zip(header, row)) for row in csv_rows])


def export_queries(client: Client, url_name: str) -> int:
    """How many queries the .xlsx and the .csv export of a list run together."""
    with CaptureQueriesContext(connection) as queries:
        exported(client, url_name)
    return len(queries)


def test_every_formula_trigger_is_neutralised_in_both_formats():
    texts = [f"{trigger}1+2" for trigger in FORMULA_TRIGGERS] + ["=HYPERLINK(\"http://x\")"]
    columns = [Column("=header", lambda text: text), Column("n", lambda text: -5)]
    xlsx = export_response(texts, columns, "xlsx", "x")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    xlsx_rows = list(book.active.iter_rows(values_only=True))
    body = b"".join(export_response(texts, columns, "csv", "x").streaming_content).decode()
    csv_rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"), newline="")))
    for rows in (xlsx_rows, csv_rows):
        assert rows[0][0] == "'=header"
        # XML reads a stored CR back as LF: what matters is the quote in front.
        assert [row[0].replace("\n", "\r") for row in rows[1:]] == ["'" + t for t in texts]
    assert [row[1] for row in xlsx_rows[1:]] == [-5] * len(texts)  # a negative number stays one
    assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)


def test_numbers_and_dates_stay_typed():
    day, moment = datetime.date(2024, 3, 1), datetime.datetime(2024, 3, 1, 8, 30)
    columns = [Column("a", lambda r: 1_500_000), Column("b", lambda r: day),
               Column("c", lambda r: moment), Column("d", lambda r: None)]
    book = openpyxl.load_workbook(io.BytesIO(export_response([1], columns, "xlsx", "x").content))
    assert list(book.active.iter_rows(values_only=True))[1] == (
        1_500_000, datetime.datetime(2024, 3, 1), moment, None)


def test_control_characters_a_worksheet_cannot_hold_are_left_out_of_the_xlsx_only():
    texts = ["Toko\x01 Maju\x1b", "Tab\tdan\nbaris",  # tab and line feed are fine in a cell
             "\x01=1+1"]  # a formula once the control character is gone: neutralised too
    columns = [Column("nama", lambda text: text)]
    book = openpyxl.load_workbook(io.BytesIO(export_response(texts, columns, "xlsx", "x").content))
    assert [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)] == [
        "Toko Maju", "Tab\tdan\nbaris", "'=1+1"]
    body = b"".join(export_response(texts, columns, "csv", "x").streaming_content).decode()
    assert "Toko\x01 Maju\x1b" in body  # csv holds any character: kept as stored


@pytest.mark.django_db
def test_list_export_refuses_other_formats_and_writes_an_audit_row(personas):
    request = RequestFactory().get("/x/", {"q": "kopi"})
    request.user = personas.pimpinan
    with pytest.raises(Http404):
        list_export(request, [], [], "pdf", name="uji")
    assert not AuditLog.objects.exists()
    list_export(request, [], [Column("a", str)], "csv", name="uji")
    row = AuditLog.objects.get(action=AuditLog.Action.EXPORT)
    assert row.actor == personas.pimpinan and row.kode_wilayah == "16.07"
    assert row.after == {"export": "uji", "format": "csv", "query": "q=kopi",
                         "personal_data": False}


LISTS = {"certifications:certificate_list": "certifications:certificate_list_export",
         "certifications:certificate_expiring": "certifications:certificate_expiring_export",
         "financing:loan_list": "financing:loan_list_export",
         "financing:report_list": "financing:report_list_export",
         "linkage:candidate_list": "linkage:candidate_list_export",
         "programs:program_list": "programs:program_list_export",
         "programs:prospect_list": "programs:prospect_list_export",
         "programs:kub_list": "programs:kub_list_export",
         "sentra:sentra_list": "sentra:sentra_list_export",
         "sentra:sentra_counts": "sentra:sentra_counts_export",
         "enterprises:deleted_list": "enterprises:deleted_list_export"}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["kab", "pimpinan"])
def test_every_list_links_to_its_exports_with_its_filter(personas, persona):
    client = Client()
    client.force_login(getattr(personas, persona))
    for page, export in LISTS.items():
        html = client.get(reverse(page), {"q": "kopi"}).content.decode()
        for fmt in ("xlsx", "csv"):
            assert f'href="{reverse(export, args=[fmt])}?q=kopi"' in html, (page, fmt)
