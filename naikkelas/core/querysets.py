from django.db import models

from naikkelas.core.scope import wilayah_q


class AuditLogQuerySet(models.QuerySet):
    def for_subject(self, obj: models.Model) -> "AuditLogQuerySet":
        """Every entry in the history of one record, including the records that belong to it."""
        return self.filter(subject_type=obj._meta.label_lower, subject_id=str(obj.pk))

    def visible_to(self, user) -> "AuditLogQuerySet":
        """Entries about records inside the user's wilayah."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(wilayah_q(user.kode_wilayah, "kode_wilayah"))
