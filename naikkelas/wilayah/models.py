"""Kemendagri administrative regions: provinsi, kabupaten/kota, kecamatan and desa/kelurahan."""

from django.db import models
from django.utils.translation import gettext, gettext_lazy as _

from naikkelas.core.scope import wilayah_q


class Level(models.IntegerChoices):
    PROVINSI = 1, _("provinsi")
    KABKOTA = 2, _("kabupaten/kota")
    KECAMATAN = 3, _("kecamatan")
    DESA = 4, _("desa/kelurahan")


class WilayahQuerySet(models.QuerySet):
    def under(self, kode: str) -> "WilayahQuerySet":
        """Regions at or below `kode` ('' for the whole country)."""
        return self.filter(wilayah_q(kode, "kode"))

    def visible_to(self, user) -> "WilayahQuerySet":
        """Regions inside the user's assignment."""
        if not user.is_authenticated:
            return self.none()
        return self.under(user.kode_wilayah)

    def at_level(self, level: int) -> "WilayahQuerySet":
        return self.filter(level=level)


class Wilayah(models.Model):
    """One region, keyed by its dotted Kemendagri code (16, 16.07, 16.07.01, 16.07.01.2001)."""

    kode = models.CharField(_("code"), max_length=13, primary_key=True)
    nama = models.CharField(_("name"), max_length=120)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )

    objects = WilayahQuerySet.as_manager()

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["kode"]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=4),
                                   name="wilayah_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.nama} ({self.kode})"

    @staticmethod
    def level_of(kode: str) -> int:
        return kode.count(".") + 1

    @staticmethod
    def parent_kode(kode: str) -> str | None:
        return kode.rsplit(".", 1)[0] if "." in kode else None

    @classmethod
    def label_for(cls, kode: str) -> str:
        """Readable name of an assignment: 'Nasional' or the region's name."""
        if not kode:
            return gettext("Nasional")
        nama = cls.objects.filter(kode=kode).values_list("nama", flat=True).first()
        return nama or kode
