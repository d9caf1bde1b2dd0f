"""The demo city tests share ONE build per worker: test_demo_city.py and
test_demo_recipients.py are in the xdist group "demo_city" (``--dist loadgroup`` runs the group
on one worker) and use the package-scoped ``demo_log`` below.

The demo is built inside a transaction that is rolled back when the package's last test is
done, so no other test sees it.
"""

from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings


def pytest_configure(config: Any) -> None:
    # Registered here too so that the marker is known when xdist is off (strict markers).
    config.addinivalue_line(
        "markers", "xdist_group(name): run the marked tests on one xdist worker (loadgroup)"
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Keep this package's tests in their xdist group with pytest >= 9.2.

    pytest-xdist 3.8 marks a grouped test by appending ``@<group>`` to ``item._nodeid``, which
    pytest 9.2 no longer reads (node ids are structured now: pytest-xdist issue #1386), so
    ``--dist loadgroup`` silently spreads the group over the workers and each worker builds the
    demo again. After xdist's hook, carry its suffix over to the structured id. Does nothing
    without xdist, with an older pytest, or once xdist does it itself.
    """
    try:
        from _pytest.nodeid import NodeId
    except ImportError:
        return
    here = Path(__file__).resolve().parent
    for item in items:
        legacy = getattr(item, "_nodeid", None)
        if (
            isinstance(legacy, str)
            and "@" in legacy
            and legacy != item.nodeid
            and here in Path(item.path).resolve().parents
        ):
            item._id = NodeId.parse(legacy)


@pytest.fixture(scope="package")
def demo_log(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """The output of one ``demo`` run (the whole city), shared by the package's modules."""
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        out = StringIO()
        call_command("demo", stdout=out)
        if connection.vendor == "postgresql":
            # Check the build's deferred foreign keys once, here. Left pending, they would be
            # checked again at the end of every test (Django's TestCase checks constraints in
            # each test's savepoint, and rolling the savepoint back makes them pending again):
            # seconds per test with hundreds of thousands of rows.
            connection.check_constraints()
        yield out.getvalue()
        transaction.set_rollback(True)
