"""Real races on PostgreSQL: two requests or service calls in two threads, each thread with its
own database connection, both acting on the same state (core/transitions.py).

Use :func:`parallel` on such a test. It

- skips the test on SQLite, which has no row locks (``SELECT ... FOR UPDATE`` is a no-op there)
  and lets one writer at a time: the same transitions are proven sequentially on every
  database by the stale-copy tests next to the parallel ones;
- runs it with a transactional database (``django_db(transaction=True)``): the threads see only
  committed rows. pytest-django empties that database after the test, removing the division
  tree loaded once per session (tests/conftest.py) and the categories seeded by a migration, so
  ``reference_data`` puts them back before the test and ``restore_reference_data_afterwards``
  after the last test of the module, for whatever the same xdist worker runs next
  (pytest-django runs the transactional tests after the others anyway);
- puts it in the xdist group ``parallel_db``: with ``--dist loadgroup`` these tests run one after
  the other on one worker, so only that worker's database is emptied and reloaded, and two
  races never compete for the machine's two cores.

:func:`run_together` starts the racers at the same moment. Through the pages and the API, the
second request waits at the row lock its view takes before loading the record (core/views,
core/api/viewsets.py) and then sees the first one's result. A race of service calls makes each
racer load its own copy first and wait at a :class:`threading.Barrier` before acting, as two
callers holding the same old state would: the lock in the service (core/transitions.py) is
then all that stands between them.
"""

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connections

from swstation.core.actors import SYSTEM
from swstation.demo.seeds import reload_migration_seeds
from swstation.regions.models import Region
from swstation.regions.services import PACKAGED_DATA, population_import, region_import_divisions

ON_SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
SQLITE_REASON = (
    "a real race needs row locks and concurrent writers, which SQLite does not have "
    "(SELECT ... FOR UPDATE is a no-op there): run on PostgreSQL. The sequential stale-copy "
    "tests of the same transitions run on SQLite too."
)
TIMEOUT = 30  # seconds a racer waits for the other one, or for a row lock


def pytest_configure(config: Any) -> None:
    # Known when xdist is off too (strict markers), as in tests/demo/conftest.py.
    config.addinivalue_line(
        "markers", "xdist_group(name): run the marked tests on one xdist worker (loadgroup)"
    )


def load_reference_data() -> None:
    """The data every test may count on and a flush removes: the division tree and its
    populations (tests/conftest.py) and what the data migrations seed."""
    if not Region.objects.exists():
        region_import_divisions(path=PACKAGED_DATA / "divisions.csv", actor=SYSTEM)
        population_import(path=PACKAGED_DATA / "population.csv", actor=SYSTEM)
    reload_migration_seeds()


@pytest.fixture
def reference_data(transactional_db: Any) -> None:
    load_reference_data()


@pytest.fixture(scope="module")
def restore_reference_data_afterwards(django_db_blocker: Any) -> Iterator[None]:
    """After the module's last transactional test (and its flush), put the data back."""
    yield
    with django_db_blocker.unblock():
        load_reference_data()


def parallel[F: Callable[..., Any]](test: F) -> F:
    """Mark a test that races two threads on PostgreSQL (see the module's docstring)."""
    marks = (
        pytest.mark.skipif(ON_SQLITE, reason=SQLITE_REASON),
        pytest.mark.django_db(transaction=True),
        pytest.mark.xdist_group("parallel_db"),
        pytest.mark.usefixtures("reference_data", "restore_reference_data_afterwards"),
    )
    for mark in marks:
        test = mark(test)
    return test


def run_together(*calls: Callable[[], Any]) -> list[Any]:
    """Run each call in its own thread (and so on its own database connection), all starting
    at once, and return what each returned, or the exception it raised, in the order given."""
    results: list[Any] = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            start.wait(TIMEOUT)
            results[index] = call()
        except BaseException as exc:  # handed to the test, which asserts on it
            results[index] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, call), name=f"racer-{index}")
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    assert not any(thread.is_alive() for thread in threads), "a racer is stuck"
    return results
