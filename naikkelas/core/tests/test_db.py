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


# --- CompiledValues -----------------------------------------------------------------------------

def _entries(count: int) -> list[int]:
    from naikkelas.core.models import AuditLog

    return [AuditLog.objects.create(
        actor_label=f"petugas {i}", action=AuditLog.Action.CREATE, object_type="x",
        object_id=str(i), object_repr=f"usaha {i}", subject_type="x", subject_id=str(i),
        after={"nama": f"Usaha {i}", "omzet": 1500000 + i}).pk for i in range(count)]


def _values(ids: list[int]):
    from django.db.models import F

    from naikkelas.core.models import AuditLog

    return (AuditLog.objects.filter(pk__in=ids, action=AuditLog.Action.CREATE).order_by("-pk")
            .values("id", "at", "after", "object_repr", label=F("actor_label")))


@pytest.mark.django_db
def test_compiled_values_give_what_values_gives():
    """Datetimes and JSON go through the backend's converters (SQLite's and PostgreSQL's),
    the ids of each call are its own, and other parameters of the query stay in place."""
    from naikkelas.core.db import CompiledValues

    ids = _entries(7)
    compiled = CompiledValues(_values)
    for chosen in (ids[:1], ids[2:5], ids[1:4], [ids[6], ids[0], ids[3]], ids):
        expected = list(_values(chosen))
        assert compiled.rows(chosen) == expected
        assert [list(row) for row in compiled.tuples(chosen)] == [
            list(row.values()) for row in expected]
    assert compiled.rows([]) == [] and compiled.rows([10**12]) == []
    assert isinstance(compiled.rows(ids[:1])[0]["after"], dict)


@pytest.mark.django_db
def test_compiled_values_refuse_a_query_that_hides_the_ids():
    from naikkelas.core.db import CompiledValues
    from naikkelas.core.models import AuditLog

    _entries(2)
    compiled = CompiledValues(lambda ids: AuditLog.objects.filter(pk__gt=min(ids)).values("id"))
    with pytest.raises(ValueError, match="one parameter"):
        compiled.rows([1, 2])
