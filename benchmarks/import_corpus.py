"""Run the corpus of messy ledgers (tests/core/import_corpus.py) and print, for each ledger and
in total, the rows accepted, refused and skipped, the values written wrongly (stored different
from their source, or a record changed that no row named), the columns or rows dropped
silently, and the rows whose outcome differs from the one the ledger expects.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/swstation_corpus \\
        .venv/bin/python benchmarks/import_corpus.py

The database is created and migrated if needed (the division tree loaded once); every ledger
is imported inside a transaction that is rolled back, so the script can run again. It asserts
nothing and measures no time: the figures are counts.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))
from _harness import setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/swstation_corpus"


def main() -> int:
    import os

    setup_django(os.environ.get("DATABASE_URL") or DEFAULT_URL)
    from django.core.management import call_command
    from django.db import transaction
    from tests.core.import_corpus import ledgers as corpus
    from tests.core.import_corpus import make_world, run_ledger, totals

    from swstation.core.actors import SYSTEM
    from swstation.regions.models import Region
    from swstation.regions.services import PACKAGED_DATA, region_import_divisions

    call_command("migrate", verbosity=0)
    if not Region.objects.exists():
        region_import_divisions(path=PACKAGED_DATA / "divisions.csv", actor=SYSTEM)
    results = []
    with transaction.atomic():
        world = make_world()
        for ledger in corpus():
            results.append(run_ledger(ledger, world))
        transaction.set_rollback(True)

    width = max(len(r.ledger.name) for r in results)
    head = f"{'ledger':<{width}}  rows  accepted  refused  skipped  wrong  dropped  unexpected"
    print(head)
    print("-" * len(head))
    for r in results:
        print(
            f"{r.ledger.name:<{width}}  {r.rows:>4}  {r.accepted:>8}  {r.refused:>7}  "
            f"{r.skipped:>7}  {len(r.written_wrongly):>5}  {len(r.dropped):>7}  "
            f"{len(r.mismatches):>10}"
        )
        for problem in [*r.written_wrongly, *r.dropped, *r.mismatches]:
            print(f"    ! {problem}")
    figures = totals(results)
    print("-" * len(head))
    print(
        f"{figures['ledgers']} ledgers ({figures['files_refused']} refused as a whole), "
        f"{figures['rows']} rows: {figures['accepted']} accepted, "
        f"{figures['refused']} refused, {figures['skipped']} skipped (totals and signatures); "
        f"{figures['written_wrongly']} written wrongly, {figures['silently_dropped']} silently "
        f"dropped, {figures['unexpected']} not as expected"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
