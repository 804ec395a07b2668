"""core.db.one_snapshot: the queries inside read one snapshot of the database."""

import pytest
from django.db import connection

from naikkelas.core.db import one_snapshot
from naikkelas.wilayah.models import Wilayah


def isolation() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW transaction_isolation")
        return cursor.fetchone()[0]


# A transactional test empties every table when it ends; serialized_rollback puts the reference
# data (wilayah, KBLI) back for the tests that follow on this worker.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_it_opens_one_at_repeatable_read():
    assert not connection.in_atomic_block
    with one_snapshot():
        assert connection.in_atomic_block
        if connection.vendor == "postgresql":
            assert isolation() == "repeatable read"
    assert not connection.in_atomic_block


@pytest.mark.django_db
def test_inside_a_callers_transaction_it_changes_nothing():
    assert connection.in_atomic_block  # the test's own transaction
    Wilayah.objects.exists()  # which has begun reading
    with one_snapshot():
        assert Wilayah.objects.exists()
    if connection.vendor == "postgresql":
        assert isolation() == "read committed"
