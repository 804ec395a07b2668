"""The financing lists as .xlsx and .csv. Single loans are personal financial data: a role that
may see them gets the filtered loans; any other role gets the aggregates the page shows, with the
same small groups held back, and never a contract number or a single plafon."""

import datetime

import pytest

from naikkelas.core.testing import client_for, make_enterprise
from naikkelas.core.tests.test_exports import export_queries, exported
from naikkelas.financing.models import LenderReport, Loan

pytestmark = pytest.mark.django_db


def loan(kecamatan: str, scheme: str, contract: str, plafon: int) -> Loan:
    return Loan.objects.create(
        enterprise=make_enterprise(kecamatan, name=f"Usaha {contract}"), lender="Bank Uji",
        scheme=scheme, contract_number=contract, plafon=plafon,
        akad_date=datetime.date(2024, 1, 15), tenor_months=36, rate=6)


@pytest.fixture
def loans(db) -> list[Loan]:
    """Three mikro loans and one kecil loan in Banyuasin, one mikro loan in Banjarmasin."""
    return [loan("16.07.01", "mikro", "MIKRO-1", 50_000_000),
            loan("16.07.01", "mikro", "MIKRO-2", 60_000_000),
            loan("16.07.02", "mikro", "MIKRO-3", 70_000_000),
            loan("16.07.02", "kecil", "KECIL-1", 300_000_000),
            loan("63.71.01", "mikro", "KALSEL-1", 80_000_000)]


def test_loans_export_the_filtered_rows_typed_for_a_role_with_personal_data(personas, loans):
    xlsx, text = exported(client_for(personas.kab), "financing:loan_list_export",
                          {"scheme": "mikro"})
    assert sorted(row["Akad"] for row in xlsx) == ["MIKRO-1", "MIKRO-2", "MIKRO-3"]
    row = next(row for row in xlsx if row["Akad"] == "MIKRO-1")
    assert row["Plafon (Rp)"] == 50_000_000 and row["Tenor (bulan)"] == 36
    assert row["Bunga (%)"] == 6.0 and row["Tanggal akad"] == datetime.datetime(2024, 1, 15)
    assert {row["Plafon (Rp)"] for row in text} == {"50000000", "60000000", "70000000"}


def test_a_role_without_personal_data_gets_the_aggregates_only(personas, loans):
    xlsx, text = exported(client_for(personas.pimpinan), "financing:loan_list_export",
                          {"scheme": "kecil"})  # a filter of the loan list changes nothing here
    # The kecil group of one debtor is held back, as on the page.
    assert [(row["Kode kab/kota"], row["Debitur"], row["Pinjaman"], row["Plafon (Rp)"])
            for row in xlsx] == [("16.07", 3, 3, 180_000_000)]
    assert len(text) == 1 and "Akad" not in text[0] and text[0]["Plafon (Rp)"] == "180000000"


def test_other_wilayah_loans_never_appear(personas, loans):
    xlsx, text = exported(client_for(personas.other), "financing:loan_list_export")
    assert [row["Akad"] for row in xlsx] == ["KALSEL-1"]
    assert [row["Akad"] for row in text] == ["KALSEL-1"]


def test_lender_reports_export_the_filtered_rows_in_scope(personas):
    for kabkota, lender in (("16.07", "Bank Banyuasin"), ("16.71", "Bank Palembang"),
                            ("63.71", "Bank Banjarmasin")):
        LenderReport.objects.create(
            lender=lender, kabkota_id=kabkota, period_start=datetime.date(2024, 1, 1),
            period_end=datetime.date(2024, 6, 30), debtors=12, disbursed=900_000_000)
    client = client_for(personas.prov)
    xlsx, text = exported(client, "financing:report_list_export")
    assert sorted(row["Penyalur"] for row in xlsx) == ["Bank Banyuasin", "Bank Palembang"]
    xlsx, text = exported(client, "financing:report_list_export", {"wilayah": "16.07"})
    assert [row["Penyalur"] for row in xlsx] == ["Bank Banyuasin"]
    assert xlsx[0]["Disalurkan (Rp)"] == 900_000_000 and xlsx[0]["Debitur"] == 12
    assert xlsx[0]["Sampai"] == datetime.datetime(2024, 6, 30)
    assert text[0]["Dari"] == "2024-01-01"


def test_export_queries_do_not_grow_with_rows(personas, loans):
    for persona in (personas.kab, personas.pimpinan):
        client = client_for(persona)
        before = export_queries(client, "financing:loan_list_export")
        loan("16.07.02", "mikro", f"MIKRO-{persona.pk}", 10_000_000)
        assert export_queries(client, "financing:loan_list_export") == before
