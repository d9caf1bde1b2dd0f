import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from swstation.dashboard.services import tally_rebuild, tally_refresh
from swstation.dashboard.tallies import FAMILIES


class Command(BaseCommand):
    help = (
        "Recount the cockpit's aggregates from the records (after a bulk load that bypassed "
        "the application), or with --pending refresh only what writes marked."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--family", action="append", choices=sorted(FAMILIES), help="Only these families."
        )
        parser.add_argument(
            "--pending", action="store_true", help="Refresh the partitions marked dirty only."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["pending"]:
            refreshed = tally_refresh()
            self.stdout.write(f"Refreshed {refreshed} partitions")
        else:
            rows = tally_rebuild(families=options["family"])
            self.stdout.write(f"Recounted: {rows} aggregate rows")
        self.stdout.write(f"in {time.perf_counter() - started:.1f} s.")
