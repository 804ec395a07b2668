"""Riwayat: the audit rows of one record as a user may read them (personal data masked)."""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import models
from django.utils.text import capfirst

from naikkelas.core.models import AuditLog
from naikkelas.core.validators import mask_nik, mask_phone

PERSONAL_MASKS = {"owner_nik": mask_nik, "owner_phone": mask_phone, "phone": mask_phone}
HIDDEN_FIELDS = {"updated_at", "created_at"}
PLAIN_NUMBERS = {"year", "year_built", "tenor_months"}
LIMIT = 200


def history_for(subject: models.Model, user,
                labelled: tuple[type[models.Model], ...]) -> list[AuditLog]:
    """The latest audit entries whose subject is `subject`, each with `shown_changes`
    (label, before, after); field labels come from the `labelled` models."""
    entries = list(AuditLog.objects.for_subject(subject)[:LIMIT])
    labels = {f.name: f.verbose_name for m in labelled for f in m._meta.fields}
    for entry in entries:
        entry.shown_changes = [
            (capfirst(labels.get(name, name)), shown(name, old, user), shown(name, new, user))
            for name, old, new in entry.changes() if name not in HIDDEN_FIELDS
        ]
    return entries


def shown(name: str, value, user):
    """A value as Riwayat shows it: personal data masked by role, amounts with thousand dots."""
    if name in PERSONAL_MASKS and value and not user.can_view_personal_data:
        return PERSONAL_MASKS[name](value)
    if isinstance(value, int) and not isinstance(value, bool) and name not in PLAIN_NUMBERS:
        return intcomma(value)
    return value
