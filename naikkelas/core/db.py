"""Reading from the database at API speed: queries compiled once, and PostgreSQL timestamps
read by the C parser of `fromisoformat`.

Django reads every `timestamptz` through a loader derived from psycopg's pure-Python one (a regular
expression and a dozen int() calls per value): about 7 µs a value, a millisecond for the hundred
timestamps of one API page. With USE_TZ the session time zone is UTC, so the text is
`2024-05-01 10:00:00.123456+00`, which `datetime.fromisoformat` reads in well under a microsecond
into the same aware datetime. Anything else (another offset, BC, infinity, years past 9999) goes
to Django's loader unchanged.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.signals import connection_created
from django.db.models import QuerySet

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


@contextmanager
def one_snapshot(using: str = DEFAULT_DB_ALIAS) -> Iterator[bool]:
    """Read in one snapshot of the database where that can be had; yields whether it was.

    On PostgreSQL, a transaction of its own at REPEATABLE READ (read-only work: nothing to
    retry). Inside a caller's transaction nothing changes: that transaction's isolation rules,
    and at READ COMMITTED (the default) each statement sees its own snapshot, so this yields
    False. SQLite reads one snapshot per transaction anyway.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        with transaction.atomic(using):
            yield True
        return
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SHOW transaction_isolation")
            yield cursor.fetchone()[0] in ("repeatable read", "serializable")
        return
    with transaction.atomic(using):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield True


class CompiledValues:
    """A values() query over a list of ids, compiled by the ORM once and then only executed.

    `build(ids)` returns the queryset; its SQL is compiled once per database connection and per
    number of ids (a page of 50 is one length), with stand-in ids that are swapped for the real
    ones as parameters. Rows come back exactly as values() gives them: the same SQL, and the
    compiler's own converters (SQLite's decimals and datetimes). Building and compiling a query
    cost more than running it (about 1 ms against 0.3 ms for a page's reports).
    """

    STAND_IN = -(10**15)  # ids no table holds: stand_in - position

    def __init__(self, build: Callable[[list[int]], QuerySet]) -> None:
        self.build = build

    def rows(self, ids: list[int], using: str = DEFAULT_DB_ALIAS) -> list[dict[str, Any]]:
        """The rows as values() dicts."""
        names, rows = self._run(ids, using)
        return [dict(zip(names, row)) for row in rows]

    def named_tuples(self, ids: list[int],
                     using: str = DEFAULT_DB_ALIAS) -> tuple[list[str], list]:
        """The values() names and the rows as sequences in their order."""
        return self._run(ids, using)

    def tuples(self, ids: list[int], using: str = DEFAULT_DB_ALIAS) -> list:
        """The rows as sequences, in the order of the values() names."""
        return self._run(ids, using)[1]

    def _run(self, ids: list[int], using: str) -> tuple[list[str], list]:
        if not ids:
            return [], []
        connection = connections[using]
        compiled = connection.__dict__.setdefault("naikkelas_compiled", {})
        key = (id(self), len(ids))
        if key not in compiled:
            compiled[key] = self._compile(len(ids), connection)
        sql, params, compiler, converters, names = compiled[key]
        values = [ids[self.STAND_IN - p] if type(p) is int and p <= self.STAND_IN else p
                  for p in params]
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            rows = cursor.fetchall()
        if converters:
            rows = list(compiler.apply_converters(rows, converters))
        return names, rows

    def _compile(self, count: int, connection) -> tuple:
        queryset = self.build([self.STAND_IN - i for i in range(count)])
        query = queryset.query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        if sum(type(p) is int and p <= self.STAND_IN for p in params) != count:
            raise ValueError("every id must reach the SQL as one parameter")
        fields = [column[0] for column in compiler.select[:compiler.col_count]]
        # As ValuesIterable names the columns.
        names = list(query.selected) if query.selected else [
            *query.extra_select, *query.values_select, *query.annotation_select]
        return sql, params, compiler, compiler.get_converters(fields), names


def chunks(items: list, size: int) -> Iterator[list]:
    """`items` in lists of at most `size`: an id list cut to what one query's parameters take
    (SQLite's limit), or to what one batch should hold in memory."""
    for start in range(0, len(items), size):
        yield items[start:start + size]
