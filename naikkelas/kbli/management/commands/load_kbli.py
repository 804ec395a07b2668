"""`naikkelas load-kbli FILE`: load KBLI 2020 codes of any level from a kode,judul[,uraian] CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from naikkelas.kbli.loaders import (
    KbliChanges, KbliFile, apply_kbli, plan_kbli, read_kbli_file, stored_kbli,
)
from naikkelas.kbli.models import Kbli, Level
from naikkelas.wilayah.csvfile import MAX_LISTED_PROBLEMS, InvalidFile, describe_problems, level_lines


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a str, not a lazy translation
        """The command's description in the active language."""
        return _("Load KBLI 2020 codes (kategori down to kelompok) from a kode,judul[,uraian] CSV "
                 "file. New codes are added and changed titles and descriptions updated; nothing "
                 "is deleted. Any invalid row stops the load before anything is written.")

    def add_arguments(self, parser) -> None:
        """FILE, --dry-run and --lenient."""
        parser.add_argument("file", type=Path,
                            help=_("CSV file with columns kode,judul and optionally uraian"))
        parser.add_argument("--dry-run", action="store_true",
                            help=_("check the file and report, without saving"))
        parser.add_argument("--lenient", action="store_true", help=_(
            "accept a repeated code (its last row wins) and a missing golongan or subgolongan "
            "when the golongan pokok is there; both are reported as warnings"))

    def handle(self, *args, file: Path, dry_run: bool, lenient: bool, **options) -> None:
        """Validate the whole file, then write every change in one transaction."""
        with transaction.atomic():
            existing = stored_kbli(Kbli)
            try:
                checked = read_kbli_file(file, existing, lenient=lenient)
            except InvalidFile as exc:
                raise CommandError(describe_problems(exc.problems, file)) from None
            changes = plan_kbli(checked.entries, existing)
            if not dry_run:
                apply_kbli(Kbli, changes)
        self._warn(checked)
        self.stdout.write(summary(changes))
        if dry_run:
            self.stdout.write(_("Dry run: nothing was saved."))

    def _warn(self, checked: KbliFile) -> None:
        """List the problems a lenient load accepted."""
        if not checked.warnings:
            return
        self.stderr.write(_("Warning: %(count)d problem(s) accepted because of --lenient:")
                          % {"count": len(checked.warnings)})
        for problem in checked.warnings[:MAX_LISTED_PROBLEMS]:
            self.stderr.write(f"  {problem}")
        if len(checked.warnings) > MAX_LISTED_PROBLEMS:
            self.stderr.write("  " + _("... and %(count)d more.")
                              % {"count": len(checked.warnings) - MAX_LISTED_PROBLEMS})


def summary(changes: KbliChanges) -> str:
    """'N new KBLI codes, M updated, K unchanged', then the same per level."""
    lines = [_("%(new)d new KBLI codes, %(updated)d updated, %(unchanged)d unchanged") % {
        "new": len(changes.new), "updated": len(changes.updated),
        "unchanged": len(changes.unchanged)}]
    return "\n".join(lines + level_lines(changes.counts_by_level(), Level))
