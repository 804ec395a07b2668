"""`naikkelas load-wilayah FILE`: load Kemendagri regions of any level, down to desa, from a CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from naikkelas.wilayah.csvfile import InvalidFile, describe_problems, level_lines
from naikkelas.wilayah.loaders import RegionChanges, apply_regions, plan_regions, read_region_file
from naikkelas.wilayah.models import Level, Wilayah


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy translation
        """The command's description in the active language."""
        return _("Load Kemendagri regions (provinsi down to desa/kelurahan) from a kode,nama CSV "
                 "file. New codes are added and changed names updated; nothing is deleted. Any "
                 "invalid row stops the load before anything is written.")

    def add_arguments(self, parser) -> None:
        """FILE and --dry-run."""
        parser.add_argument("file", type=Path, help=_("CSV file with columns kode,nama"))
        parser.add_argument("--dry-run", action="store_true",
                            help=_("check the file and report, without saving"))

    def handle(self, *args, file: Path, dry_run: bool, **options) -> None:
        """Validate the whole file, then write every change in one transaction."""
        with transaction.atomic():
            existing = dict(Wilayah.objects.values_list("kode", "nama"))
            try:
                rows = read_region_file(file, existing)
            except InvalidFile as exc:
                raise CommandError(describe_problems(exc.problems, file)) from None
            changes = plan_regions(rows, existing)
            if not dry_run:
                apply_regions(Wilayah, changes)
        self.stdout.write(summary(changes))
        if dry_run:
            self.stdout.write(_("Dry run: nothing was saved."))


def summary(changes: RegionChanges) -> str:
    """'N new regions, M updated, K unchanged', then the same per level."""
    lines = [_("%(new)d new regions, %(updated)d updated, %(unchanged)d unchanged") % {
        "new": len(changes.new), "updated": len(changes.renamed),
        "unchanged": len(changes.unchanged)}]
    return "\n".join(lines + level_lines(changes.counts_by_level(), Level))
