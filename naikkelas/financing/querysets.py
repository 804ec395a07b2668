"""Reads of financing. Single loans only for users who may see personal data."""

from django.db import models
from django.db.models import Count, Sum
from django.db.models.functions import Substr

from naikkelas.core.scope import wilayah_q

# The fewest debtors an aggregate may count when shown to a role that may not see single loans:
# a sum over one or two debtors gives their loans away.
MIN_DEBTORS = 3


class LoanQuerySet(models.QuerySet):
    def in_wilayah(self, kode: str) -> "LoanQuerySet":
        """Loans of non-deleted enterprises at or under the kode wilayah."""
        return self.filter(wilayah_q(kode, "enterprise__kecamatan__kode"),
                           enterprise__deleted_at__isnull=True)

    def visible_to(self, user) -> "LoanQuerySet":
        """Single loans the user may read: inside their wilayah, and only when their role and
        account may see personal data (loans are personal financial data); else nothing."""
        if not user.is_authenticated or not user.is_active or not user.can_view_personal_data:
            return self.none()
        return self.in_wilayah(user.kode_wilayah)

    def kur(self) -> "LoanQuerySet":
        return self.exclude(scheme="non_kur")

    def disbursed(self) -> "LoanQuerySet":
        return self.filter(status__in=["berjalan", "lunas", "macet"])

    def aggregates_by_kabkota(self) -> list[dict]:
        """Per kab/kota and scheme: debtors (distinct enterprises), loans and total plafon of
        disbursed loans. Aggregates only; aggregates_for gives what a user may see of them."""
        return list(self.disbursed()
                    .annotate(kabkota=Substr("enterprise__kecamatan_id", 1, 5))
                    .values("kabkota", "scheme").order_by("kabkota", "scheme")
                    .annotate(debitur=Count("enterprise", distinct=True), jumlah=Count("id"),
                              nilai=Sum("plafon")))

    def aggregates_for(self, user) -> tuple[list[dict], int]:
        """The aggregates of the user's wilayah, and how many were held back: a role that may
        not see single loans never gets a group of fewer than MIN_DEBTORS debtors."""
        mine = self.in_wilayah(user.kode_wilayah) if user.is_active else self.none()
        every = mine.aggregates_by_kabkota()
        if user.can_view_personal_data:
            return every, 0
        shown = [row for row in every if row["debitur"] >= MIN_DEBTORS]
        return shown, len(every) - len(shown)


class LenderReportQuerySet(models.QuerySet):
    def in_wilayah(self, kode: str) -> "LenderReportQuerySet":
        """Reports about a kab/kota at or under the kode wilayah."""
        return self.filter(wilayah_q(kode, "kabkota__kode"))

    def visible_to(self, user) -> "LenderReportQuerySet":
        """Aggregate reports inside the user's wilayah: every role reads them."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.in_wilayah(user.kode_wilayah)
