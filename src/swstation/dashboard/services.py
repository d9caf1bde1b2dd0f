"""Writes on the cockpit's aggregates: mark what changed, refresh it, or recount everything.

A write to a source record marks its partition of each family it feeds
(:func:`tally_mark_dirty`, called by the signal handlers in ``signals.py`` and by the few bulk
writers that bypass signals). After the write commits, :func:`tally_refresh` is queued as a
``django.tasks`` task on the "background" backend (a database queue and its worker, off the
request): it recomputes only the dirty partitions and their district and city roll-ups. The
cockpit's selectors also refresh whatever is still marked before they read, so a figure is
never stale even when no task worker runs. :func:`tally_rebuild` recounts everything
from the records (after the demo's bulk load, and in the test that checks the incremental
refresh against a full recount).
"""

from collections import defaultdict
from collections.abc import Iterable
from functools import reduce
from operator import or_
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, Sum
from django.db.models.functions import Substr
from django.tasks import task

from swstation.dashboard.models import Tally, TallyDirty, TallyLevel
from swstation.dashboard.tallies import (
    CITY_DIGITS,
    DISTRICT_DIGITS,
    FAMILIES,
    partition_of,
)
from swstation.regions.codes import code_of_prefix

# Serialises refreshes on PostgreSQL, so that two of them never roll up the same district from
# each other's half-written township rows (SQLite serialises writers by itself).
_REFRESH_LOCK_ID = 0x5357_5441  # "SWTA"


def tally_mark_dirty(*, families: Iterable[str], codes: Iterable[str | None]) -> None:
    """Mark the partitions of ``codes`` (region codes of changed records) in ``families``, and
    have them refreshed once the transaction commits."""
    partitions = {partition_of(code) for code in codes if code}
    marks = [
        TallyDirty(family=family, partition=partition)
        for family in families
        for partition in partitions
    ]
    if not marks:
        return
    TallyDirty.objects.bulk_create(marks, ignore_conflicts=True)
    if not _refresh_pending():
        transaction.on_commit(_enqueue_refresh)


def _refresh_pending() -> bool:
    """Whether this transaction already has the refresh queued for its commit: an import of a
    thousand rows queues one refresh, not a thousand. (Reads Django's list of commit hooks;
    without it, queueing twice is merely redundant.)"""
    hooks = getattr(connection, "run_on_commit", None) or []
    return any(hook[1] is _enqueue_refresh for hook in hooks)


def _enqueue_refresh() -> None:
    refresh_tallies.enqueue()


@task(backend="background")
def refresh_tallies() -> int:
    return tally_refresh()


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_REFRESH_LOCK_ID])


def tally_refresh() -> int:
    """Recompute the dirty partitions; the number of (family, partition) pairs refreshed."""
    if not TallyDirty.objects.exists():
        return 0
    with transaction.atomic():
        _lock()
        dirty = list(TallyDirty.objects.values_list("pk", "family", "partition"))
        if not dirty:
            return 0
        TallyDirty.objects.filter(pk__in=[pk for pk, _family, _part in dirty]).delete()
        by_family: dict[str, set[str]] = defaultdict(set)
        for _pk, family, partition in dirty:
            if family in FAMILIES:
                by_family[family].add(partition)
        for family, partitions in by_family.items():
            for partition in partitions:
                _replace_partition(family, partition)
            _roll_up(family, {partition[:DISTRICT_DIGITS] for partition in partitions})
    return len(dirty)


def _replace_partition(family: str, partition: str) -> None:
    Tally.objects.filter(
        family=family,
        level__in=(TallyLevel.VILLAGE, TallyLevel.TOWNSHIP, TallyLevel.PROJECT),
        region_code__startswith=partition,
    ).delete()
    Tally.objects.bulk_create(FAMILIES[family](partition), batch_size=2_000)


@transaction.atomic
def tally_rebuild(*, families: Iterable[str] | None = None) -> int:
    """Recount every tally of ``families`` (all by default) from the records; rows written."""
    _lock()
    written = 0
    for family in families or FAMILIES:
        TallyDirty.objects.filter(family=family).delete()
        Tally.objects.filter(family=family).delete()
        rows = FAMILIES[family]("")
        Tally.objects.bulk_create(rows, batch_size=2_000)
        written += len(rows) + _roll_up(family, None)
    return written


def _roll_up(family: str, districts: set[str] | None) -> int:
    """Rebuild the district rows of ``districts`` (all when None) from their township rows,
    then the rows of their cities from the district rows."""
    cities = None if districts is None else {code[:CITY_DIGITS] for code in districts}
    return _sum_into(
        family, TallyLevel.TOWNSHIP, TallyLevel.DISTRICT, DISTRICT_DIGITS, districts
    ) + _sum_into(family, TallyLevel.DISTRICT, TallyLevel.CITY, CITY_DIGITS, cities)


def _sum_into(family: str, source: str, target: str, digits: int, prefixes: set[str] | None) -> int:
    targets = Tally.objects.filter(family=family, level=target)
    sources = Tally.objects.filter(family=family, level=source).order_by()
    if prefixes is not None:
        if not prefixes:
            return 0
        targets = targets.filter(region_code__in=[code_of_prefix(p) for p in prefixes])
        sources = sources.filter(
            reduce(or_, (Q(region_code__startswith=p) for p in sorted(prefixes)))
        )
    targets.delete()
    sums: Any = sources.values(
        "metric", "key", "period", area=Substr("region_code", 1, digits)
    ).annotate(n=Sum("count"), amount=Sum("total"))
    rows = [
        Tally(
            family=family,
            metric=row["metric"],
            level=target,
            region_code=code_of_prefix(row["area"]),
            key=row["key"],
            period=row["period"],
            count=row["n"] or 0,
            total=row["amount"] or 0,
        )
        for row in sums
        if row["n"] or row["amount"]
    ]
    Tally.objects.bulk_create(rows, batch_size=2_000)
    return len(rows)
