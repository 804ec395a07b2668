"""core.db.one_snapshot: the queries inside read one snapshot of the database."""

import pytest
from django.db import connection, transaction

from naikkelas.core.db import one_snapshot
from naikkelas.wilayah.models import Wilayah


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_opens_one_at_repeatable_read():
    assert not connection.in_atomic_block
    with one_snapshot():
        assert connection.in_atomic_block
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW transaction_isolation")
                assert cursor.fetchone()[0] == "repeatable read"
    assert not connection.in_atomic_block


@pytest.mark.django_db(transaction=True)
def test_inside_a_callers_transaction_it_changes_nothing():
    with transaction.atomic():
        Wilayah.objects.exists()  # the caller's transaction has begun reading
        with one_snapshot():
            assert Wilayah.objects.count() >= 0
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW transaction_isolation")
                assert cursor.fetchone()[0] == "read committed"
