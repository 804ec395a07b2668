"""Database connection set-up: PostgreSQL timestamps read by the C parser of `fromisoformat`.

Django reads every `timestamptz` through a loader derived from psycopg's pure-Python one (a regular
expression and a dozen int() calls per value): about 7 µs a value, a millisecond for the hundred
timestamps of one API page. With USE_TZ the session time zone is UTC, so the text is
`2024-05-01 10:00:00.123456+00`, which `datetime.fromisoformat` reads in well under a microsecond
into the same aware datetime. Anything else (another offset, BC, infinity, years past 9999) goes
to Django's loader unchanged.
"""

from datetime import datetime, timedelta, timezone
from functools import cache

from django.db.backends.signals import connection_created

ZERO = timedelta(0)


def fast_timestamptz(sender, connection, **kwargs) -> None:
    """connection_created receiver: swap in the fast loader on a new PostgreSQL connection."""
    if connection.vendor != "postgresql":
        return
    from psycopg.pq import Format

    adapters = connection.connection.adapters
    oid = adapters.types["timestamptz"].oid
    django_loader = adapters.get_loader(oid, Format.TEXT)
    if getattr(django_loader, "timezone", None) is timezone.utc:
        adapters.register_loader("timestamptz", _fast_loader(django_loader))


@cache
def _fast_loader(django_loader: type) -> type:
    """A subclass of Django's loader (Django checks its `timezone` attribute per cursor)."""

    class FastUtcTimestamptzLoader(django_loader):
        def load(self, data):
            try:
                value = datetime.fromisoformat(bytes(data).decode())
            except ValueError:
                return super().load(data)
            if value.utcoffset() != ZERO:
                return super().load(data)
            return value.replace(tzinfo=timezone.utc)

    return FastUtcTimestamptzLoader


def connect_signals() -> None:
    connection_created.connect(fast_timestamptz, dispatch_uid="naikkelas-fast-timestamptz")
