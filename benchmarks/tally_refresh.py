"""What a write costs the cockpit: the refresh of one town's aggregates after a transaction that
touched it (the ``refresh_tallies`` task), at demo scale 1 and 10.

    .venv/bin/python benchmarks/tally_refresh.py [SCALE1_URL [SCALE10_URL]]

Defaults: ``swstation_bench`` and ``swstation_bench10`` on 127.0.0.1 (build them with
``benchmarks/cockpit.py``). For the largest town and a middle one by service records, it marks
the partition dirty in the families a service record feeds (services, visits) and in all six,
refreshes, and rolls back; median of 5. Each database is measured in a process of its own.
"""

import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import machine, setup_django

DEFAULTS = (
    "postgres://postgres@127.0.0.1:5432/swstation_bench",
    "postgres://postgres@127.0.0.1:5432/swstation_bench10",
)
REPEAT = 5


def measure(url: str) -> None:
    setup_django(url)
    from django.db import transaction
    from django.db.models import Count
    from django.db.models.functions import Substr

    from swstation.cases.models import ServiceRecord
    from swstation.dashboard.models import TallyDirty
    from swstation.dashboard.services import tally_refresh
    from swstation.dashboard.tallies import FAMILIES

    sizes = list(
        ServiceRecord.objects.order_by()
        .values_list(Substr("recipient__region__code", 1, 9))
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    print(f"{url.rsplit('/', 1)[-1]}: {sum(n for _, n in sizes):,} service records")
    for partition, records in (sizes[0], sizes[len(sizes) // 2]):
        for families in (("services", "visits"), tuple(FAMILIES)):
            samples = []
            for _ in range(REPEAT):
                with transaction.atomic():
                    TallyDirty.objects.bulk_create(
                        [TallyDirty(family=family, partition=partition) for family in families]
                    )
                    started = time.perf_counter()
                    tally_refresh()
                    samples.append((time.perf_counter() - started) * 1000)
                    transaction.set_rollback(True)
            label = "services+visits" if len(families) == 2 else "all six families"
            print(
                f"  town {partition} ({records:>6,} service records), {label:<16}: "
                f"{statistics.median(samples):6.0f} ms"
            )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        measure(sys.argv[2])
        return
    urls = sys.argv[1:] or list(DEFAULTS)
    print(f"machine: {machine()}; PostgreSQL; median of {REPEAT}")
    for url in urls:
        subprocess.run([sys.executable, __file__, "--worker", url], check=True)


if __name__ == "__main__":
    main()
