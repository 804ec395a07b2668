"""Writing audit rows. Called by services inside their transaction, never by views directly."""

import datetime
import decimal
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from naikkelas.core.models import AuditLog


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The concrete field values of a record, in a JSON-safe form (FKs as their key)."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if isinstance(value, (datetime.date, datetime.datetime, decimal.Decimal)):
            value = str(value)
        elif isinstance(value, FieldFile):  # an uploaded document: its stored name
            value = value.name or ""
        data[field.name] = value
    return data


def record(**fields: Any) -> AuditLog:
    """Write one audit row (the arguments of `audit_entry`)."""
    row = audit_entry(**fields)
    row.save(force_insert=True)
    return row


def audit_entry(
    *,
    actor,
    action: str,
    obj: models.Model,
    kode_wilayah: str,
    before: dict | None = None,
    after: dict | None = None,
    subject: models.Model | None = None,
    reason: str = "",
) -> AuditLog:
    """One audit row, unsaved (`record` saves it; bulk writers create many at once);
    `subject` is the record whose Riwayat shows it (default: obj)."""
    subject = subject or obj
    return AuditLog(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=getattr(actor, "username", "") or "sistem",
        via=getattr(actor, "audit_via", ""),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        kode_wilayah=kode_wilayah,
        before=before,
        after=after,
        reason=reason,
    )
