"""Stored rollups of the enterprise-based indicators: one row per wilayah (kecamatan, kab/kota,
provinsi, nasional) x year x KBLI division, plus an all-divisions row.

Derived data, written only by `naikkelas.indicators.rollups` (full refresh and the incremental
refresh behind `services.mark_dirty`); `compute_indicators` reads nothing else.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

ALL_DIVISIONS = ""  # the row summing every KBLI division
NO_KBLI = "-"  # enterprises without a KBLI code
NASIONAL = ""


class Rollup(models.Model):
    """Totals of one wilayah, year and KBLI division (golongan pokok, 2 digits)."""

    kode = models.CharField(_("code"), max_length=13)  # '' = nasional
    level = models.PositiveSmallIntegerField(_("level"))  # 0 nasional .. 3 kecamatan
    parent = models.CharField(max_length=13, null=True)  # the wilayah this row rolls up into
    tahun = models.PositiveSmallIntegerField(_("year"))
    kbli_division = models.CharField(_("KBLI division"), max_length=2)
    jumlah_usaha = models.BigIntegerField(default=0)
    laki_laki = models.BigIntegerField(default=0)
    perempuan = models.BigIntegerField(default=0)
    investasi = models.BigIntegerField(default=0)
    omzet = models.BigIntegerField(default=0)
    nilai_produksi = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("indicator rollup")
        verbose_name_plural = _("indicator rollups")
        constraints = [models.UniqueConstraint(fields=["kode", "tahun", "kbli_division"],
                                               name="rollup_one_per_key")]
        indexes = [models.Index(fields=["parent", "tahun"])]

    def __str__(self) -> str:
        return f"{self.kode or 'nasional'} {self.tahun} {self.kbli_division or '*'}"


class RollupClass(models.Model):
    """Enterprises of one wilayah, year and KBLI division in one class of one size rule, and how
    many of them moved up (naik kelas) from the year before."""

    kode = models.CharField(_("code"), max_length=13)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.CharField(max_length=13, null=True)
    tahun = models.PositiveSmallIntegerField(_("year"))
    kbli_division = models.CharField(_("KBLI division"), max_length=2)
    rule = models.CharField(_("rule"), max_length=40)
    kelas = models.CharField(_("class"), max_length=20)
    jumlah = models.BigIntegerField(default=0)
    naik_kelas = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("indicator rollup per class")
        verbose_name_plural = _("indicator rollups per class")
        constraints = [models.UniqueConstraint(
            fields=["kode", "tahun", "kbli_division", "rule", "kelas"],
            name="rollupclass_one_per_key")]
        indexes = [models.Index(fields=["parent", "tahun"])]

    def __str__(self) -> str:
        return f"{self.kode or 'nasional'} {self.tahun} {self.rule} {self.kelas}"
