"""API authentication by personal token (`Authorization: Bearer nk_...`) and per-token rate limits."""

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions, throttling
from rest_framework.settings import api_settings

from naikkelas.accounts.models import ApiToken
from naikkelas.accounts.tokens import PREFIX, hash_key

LAST_USED_PRECISION_SECONDS = 60


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """The token acts as its user; audit rows name the token through `user.audit_via`."""

    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode().lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        key = header[1].decode(errors="replace")
        if not key.startswith(PREFIX):
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API token."))
        token = ApiToken.objects.usable().select_related("user").filter(
            key_hash=hash_key(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API token."))
        self._touch(token)
        user = token.user
        user.audit_via = f"token API: {token.name}"
        user.api_token = token
        return user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="naikkelas"'

    @staticmethod
    def _touch(token: ApiToken) -> None:
        """Record use at most once a minute, so reads do not turn into a write per request."""
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > \
                LAST_USED_PRECISION_SECONDS:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """A request budget per token (or per user for session requests, per address for anonymous)."""

    scope = "token"

    def get_rate(self) -> str | None:
        # DRF reads the rates once, at import; read them per request so settings can change them.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str:
        token = getattr(request, "auth", None)
        if isinstance(token, ApiToken):
            ident = f"t{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"u{request.user.pk}"
        else:
            ident = f"a{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
