"""Creating and changing users: validated, one transaction, audited."""

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from naikkelas.accounts.models import User
from naikkelas.accounts.permissions import ensure_admin_pusat
from naikkelas.core import audit
from naikkelas.core.models import AuditLog

HIDDEN_USER_FIELDS = {"password", "last_login"}


def _user_snapshot(user: User) -> dict:
    return {k: v for k, v in audit.snapshot(user).items() if k not in HIDDEN_USER_FIELDS}


@transaction.atomic
def create_user(*, actor, username: str, password: str, role: str, kode_wilayah: str,
                personal_data_access: bool = True, full_name: str = "") -> User:
    """Create a user after checking role/wilayah fit and the password rules. Admin pusat only."""
    ensure_admin_pusat(actor)
    first, _sep, last = full_name.partition(" ")
    user = User(username=username, role=role, kode_wilayah=kode_wilayah,
                personal_data_access=personal_data_access, first_name=first, last_name=last)
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    audit.record(actor=actor, action=AuditLog.Action.CREATE, obj=user,
                 kode_wilayah=kode_wilayah, after=_user_snapshot(user))
    return user
