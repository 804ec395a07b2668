"""Writes of the dashboard app: only the audit row of an export."""

from django.db import transaction

from naikkelas.core import audit
from naikkelas.core.models import AuditLog


@transaction.atomic
def record_report_export(*, actor, kode: str, tahun: int, fmt: str) -> AuditLog:
    """Log that `actor` downloaded the Laporan Perkembangan IKM of a wilayah and year."""
    return audit.record(actor=actor, action=AuditLog.Action.EXPORT, obj=actor,
                        kode_wilayah=kode,
                        after={"laporan": "perkembangan-ikm", "wilayah": kode, "tahun": tahun,
                               "format": fmt})
