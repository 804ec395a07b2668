"""The fast timestamptz loader reads what Django's own loader reads, value for value."""

from datetime import timezone

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from psycopg.adapt import Loader

from naikkelas.core.db import _fast_loader

TIMESTAMPTZ_OID = 1184
TEXTS = [b"2024-05-01 10:00:00.123456+00", b"2024-05-01 10:00:00+00", b"2024-05-01 10:00:00.5+00",
         b"0001-01-01 00:00:00+00", b"9999-12-31 23:59:59.999999+00",
         b"2024-05-01 10:00:00+07", b"2024-05-01 10:00:00+05:30"]


class UtcLoader(BaseTzLoader):
    timezone = timezone.utc


@pytest.mark.parametrize("text", TEXTS)
def test_reads_what_djangos_loader_reads(text):
    ours, django = _fast_loader(UtcLoader)(TIMESTAMPTZ_OID), UtcLoader(TIMESTAMPTZ_OID)
    value, expected = ours.load(text), django.load(text)
    assert value == expected and value.utcoffset() == expected.utcoffset()
    assert value.isoformat() == expected.isoformat()


def test_is_a_subclass_that_keeps_djangos_time_zone():
    assert issubclass(_fast_loader(UtcLoader), Loader)
    assert _fast_loader(UtcLoader).timezone is timezone.utc


@pytest.mark.django_db
def test_postgresql_connections_use_it():
    connection.ensure_connection()
    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"  # SQLite has no loaders: nothing to swap
        return
    from psycopg.pq import Format

    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    assert loader.__name__ == "FastUtcTimestamptzLoader"
    with connection.cursor() as cursor:
        cursor.execute("SELECT '2024-05-01 10:00:00.25+07'::timestamptz, now()")
        value, now = cursor.fetchone()
    assert value.isoformat() == "2024-05-01T03:00:00.250000+00:00" and now.tzinfo is timezone.utc
