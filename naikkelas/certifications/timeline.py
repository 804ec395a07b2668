"""Certificates on the enterprise timeline (settings.NAIKKELAS_TIMELINE_PROVIDERS)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from naikkelas.certifications.models import Certificate
from naikkelas.enterprises.timeline import TimelineEntry


def timeline_entries(enterprise, user) -> list[TimelineEntry]:
    """One entry per certificate, on its issue date, naming the facilitating program; nothing
    outside the user's wilayah."""
    rows = Certificate.objects.visible_to(user).filter(enterprise=enterprise) \
        .select_related("program")
    return [TimelineEntry(date=c.issued_on, kind=_("Certificate"), title=str(c),
                          detail=_detail(c), url=reverse("certifications:certificate_edit",
                                                         args=[c.pk]))
            for c in rows]


def _detail(certificate: Certificate) -> str:
    """Validity, and who facilitated it: the program by name (also one outside the user's
    wilayah, as the programs' own timeline entries do)."""
    detail = _valid_text(certificate)
    if certificate.facilitator:
        detail += " · " + _("facilitated by %(program)s") % {"program": certificate.facilitator}
    return detail


def _valid_text(certificate: Certificate) -> str:
    if certificate.valid_until is None:
        return _("does not expire")
    return _("valid until %(date)s") % {"date": certificate.valid_until.strftime("%d-%m-%Y")}
