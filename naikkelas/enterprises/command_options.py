"""Options shared by the commands that act on the registry (`indicators`, `import`, ...)."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from naikkelas.enterprises.models import MAX_YEAR, MIN_YEAR


def acting_user(username: str | None):
    """The user a command acts for (--user); None is the system."""
    if username is None:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("There is no user named '%(username)s'.") % {"username": username})
    if not user.is_active:
        raise CommandError(_("User '%(username)s' is not active.") % {"username": username})
    return user


def year_option(value: str | int) -> int:
    """--tahun: a whole year inside the registry's range."""
    message = _("--tahun must be a year from %(min)d to %(max)d, not '%(value)s'.")
    try:
        year = int(str(value).strip())
    except ValueError:
        year = None
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        raise CommandError(message % {"min": MIN_YEAR, "max": MAX_YEAR, "value": value})
    return year
