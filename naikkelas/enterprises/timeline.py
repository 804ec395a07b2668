"""One enterprise's timeline: every program, aid, certificate and loan, newest first.

The apps that record them plug in through `settings.NAIKKELAS_TIMELINE_PROVIDERS`, so this module
never imports them.
"""

import datetime
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened to an enterprise. `detail` is already masked for the viewing user."""

    date: datetime.date
    kind: str          # translated label: "Bimtek", "Bantuan", "Sertifikat", "KUR", ...
    title: str
    detail: str = ""
    url: str = ""


def timeline_for(enterprise, user) -> list[TimelineEntry]:
    """Every provider's entries for the enterprise, as the user may see them, newest first."""
    entries: list[TimelineEntry] = []
    for module in settings.NAIKKELAS_TIMELINE_PROVIDERS:
        entries += import_module(module).timeline_entries(enterprise, user)
    return sorted(entries, key=lambda entry: entry.date, reverse=True)
