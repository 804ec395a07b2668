"""KBLI 2020 (Peraturan BPS 2/2020): the classification of business activities."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    KATEGORI = 1, _("kategori")
    GOLONGAN_POKOK = 2, _("golongan pokok")
    GOLONGAN = 3, _("golongan")
    SUBGOLONGAN = 4, _("subgolongan")
    KELOMPOK = 5, _("kelompok")


def level_of(kode: str) -> int:
    """A letter is a kategori; otherwise the number of digits gives the level (2 → golongan pokok)."""
    return Level.KATEGORI if kode.isalpha() else len(kode)


class KbliQuerySet(models.QuerySet):
    def manufacturing(self) -> "KbliQuerySet":
        """Kategori C: golongan pokok 10 to 33 and everything under them."""
        return self.filter(division__gte="10", division__lte="33").exclude(level=Level.KATEGORI)

    def selectable(self) -> "KbliQuerySet":
        """Codes an enterprise can be filed under: five-digit kelompok in manufacturing."""
        return self.manufacturing().filter(level=Level.KELOMPOK)


class Kbli(models.Model):
    """One KBLI 2020 code at any level, with its title and description."""

    kode = models.CharField(_("code"), max_length=5, primary_key=True)
    judul = models.CharField(_("title"), max_length=400)
    uraian = models.TextField(_("description"), blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    division = models.CharField(_("golongan pokok"), max_length=2, blank=True, db_index=True)

    objects = KbliQuerySet.as_manager()

    class Meta:
        verbose_name = _("KBLI code")
        verbose_name_plural = _("KBLI codes")
        ordering = ["kode"]

    def __str__(self) -> str:
        return f"{self.kode} {self.judul}"

    def save(self, *args, **kwargs) -> None:
        self.level = level_of(self.kode)
        self.division = "" if self.kode.isalpha() else self.kode[:2]
        super().save(*args, **kwargs)
