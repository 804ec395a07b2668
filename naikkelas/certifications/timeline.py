"""Certificates on the enterprise timeline (settings.NAIKKELAS_TIMELINE_PROVIDERS)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from naikkelas.certifications.models import Certificate
from naikkelas.enterprises.timeline import TimelineEntry


def timeline_entries(enterprise, user) -> list[TimelineEntry]:
    """One entry per certificate, on its issue date; nothing outside the user's wilayah."""
    rows = Certificate.objects.visible_to(user).filter(enterprise=enterprise)
    return [TimelineEntry(date=c.issued_on, kind=_("Certificate"), title=str(c),
                          detail=_valid_text(c), url=reverse("certifications:certificate_edit",
                                                             args=[c.pk]))
            for c in rows]


def _valid_text(certificate: Certificate) -> str:
    if certificate.valid_until is None:
        return _("does not expire")
    return _("valid until %(date)s") % {"date": certificate.valid_until.strftime("%d-%m-%Y")}
