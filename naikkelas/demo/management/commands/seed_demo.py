"""`naikkelas seed-demo`: fill the registry with deterministic demo enterprises, figures, users."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from naikkelas.demo.generator import YEARS
from naikkelas.demo.indicators import refresh_demo_indicators
from naikkelas.demo.logins import DEMO_PASSWORD
from naikkelas.demo.seeding import (
    SeedResult, class_movements, delete_demo_data, demo_enterprise_ids, load_geography, seed_demo,
)
from naikkelas.enterprises.sizeclass import RULE_IDS
from naikkelas.wilayah.models import Wilayah

DEFAULT_COUNT = 5200
DEFAULT_SEED = 2024


class Command(BaseCommand):
    help = ("Write deterministic demo data: IKM in Banyuasin, Palembang, Banjarmasin, Lampung "
            "and a few other kab/kota, with 2022-2024 figures, and one demo user per role. "
            "Does nothing when demo data exist, unless --reset.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=DEFAULT_COUNT,
                            help=f"number of enterprises (default {DEFAULT_COUNT})")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help="random seed; the same seed gives the same data "
                                 f"(default {DEFAULT_SEED})")
        parser.add_argument("--reset", action="store_true",
                            help="delete the existing demo data first, then write it again")

    def handle(self, *args, count: int, seed: int, reset: bool, **options) -> None:
        if count < 1:
            raise CommandError("--count must be at least 1")
        if not load_geography().kecamatan:
            raise CommandError("No kecamatan in the database: run `naikkelas migrate` first.")
        started = time.perf_counter()
        with transaction.atomic():
            if reset:
                self.stdout.write(f"Removed {delete_demo_data()} demo enterprises.")
            elif existing := len(demo_enterprise_ids()):
                self.stdout.write(self.style.WARNING(
                    f"Demo data already present ({existing} enterprises): nothing written. "
                    "Use --reset to write it again."))
                return
            result = seed_demo(count=count, seed=seed)
            refresh_demo_indicators()
        self.report(result, seed, time.perf_counter() - started)

    def report(self, result: SeedResult, seed: int, seconds: float) -> None:
        """Counts per kab/kota and year, naik kelas per rule and year, and the demo users."""
        reports = [r for item in result.batch for r in item.reports]
        self.stdout.write(self.style.SUCCESS(
            f"Demo data written in {seconds:.1f} s (seed {seed}): {len(result.batch)} enterprises, "
            f"{len(reports)} annual reports, "
            f"{sum(len(i.classifications) for i in result.batch)} size classifications; "
            f"{result.kbli_created} KBLI codes and {result.desa_created} desa added."))
        self.write_regions(result)
        per_year = {year: sum(r.year == year for r in reports) for year in YEARS}
        self.stdout.write("Annual reports: " + ", ".join(f"{y}: {n}" for y, n in per_year.items()))
        self.write_movements(result)
        users = ", ".join(f"{u.username} ({u.role} {u.kode_wilayah or 'nasional'})"
                          for u in result.users)
        self.stdout.write(f"Demo users, password {DEMO_PASSWORD}: {users}")
        self.stdout.write("Run `naikkelas demo-logins` for the login table.")

    def write_regions(self, result: SeedResult) -> None:
        names = dict(Wilayah.objects.filter(kode__in=list(result.per_kabkota))
                     .values_list("kode", "nama"))
        self.stdout.write("Enterprises per kab/kota:")
        for kode, count in sorted(result.per_kabkota.items()):
            self.stdout.write(f"  {kode:6} {names.get(kode, ''):32} {count:5}")

    def write_movements(self, result: SeedResult) -> None:
        movements = class_movements(result.batch)
        self.stdout.write("Naik kelas (moved up / classed in both years), and moved down:")
        for rule in RULE_IDS:
            cells = []
            for year in YEARS[1:]:
                m = movements[(rule, year)]
                share = 100 * m.up / m.compared if m.compared else 0.0
                cells.append(f"{year}: {m.up:4} / {m.compared:5} = {share:4.1f}%, down {m.down:3}")
            self.stdout.write(f"  {rule:20}  " + "   ".join(cells))
