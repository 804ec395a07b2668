"""Every change to loans and lender reports goes through these functions: one transaction, one
audit row. A loan's audit rows have the loan itself as subject, never the enterprise, so that
the enterprise's Riwayat (read by every role) never shows a single loan."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from naikkelas.accounts.permissions import ensure_can_edit
from naikkelas.core import audit
from naikkelas.core.models import AuditLog
from naikkelas.enterprises.models import Enterprise
from naikkelas.financing.models import LenderReport, Loan

LOCKED = {"id", "enterprise", "enterprise_id", "created_at", "updated_at"}


def ensure_sees_loans(user) -> None:
    """Loans are personal financial data: only users who may see personal data handle them."""
    if user is not None and not user.can_view_personal_data:
        raise PermissionDenied(_("Your role may not see or change single loans."))


def _assign(obj: models.Model, data: Mapping[str, Any]) -> None:
    for name, value in data.items():
        if name in LOCKED:
            raise ValueError(f"{name} cannot be set through this service")
        setattr(obj, name, value)


def _save(obj: models.Model, *, actor, action: str, before: dict | None = None,
          kode: str) -> None:
    obj.full_clean()
    if before is not None and audit.snapshot(obj) == before:
        return
    obj.save()
    audit.record(actor=actor, action=action, obj=obj, kode_wilayah=kode, before=before,
                 after=audit.snapshot(obj))


@transaction.atomic
def record_loan(enterprise: Enterprise, *, actor, data: Mapping[str, Any]) -> Loan:
    """Record a credit of an enterprise, checked against the KUR scheme limits of its akad date."""
    ensure_can_edit(actor, enterprise.kode_wilayah)
    ensure_sees_loans(actor)
    if enterprise.deleted_at:
        raise ValidationError(_("A deleted enterprise cannot receive a loan."))
    loan = Loan(enterprise=enterprise)
    _assign(loan, data)
    _save(loan, actor=actor, action=AuditLog.Action.CREATE, kode=enterprise.kode_wilayah)
    return loan


@transaction.atomic
def update_loan(loan: Loan, *, actor, changes: Mapping[str, Any]) -> Loan:
    """Change a loan (status, figures); checked again against the scheme limits."""
    loan = Loan.objects.select_for_update().select_related("enterprise").get(pk=loan.pk)
    ensure_can_edit(actor, loan.kode_wilayah)
    ensure_sees_loans(actor)
    before = audit.snapshot(loan)
    _assign(loan, changes)
    _save(loan, actor=actor, action=AuditLog.Action.UPDATE, before=before, kode=loan.kode_wilayah)
    return loan


@transaction.atomic
def delete_loan(loan: Loan, *, actor, reason: str = "") -> None:
    """Remove a loan recorded in error; its values stay in the (loan's own) audit rows."""
    ensure_can_edit(actor, loan.kode_wilayah)
    ensure_sees_loans(actor)
    audit.record(actor=actor, action=AuditLog.Action.DELETE, obj=loan,
                 kode_wilayah=loan.kode_wilayah, before=audit.snapshot(loan), reason=reason)
    loan.delete()


@transaction.atomic
def record_lender_report(*, actor, data: Mapping[str, Any]) -> LenderReport:
    """Record a lender's aggregate report for a kab/kota and period."""
    report = LenderReport()
    _assign(report, data)
    ensure_can_edit(actor, report.kabkota_id or "")
    _save(report, actor=actor, action=AuditLog.Action.CREATE, kode=report.kode_wilayah)
    return report


@transaction.atomic
def update_lender_report(report: LenderReport, *, actor,
                         changes: Mapping[str, Any]) -> LenderReport:
    """Change a lender report; the old and the new kab/kota must be in the actor's scope."""
    report = LenderReport.objects.select_for_update().get(pk=report.pk)
    ensure_can_edit(actor, report.kode_wilayah)
    before = audit.snapshot(report)
    _assign(report, changes)
    ensure_can_edit(actor, report.kode_wilayah)
    _save(report, actor=actor, action=AuditLog.Action.UPDATE, before=before,
          kode=report.kode_wilayah)
    return report


@transaction.atomic
def delete_lender_report(report: LenderReport, *, actor, reason: str = "") -> None:
    ensure_can_edit(actor, report.kode_wilayah)
    audit.record(actor=actor, action=AuditLog.Action.DELETE, obj=report,
                 kode_wilayah=report.kode_wilayah, before=audit.snapshot(report), reason=reason)
    report.delete()
