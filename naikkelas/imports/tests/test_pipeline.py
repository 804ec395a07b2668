"""pipeline.ahead: a generator run in a thread of its own, one item ahead of its consumer;
pipeline.fewer_collections."""

import gc
import threading

import pytest
from django.utils import translation

from naikkelas.imports.pipeline import (
    FEWER_COLLECTIONS, ReaderQueried, ahead, fewer_collections, outside_transaction,
)
from naikkelas.wilayah.models import Wilayah


def test_items_arrive_in_order_and_all_of_them():
    assert list(ahead(iter(range(50)))) == list(range(50))


def test_an_error_in_the_thread_is_raised_in_the_consumer_after_the_items_before_it():
    def items():
        yield 1
        yield 2
        raise ValueError("sel rusak")

    seen = []
    with pytest.raises(ValueError, match="sel rusak"):
        for item in ahead(items()):
            seen.append(item)
    assert seen == [1, 2]


def test_a_consumer_that_stops_early_stops_the_thread():
    produced = []

    def items():
        for i in range(1000):
            produced.append(i)
            yield i

    before = threading.active_count()
    with pytest.raises(RuntimeError):
        for item in ahead(items()):
            if item == 3:
                raise RuntimeError("penulis gagal")
    assert threading.active_count() == before  # joined
    assert len(produced) < 10  # at most a couple ahead of the consumer, not the whole file


@pytest.mark.django_db
def test_the_thread_may_not_query_the_database():
    def items():
        yield Wilayah.objects.count()

    with pytest.raises(ReaderQueried):
        list(ahead(items()))


@pytest.mark.django_db
def test_the_thread_may_query_only_inside_outside_transaction():
    def items():
        with outside_transaction():
            yield Wilayah.objects.filter(kode="16").count()
        yield Wilayah.objects.count()

    seen = []
    with pytest.raises(ReaderQueried):
        for item in ahead(items()):
            seen.append(item)
    assert seen == [1]


def test_the_thread_speaks_the_consumers_language():
    def items():
        yield translation.get_language()

    with translation.override("id"):
        assert list(ahead(items())) == ["id"]
    with translation.override("en"):
        assert list(ahead(items())) == ["en"]


def test_fewer_collections_while_any_import_runs_then_the_threshold_as_before():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == (FEWER_COLLECTIONS, *before[1:])
        entered, leave = threading.Event(), threading.Event()

        def other_import() -> None:
            with fewer_collections():
                entered.set()
                leave.wait(5)

        thread = threading.Thread(target=other_import)
        thread.start()
        entered.wait(5)
    # The first import ended while the other still runs: the threshold stays raised.
    assert gc.get_threshold()[0] == FEWER_COLLECTIONS
    leave.set()
    thread.join(5)
    assert gc.get_threshold() == before
    with pytest.raises(ValueError), fewer_collections():
        raise ValueError("an import that fails")
    assert gc.get_threshold() == before
