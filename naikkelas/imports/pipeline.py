"""Reading a file while the batch before is being written.

An import is two kinds of work: reading, checking and matching rows is Python on the CPU;
writing a batch is mostly waiting on the database (COPY, index upkeep, the checks at commit).
`ahead` runs the first in a thread of its own, one batch ahead of the writer, so the two overlap
on a machine's two cores. The reading thread must not touch the database: it would get a
connection of its own, outside the import's transaction. Any query there fails loudly, but for
those that no transaction changes, run inside `outside_transaction` (ids from a sequence).
"""

from collections.abc import Iterator
from contextlib import contextmanager
import gc
import queue
import threading
from typing import TypeVar

from django.db import connection, connections
from django.utils import timezone, translation

T = TypeVar("T")

DONE = object()
POLL = 0.1  # seconds between looks at the stop flag while the writer is behind


class ReaderQueried(RuntimeError):
    """The reading thread tried to use the database."""


_outside = threading.local()


@contextmanager
def outside_transaction() -> Iterator[None]:
    """Lets the reading thread run the queries inside: only those whose answer is the same in
    any transaction (a sequence's nextval, which no rollback takes back)."""
    _outside.allowed = True
    try:
        yield
    finally:
        _outside.allowed = False


# Objects made between two collections of the youngest generation while `fewer_collections`.
FEWER_COLLECTIONS = 100_000
_collections_lock = threading.Lock()
_collections_users = 0
_collections_before: tuple[int, ...] = ()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run Python's cycle collector less often inside (imports in other threads of the process
    too): an import keeps a few batches of ten thousand rows alive, each a mass of small dicts
    and tuples, and Python's default (a collection every 700 new objects, each looking at the
    young objects, and now and then at all of them) cost a re-import about 15% of its time.
    Reference counting frees what an import drops as before; only cycles wait longer."""
    global _collections_users, _collections_before
    with _collections_lock:
        if _collections_users == 0:
            _collections_before = gc.get_threshold()
            gc.set_threshold(max(FEWER_COLLECTIONS, _collections_before[0]),
                             *_collections_before[1:])
        _collections_users += 1
    try:
        yield
    finally:
        with _collections_lock:
            _collections_users -= 1
            if _collections_users == 0:
                gc.set_threshold(*_collections_before)


def _no_queries(execute, sql, params, many, context):
    if getattr(_outside, "allowed", False):
        return execute(sql, params, many, context)
    raise ReaderQueried("The import's reading thread may not query the database "
                        f"(it would be outside the import's transaction): {sql[:200]}")


def ahead(items: Iterator[T], depth: int = 1) -> Iterator[T]:
    """The items of `items`, produced in a thread of their own up to `depth` items ahead of
    the consumer, in the consumer's language and time zone. An exception in the thread is
    raised here, in the consumer; a consumer that stops early stops the thread."""
    handoff: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    language, zone = translation.get_language(), timezone.get_current_timezone()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=POLL)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            with translation.override(language), timezone.override(zone), \
                    connection.execute_wrapper(_no_queries):
                for item in items:
                    if not put((item, None)):
                        return
            put((DONE, None))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
            put((DONE, exc))
        finally:
            connections.close_all()  # this thread's own, opened by a refused query

    thread = threading.Thread(target=produce, name="import-reader", daemon=True)
    thread.start()
    try:
        while True:
            item, error = handoff.get()
            if item is DONE:
                if error is not None:
                    raise error
                return
            yield item
    finally:
        stop.set()
        thread.join()
