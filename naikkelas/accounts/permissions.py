"""Permission checks that services and views share. Out of scope is reported as not found."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _


def ensure_in_scope(user, kode: str) -> None:
    """404 for records outside the user's wilayah: their existence is not disclosed."""
    if user is not None and not user.covers(kode):
        raise Http404(_("Not found in your wilayah."))


def ensure_can_edit(user, kode: str) -> None:
    """Changes need an editing role and a record inside the user's wilayah.

    `user` None is the system itself (a command run on the server without --user).
    """
    if user is None:
        return
    ensure_in_scope(user, kode)
    if not user.can_edit:
        raise PermissionDenied(_("Your role may read but not change data."))


def ensure_admin_pusat(user) -> None:
    if user is not None and not user.is_admin_pusat:
        raise PermissionDenied(_("Only admin pusat may do this."))
