"""`naikkelas indicators --wilayah 16.07 --tahun 2024 [--json] [--user USERNAME]`.

Prints the indicators of one wilayah and year: a readable table, or with --json the object of
`compute_indicators` (the external interface). With --user the command runs on that user's behalf
and refuses a wilayah outside their scope; without it, it runs as the system and sees everything.
"""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _, gettext_lazy

from naikkelas.accounts.models import User
from naikkelas.enterprises.command_options import acting_user, year_option
from naikkelas.enterprises.sizeclass import RULES
from naikkelas.indicators.services import compute_indicators, indicator_wilayah
from naikkelas.wilayah.models import Wilayah

# Row labels of the table, in print order: (key path in the indicators dict, label).
TOTAL_ROWS = (
    (("jumlah_usaha",), gettext_lazy("Enterprises with figures")),
    (("tenaga_kerja", "laki_laki"), gettext_lazy("Workers, men")),
    (("tenaga_kerja", "perempuan"), gettext_lazy("Workers, women")),
    (("tenaga_kerja", "total"), gettext_lazy("Workers, total")),
    (("investasi",), gettext_lazy("Investment excl. land and buildings (Rp)")),
    (("omzet",), gettext_lazy("Sales / omzet (Rp)")),
    (("nilai_produksi",), gettext_lazy("Production value (Rp)")),
)
RULE_LABELS = {"tanpa_data": gettext_lazy("no figures"), "naik_kelas": gettext_lazy("naik kelas")}
TITLE = gettext_lazy("IKM indicators: %(nama)s (%(kode)s), year %(tahun)s")


class Command(BaseCommand):
    help = "Print the IKM indicators of one wilayah and year, as a table or as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--wilayah", help="Kode wilayah (16, 16.07, 16.07.01) or 'nasional'. "
                                              "Default: the user's wilayah, or nasional.")
        parser.add_argument("--tahun", required=True, help="Year of the figures, e.g. 2024.")
        parser.add_argument("--json", action="store_true", dest="as_json",
                            help="Print one JSON object instead of a table.")
        parser.add_argument("--user", dest="username",
                            help="Run on behalf of this user, inside their wilayah.")

    def handle(self, *args: Any, wilayah: str | None, tahun: str | int, as_json: bool,
               username: str | None, **options: Any) -> None:
        actor = acting_user(username)
        kode = _kode(wilayah if wilayah is not None else getattr(actor, "kode_wilayah", ""))
        year = year_option(tahun)
        _ensure_scope(actor, kode)
        data = compute_indicators(kode, year)
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_table(data))


def _kode(value: str) -> str:
    try:
        return indicator_wilayah(value)
    except ValidationError as exc:
        raise CommandError(" ".join(exc.messages)) from None


def _ensure_scope(actor: User | None, kode: str) -> None:
    if actor is not None and not actor.covers(kode):
        raise CommandError(
            _("User '%(username)s' may only see %(scope)s, not %(wilayah)s.")
            % {"username": actor.username, "scope": Wilayah.label_for(actor.kode_wilayah),
               "wilayah": Wilayah.label_for(kode)})


def render_table(data: dict[str, Any]) -> str:
    """The indicators as aligned text: the totals, then one block per size rule."""
    rows: list[tuple[str, int] | None] = [(str(label), _dig(data, path))
                                         for path, label in TOTAL_ROWS]
    for rule in RULES.values():
        rows.append(None)
        rows.append((rule.name, None))
        rows += [(f"  {kelas}", n) for kelas, n in data["kelas"][rule.id].items()]
        rows += [(f"  {label}", data[key][rule.id]) for key, label in RULE_LABELS.items()]
    width = max(len(row[0]) for row in rows if row)
    digits = max(len(format_number(row[1])) for row in rows if row and row[1] is not None)
    title = str(TITLE) % {"nama": data["nama_wilayah"], "kode": data["wilayah"] or "-",
                          "tahun": data["tahun"]}
    return "\n".join([title, "", *(_line(row, width, digits) for row in rows)])


def _dig(data: dict[str, Any], path: tuple[str, ...]) -> int:
    for key in path:
        data = data[key]
    return data


def _line(row: tuple[str, int | None] | None, width: int, digits: int) -> str:
    if row is None:
        return ""
    label, value = row
    return label if value is None else f"{label.ljust(width)}  {format_number(value):>{digits}}"


def format_number(value: int) -> str:
    """Indonesian grouping: 19.200.000.000."""
    return f"{value:,}".replace(",", ".")
