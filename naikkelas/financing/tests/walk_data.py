"""Loans and lender reports for the scope walk (naikkelas/core/tests/test_scope_walk.py).

Every loan carries a contract number that must never appear in a response to a user who may
not see personal data (`marks`)."""

import datetime

from naikkelas.enterprises.models import Enterprise
from naikkelas.financing.models import LenderReport, Loan

LOAN = {"lender": "Bank Walk", "scheme": "mikro", "contract_number": "WALK-BARU",
        "plafon": "50.000.000", "akad_date": "2024-02-01", "tenor_months": 24, "rate": "6",
        "kur_sequence": 1, "status": "berjalan"}


def mark(enterprise: Enterprise) -> str:
    return f"KONTRAK-RAHASIA-{enterprise.pk}"


def build(active: dict[str, Enterprise]) -> dict[tuple[str, int], int]:
    """A KUR loan of every region's enterprise and a lender report of its kab/kota."""
    records = {}
    for enterprise in active.values():
        loan = Loan.objects.create(
            enterprise=enterprise, lender="Bank Walk", scheme="mikro", plafon=75_000_000,
            contract_number=mark(enterprise), akad_date=datetime.date(2024, 1, 15),
            tenor_months=36, rate=6)
        report = LenderReport.objects.create(
            lender="Bank Walk", kabkota_id=enterprise.kecamatan_id[:5],
            period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2024, 6, 30),
            debtors=12, disbursed=900_000_000)
        records[("loan", enterprise.pk)] = loan.pk
        records[("lender_report", enterprise.pk)] = report.pk
    return records


def post_data(name: str, target) -> dict | None:
    if not name.startswith("financing:"):
        return None
    if name in ("financing:loan_create", "financing:loan_edit"):
        return LOAN
    if name in ("financing:report_create", "financing:report_edit"):
        kabkota = target.kecamatan_id[:5] if target else "16.07"
        return {"lender": "Bank Walk Baru", "kabkota": kabkota, "period_start": "2024-01-01",
                "period_end": "2024-03-31", "debtors": 3, "disbursed": "10.000.000"}
    return {"reason": "uji jalan URL"}
