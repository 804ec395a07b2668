"""core.db.one_snapshot: the queries inside read one snapshot of the database."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from naikkelas.core.db import one_snapshot
from naikkelas.wilayah.models import Wilayah

ALIAS = "one_snapshot_test"


def isolation(conn) -> str:
    with conn.cursor() as cursor:
        cursor.execute("SHOW transaction_isolation")
        return cursor.fetchone()[0]


@pytest.fixture
def outside(db):
    """A second connection to the test database, outside the test's own transaction (a
    transactional test would empty the tables that later tests read)."""
    conn = connections.create_connection(DEFAULT_DB_ALIAS)
    connections[ALIAS] = conn
    yield conn
    conn.close()
    del connections[ALIAS]


def test_outside_a_transaction_it_opens_one_at_repeatable_read(outside):
    assert not outside.in_atomic_block
    with one_snapshot(ALIAS) as exact:
        assert exact
        assert outside.in_atomic_block
        if outside.vendor == "postgresql":
            assert isolation(outside) == "repeatable read"
    assert not outside.in_atomic_block


def test_inside_a_callers_transaction_it_changes_nothing_and_says_so(db):
    """The test's own transaction, at READ COMMITTED on PostgreSQL: every statement reads a
    snapshot of its own, which one_snapshot cannot change and reports."""
    assert connection.in_atomic_block
    Wilayah.objects.exists()  # the transaction has begun reading
    with one_snapshot() as exact:
        assert Wilayah.objects.exists()
    if connection.vendor == "postgresql":
        assert not exact
        assert isolation(connection) == "read committed"
    else:
        assert exact  # SQLite: one snapshot per transaction
