"""`naikkelas demo-logins`: print where the demo runs and the demo accounts to log in with."""

from django.core.management.base import BaseCommand

from naikkelas.accounts.models import Role, User
from naikkelas.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, DEMO_URL
from naikkelas.wilayah.models import Wilayah

HEADER = ("username", "password", "role", "wilayah")


class Command(BaseCommand):
    help = "Print the demo URL and the demo logins (username, password, role, wilayah)."

    def handle(self, *args, **options) -> None:
        existing = set(User.objects.filter(username__in=[d.username for d in DEMO_LOGINS])
                       .values_list("username", flat=True))
        self.stdout.write(self.style.SUCCESS(f"naikkelas demo: {DEMO_URL}"))
        self.stdout.write(format_table([HEADER, *(login_row(d) for d in DEMO_LOGINS)]))
        if len(existing) < len(DEMO_LOGINS):
            missing = ", ".join(d.username for d in DEMO_LOGINS if d.username not in existing)
            self.stdout.write(self.style.WARNING(
                f"Not in the database yet: {missing}. Run `naikkelas seed-demo` first."))


def login_row(login) -> tuple[str, str, str, str]:
    wilayah = Wilayah.label_for(login.kode_wilayah)
    if login.kode_wilayah:
        wilayah = f"{wilayah} ({login.kode_wilayah})"
    role = str(Role(login.role).label)
    if not login.personal_data_access:
        role += ", no personal data"
    return login.username, DEMO_PASSWORD, role, wilayah


def format_table(rows: list[tuple[str, ...]]) -> str:
    """Plain aligned columns, so the table reads in any terminal and in the Makefile's output."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
