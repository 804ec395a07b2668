"""Every change to certificates goes through these functions: one transaction, one audit row,
with the enterprise as subject so that its Riwayat shows the certificate."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from naikkelas.accounts.permissions import ensure_can_edit
from naikkelas.certifications.models import Certificate
from naikkelas.core import audit
from naikkelas.core.models import AuditLog
from naikkelas.enterprises.models import Enterprise
from naikkelas.programs.services import check_facilitating_program

LOCKED = {"id", "enterprise", "enterprise_id", "created_at", "updated_at"}


def _assign(certificate: Certificate, data: Mapping[str, Any]) -> None:
    for name, value in data.items():
        if name in LOCKED:
            raise ValueError(f"{name} cannot be set through this service")
        setattr(certificate, name, value)


@transaction.atomic
def record_certificate(enterprise: Enterprise, *, actor, data: Mapping[str, Any]) -> Certificate:
    """Add a licence or certificate to an enterprise after checking its number and dates, and
    that a facilitating program is one the actor may credit for this enterprise."""
    ensure_can_edit(actor, enterprise.kode_wilayah)
    if enterprise.deleted_at:
        raise ValidationError(_("A deleted enterprise cannot receive a certificate."))
    certificate = Certificate(enterprise=enterprise)
    _assign(certificate, data)
    check_facilitating_program(certificate.program, actor=actor,
                               kode_wilayah=enterprise.kode_wilayah)
    certificate.full_clean()
    certificate.save()
    audit.record(actor=actor, action=AuditLog.Action.CREATE, obj=certificate, subject=enterprise,
                 kode_wilayah=enterprise.kode_wilayah, after=audit.snapshot(certificate))
    return certificate


@transaction.atomic
def update_certificate(certificate: Certificate, *, actor,
                       changes: Mapping[str, Any]) -> Certificate:
    """Change a certificate; audited with before and after. A new facilitating program is
    checked like on record_certificate; an unchanged one is kept as it is."""
    certificate = Certificate.objects.select_for_update().select_related("enterprise").get(
        pk=certificate.pk)
    ensure_can_edit(actor, certificate.kode_wilayah)
    before = audit.snapshot(certificate)
    _assign(certificate, changes)
    if certificate.program_id != before["program"]:
        check_facilitating_program(certificate.program, actor=actor,
                                   kode_wilayah=certificate.kode_wilayah)
    certificate.full_clean()
    if audit.snapshot(certificate) != before:
        certificate.save()
        audit.record(actor=actor, action=AuditLog.Action.UPDATE, obj=certificate,
                     subject=certificate.enterprise, kode_wilayah=certificate.kode_wilayah,
                     before=before, after=audit.snapshot(certificate))
    return certificate


@transaction.atomic
def delete_certificate(certificate: Certificate, *, actor, reason: str = "") -> None:
    """Remove a certificate recorded in error; its values stay in the audit log."""
    ensure_can_edit(actor, certificate.kode_wilayah)
    audit.record(actor=actor, action=AuditLog.Action.DELETE, obj=certificate,
                 subject=certificate.enterprise, kode_wilayah=certificate.kode_wilayah,
                 before=audit.snapshot(certificate), reason=reason)
    certificate.delete()
