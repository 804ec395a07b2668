"""The history of spreadsheet imports, and the matches an import was unsure about."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One file imported into one wilayah for one year: who, what, the counts and every error."""

    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    kode_wilayah = models.CharField(_("wilayah code"), max_length=13, db_index=True)
    tahun = models.PositiveSmallIntegerField(_("year"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_imported = models.PositiveIntegerField(_("rows imported"), default=0)
    rows_invalid = models.PositiveIntegerField(_("rows rejected"), default=0)
    created = models.PositiveIntegerField(_("enterprises created"), default=0)
    updated = models.PositiveIntegerField(_("enterprises updated"), default=0)
    unchanged = models.PositiveIntegerField(_("enterprises unchanged"), default=0)
    uncertain = models.PositiveIntegerField(_("uncertain matches"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.kode_wilayah}, {self.tahun})"


class ReviewItem(models.Model):
    """A row that resembled an existing enterprise without being surely the same.

    The import created `enterprise` rather than guess; a person decides later whether it is
    `candidate` (merge) or a different business (dismiss).
    """

    import_run = models.ForeignKey(ImportRun, verbose_name=_("import"), on_delete=models.CASCADE,
                                   related_name="review_items")
    row = models.PositiveIntegerField(_("row"))
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("new enterprise"),
                                   on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey("enterprises.Enterprise", verbose_name=_("possible match"),
                                  on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("similarity score"))
    rule = models.CharField(_("matching rule"), max_length=20)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("match to review")
        verbose_name_plural = _("matches to review")
        ordering = ["import_run", "row"]

    def __str__(self) -> str:
        return f"{self.enterprise_id} ~ {self.candidate_id} ({self.score:.0f})"
