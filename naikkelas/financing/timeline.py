"""Loans on the enterprise timeline (settings.NAIKKELAS_TIMELINE_PROVIDERS): only for users who
may see personal data; for everyone else the provider gives nothing."""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

from naikkelas.enterprises.timeline import TimelineEntry
from naikkelas.financing.models import Loan


def timeline_entries(enterprise, user) -> list[TimelineEntry]:
    """One entry per loan on its akad date (Loan.objects.visible_to is empty for the others)."""
    loans = Loan.objects.visible_to(user).filter(enterprise=enterprise)
    return [TimelineEntry(date=loan.akad_date, kind=_("KUR") if loan.scheme != "non_kur"
                          else _("Credit"), title=str(loan),
                          detail=_("plafon Rp%(amount)s, %(status)s")
                          % {"amount": intcomma(loan.plafon), "status": loan.get_status_display()},
                          url=loan.get_absolute_url())
            for loan in loans]
