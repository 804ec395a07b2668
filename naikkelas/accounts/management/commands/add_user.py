import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from naikkelas.accounts.models import Role
from naikkelas.accounts.services import create_user


class Command(BaseCommand):
    help = "Create a user with a role and a kode wilayah (run by the server's administrator)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--wilayah", default="", help="'' for nasional, 16, 16.07, ...")
        parser.add_argument("--name", default="", help="full name")
        parser.add_argument("--no-personal-data", action="store_true",
                            help="mask NIK and phone numbers for this user")
        parser.add_argument("--password-env", metavar="VAR",
                            help="read the password from this environment variable "
                                 "instead of asking")

    def handle(self, *args, **opts) -> None:
        password = self._password(opts["password_env"])
        try:
            user = create_user(actor=None, username=opts["username"], password=password,
                               role=opts["role"], kode_wilayah=opts["wilayah"],
                               personal_data_access=not opts["no_personal_data"],
                               full_name=opts["name"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(_("User %(username)s created.") % {"username": user.username})

    def _password(self, env_var: str | None) -> str:
        if env_var:
            if not os.environ.get(env_var):
                raise CommandError(_("Environment variable %(var)s is empty.") % {"var": env_var})
            return os.environ[env_var]
        first = getpass.getpass(_("Password: "))
        if first != getpass.getpass(_("Password (again): ")):
            raise CommandError(_("The two passwords differ."))
        return first
