"""`naikkelas import FILE --wilayah KODE --tahun YYYY [--dry-run] [--json] [--map "Header=field"]
[--user USERNAME]`.

Imports one spreadsheet (.xlsx, .xls, .ods, .csv) into the registry. Exit status 0 when the file was
read, even if rows were rejected (they are listed); non-zero with a message when it could not be
read or the import is not allowed. With --json, stdout holds one JSON object (ImportResult.as_dict).
"""

import json
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from naikkelas.core.validators import validate_kode_wilayah
from naikkelas.enterprises.command_options import acting_user, year_option
from naikkelas.imports.headers import FIELDS, parse_mapping
from naikkelas.imports.services import ImportRefused, ImportResult, import_file
from naikkelas.wilayah.models import Level, Wilayah

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Import a spreadsheet of IKM (xlsx, xls, ods, csv) for one wilayah and year."
    # The system checks take seconds at every start and check nothing an import depends on.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .xlsx, .xls, .ods or .csv file.")
        parser.add_argument("--wilayah", required=True,
                            help="Kode wilayah the file is about (16.07, or a kecamatan 16.07.01).")
        parser.add_argument("--tahun", required=True, help="Year of the figures, e.g. 2024.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Check and count everything, write nothing.")
        parser.add_argument("--json", action="store_true", dest="as_json",
                            help="Print one JSON object with the counts and every error.")
        parser.add_argument("--map", action="append", default=[], dest="mappings",
                            metavar="HEADER=FIELD",
                            help="Read the column HEADER as FIELD (repeatable); FIELD '-' ignores "
                                 f"it. Fields: {', '.join(FIELDS)}.")
        parser.add_argument("--user", dest="username",
                            help="Import on behalf of this user, inside their wilayah.")

    def handle(self, *args: Any, file: str, wilayah: str, tahun: str, dry_run: bool,
               as_json: bool, mappings: list[str], username: str | None, **options: Any) -> None:
        actor = acting_user(username)
        kode = _kode(wilayah)
        year = year_option(tahun)
        try:
            mapping = parse_mapping(mappings)
        except ValueError as exc:
            raise CommandError(_("--map '%(value)s' must be \"Header in the file=field\" with one "
                                 "of the fields: %(fields)s.")
                               % {"value": exc, "fields": ", ".join(FIELDS)}) from None
        if actor is not None:
            actor.audit_via = _("import %(file)s") % {"file": file}
        try:
            result = import_file(file, actor=actor, wilayah=kode, tahun=year, dry_run=dry_run,
                                 mapping=mapping, progress=self._progress_bar())
        except ImportRefused as exc:
            raise CommandError(_("%(file)s was not imported: %(reason)s")
                               % {"file": file, "reason": exc}) from None
        if as_json:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_summary(result))

    def _progress_bar(self):
        """A bar on stderr, only when a person watches it (stderr is a terminal)."""
        stream = getattr(self.stderr, "_out", sys.stderr)
        if not stream.isatty():
            return None

        def draw(done: int, total: int) -> None:  # once a batch (services.BATCH rows)
            filled = BAR_WIDTH * done // max(total, 1)
            stream.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}")
            if done == total:
                stream.write("\n")
            stream.flush()
        return draw


def _kode(value: str) -> str:
    """A known provinsi, kab/kota or kecamatan code."""
    kode = value.strip()
    try:
        validate_kode_wilayah(kode)
    except ValidationError as exc:
        raise CommandError(" ".join(exc.messages)) from None
    if not Wilayah.objects.filter(kode=kode, level__lte=Level.KECAMATAN).exists():
        raise CommandError(_("--wilayah must be a known provinsi, kab/kota or kecamatan code, "
                             "not '%(kode)s'.") % {"kode": kode})
    return kode


def render_summary(result: ImportResult) -> str:
    """The counts, then every warning and error, one per line."""
    lines = [
        (_("Dry run of %(file)s: nothing was written.") if result.dry_run
         else _("Imported %(file)s.")) % {"file": result.file},
        _("Rows read: %(n)d; imported: %(imported)d; rejected: %(invalid)d.")
        % {"n": result.rows_read, "imported": result.rows_imported,
           "invalid": result.rows_invalid},
        _("Enterprises created: %(created)d; updated: %(updated)d; unchanged: %(unchanged)d; "
          "uncertain matches to review: %(uncertain)d.")
        % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged,
           "uncertain": result.uncertain},
    ]
    if result.unknown_columns:
        lines.append(_("Columns not recognised (ignored; use --map to read them): %(columns)s")
                     % {"columns": ", ".join(result.unknown_columns)})
    lines += result.warnings
    lines += [error.text() for error in result.errors]
    return "\n".join(lines)
