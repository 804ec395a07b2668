"""Reads of the registry. Every list, page, export and command starts from `visible_to(user)`."""

from django.db import models

from naikkelas.core.scope import wilayah_q

KABKOTA_CODE_LENGTH = 5  # "16.07"


class KabkotaKey(models.Func):
    """The first KABKOTA_CODE_LENGTH + 1 characters of `kecamatan_id || '.'`: equal to
    "16.07." exactly when the kecamatan is 16.07 or lies under it (a shorter code cannot reach
    the dot, 16.071x has no dot there), which is wilayah_q's rule for a kab/kota code. One
    expression, so an index on it (enterprise_active_kabkota_id) holds a kab/kota's
    enterprises side by side in id order, with statistics of their own."""

    template = f"SUBSTR(%(expressions)s || '.', 1, {KABKOTA_CODE_LENGTH + 1})"
    output_field = models.CharField()

    def __init__(self, field: str = "kecamatan") -> None:
        super().__init__(models.F(field))


class EnterpriseQuerySet(models.QuerySet):
    def active(self) -> "EnterpriseQuerySet":
        """Enterprises that have not been (soft-)deleted."""
        return self.filter(deleted_at__isnull=True)

    def deleted(self) -> "EnterpriseQuerySet":
        """Soft-deleted enterprises, which an admin can restore."""
        return self.filter(deleted_at__isnull=False)

    def in_wilayah(self, kode: str) -> "EnterpriseQuerySet":
        """Enterprises located at or under the kode wilayah ('' = nasional)."""
        if len(kode) == KABKOTA_CODE_LENGTH:
            # wilayah_q's very rule, written so that PostgreSQL reads a kab/kota's page from
            # its own index range instead of filtering the country's ids (50 of 2,500).
            return self.alias(kabkota_key=KabkotaKey()).filter(kabkota_key=f"{kode}.")
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
