"""Reads of the duplicate queue, always through the user's wilayah."""

from django.db import models

from naikkelas.core.scope import wilayah_q


class DuplicateCandidateQuerySet(models.QuerySet):
    def in_wilayah(self, kode: str) -> "DuplicateCandidateQuerySet":
        """Pairs whose two enterprises both lie at or under the kode wilayah."""
        return self.filter(wilayah_q(kode, "enterprise_a__kecamatan__kode"),
                           wilayah_q(kode, "enterprise_b__kecamatan__kode"))

    def visible_to(self, user) -> "DuplicateCandidateQuerySet":
        """Pairs inside the user's assignment; nothing for anonymous users."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.in_wilayah(user.kode_wilayah)

    def live(self) -> "DuplicateCandidateQuerySet":
        """Pairs of which neither enterprise has been deleted (or merged away)."""
        return self.filter(enterprise_a__deleted_at__isnull=True,
                           enterprise_b__deleted_at__isnull=True)

    def open(self) -> "DuplicateCandidateQuerySet":
        """Pairs waiting for a decision."""
        return self.live().filter(status="open")


class MergeRecordQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MergeRecordQuerySet":
        """Merges of which both enterprises lie inside the user's assignment."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(wilayah_q(user.kode_wilayah, "survivor__kecamatan__kode"),
                           wilayah_q(user.kode_wilayah, "other__kecamatan__kode"))

    def in_force(self) -> "MergeRecordQuerySet":
        """Merges that have not been undone."""
        return self.filter(unmerged_at__isnull=True)


def merged_into(enterprise) -> list[int]:
    """Ids of the enterprises folded into this one by merges still in force, transitively."""
    from naikkelas.linkage.models import MergeRecord  # the models import this module

    found: list[int] = []
    frontier = [enterprise.pk]
    while frontier:
        frontier = list(MergeRecord.objects.in_force().filter(survivor_id__in=frontier)
                        .exclude(other_id__in=found).values_list("other_id", flat=True))
        found += frontier
    return found


def history_of(enterprise):
    """The audit rows of the enterprise and of every enterprise merged into it, newest first."""
    from naikkelas.core.models import AuditLog

    ids = [str(pk) for pk in [enterprise.pk, *merged_into(enterprise)]]
    return AuditLog.objects.filter(subject_type=enterprise._meta.label_lower, subject_id__in=ids)
