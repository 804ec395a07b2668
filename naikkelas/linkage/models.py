"""The duplicate queue and the record of every merge, with what it takes to undo it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from naikkelas.linkage.querysets import DuplicateCandidateQuerySet, MergeRecordQuerySet


class CandidateStatus(models.TextChoices):
    OPEN = "open", _("open")
    MERGED = "merged", _("merged")
    NOT_DUPLICATE = "not_duplicate", _("not a duplicate")


class DuplicateCandidate(models.Model):
    """Two enterprises the engine thinks are one, waiting for an officer's decision.

    The pair is stored lower id first and is unique: once decided ("bukan duplikat"), a later
    scan finds the row and leaves the decision alone.
    """

    enterprise_a = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise A"),
                                     on_delete=models.CASCADE, related_name="+")
    enterprise_b = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise B"),
                                     on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("match score"))
    agreed = models.JSONField(_("fields that agreed"), default=list)
    status = models.CharField(_("status"), max_length=16, choices=CandidateStatus.choices,
                              default=CandidateStatus.OPEN, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)

    objects = DuplicateCandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("duplicate candidate")
        verbose_name_plural = _("duplicate candidates")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise_a", "enterprise_b"],
                                    name="duplicatecandidate_one_per_pair"),
            models.CheckConstraint(condition=Q(enterprise_a__lt=models.F("enterprise_b")),
                                   name="duplicatecandidate_lower_id_first"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=1),
                                   name="duplicatecandidate_score_0_1"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_a_id} ~ {self.enterprise_b_id} ({self.score:.2f})"

    @property
    def kode_wilayah(self) -> str:
        return self.enterprise_a.kode_wilayah


class MergeRecord(models.Model):
    """One merge: `other` was folded into `survivor` and soft-deleted.

    `moved` lists, per model and field, the rows re-pointed from other to survivor; `dropped`
    holds rows that could not move (a uniqueness rule, e.g. a report of a year the survivor
    already has) as snapshots; `other_before` the other enterprise as it was; `survivor_filled`
    the survivor's empty fields that were filled from the other. Together they let
    `unmerge_enterprises` restore exactly what was.
    """

    survivor = models.ForeignKey("enterprises.Enterprise", verbose_name=_("kept enterprise"),
                                 on_delete=models.PROTECT, related_name="+")
    other = models.ForeignKey("enterprises.Enterprise", verbose_name=_("merged enterprise"),
                              on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(DuplicateCandidate, verbose_name=_("duplicate candidate"),
                                  null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="merges")
    moved = models.JSONField(_("re-pointed rows"), default=list)
    dropped = models.JSONField(_("rows kept only here"), default=list)
    other_before = models.JSONField(_("merged enterprise before"), default=dict)
    survivor_filled = models.JSONField(_("kept enterprise's fields before filling"),
                                       default=dict)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("merged by"),
                                  null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    unmerged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("undone by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    unmerged_at = models.DateTimeField(_("undone at"), null=True, blank=True)

    objects = MergeRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("merge record")
        verbose_name_plural = _("merge records")
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"{self.other_id} → {self.survivor_id}"
