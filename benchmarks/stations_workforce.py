"""Stations and workforce figures: the full demo build, then the station and social worker list
pages and APIs at demo size (582 stations, 19,254 social workers), as the city bureau and as a
district officer.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/swstation_bench \
        .venv/bin/python benchmarks/stations_workforce.py

A URL that answers 404 (not wired yet) or fails is reported as such instead of timed.
"""

import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import machine, setup_django, timed

url = setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from swstation.accounts.models import User  # noqa: E402
from swstation.stations.models import Station  # noqa: E402
from swstation.workforce.models import SocialWorker  # noqa: E402

USERS = (("city_admin", "city_admin"), ("yinzhou_officer", "yinzhou_officer"))  # 鄞州区
REQUESTS = (
    ("station list page", "/stations/"),
    ("stations API", "/api/v1/stations/"),
    ("social worker list page", "/workforce/social-workers/"),
    ("social workers API", "/api/v1/social-workers/"),
)


def measure(client: Client, path: str) -> tuple[str, float | None, int | None]:
    """(status, median ms, queries of one request); ms and queries None when not timed."""

    def get() -> int:
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        return int(response.status_code)

    reset_queries()  # the log keeps the last 9,000 queries only: start from empty
    try:
        with CaptureQueriesContext(connection) as queries:
            status = get()
    except Exception as error:  # a page still being written may raise; report, don't crash
        return f"error: {type(error).__name__}", None, None
    if status == 404:
        return "not available", None, None
    if status != 200:
        return f"HTTP {status}", None, None
    return "ok", timed(get), len(queries)


def main() -> None:
    call_command("migrate", verbosity=0)
    out = io.StringIO()
    started = time.perf_counter()
    call_command("demo", "--flush", stdout=out)
    build = time.perf_counter() - started
    steps = [
        line.strip()
        for line in out.getvalue().splitlines()
        if line.startswith("  ") and ":" in line
    ]

    rows = []
    for username, who in USERS:
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        for label, path in REQUESTS:
            status, ms, count = measure(client, path)
            rows.append((f"{label} ({who})", path, status, ms, count))

    print(f"machine: {machine()}; database: {connection.vendor}")
    print(f"demo build (demo --flush: regions, accounts, stations, workforce): {build:.1f} s")
    for line in steps:
        print(f"  {line}")
    print(
        f"rows: {Station.objects.count()} stations, {SocialWorker.objects.count()} social workers"
    )
    print(f"{'request':<44} {'path':<28} {'median ms':>10} {'queries':>8}")
    for label, path, status, ms, count in rows:
        if ms is None:
            print(f"{label:<44} {path:<28} {status:>19}")
        else:
            print(f"{label:<44} {path:<28} {ms:>10.1f} {count:>8}")


if __name__ == "__main__":
    main()
