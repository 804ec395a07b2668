"""Reads of sentra. Every list, page and count starts from `visible_to(user)`."""

import datetime

from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from naikkelas.core.scope import wilayah_q

# The length of a kode wilayah at each level: 16 / 16.07 / 16.07.01.
CODE_LENGTH = {1: 2, 2: 5, 3: 8}


def active_membership_q(prefix: str = "", on: datetime.date | None = None) -> Q:
    """Memberships current on `on` (default today) of enterprises that are not deleted and
    still active: joined by then and not yet left."""
    on = on or timezone.localdate()
    return (Q(**{f"{prefix}joined_on__lte": on})
            & (Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": on}))
            & Q(**{f"{prefix}enterprise__deleted_at__isnull": True,
                   f"{prefix}enterprise__status": "aktif"}))


def similar_product_q(prefix: str = "") -> Q:
    """A member makes a product similar to the sentra's (DOMAIN.md's operational definition):
    its KBLI lies in the same KBLI class (the first four digits, the subgolongan) as the
    sentra's, or its products mention the sentra's komoditas."""
    return (Q(**{f"{prefix}enterprise__kbli__kode__startswith": Substr("kbli_id", 1, 4)})
            | Q(**{f"{prefix}enterprise__products__icontains": models.F("komoditas")}))


class SentraQuerySet(models.QuerySet):
    def in_wilayah(self, kode: str) -> "SentraQuerySet":
        """Sentra located at or under the kode wilayah ('' = nasional)."""
        return self.filter(wilayah_q(kode, "kecamatan__kode"))

    def visible_to(self, user) -> "SentraQuerySet":
        """Sentra inside the user's assignment; nothing for anonymous users."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.in_wilayah(user.kode_wilayah)

    def search(self, text: str) -> "SentraQuerySet":
        """Match the sentra's name or komoditas."""
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(komoditas__icontains=text))

    def formed(self) -> "SentraQuerySet":
        """'Terbentuk' as the offices count it: every sentra that reached at least terbentuk,
        the designated (ditetapkan) ones included."""
        return self.filter(status__in=["terbentuk", "ditetapkan"])

    def designated(self) -> "SentraQuerySet":
        """'Ber-SK': designated by an SK Bupati/Walikota."""
        return self.filter(status="ditetapkan")

    def with_member_counts(self) -> "SentraQuerySet":
        """Annotate `members_active` (current members) and `members_similar` (current members
        making a similar product, see similar_product_q) and `flagged` (fewer similar members
        than the operational minimum of five)."""
        from naikkelas.sentra.models import MIN_SIMILAR_MEMBERS

        active = active_membership_q("memberships__")
        return self.annotate(
            members_active=Count("memberships__enterprise", filter=active, distinct=True),
            members_similar=Count("memberships__enterprise",
                                  filter=active & similar_product_q("memberships__"),
                                  distinct=True),
        ).annotate(flagged=models.ExpressionWrapper(
            Q(members_similar__lt=MIN_SIMILAR_MEMBERS), output_field=models.BooleanField()))

    def counts_by_wilayah(self, level: int) -> list[dict]:
        """Per region at `level` (1 provinsi, 2 kab/kota, 3 kecamatan): `kode`, `jumlah` (all),
        `usulan`, `terbentuk` (reached at least terbentuk, see formed()) and `ber_sk`. One query."""
        return list(
            self.annotate(kode=Substr("kecamatan_id", 1, CODE_LENGTH[level]))
            .values("kode").order_by("kode")
            .annotate(jumlah=Count("id"),
                      usulan=Count("id", filter=Q(status="usulan")),
                      terbentuk=Count("id", filter=Q(status__in=["terbentuk", "ditetapkan"])),
                      ber_sk=Count("id", filter=Q(status="ditetapkan"))))


class SentraMemberQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> "SentraMemberQuerySet":
        """Memberships current on `on` (default today), of enterprises still active."""
        return self.filter(active_membership_q(on=on))


class SentraSupportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SentraSupportQuerySet":
        """Support rows of sentra inside the user's assignment."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(wilayah_q(user.kode_wilayah, "sentra__kecamatan__kode"))
