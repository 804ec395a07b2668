"""The enterprise timeline's program and aid entries (see naikkelas.enterprises.timeline).

Every program the enterprise took part in and every aid it received is listed, whichever office
ran it, since the enterprise itself is in the user's wilayah; only programs the user may open are
linked.
"""

from django.utils.translation import gettext as _

from naikkelas.enterprises.timeline import TimelineEntry
from naikkelas.programs.models import AidDelivery, Participation, Program


def timeline_entries(enterprise, user) -> list[TimelineEntry]:
    """Participations (at the program's start date) and aid deliveries (at the BAST date)."""
    visible = set(Program.objects.visible_to(user).filter(
        pk__in=_program_ids(enterprise)).values_list("pk", flat=True))
    return _participations(enterprise, visible) + _deliveries(enterprise, visible)


def _program_ids(enterprise) -> list[int]:
    return [*Participation.objects.filter(enterprise=enterprise).values_list("program_id",
                                                                           flat=True),
            *AidDelivery.objects.filter(enterprise=enterprise).values_list("program_id",
                                                                         flat=True)]


def _participations(enterprise, visible: set[int]) -> list[TimelineEntry]:
    entries = []
    for p in Participation.objects.filter(enterprise=enterprise).select_related("program"):
        detail = p.get_status_display()
        if p.certificate_number:
            detail += " · " + _("certificate %(number)s") % {"number": p.certificate_number}
        entries.append(TimelineEntry(
            date=p.program.start_date, kind=p.program.get_program_type_display(),
            title=p.program.name, detail=detail,
            url=p.program.get_absolute_url() if p.program_id in visible else ""))
    return entries


def _deliveries(enterprise, visible: set[int]) -> list[TimelineEntry]:
    entries = []
    deliveries = (AidDelivery.objects.filter(enterprise=enterprise).with_value()
                  .select_related("program"))
    for d in deliveries:
        entries.append(TimelineEntry(
            date=d.bast_date, kind=_("Aid"), title=d.program.name,
            detail=_("BAST %(number)s, value Rp%(value)s") % {
                "number": d.bast_number, "value": f"{d.value or 0:,}".replace(",", ".")},
            url=d.program.get_absolute_url() if d.program_id in visible else ""))
    return entries
