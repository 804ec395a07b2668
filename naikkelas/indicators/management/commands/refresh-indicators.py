"""`naikkelas refresh-indicators [--tahun 2024]`: rebuild the stored indicator rollups.

A full refresh, set-based (a handful of INSERT ... SELECT ... GROUP BY statements), in one
transaction. Normal edits refresh their own kecamatan at once (see `services.mark_dirty`); this
is for bulk loads that bypass the services, and to recover.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from naikkelas.enterprises.command_options import year_option
from naikkelas.indicators.models import Rollup
from naikkelas.indicators.services import refresh_indicators


class Command(BaseCommand):
    help = "Rebuild the stored indicator rollups (every wilayah level, year and KBLI division)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tahun", help="Only this year (default: every year).")

    def handle(self, *args: Any, tahun: str | None, **options: Any) -> None:
        year = year_option(tahun) if tahun else None
        started = time.perf_counter()
        refresh_indicators(year)
        rows = Rollup.objects.filter(**({"tahun": year} if year else {})).count()
        self.stdout.write(_("Indicators refreshed: %(rows)s rollup rows in %(seconds).1f s.")
                          % {"rows": rows, "seconds": time.perf_counter() - started})
