"""Creating and changing users: validated, one transaction, audited."""

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.translation import gettext

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


@transaction.atomic
def create_api_token(*, actor, name: str) -> tuple["ApiToken", str]:
    """A new token for the actor; returns the token and its key, which is never stored or shown again."""
    from naikkelas.accounts.models import ApiToken
    from naikkelas.accounts.tokens import hash_key, new_token_key

    key = new_token_key()
    token = ApiToken(user=actor, name=name.strip(), key_hash=hash_key(key), key_hint=key[:8])
    token.full_clean()
    token.save()
    audit.record(actor=actor, action=AuditLog.Action.CREATE, obj=token,
                 kode_wilayah=actor.kode_wilayah,
                 after={"name": token.name, "key_hint": token.key_hint})
    return token, key


@transaction.atomic
def revoke_api_token(token, *, actor) -> None:
    """Revoke a token of the actor's own (admin pusat may revoke anyone's)."""
    from django.http import Http404
    from django.utils import timezone

    if token.user_id != actor.pk and not actor.is_admin_pusat:
        raise Http404
    if token.revoked_at:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action=AuditLog.Action.DELETE, obj=token,
                 kode_wilayah=token.user.kode_wilayah, before={"name": token.name},
                 reason=gettext("revoked"))
