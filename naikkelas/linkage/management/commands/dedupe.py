"""`naikkelas dedupe FILE --output OUT [--json]` and
`naikkelas dedupe --registry --wilayah KODE [--user USERNAME] [--json]`.

The first writes the spreadsheet back with `cluster_id` and `match_score` columns (rows of one
enterprise share a cluster_id). The second scans the registry of a wilayah and queues the
duplicate candidates it finds for review at /duplikat/.
"""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from naikkelas.core.validators import validate_kode_wilayah
from naikkelas.enterprises.command_options import acting_user
from naikkelas.linkage.services import scan_registry
from naikkelas.linkage.spreadsheets import DedupeError, dedupe_file
from naikkelas.wilayah.models import Level, Wilayah


class Command(BaseCommand):
    help = "Find the rows of one enterprise in a spreadsheet, or duplicates in the registry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="The .xlsx, .xls, .ods or .csv file.")
        parser.add_argument("--output", help="Where to write the result (.csv or .xlsx).")
        parser.add_argument("--registry", action="store_true",
                            help="Scan the registry instead of a file and queue the candidates.")
        parser.add_argument("--wilayah", help="With --registry: the kode wilayah to scan.")
        parser.add_argument("--user", dest="username",
                            help="Act on behalf of this user, inside their wilayah.")
        parser.add_argument("--json", action="store_true", dest="as_json",
                            help="Print one JSON object with the summary.")

    def handle(self, *args: Any, file: str | None, output: str | None, registry: bool,
               wilayah: str | None, username: str | None, as_json: bool, **options: Any) -> None:
        if registry:
            summary = self._registry(file, wilayah, username)
            text = _("Scanned %(enterprises)d enterprises of %(wilayah)s: %(pairs)d candidate "
                     "pairs (%(created)d new, %(updated)d updated, %(already_decided)d already "
                     "decided).") % summary
        else:
            summary = self._file(file, output)
            text = _("%(rows)d rows, %(clusters)d enterprises; %(duplicate_rows)d rows belong "
                     "to an enterprise listed more than once. Written to %(output)s.") % summary
        self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2) if as_json else text)

    def _file(self, file: str | None, output: str | None) -> dict:
        if not file or not output:
            raise CommandError(_("Give a FILE and --output OUT, or --registry --wilayah KODE."))
        try:
            return dedupe_file(file, output).as_dict()
        except DedupeError as exc:
            raise CommandError(_("%(file)s was not deduplicated: %(reason)s")
                               % {"file": file, "reason": exc}) from None

    def _registry(self, file: str | None, wilayah: str | None, username: str | None) -> dict:
        if file:
            raise CommandError(_("--registry scans the registry; do not give a file as well."))
        if not wilayah:
            raise CommandError(_("--registry needs --wilayah KODE."))
        actor = acting_user(username)
        kode = _kode(wilayah)
        if actor is not None and not actor.covers(kode):
            raise CommandError(_("Wilayah %(kode)s is outside the wilayah of user %(user)s.")
                               % {"kode": kode, "user": actor.username})
        if actor is not None and not actor.can_edit:
            raise CommandError(_("Your role may read but not change data."))
        return scan_registry(kode, actor=actor).as_dict()


def _kode(value: str) -> str:
    kode = value.strip()
    try:
        validate_kode_wilayah(kode)
    except ValidationError as exc:
        raise CommandError(" ".join(exc.messages)) from None
    if not Wilayah.objects.filter(kode=kode, level__lte=Level.KECAMATAN).exists():
        raise CommandError(_("--wilayah must be a known provinsi, kab/kota or kecamatan code, "
                             "not '%(kode)s'.") % {"kode": kode})
    return kode
