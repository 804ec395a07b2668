"""Merges on the enterprise timeline: which records were folded into this one, and when."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.enterprises.timeline import TimelineEntry
from naikkelas.linkage.models import MergeRecord


def timeline_entries(enterprise, user) -> list[TimelineEntry]:
    """One entry per merge in force that kept this enterprise."""
    records = MergeRecord.objects.visible_to(user).in_force().filter(
        survivor=enterprise).select_related("other")
    return [TimelineEntry(date=timezone.localdate(r.merged_at), kind=_("Merge"),
                          title=_("%(name)s (#%(pk)s) merged into this record")
                          % {"name": r.other.name, "pk": r.other_id},
                          url=reverse("linkage:merge_undo", args=[r.pk]) if user.can_edit else "")
            for r in records]
