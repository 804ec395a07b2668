"""Reads of the registry. Every list, page, export and command starts from `visible_to(user)`."""

from django.db import models

from naikkelas.core.scope import wilayah_q


class EnterpriseQuerySet(models.QuerySet):
    def active(self) -> "EnterpriseQuerySet":
        """Enterprises that have not been (soft-)deleted."""
        return self.filter(deleted_at__isnull=True)

    def deleted(self) -> "EnterpriseQuerySet":
        """Soft-deleted enterprises, which an admin can restore."""
        return self.filter(deleted_at__isnull=False)

    def in_wilayah(self, kode: str) -> "EnterpriseQuerySet":
        """Enterprises located at or under the kode wilayah ('' = nasional)."""
        return self.filter(wilayah_q(kode, "kecamatan__kode"))

    def visible_to(self, user) -> "EnterpriseQuerySet":
        """Enterprises inside the user's assignment; nothing for anonymous users."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.in_wilayah(user.kode_wilayah)

    def search(self, text: str) -> "EnterpriseQuerySet":
        """Match business name, NIB or owner name."""
        text = text.strip()
        if not text:
            return self
        return self.filter(models.Q(name__icontains=text) | models.Q(nib__startswith=text)
                           | models.Q(owner_name__icontains=text))


class AnnualReportQuerySet(models.QuerySet):
    def in_wilayah(self, kode: str) -> "AnnualReportQuerySet":
        """Reports of (non-deleted) enterprises located at or under the kode wilayah."""
        return self.filter(wilayah_q(kode, "enterprise__kecamatan__kode"),
                           enterprise__deleted_at__isnull=True)

    def visible_to(self, user) -> "AnnualReportQuerySet":
        """Reports of enterprises inside the user's assignment."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.in_wilayah(user.kode_wilayah)

    def for_year(self, year: int) -> "AnnualReportQuerySet":
        return self.filter(year=year)
