"""Reads of certificates. Every list starts from `visible_to(user)`."""

import datetime

from django.db import models
from django.utils import timezone

from naikkelas.core.scope import wilayah_q

EXPIRING_DAYS = 90


class CertificateQuerySet(models.QuerySet):
    def in_wilayah(self, kode: str) -> "CertificateQuerySet":
        """Certificates of non-deleted enterprises at or under the kode wilayah."""
        return self.filter(wilayah_q(kode, "enterprise__kecamatan__kode"),
                           enterprise__deleted_at__isnull=True)

    def visible_to(self, user) -> "CertificateQuerySet":
        """Certificates of enterprises inside the user's assignment."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.in_wilayah(user.kode_wilayah)

    def valid_on(self, day: datetime.date) -> "CertificateQuerySet":
        """Issued by `day` and not expired on it (no valid-until date: does not expire)."""
        return self.filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day),
                           issued_on__lte=day)

    def expiring(self, days: int = EXPIRING_DAYS,
                 today: datetime.date | None = None) -> "CertificateQuerySet":
        """Certificates still valid today whose valid-until date falls within the next `days`
        days (today included), soonest first."""
        today = today or timezone.localdate()
        return (self.filter(valid_until__gte=today,
                            valid_until__lte=today + datetime.timedelta(days=days))
                .order_by("valid_until", "id"))
