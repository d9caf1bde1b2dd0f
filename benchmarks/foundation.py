"""Foundation figures: demo build time and the region/user list pages and APIs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/swstation_bench \
        .venv/bin/python benchmarks/foundation.py
"""

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


def main() -> None:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo", "--flush", stdout=open("/dev/null", "w"))  # noqa: SIM115
    build = time.perf_counter() - started

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.get(username="city_admin"))
    rows = []
    for label, path in [
        ("region list page (3,215 rows, 25/page)", "/regions/"),
        ("region list page, 250/page", "/regions/?per_page=250"),
        ("region detail (city, 10 children)", "/regions/1/"),
        ("user list page", "/accounts/users/"),
        ("regions API (page 50)", "/api/v1/regions/"),
        ("regions API (page 1000)", "/api/v1/regions/?page_size=1000"),
        ("region export .xlsx (3,215 rows)", "/regions/?export=xlsx"),
    ]:

        def get(path: str = path) -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            if response.streaming:
                b"".join(response.streaming_content)

        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            get()
        rows.append((label, timed(get), len(queries)))

    print(f"machine: {machine()}; database: {connection.vendor}")
    print(f"demo build (flush + regions + population + accounts): {build:.1f} s")
    print(f"{'request':<42} {'median ms':>10} {'queries':>8}")
    for label, ms, count in rows:
        print(f"{label:<42} {ms:>10.1f} {count:>8}")


if __name__ == "__main__":
    main()
