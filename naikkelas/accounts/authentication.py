"""API authentication by personal token (`Authorization: Bearer nk_...`) and per-token rate limits.

Both run on every API request, so each costs as little as it can: a token is looked up in the
database once and then kept in the process for `NAIKKELAS_API_TOKEN_CACHE_SECONDS` (default 5);
the rate limit is one cache round trip.

Revoking a token, deactivating a user or changing a user's role or wilayah empties the cache of
the process that made the change at once (model signals), and every other process (the other
gunicorn workers) within those seconds at most: that is the bound on how long a revoked token
still works.
"""

import copy
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions, throttling
from rest_framework.settings import api_settings

from naikkelas.accounts.models import ApiToken, User
from naikkelas.accounts.tokens import PREFIX, hash_key

LAST_USED_PRECISION_SECONDS = 60


@dataclass(frozen=True)
class _Known:
    token: ApiToken
    user: User
    until: float  # time.monotonic() after which the database is asked again


_known: dict[str, _Known] = {}  # by key hash; a process's own, emptied on every token/user change
clock = time.monotonic  # tests move it


def forget_tokens(**kwargs) -> None:
    """Signal receiver: a token or user changed, so ask the database again for every token."""
    _known.clear()


def connect_signals() -> None:
    for model in (ApiToken, User):
        for signal in (post_save, post_delete):
            signal.connect(forget_tokens, sender=model,
                           dispatch_uid=f"forget-tokens-{signal is post_save}-{model.__name__}")


def usable_token(key_hash: str) -> tuple[ApiToken, User] | None:
    """The usable token with this hash and its user, from the process's cache when recent."""
    known = _known.get(key_hash)
    now = clock()
    if known is None or known.until <= now:
        token = ApiToken.objects.usable().select_related("user").filter(key_hash=key_hash).first()
        if token is None:
            _known.pop(key_hash, None)
            return None
        known = _Known(token, token.user, now + settings.NAIKKELAS_API_TOKEN_CACHE_SECONDS)
        if settings.NAIKKELAS_API_TOKEN_CACHE_SECONDS > 0:
            _known[key_hash] = known
    # A copy per request: the request marks its user (audit_via) and may change it.
    return known.token, copy.copy(known.user)


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
        found = usable_token(hash_key(key)) if key.startswith(PREFIX) else None
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API token."))
        token, user = found
        self._touch(token)
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
            token.last_used_at = now  # the cached token too: one write a minute, not per request


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """A request budget per token (or per user for session requests, per address for anonymous).

    A sliding window estimated from two fixed windows, as counters: the requests of this window
    plus the share of the previous window's that still lies within one duration back. One cache
    round trip (a Redis pipeline) per request, whatever the rate, where DRF's own throttle reads
    and writes a list of every request's time (thousands at high rates). Refused requests are
    not counted, as in DRF.
    """

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

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = self.timer()
        window, self.passed = divmod(self.now, self.duration)
        current_key = f"{key}:{int(window)}"
        self.current, self.previous = count_request(current_key, f"{key}:{int(window) - 1}",
                                                    2 * self.duration)
        if self._estimate(self.current) <= self.num_requests:
            return True
        try:
            caches["default"].decr(current_key)  # a refused request does not use the budget
        except ValueError:
            pass  # the window's counter expired meanwhile
        self.current -= 1
        return False

    def _estimate(self, current: int, passed: float | None = None) -> float:
        passed = self.passed if passed is None else passed
        return current + self.previous * (1 - passed / self.duration)

    def wait(self) -> float:
        """Seconds until one more request fits (at least one, so Retry-After is never 0)."""
        if self.current + 1 > self.num_requests:  # not in this window: in the next, where
            # this window's count is the previous one and nothing is counted yet
            needed = self.duration * (1 - (self.num_requests - 1) / self.current)
            return max(1.0, self.duration - self.passed + needed)
        # previous * (1 - t / duration) + current + 1 <= num_requests, solved for t
        needed = self.duration * (1 - (self.num_requests - self.current - 1) / self.previous)
        return max(1.0, needed - self.passed)


def count_request(key: str, previous_key: str, timeout: int) -> tuple[int, int]:
    """Add one to the counter `key` (created with `timeout` seconds to live) and read the one
    of the previous window: one round trip with Redis, a few calls with another cache."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        name, previous_name = cache.make_and_validate_key(key), cache.make_and_validate_key(
            previous_key)
        pipe = _redis_client(cache).pipeline(transaction=False)
        pipe.set(name, 0, ex=timeout, nx=True)
        pipe.incr(name)
        pipe.get(previous_name)
        _created, current, previous = pipe.execute()
        return current, int(previous or 0)
    if cache.add(key, 1, timeout):
        current = 1
    else:
        try:
            current = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout)
            current = 1
    return current, cache.get(previous_key, 0)


def _redis_client(cache: RedisCache):
    """The cache's Redis client, made once: Django makes one per call (a few hundred dict
    entries of response callbacks each time); the connection pool is the cache's either way."""
    client = cache.__dict__.get("naikkelas_client")
    if client is None:
        client = cache.__dict__["naikkelas_client"] = cache._cache.get_client(write=True)
    return client
